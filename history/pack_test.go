package history

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/residiff/residiff/internal/gittest"
)

// sameObjects checks that every object go-git finds in the repository at
// dir reads the same — type, size from the header, content — through the
// walk's own pack reader (or its go-git fallback).
func sameObjects(t *testing.T, dir string) int {
	t.Helper()
	r, err := Open(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	iter, err := r.repo.Storer.IterEncodedObjects(plumbing.AnyObject)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	err = iter.ForEach(func(obj plumbing.EncodedObject) error {
		rd, err := obj.Reader()
		if err != nil {
			return err
		}
		want, err := io.ReadAll(rd)
		_ = rd.Close()
		if err != nil {
			return err
		}
		typ, got, err := r.readObject(obj.Hash())
		if err != nil {
			return fmt.Errorf("%s: %w", obj.Hash(), err)
		}
		st, size, err := r.objectSize(obj.Hash())
		if err != nil {
			return fmt.Errorf("%s size: %w", obj.Hash(), err)
		}
		if typ != obj.Type() || st != obj.Type() || size != obj.Size() || !bytes.Equal(got, want) {
			t.Errorf("%s: %s of %d bytes (header %s, %d), go-git reads a %s of %d", obj.Hash(), typ, len(got), st, size, obj.Type(), len(want))
		}
		n++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestPacksReadLikeGoGit: the fixture history, and a repository packed
// with offset deltas, with reference deltas and with loose objects beside
// the pack, all read object for object as go-git reads them.
func TestPacksReadLikeGoGit(t *testing.T) {
	if n := sameObjects(t, "../fixtures/upstream.git"); n < 100 {
		t.Fatalf("only %d objects in the fixture history", n)
	}
	dir := t.TempDir()
	gittest.Git(t, dir, "init", "-q", "-b", "main")
	page := filepath.Join(dir, "docs", "page.md")
	if err := os.MkdirAll(filepath.Dir(page), 0o755); err != nil {
		t.Fatal(err)
	}
	body := bytes.Repeat([]byte("Customer data is stored in the EU Data Boundary. "), 200)
	for i := range 30 {
		body = append(body, fmt.Sprintf("\nEdit %d changes a little.\n", i)...)
		if err := os.WriteFile(page, body, 0o644); err != nil {
			t.Fatal(err)
		}
		gittest.Git(t, dir, "add", "-A")
		gittest.Git(t, dir, "commit", "-q", "-m", fmt.Sprint("edit ", i))
	}
	gittest.Git(t, dir, "repack", "-a", "-d", "-f", "-q")
	t.Logf("offset deltas: %d objects", sameObjects(t, dir))
	gittest.Git(t, dir, "-c", "repack.useDeltaBaseOffset=false", "repack", "-a", "-d", "-f", "-q")
	t.Logf("reference deltas: %d objects", sameObjects(t, dir))
	if err := os.WriteFile(page, append(body, "loose\n"...), 0o644); err != nil {
		t.Fatal(err)
	}
	gittest.Git(t, dir, "add", "-A")
	gittest.Git(t, dir, "commit", "-q", "-m", "loose")
	t.Logf("with loose objects: %d objects", sameObjects(t, dir))

	r, err := Open(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if _, _, err := r.readObject(plumbing.NewHash("0123456789012345678901234567890123456789")); err != plumbing.ErrObjectNotFound {
		t.Errorf("a missing object: %v, want plumbing.ErrObjectNotFound", err)
	}
}
