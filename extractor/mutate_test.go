package extractor

import (
	"bytes"
	"github.com/residiff/residiff/internal/racetest"
	"github.com/residiff/residiff/source/entra"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
)

// TestMutatedCorpusNeverPanics extracts thousands of mangled copies of the
// real pages (chunks duplicated, cut, or replaced by other layouts'
// markup) and checks that every record keeps a valid line and id. It found
// a nil dereference on an empty nested list item that the seed corpus of
// FuzzExtract did not reach.
func TestMutatedCorpusNeverPanics(t *testing.T) {
	racetest.SkipHeavy(t)
	files, err := filepath.Glob("../fixtures/corpus/*/*.md")
	if err != nil || len(files) == 0 {
		t.Fatal("no corpus")
	}
	snippets := [][]byte{
		[]byte("**Services** - A, B\n- [x](y): z\n|a|b|\n|-|-|\n"),
		[]byte("\n- \n  - \n  -\n"),
		[]byte("## Services permanently excluded from the EU Data Boundary\n\n"),
		[]byte("**EU Data Residency:**\n\n- **Reason** -\n"),
		[]byte("> [!NOTE]\n> - \n"),
		[]byte("<a name='x'></a>\n\n| Service | Data storage location |\n|--|\n|x|\n"),
	}
	rng := rand.New(rand.NewPCG(20261123, 7))
	for i := range 3000 {
		src, err := os.ReadFile(files[rng.IntN(len(files))])
		if err != nil {
			t.Fatal(err)
		}
		for range 1 + rng.IntN(5) {
			a := rng.IntN(len(src))
			b := min(len(src), a+rng.IntN(200))
			switch rng.IntN(3) {
			case 0:
				src = append(src[:b:b], append(bytes.Clone(src[a:b]), src[b:]...)...)
			case 1:
				src = append(src[:a:a], src[b:]...)
			case 2:
				src = append(src[:a:a], append(bytes.Clone(snippets[rng.IntN(len(snippets))]), src[a:]...)...)
			}
			if len(src) == 0 {
				src = []byte("x")
			}
		}
		p, err := Extract(src, Options{Profile: entra.Profile(), Path: "mutated.md"})
		if err != nil {
			continue
		}
		lines := bytes.Count(src, []byte("\n")) + 1
		for _, r := range p.Records {
			if r.Line < 1 || r.Line > lines || r.ServiceID == "" {
				t.Fatalf("mutation %d: bad record %+v", i, r)
			}
		}
	}
}
