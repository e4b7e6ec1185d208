// Package export writes a repository's residency history as tables an
// auditor can query: one row per record version (every fact of every
// service in every version of every page, with its commit, date and line)
// and one row per change, as a SQLite database or as CSV files.
//
// The SQLite driver is pure Go (modernc.org/sqlite): the binary stays
// static and builds with CGO_ENABLED=0.
package export

import (
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/residiff/residiff/model"
)

// Table is one table of the export: its name, its columns and its rows,
// every value as text or an integer.
type Table struct {
	Name    string
	Columns []Column
	Rows    [][]any
}

// Column is one column: its name, its SQLite type (TEXT or INTEGER) and
// what it holds.
type Column struct {
	Name, Type, Doc string
}

// recordColumns are the columns of the records table.
var recordColumns = []Column{
	{"repository", "TEXT", "the repository's name in a combined history, else empty"},
	{"page", "TEXT", "the page lineage (data-storage-eu)"},
	{"path", "TEXT", "the page's path at the commit"},
	{"commit", "TEXT", "the commit of the page version"},
	{"date", "TEXT", "the commit's time, RFC 3339, UTC"},
	{"ms_date", "TEXT", "deprecated alias of page_date, removed with the changelog's schema_version 4"},
	{"region", "TEXT", "the region the page speaks for"},
	{"service", "TEXT", "the service as the page writes it"},
	{"service_id", "TEXT", "the service's canonical id, stable across renames"},
	{"scope", "TEXT", "the commitment (EU Data Boundary, Japan, ...)"},
	{"sub_scope", "TEXT", "what the scope is narrowed to, when a table says so"},
	{"category", "TEXT", "permanent, temporary, optional, outside, global or in_region"},
	{"data_types", "TEXT", "the customer data concerned"},
	{"location_at_rest", "TEXT", "where the data is stored"},
	{"processing", "TEXT", "where the data is processed"},
	{"reason", "TEXT", "why the data leaves the scope"},
	{"section", "TEXT", "the heading the record stands under"},
	{"valid_from", "TEXT", "the date the page says the fact holds from, or empty"},
	{"valid_until", "TEXT", "the date the page says the fact holds until, or empty"},
	{"line", "INTEGER", "the line of the page where the record is stated"},
	{"url", "TEXT", "a permalink to the line, when the repository has a web address"},
	{"page_date", "TEXT", "the page's own date (its profile's front-matter key, ms.date on Microsoft Learn), YYYY-MM-DD, or empty"},
}

// changeColumns are the columns of the changes table.
var changeColumns = []Column{
	{"repository", "TEXT", "the repository's name in a combined history, else empty"},
	{"page", "TEXT", "the page lineage"},
	{"path", "TEXT", "the page's path at the commit"},
	{"commit", "TEXT", "the commit that made the change"},
	{"date", "TEXT", "the commit's time, RFC 3339, UTC"},
	{"author", "TEXT", "the commit's author"},
	{"change_id", "TEXT", "the change's id, stable across runs (the JSON changelog's id)"},
	{"kind", "TEXT", "newly_excluded, newly_compliant, fields_changed, ..."},
	{"severity", "TEXT", "low, medium or high"},
	{"service", "TEXT", "the service's name"},
	{"service_id", "TEXT", "the service's canonical id"},
	{"scope", "TEXT", "the commitment"},
	{"sub_scope", "TEXT", "what the scope is narrowed to"},
	{"category", "TEXT", "the record's category"},
	{"before", "TEXT", "the old value (name, category, scopes, ...)"},
	{"after", "TEXT", "the new value"},
	{"fields", "TEXT", "the changed facts of a fields_changed change, as the JSON changelog's fields array"},
	{"detail", "TEXT", "the one-line summary of the change's facts"},
	{"line", "INTEGER", "the line of the newer version the change is about (0: none)"},
	{"url", "TEXT", "a permalink to that line"},
	{"before_line", "INTEGER", "the line of the older version that proves the change (0: none)"},
	{"before_url", "TEXT", "a permalink to that line"},
}

// Tables turns a changelog and its page versions into the export's
// tables: records (one row per record of every page version read, oldest
// first) and changes (one row per change, oldest revision first).
func Tables(c *model.Changelog, versions []model.PageVersion) ([]Table, error) {
	repoOf := map[string]string{} // page lineage -> repository, for combined histories
	for _, p := range c.Pages {
		repoOf[p.Page] = p.Repository
	}
	records := Table{Name: "records", Columns: recordColumns}
	for _, v := range versions {
		if v.Removed || v.Page == nil {
			continue
		}
		p := v.Page
		for _, r := range p.Records {
			url := ""
			if v.URL != "" {
				url = v.URL + "?plain=1#L" + strconv.Itoa(r.Line) // as pipeline.Permalink
			}
			records.Rows = append(records.Rows, []any{repoOf[p.Page], p.Page, v.Path, v.Commit, date(v.Date), p.PageDate, p.Region,
				r.Service, r.ServiceID, r.Scope, r.SubScope, string(r.Category), r.DataTypes, r.LocationAtRest, r.Processing, r.Reason,
				r.Section, r.From, r.Until, int64(r.Line), url, p.PageDate})
		}
	}
	changes := Table{Name: "changes", Columns: changeColumns}
	for _, rev := range c.Revisions {
		for _, ch := range rev.Changes {
			fields := ""
			if len(ch.Fields) > 0 {
				b, err := json.Marshal(ch.Fields)
				if err != nil {
					return nil, fmt.Errorf("export: change %s: %w", ch.ID, err)
				}
				fields = string(b)
			}
			changes.Rows = append(changes.Rows, []any{rev.Repository, rev.Page, rev.Path, rev.Commit, date(rev.Date), rev.Author,
				ch.ID, string(ch.Kind), ch.Severity.String(), ch.Service, ch.ServiceID, ch.Scope, ch.SubScope, ch.Category,
				ch.Before, ch.After, fields, ch.Detail, int64(ch.Line), ch.URL, int64(ch.BeforeLine), ch.BeforeURL})
		}
	}
	return []Table{records, changes}, nil
}

func date(t time.Time) string { return t.UTC().Format(time.RFC3339) }
