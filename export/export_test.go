package export

import (
	"context"
	"database/sql"
	"encoding/csv"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/residiff/residiff/extractor"
	"github.com/residiff/residiff/history"
	"github.com/residiff/residiff/pipeline"
	"github.com/residiff/residiff/source/entra"
)

func fixture(t *testing.T) *pipeline.Result {
	t.Helper()
	ctx := context.Background()
	repo, err := history.Open(ctx, "../fixtures/upstream.git")
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = repo.Close() }()
	res, err := pipeline.Build(ctx, repo, pipeline.Options{Profile: entra.Profile(), WebURL: "https://github.com/MicrosoftDocs/entra-docs"})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// TestSQLite exports the fixture history and asks it what an auditor
// asks: every version of one service's records, and the changes of one
// date; the answers are checked against the changelog and versions the
// export was made from.
func TestSQLite(t *testing.T) {
	res := fixture(t)
	tables, err := Tables(res.Changelog, res.Versions)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "sub", "residency.sqlite")
	if err := WriteSQLite(context.Background(), path, tables, Meta{"schema_version": "1"}); err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = db.Close() }()

	// A service's versions: the commits of the EU page that state a
	// record of Azure Customer Lockbox, and where.
	const service = "azurecustomerlockbox"
	rows, err := db.Query(`SELECT DISTINCT "commit" FROM records WHERE service_id = ? AND page = 'data-storage-eu' ORDER BY date`, service)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			t.Fatal(err)
		}
		got = append(got, c)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, v := range res.Versions {
		if v.Removed || v.Page == nil || v.Page.Page != "data-storage-eu" {
			continue
		}
		if slices.ContainsFunc(v.Page.Records, func(r extractor.Record) bool { return r.ServiceID == service }) && !slices.Contains(want, v.Commit) {
			want = append(want, v.Commit)
		}
	}
	if len(want) == 0 || !slices.Equal(got, want) {
		t.Errorf("versions of %s: %d commits %v, want %d %v", service, len(got), got, len(want), want)
	}
	var line int
	var url, category string
	if err := db.QueryRow(`SELECT line, url, category FROM records WHERE service_id = ? ORDER BY date DESC LIMIT 1`, service).Scan(&line, &url, &category); err != nil {
		t.Fatal(err)
	}
	if line < 1 || !strings.Contains(url, "?plain=1#L") || category == "" {
		t.Errorf("newest record of %s: line %d, url %q, category %q", service, line, url, category)
	}

	// The page date, and its deprecated alias ms_date with the same value.
	var dated, differ int
	if err := db.QueryRow(`SELECT count(*) FILTER (WHERE page_date != ''), count(*) FILTER (WHERE ms_date != page_date) FROM records`).Scan(&dated, &differ); err != nil {
		t.Fatal(err)
	}
	if dated == 0 || differ != 0 {
		t.Errorf("records: %d with a page_date, %d whose ms_date is not their page_date", dated, differ)
	}

	// The changes of a date.
	const day = "2023-08-17"
	var wantChanges []string
	for _, r := range res.Changelog.Revisions {
		if r.Date.UTC().Format("2006-01-02") == day {
			for _, ch := range r.Changes {
				wantChanges = append(wantChanges, ch.ID)
			}
		}
	}
	rows, err = db.Query(`SELECT change_id, kind, severity FROM changes WHERE date(date) = ? ORDER BY rowid`, day)
	if err != nil {
		t.Fatal(err)
	}
	var gotChanges []string
	for rows.Next() {
		var id, kind, sev string
		if err := rows.Scan(&id, &kind, &sev); err != nil {
			t.Fatal(err)
		}
		if kind == "" || sev == "" {
			t.Errorf("change %s without kind or severity", id)
		}
		gotChanges = append(gotChanges, id)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if len(wantChanges) == 0 || !slices.Equal(gotChanges, wantChanges) {
		t.Errorf("changes of %s: %v, want %v", day, gotChanges, wantChanges)
	}

	// Every record and change is there once.
	var nRecords, nChanges int
	if err := db.QueryRow(`SELECT (SELECT count(*) FROM records), (SELECT count(*) FROM changes)`).Scan(&nRecords, &nChanges); err != nil {
		t.Fatal(err)
	}
	if nRecords != len(tables[0].Rows) || nChanges != len(tables[1].Rows) || nRecords == 0 || nChanges == 0 {
		t.Errorf("%d records and %d changes in the file, want %d and %d", nRecords, nChanges, len(tables[0].Rows), len(tables[1].Rows))
	}
	var fields string
	if err := db.QueryRow(`SELECT fields FROM changes WHERE kind = 'fields_changed' LIMIT 1`).Scan(&fields); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(fields, `[{"field":`) {
		t.Errorf("fields of a fields_changed change: %q, want the JSON array", fields)
	}

	// A second export replaces the file, never appends to it.
	if err := WriteSQLite(context.Background(), path, tables, Meta{"schema_version": "1"}); err != nil {
		t.Fatal(err)
	}
	var again int
	if err := db.QueryRow(`SELECT count(*) FROM changes`).Scan(&again); err != nil {
		t.Fatal(err)
	}
	db2, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = db2.Close() }()
	if err := db2.QueryRow(`SELECT count(*) FROM changes`).Scan(&again); err != nil || again != nChanges {
		t.Errorf("after a second export: %d changes (%v), want %d", again, err, nChanges)
	}
	if left, _ := filepath.Glob(filepath.Join(filepath.Dir(path), ".*tmp*")); len(left) > 0 {
		t.Errorf("temporary files left: %v", left)
	}
}

func TestCSV(t *testing.T) {
	res := fixture(t)
	tables, err := Tables(res.Changelog, res.Versions)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := WriteCSV(dir, tables); err != nil {
		t.Fatal(err)
	}
	for _, tb := range tables {
		f, err := os.Open(filepath.Join(dir, tb.Name+".csv"))
		if err != nil {
			t.Fatal(err)
		}
		all, err := csv.NewReader(f).ReadAll()
		_ = f.Close()
		if err != nil {
			t.Fatalf("%s.csv: %v", tb.Name, err)
		}
		if len(all) != len(tb.Rows)+1 || all[0][0] != "repository" || len(all[0]) != len(tb.Columns) {
			t.Errorf("%s.csv: %d lines, header %v; want %d and the columns", tb.Name, len(all), all[0], len(tb.Rows)+1)
		}
	}
}
