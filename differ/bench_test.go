package differ

import (
	"os"
	"path/filepath"
	"sort"
	"testing"

	"github.com/residiff/residiff/extractor"
	"github.com/residiff/residiff/serviceid"
	"github.com/residiff/residiff/source/entra"
)

// BenchmarkCompareCorpus compares every pair of consecutive real versions
// of every corpus page (fixtures/corpus), as a changelog of the corpus
// does: the pages extracted once, one run-wide Memo. One op is the whole
// corpus; pairs/s is reported.
func BenchmarkCompareCorpus(b *testing.B) {
	dirs, err := filepath.Glob(filepath.Join("..", "fixtures", "corpus", "*"))
	if err != nil {
		b.Fatal(err)
	}
	type version struct {
		page *extractor.Page
		src  []byte
		name string
	}
	prof := entra.Profile()
	var pages [][]version
	pairs := 0
	for _, d := range dirs {
		files, _ := filepath.Glob(filepath.Join(d, "*.md"))
		sort.Strings(files)
		var vs []version
		for _, f := range files {
			src, err := os.ReadFile(f)
			if err != nil {
				b.Fatal(err)
			}
			p, err := extractor.Extract(src, extractor.Options{Profile: prof, Page: filepath.Base(d)})
			if err != nil {
				b.Fatal(err)
			}
			vs = append(vs, version{p, src, filepath.Base(f)})
		}
		if len(vs) > 1 {
			pages = append(pages, vs)
			pairs += len(vs) - 1
		}
	}
	if pairs == 0 {
		b.Fatal("no corpus pairs")
	}
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		var memo Memo
		for _, vs := range pages {
			for i := 1; i < len(vs); i++ {
				a, n := vs[i-1], vs[i]
				Compare(a.page, n.page, Options{Lineage: a.page.Page, Key: a.name + ".." + n.name, OldSource: a.src, NewSource: n.src,
					Similar: serviceid.Similar, Profile: prof, Memo: &memo})
			}
		}
	}
	b.ReportMetric(float64(pairs*b.N)/b.Elapsed().Seconds(), "pairs/s")
}
