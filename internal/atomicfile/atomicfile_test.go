package atomicfile

import (
	"os"
	"path/filepath"
	"testing"
)

func TestWriteFile(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "sub", "report.json")
	if err := WriteFile(p, []byte("one"), Options{}); err != nil {
		t.Fatal(err)
	}
	if err := WriteFile(p, []byte("two"), Options{Perm: 0o600}); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(p)
	if err != nil || string(got) != "two" {
		t.Fatalf("content %q, %v; want two", got, err)
	}
	if fi, _ := os.Stat(p); fi.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, want 0600", fi.Mode().Perm())
	}
	// Dying before the rename leaves the old content and no temporary file.
	func() {
		defer func() { _ = recover() }()
		_ = WriteFile(p, []byte("three"), Options{BeforeRename: func() { panic("killed") }})
	}()
	if got, _ := os.ReadFile(p); string(got) != "two" {
		t.Errorf("after a crash before rename: %q, want the old content", got)
	}
	entries, _ := os.ReadDir(filepath.Dir(p))
	if len(entries) != 1 {
		t.Errorf("left %d files behind, want only the target", len(entries))
	}
}

func TestWriteFileUnwritableDir(t *testing.T) {
	dir := t.TempDir()
	blocker := filepath.Join(dir, "file")
	if err := os.WriteFile(blocker, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := WriteFile(filepath.Join(blocker, "x.json"), []byte("x"), Options{}); err == nil {
		t.Error("wrote below a regular file")
	}
}
