package reportcache

import (
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"testing"

	"github.com/residiff/residiff/model"
	"github.com/residiff/residiff/pipeline"
)

func TestSaveLoad(t *testing.T) {
	c := New(t.TempDir())
	res := &pipeline.Result{Tip: "abc", Changelog: &model.Changelog{Repository: "docs", Pages: []model.Page{{Page: "data-storage-eu"}}}}
	const secretURL = "https://user:hunter2@git.example/docs.git"
	if err := c.Save("docs", res, "build", secretURL); err != nil {
		t.Fatal(err)
	}
	got, ok := c.Load("docs", "build", secretURL)
	if !ok || got.Tip != "abc" || len(got.Changelog.Pages) != 1 {
		t.Fatalf("load after save: %+v, %v", got, ok)
	}
	for name, salt := range map[string][]string{
		"another build":    {"build-2", secretURL},
		"another URL":      {"build", "https://git.example/other.git"},
		"settings missing": {"build"},
	} {
		if _, ok := c.Load("docs", salt...); ok {
			t.Errorf("%s: a model made with other settings was loaded", name)
		}
	}
	if _, ok := c.Load("other", "build", secretURL); ok {
		t.Error("another repository's model was loaded")
	}
	// The settings are hashed: no URL, and so no credential, on disk.
	data, err := os.ReadFile(c.file("docs"))
	if err != nil {
		t.Fatal(err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	plain, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(plain, []byte("hunter2")) || bytes.Contains(plain, []byte("git.example")) {
		t.Errorf("the model file holds the repository URL:\n%s", plain)
	}
	// A damaged file is a miss.
	for _, n := range []int{0, 10, len(data) / 2} {
		if err := os.WriteFile(c.file("docs"), data[:n], 0o644); err != nil {
			t.Fatal(err)
		}
		if _, ok := c.Load("docs", "build", secretURL); ok {
			t.Errorf("a model truncated to %d bytes was loaded", n)
		}
	}
	var none *Cache
	if err := none.Save("docs", res); err != nil {
		t.Error(err)
	}
	if _, ok := none.Load("docs"); ok {
		t.Error("a nil cache loaded a model")
	}
}

// TestSwappedFiles: the model of one repository moved to another's file
// is a miss.
func TestSwappedFiles(t *testing.T) {
	c := New(t.TempDir())
	for _, repo := range []string{"docs-a", "docs-b"} {
		res := &pipeline.Result{Tip: repo, Changelog: &model.Changelog{Repository: repo}}
		if err := c.Save(repo, res, "build"); err != nil {
			t.Fatal(err)
		}
	}
	a, b := c.file("docs-a"), c.file("docs-b")
	tmp := a + ".swap"
	for _, mv := range [][2]string{{a, tmp}, {b, a}, {tmp, b}} {
		if err := os.Rename(mv[0], mv[1]); err != nil {
			t.Fatal(err)
		}
	}
	for _, repo := range []string{"docs-a", "docs-b"} {
		if got, ok := c.Load(repo, "build"); ok {
			t.Errorf("%s: loaded the model of %s", repo, got.Tip)
		}
	}
}
