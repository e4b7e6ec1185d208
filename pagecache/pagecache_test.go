package pagecache

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/residiff/residiff/extractor"
	goldenfile "github.com/residiff/residiff/internal/golden"
	"github.com/residiff/residiff/source/entra"
)

// pages extracts every corpus page and every hand-written variant.
func pages(t *testing.T) map[string]*extractor.Page {
	t.Helper()
	prof := entra.Profile()
	out := map[string]*extractor.Page{}
	add := func(name string, src []byte) {
		p, err := extractor.Extract(src, extractor.Options{Profile: prof, Path: name})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		out[name] = p
	}
	corpus, _ := filepath.Glob("../fixtures/corpus/*/*.md")
	for _, f := range corpus {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		add(f, src)
	}
	variants, _ := filepath.Glob("../extractor/testdata/variants/*.txtar")
	for _, f := range variants {
		_, files := goldenfile.Archive(t, f, "page.md")
		add(f, files["page.md"])
	}
	if len(corpus) < 10 || len(variants) < 100 {
		t.Fatalf("%d corpus pages and %d variants: the test data moved", len(corpus), len(variants))
	}
	return out
}

// TestRoundTrip: every page read back from the cache is the page that was
// stored, field for field — a cache hit must never change a report.
func TestRoundTrip(t *testing.T) {
	c, err := Open(t.TempDir(), "build", "entra")
	if err != nil {
		t.Fatal(err)
	}
	all := pages(t)
	for name, p := range all {
		c.Put(Key("lineage", name, "blob-"+name), p)
	}
	if c.Failed != nil {
		t.Fatal(c.Failed)
	}
	for name, want := range all {
		got, ok := c.Get(Key("lineage", name, "blob-"+name))
		if !ok {
			t.Fatalf("%s: miss after Put", name)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: the cached page differs from the extracted one:\n got %+v\nwant %+v", name, got, want)
		}
	}
	if hits, misses := c.Stats(); hits != len(all) || misses != 0 {
		t.Errorf("stats %d hits %d misses, want %d and 0", hits, misses, len(all))
	}
}

// TestMisses: another salt, another key part, or a damaged entry is a
// miss, never a page.
func TestMisses(t *testing.T) {
	root := t.TempDir()
	c, err := Open(root, "build-1", "entra")
	if err != nil {
		t.Fatal(err)
	}
	p := &extractor.Page{Page: "data-storage-eu", Title: "EU", Records: []extractor.Record{{Service: "A"}}}
	key := Key("data-storage-eu", "docs/data-storage-eu.md", "abc")
	c.Put(key, p)
	if _, ok := c.Get(key); !ok {
		t.Fatal("miss after Put")
	}
	other, err := Open(root, "build-2", "entra")
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := other.Get(key); ok {
		t.Error("a cache of another build read the entry")
	}
	for _, k := range []string{
		Key("data-storage-japan", "docs/data-storage-eu.md", "abc"),
		Key("data-storage-eu", "docs/moved/data-storage-eu.md", "abc"),
		Key("data-storage-eu", "docs/data-storage-eu.md", "abd"),
	} {
		if _, ok := c.Get(k); ok {
			t.Errorf("key %s read another entry", k)
		}
	}
	// A truncated entry (a crash while writing, without fsync) is a miss.
	f := c.file(key)
	data, err := os.ReadFile(f)
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range []int{0, 10, len(data) - 4} {
		if err := os.WriteFile(f, data[:n], 0o644); err != nil {
			t.Fatal(err)
		}
		if got, ok := c.Get(key); ok {
			t.Errorf("entry truncated to %d bytes read as %+v", n, got)
		}
	}
	var nilCache *Cache
	nilCache.Put(key, p)
	if _, ok := nilCache.Get(key); ok {
		t.Error("a nil cache hit")
	}
}

// TestStaleFolders: folders of other salts are removed once unused for a
// month; recent ones stay (another configuration may share the folder).
func TestStaleFolders(t *testing.T) {
	root := t.TempDir()
	old, recent := filepath.Join(root, "0000000000000000"), filepath.Join(root, "1111111111111111")
	for _, d := range []string{old, recent} {
		if err := os.MkdirAll(filepath.Join(d, "ab"), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	past := time.Now().Add(-40 * 24 * time.Hour)
	if err := os.Chtimes(old, past, past); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(root, "build"); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(old); !os.IsNotExist(err) {
		t.Errorf("a folder unused for 40 days was kept (%v)", err)
	}
	if _, err := os.Stat(recent); err != nil {
		t.Errorf("a recently used folder was removed: %v", err)
	}
}

// TestUnwritable: a cache that cannot be written says so in Failed and
// keeps answering misses.
func TestUnwritable(t *testing.T) {
	root := t.TempDir()
	c, err := Open(root, "build")
	if err != nil {
		t.Fatal(err)
	}
	// A file where the shard folder should be makes every Put fail.
	key := Key("l", "p", "b")
	if err := os.WriteFile(filepath.Join(c.dir, key[:2]), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	c.Put(key, &extractor.Page{Page: "l"})
	if c.Failed == nil {
		t.Error("a failed write left no error")
	}
	if _, ok := c.Get(key); ok {
		t.Error("a failed write hit")
	}
}

// TestSwappedEntries: an entry moved to another key's file, or into the
// folder of another salt, is a miss.
func TestSwappedEntries(t *testing.T) {
	root := t.TempDir()
	c, err := Open(root, "build", "entra")
	if err != nil {
		t.Fatal(err)
	}
	ps := pages(t)
	var keys []string
	for name, p := range ps {
		k := Key(name, "docs/"+name+".md", "blob-"+name)
		c.Put(k, p)
		keys = append(keys, k)
	}
	if len(keys) < 2 {
		t.Fatal("want two pages")
	}
	a, b := c.file(keys[0]), c.file(keys[1])
	da, err := os.ReadFile(a)
	if err != nil {
		t.Fatal(err)
	}
	db, err := os.ReadFile(b)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(a, db, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(b, da, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, k := range keys[:2] {
		if p, ok := c.Get(k); ok {
			t.Errorf("swapped entry %s read as page %s", k, p.Page)
		}
	}

	// The same key in the folder of another salt.
	other, err := Open(root, "build-2", "entra")
	if err != nil {
		t.Fatal(err)
	}
	k := keys[len(keys)-1]
	data, err := os.ReadFile(c.file(k))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Dir(other.file(k)), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(other.file(k), data, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, ok := other.Get(k); ok {
		t.Error("an entry copied into another salt's folder was read")
	}
	if _, ok := c.Get(k); !ok {
		t.Error("the untouched entry was a miss")
	}
}
