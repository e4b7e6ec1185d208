package cli

import (
	"errors"
	"fmt"
	"strconv"

	"github.com/residiff/residiff/export"
	"github.com/residiff/residiff/model"
	"github.com/spf13/cobra"
)

type exportOptions struct {
	repoOptions
	SQLite string
	CSV    string
}

func newExportCmd(s Env) *cobra.Command {
	var o exportOptions
	cmd := &cobra.Command{
		Use:   "export --repo PATH|URL (--sqlite FILE | --csv DIR)",
		Short: "Export the history as tables an auditor can query: SQLite or CSV",
		Long: `export walks the history like changelog and writes it as two tables: records,
one row per record of every page version (page, path, commit, date, service,
service_id, scope, category, every field and the line), and changes, one row
per change (kind, severity, service, scope, before, after, fields, detail,
line and permalinks), as a SQLite database (--sqlite FILE, with a meta table
and indexes on service_id, date, page and kind) and/or CSV files (--csv DIR:
records.csv and changes.csv). A file is replaced only once it is complete.`,
		Example: `  residiff export --repo fixtures/upstream.git --sqlite residency.sqlite
  sqlite3 residency.sqlite "SELECT date, service, category FROM records WHERE service_id = 'azurecustomerlockbox'"
  residiff export --repo fixtures/upstream.git --csv export/`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if o.SQLite == "" && o.CSV == "" {
				return errors.New("export: give --sqlite FILE, --csv DIR or both")
			}
			res, err := o.build(cmd.Context(), s)
			if err != nil {
				return err
			}
			tables, err := export.Tables(res.Changelog, res.Versions)
			if err != nil {
				return err
			}
			if o.SQLite != "" {
				meta := export.Meta{"export_version": "1", "changelog_schema_version": strconv.Itoa(model.SchemaVersion),
					"generated_by": res.Changelog.GeneratedBy, "repository": res.Changelog.Repository, "branch": res.Changelog.Branch,
					"profile": res.Changelog.Profile, "tip": res.Tip, "exported_at": s.Now().UTC().Format("2006-01-02T15:04:05Z")}
				if err := export.WriteSQLite(cmd.Context(), o.SQLite, tables, meta); err != nil {
					return err
				}
			}
			if o.CSV != "" {
				if err := export.WriteCSV(o.CSV, tables); err != nil {
					return err
				}
			}
			if !o.Quiet {
				_, _ = fmt.Fprintf(s.Err, "residiff: exported %d record rows and %d change rows\n", len(tables[0].Rows), len(tables[1].Rows)) // a diagnostic
			}
			return nil
		},
	}
	o.register(cmd)
	cmd.Flags().StringVar(&o.SQLite, "sqlite", "", "write a SQLite database to this file")
	cmd.Flags().StringVar(&o.CSV, "csv", "", "write records.csv and changes.csv to this directory")
	return cmd
}
