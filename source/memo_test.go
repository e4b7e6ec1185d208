package source

import (
	"strings"
	"sync"
	"testing"

	"github.com/residiff/residiff/internal/corpustext"
	"github.com/residiff/residiff/internal/textcase"
)

// TestMemoAnswers checks that a profile's memoised answers are the ones it
// computes: asked twice of every corpus text (the second answer from the
// memo), with the slices of the first answer overwritten in between, the
// answers equal the unmemoised ones.
func TestMemoAnswers(t *testing.T) {
	texts := corpustext.Texts(t, "..")
	if len(texts) > 1000 {
		texts = texts[:1000] // the memo's bound is 16,384 texts per question
	}
	for name, p := range testProfiles(t) {
		ref := reference(p)
		bad := 0
		for _, s := range texts {
			first := vocabAnswers(p, s)
			// A caller that writes into an answer must not change the
			// next one.
			for _, sl := range [][]string{p.PlacesIn(s), p.ScopesIn(s), p.PlaceNames(s)} {
				for i := range sl {
					sl[i] = "overwritten"
				}
			}
			if ls := p.LocationsIn(s); len(ls) > 0 {
				ls[0].Name = "overwritten"
			}
			if ls := p.PlacesAt(s); len(ls) > 0 {
				ls[0].Name = "overwritten"
			}
			again, want := vocabAnswers(p, s), vocabAnswers(ref, s)
			if (first != want || again != want) && bad < 5 {
				bad++
				t.Errorf("%s: %q\nfirst:\n%s\nagain:\n%s\nwant:\n%s", name, clip(s), first, again, want)
			}
		}
		if n := len(p.matchers().placesIn.m); n == 0 {
			t.Errorf("%s: nothing memoised", name)
		}
	}
}

// TestMemoBound checks that a memo starts again when full.
func TestMemoBound(t *testing.T) {
	var m memo[int]
	calls := 0
	f := func(s string) int { calls++; return len(s) }
	for i := range maxMemo + 10 {
		m.get(string(rune('a'+i%26))+string(rune(i)), f)
	}
	if len(m.m) > maxMemo {
		t.Errorf("memo holds %d texts, more than %d", len(m.m), maxMemo)
	}
	calls = 0
	first := m.get("same", f)
	again := m.get("same", f)
	if first != 4 || again != 4 || calls != 1 {
		t.Errorf("get = %d, %d with f called %d times for one text, want 4, 4 and once", first, again, calls)
	}
}

// TestMemoConcurrent asks one profile the same questions from several
// goroutines (run with -race): the memo is shared by the extractions of
// a run.
func TestMemoConcurrent(t *testing.T) {
	p := testProfiles(t)["entra"]
	texts := []string{"Data is stored in the EU.", "Customer data stays in the United States.", "Logs are kept in Europe for 30 days."}
	want := make([]string, len(texts))
	for i, s := range texts {
		want[i] = vocabAnswers(reference(p), s)
	}
	done := make(chan string)
	for g := 0; g < 4; g++ {
		go func() {
			bad := ""
			for range 50 {
				for i, s := range texts {
					if got := vocabAnswers(p, s); got != want[i] {
						bad = s
					}
				}
			}
			done <- bad
		}()
	}
	for range 4 {
		if s := <-done; s != "" {
			t.Errorf("a concurrent answer for %q differs", s)
		}
	}
}

// TestLowerShared checks the profile's last lower-cased text: asked of
// every corpus text, of two texts of the same length in turn, of a text
// and its copy, and from four goroutines (for -race), lower answers as
// textcase.Lower does.
func TestLowerShared(t *testing.T) {
	texts := corpustext.Texts(t, "..")
	if len(texts) > 2000 {
		texts = texts[:2000]
	}
	texts = append(texts, "ABC", "abc", "aBc", "ABC", "K\u212aK", "İx", "")
	p := testProfiles(t)["entra"]
	check := func(s string) {
		if got, want := p.lower(s), textcase.Lower(s); got != want {
			t.Errorf("lower(%q) = %q, want %q", clip(s), clip(got), clip(want))
		}
	}
	for i, s := range texts {
		check(s)
		check(s)
		check(strings.Clone(s))
		if i > 0 {
			check(texts[i-1])
			check(s)
		}
	}
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := g; i < len(texts); i += 3 {
				check(texts[i])
				check(texts[(i+1)%len(texts)])
			}
		}()
	}
	wg.Wait()
}
