package source

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"
)

// profiles are the embedded profiles, read from their data files.
func testProfiles(t testing.TB) map[string]*Profile {
	t.Helper()
	out := map[string]*Profile{}
	for _, name := range []string{"entra", "m365"} {
		data, err := os.ReadFile(filepath.Join(name, "profile.yaml"))
		if err != nil {
			t.Fatal(err)
		}
		p, err := Parse(data)
		if err != nil {
			t.Fatal(err)
		}
		out[name] = p
	}
	return out
}

// reference is p matched by its expressions alone, as before the one-pass
// matchers.
func reference(p *Profile) *Profile {
	r := *p
	r.vocabs = nil
	return &r
}

// vocabAnswers are the answers of every vocabulary matcher for s.
func vocabAnswers(p *Profile, s string) string {
	return fmt.Sprintf("claim words %d\nnot transfer %q\ncustomer region %v\nplaces %q\nlocations %v\nscopes %q",
		p.ClaimWordsIn(s), p.NotTransfer(s), p.InCustomerRegion(s), p.PlacesIn(s), p.LocationsIn(s), p.ScopesIn(s))
}

// corpusTexts are the texts of both corpora as the extractor asks about
// them: every line, every sentence of a line, whole paragraphs and whole
// pages, and each line and sentence in lower and upper case too.
func corpusTexts(t testing.TB) []string {
	t.Helper()
	var files []string
	for _, dir := range []string{"../fixtures/corpus", "../fixtures/m365/corpus"} {
		m, err := filepath.Glob(filepath.Join(dir, "*", "*.md"))
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, m...)
	}
	if len(files) < 20 {
		t.Fatalf("only %d corpus pages", len(files))
	}
	seen := map[string]bool{}
	var out []string
	add := func(s string, cases bool) {
		vs := []string{s}
		if cases {
			vs = append(vs, strings.ToLower(s), strings.ToUpper(s))
		}
		for _, v := range vs {
			if !seen[v] {
				seen[v] = true
				out = append(out, v)
			}
		}
	}
	sentence := regexp.MustCompile(`[.!?]\s+`)
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		page := string(data)
		add(page, false)
		for _, para := range strings.Split(page, "\n\n") {
			add(para, false)
			for _, line := range strings.Split(para, "\n") {
				add(line, true)
				for _, s := range sentence.Split(line, -1) {
					add(s, true)
				}
			}
		}
	}
	return out
}

// TestVocabMatchesExpressions checks the one-pass matchers against the
// expressions they replace on every line, sentence, paragraph and page of
// both corpora, for both profiles.
func TestVocabMatchesExpressions(t *testing.T) {
	texts := corpusTexts(t)
	for name, p := range testProfiles(t) {
		m := p.matchers()
		for kind, v := range map[string]*vocab{"locations": m.locations, "places": m.places, "scopes": m.scopes,
			"claim_words": m.claimWords, "not_transfers": m.notTransfers, "customer_region": m.customerRg} {
			if v == nil {
				t.Errorf("%s: %s are left to the expressions", name, kind)
			}
		}
		ref := reference(p)
		bad := 0
		for _, s := range texts {
			if got, want := vocabAnswers(p, s), vocabAnswers(ref, s); got != want && bad < 5 {
				bad++
				t.Errorf("%s: %q\ngot:\n%s\nwant:\n%s", name, clip(s), got, want)
			}
		}
		t.Logf("%s: %d texts", name, len(texts))
	}
}

func clip(s string) string {
	if len(s) > 300 {
		return s[:300] + "…"
	}
	return s
}

// TestVocabJoined checks the leftmost-first matches of a vocabulary against
// FindAll of the joined alternation on texts made to catch the edges:
// boundaries, anchors, case, overlapping terms, the Kelvin sign.
func TestVocabJoined(t *testing.T) {
	terms := []string{`\bUS\b|\bU\.S\.`, `(?i)\bunited states\b`, `(?i)^the\b`, `(?i)stor(?:e|ed)\b`,
		`(?i)\bstored in\b`, `EU\b`, `(?i)\bEU\s+data\s+boundary\b`, `(?i)\bdata ?cent(?:er|re)s?\b`,
		`(?i)\bfor (?:more )?info\b[^.]*\bsee\b`, `(?i)^\s*see\b`, `(?i)keep`}
	var res []*regexp.Regexp
	var alts []string
	for _, s := range terms {
		res = append(res, regexp.MustCompile(s))
		alts = append(alts, "("+s+")")
	}
	joined := regexp.MustCompile(strings.Join(alts, "|"))
	v := compileVocab(res)
	if v == nil {
		t.Fatal("not compiled")
	}
	for _, s := range []string{
		"The data is stored in the US. U.S. datacenters, USA, US_x, xUS",
		"the EU  Data\tBoundary; EUDB; EU data center; EU's data centre",
		"  see the EU. For more info about it, see below. for info see",
		"stores STORED restored stored instore; the", "The", "the\u212aeep and \u212aEEP keep",
		"United States of the United Statesx", "",
	} {
		var want [][3]int
		for _, m := range joined.FindAllStringSubmatchIndex(s, -1) {
			for g := 1; 2*g < len(m); g++ {
				if m[2*g] >= 0 {
					want = append(want, [3]int{m[0], m[1], g - 1})
					break
				}
			}
		}
		hs, ok := v.hits(s, nil)
		if !ok {
			if !strings.Contains(s, "\u212a") {
				t.Errorf("%q: left to the expressions", s)
			}
			continue
		}
		var got [][3]int
		for _, h := range leftmostFirst(hs) {
			got = append(got, [3]int{h.start, h.end, h.term})
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%q:\ngot  %v\nwant %v", s, got, want)
		}
	}
}
