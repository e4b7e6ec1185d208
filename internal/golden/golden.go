// Package golden compares test output with golden files under testdata/.
// Run a package's tests with -update to rewrite its golden files after a
// deliberate change, then read the diff before committing it.
package golden

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// Check compares got with the file at path, or rewrites the file with
// -update. On a mismatch it writes got next to the file as path+".have"
// (ignored by git) for diffing.
func Check(t testing.TB, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		_ = os.WriteFile(path+".have", got, 0o644)
		t.Errorf("output differs from %s; wrote %s.have (go test -update rewrites the golden file)", path, path)
	}
}

// CheckJSON is Check of v as indented JSON with a final newline.
func CheckJSON(t testing.TB, path string, v any) {
	t.Helper()
	got, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	Check(t, path, append(got, '\n'))
}

// Archive reads the txtar archive at path: its comment and its files by
// name. A missing file of those named in need fails the test.
func Archive(t testing.TB, path string, need ...string) (comment string, files map[string][]byte) {
	t.Helper()
	ar, err := txtar.ParseFile(path)
	if err != nil {
		t.Fatal(err)
	}
	files = map[string][]byte{}
	for _, f := range ar.Files {
		files[f.Name] = f.Data
	}
	for _, n := range need {
		if files[n] == nil {
			t.Fatalf("%s: the archive needs %s", path, strings.Join(need, ", "))
		}
	}
	return string(ar.Comment), files
}
