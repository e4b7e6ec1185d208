package export

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	_ "modernc.org/sqlite" // the pure-Go "sqlite" driver: no cgo, a static binary
)

// Meta is what the export says about itself, in its meta table.
type Meta map[string]string

// WriteSQLite writes the tables to a new SQLite database at path, with an
// index on the columns auditors ask by (service_id, date, page, kind) and
// the meta table, replacing the file only once it is complete: a reader
// never sees half an export.
func WriteSQLite(ctx context.Context, path string, tables []Table, meta Meta) (err error) {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("export %s: %w", path, err)
	}
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("export %s: %w", path, err)
	}
	tmp := f.Name()
	_ = f.Close() // the driver opens it by name
	defer func() {
		if err != nil {
			_ = os.Remove(tmp)
		}
	}()
	if err := writeDB(ctx, tmp, tables, meta); err != nil {
		return fmt.Errorf("export %s: %w", path, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("export %s: %w", path, err)
	}
	return nil
}

func writeDB(ctx context.Context, file string, tables []Table, meta Meta) (err error) {
	db, err := sql.Open("sqlite", file)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, db.Close()) }()
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			_ = tx.Rollback() // the error that made us roll back is the one to report
		}
	}()
	exec := func(q string, args ...any) error {
		if _, err := tx.ExecContext(ctx, q, args...); err != nil {
			return fmt.Errorf("%s: %w", strings.SplitN(q, "(", 2)[0], err)
		}
		return nil
	}
	if err := exec(`CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)`); err != nil {
		return err
	}
	for k, v := range meta {
		if err := exec(`INSERT INTO meta (key, value) VALUES (?, ?)`, k, v); err != nil {
			return err
		}
	}
	for _, t := range tables {
		cols := make([]string, len(t.Columns))
		names := make([]string, len(t.Columns))
		marks := make([]string, len(t.Columns))
		for i, c := range t.Columns {
			cols[i] = fmt.Sprintf("%q %s NOT NULL", c.Name, c.Type)
			names[i] = fmt.Sprintf("%q", c.Name)
			marks[i] = "?"
		}
		if err := exec(fmt.Sprintf("CREATE TABLE %q (%s)", t.Name, strings.Join(cols, ", "))); err != nil {
			return err
		}
		stmt, err := tx.PrepareContext(ctx, fmt.Sprintf("INSERT INTO %q (%s) VALUES (%s)", t.Name, strings.Join(names, ", "), strings.Join(marks, ", ")))
		if err != nil {
			return fmt.Errorf("insert into %s: %w", t.Name, err)
		}
		for _, row := range t.Rows {
			if _, err := stmt.ExecContext(ctx, row...); err != nil {
				_ = stmt.Close()
				return fmt.Errorf("insert into %s: %w", t.Name, err)
			}
		}
		if err := stmt.Close(); err != nil {
			return fmt.Errorf("insert into %s: %w", t.Name, err)
		}
		for _, c := range []string{"service_id", "date", "page", "kind"} {
			if hasColumn(t, c) {
				if err := exec(fmt.Sprintf("CREATE INDEX %q ON %q (%q)", t.Name+"_"+c, t.Name, c)); err != nil {
					return err
				}
			}
		}
	}
	return tx.Commit()
}

func hasColumn(t Table, name string) bool {
	for _, c := range t.Columns {
		if c.Name == name {
			return true
		}
	}
	return false
}
