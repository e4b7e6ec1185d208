package export

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"path/filepath"
	"strconv"

	"github.com/residiff/residiff/internal/atomicfile"
)

// WriteCSV writes each table to DIR/<table>.csv (RFC 4180, a header row of
// the column names), each file replaced atomically.
func WriteCSV(dir string, tables []Table) error {
	for _, t := range tables {
		var buf bytes.Buffer
		w := csv.NewWriter(&buf)
		header := make([]string, len(t.Columns))
		for i, c := range t.Columns {
			header[i] = c.Name
		}
		if err := w.Write(header); err != nil {
			return fmt.Errorf("export %s: %w", t.Name, err)
		}
		rec := make([]string, len(t.Columns))
		for _, row := range t.Rows {
			for i, v := range row {
				switch v := v.(type) {
				case string:
					rec[i] = v
				case int64:
					rec[i] = strconv.FormatInt(v, 10)
				default:
					rec[i] = fmt.Sprint(v)
				}
			}
			if err := w.Write(rec); err != nil {
				return fmt.Errorf("export %s: %w", t.Name, err)
			}
		}
		w.Flush()
		if err := w.Error(); err != nil {
			return fmt.Errorf("export %s: %w", t.Name, err)
		}
		path := filepath.Join(dir, t.Name+".csv")
		if err := atomicfile.WriteFile(path, buf.Bytes(), atomicfile.Options{}); err != nil {
			return fmt.Errorf("export %s: %w", path, err)
		}
	}
	return nil
}
