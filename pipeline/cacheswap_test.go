package pipeline

import (
	"os"
	"path/filepath"
	"sort"
	"testing"

	"github.com/residiff/residiff/pagecache"
)

// TestSwappedCacheEntries: page-cache files swapped on disk (a copy, a
// restore, a person) are misses, never another page's extraction: the
// report is the cold run's, byte for byte.
func TestSwappedCacheEntries(t *testing.T) {
	cold := reportOf(t, buildWith(t, Options{}))
	dir := t.TempDir()
	cache, err := pagecache.Open(dir, "test")
	if err != nil {
		t.Fatal(err)
	}
	if warm := reportOf(t, buildWith(t, Options{Cache: cache})); warm != cold {
		t.Fatal("the run that fills the cache differs from the cold run")
	}
	var files []string
	_ = filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			files = append(files, p)
		}
		return nil
	})
	if len(files) < 4 {
		t.Fatalf("%d cache entries, want several", len(files))
	}
	sort.Strings(files)
	swap := func(a, b string) {
		tmp := a + ".swap"
		for _, mv := range [][2]string{{a, tmp}, {b, a}, {tmp, b}} {
			if err := os.Rename(mv[0], mv[1]); err != nil {
				t.Fatal(err)
			}
		}
	}
	swap(files[0], files[len(files)-1])
	swap(files[1], files[len(files)/2])

	cache, err = pagecache.Open(dir, "test")
	if err != nil {
		t.Fatal(err)
	}
	if got := reportOf(t, buildWith(t, Options{Cache: cache})); got != cold {
		t.Error("with swapped cache entries the report differs from the cold run")
	}
	if hits, misses := cache.Stats(); misses < 4 || hits == 0 {
		t.Errorf("hits %d, misses %d: want the 4 swapped entries missed and the rest hit", hits, misses)
	}
}
