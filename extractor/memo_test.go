package extractor

import (
	"encoding/json"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/residiff/residiff/source/entra"
	"github.com/residiff/residiff/source/m365"
)

// TestMemoSameAnswers extracts every version of both corpora, and pages
// made to read one sentence against two regions and two scopes, once
// each on its own and once in one run sharing a Memo (versions
// interleaved, so that a sentence is read again under another page's
// region): the pages must be the same.
func TestMemoSameAnswers(t *testing.T) {
	m365Files, err := filepath.Glob("../fixtures/m365/corpus/*/*.md")
	if err != nil || len(m365Files) == 0 {
		t.Fatalf("no m365 corpus: %v", err)
	}
	const sentence = "Microsoft Entra Connect Health stores its alerts in Japan.\n"
	made := map[string]string{
		"made-eu.md":    "# Customer data storage for European customers\n\n## Other features\n\n" + sentence,
		"made-japan.md": "# Customer data storage for Japan customers\n\n## Other features\n\n" + sentence,
		"made-scope.md": "# Customer data storage for European customers\n\n## EU Data Boundary\n\n" + sentence +
			"\n## Other features\n\n" + sentence,
	}
	for _, run := range []struct {
		name  string
		files []string
	}{
		{"entra", corpusFiles(t)},
		{"m365", m365Files},
	} {
		prof := entra.Profile()
		if run.name == "m365" {
			prof = m365.Profile()
		}
		type version struct{ path, src string }
		var versions []version
		for _, f := range run.files {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			versions = append(versions, version{f, string(b)})
		}
		for name, src := range made {
			versions = append(versions, version{name, src})
		}
		// Interleaved: the last, the first, the last but one …
		var order []version
		for i, j := 0, len(versions)-1; i <= j; i, j = i+1, j-1 {
			order = append(order, versions[j])
			if i != j {
				order = append(order, versions[i])
			}
		}
		memo := NewMemo()
		for _, v := range order {
			alone, err := Extract([]byte(v.src), Options{Profile: prof, Path: v.path})
			if err != nil {
				t.Fatal(err)
			}
			shared, err := Extract([]byte(v.src), Options{Profile: prof, Path: v.path, Memo: memo})
			if err != nil {
				t.Fatal(err)
			}
			a, _ := json.MarshalIndent(alone, "", " ")
			s, _ := json.MarshalIndent(shared, "", " ")
			if string(a) != string(s) {
				t.Errorf("%s: %s: with the run's memo:\n%s\nalone:\n%s", run.name, v.path, s, a)
			}
		}
		if len(memo.read) == 0 {
			t.Errorf("%s: the memo kept nothing", run.name)
		}
		// Another profile does not use it.
		other := m365.Profile()
		if run.name == "m365" {
			other = entra.Profile()
		}
		if _, ok := memo.statement(other, "Europe\x00"+sentence); ok {
			t.Errorf("%s: the memo answered for another profile", run.name)
		}
	}
}

// TestMemoConcurrent extracts the corpus from several goroutines sharing
// one Memo (for -race): every page is the one extracted alone.
func TestMemoConcurrent(t *testing.T) {
	prof := entra.Profile()
	files := corpusFiles(t)
	want := map[string]string{}
	srcs := map[string][]byte{}
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		p, err := Extract(src, Options{Profile: prof, Path: f})
		if err != nil {
			t.Fatal(err)
		}
		b, _ := json.Marshal(p)
		want[f], srcs[f] = string(b), src
	}
	memo := NewMemo()
	var wg sync.WaitGroup
	errs := make(chan string, 4*len(files))
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := range files {
				f := files[(i+g*len(files)/4)%len(files)]
				p, err := Extract(srcs[f], Options{Profile: prof, Path: f, Memo: memo})
				if err != nil {
					errs <- err.Error()
					continue
				}
				if b, _ := json.Marshal(p); string(b) != want[f] {
					errs <- f + ": not the page extracted alone"
				}
			}
		}(g)
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}
