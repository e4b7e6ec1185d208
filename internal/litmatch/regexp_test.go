package litmatch

import (
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"regexp/syntax"
	"strconv"
	"strings"
	"testing"

	"github.com/residiff/residiff/internal/corpustext"
	"github.com/residiff/residiff/internal/racetest"
)

// extractorExprs are the expressions the extractor and the differ compile
// from literals, read from their sources: the guards are checked on the
// expressions they guard.
func extractorExprs(t testing.TB) []string {
	t.Helper()
	var files []string
	for _, dir := range []string{"extractor", "differ"} {
		fs, err := filepath.Glob("../../" + dir + "/*.go")
		if err != nil || len(fs) == 0 {
			t.Fatalf("%s sources: %v", dir, err)
		}
		files = append(files, fs...)
	}
	lit := regexp.MustCompile("MustCompile\\((`[^`]*`|\"(?:[^\"\\\\]|\\\\.)*\")\\)")
	var out []string
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range lit.FindAllStringSubmatch(string(b), -1) {
			if s, err := strconv.Unquote(m[1]); err == nil {
				out = append(out, s)
			}
		}
	}
	if len(out) < 40 {
		t.Fatalf("only %d expressions found in the extractor", len(out))
	}
	return out
}

// answers are what the guarded methods give for s, side by side with what
// the expression gives: all of them, or (quick) the three the others are
// made of.
func answers(r *Regexp, s string, quick bool) (got, want []any) {
	re := r.Regexp
	if quick {
		return []any{r.MatchString(s), r.FindStringSubmatchIndex(s), r.FindAllStringSubmatchIndex(s, -1),
				r.ReplaceAllString(s, "<$0|$1>"), r.ReplaceAllString(s, "_"), r.ReplaceAllStringFunc(s, strings.ToUpper)},
			[]any{re.MatchString(s), re.FindStringSubmatchIndex(s), re.FindAllStringSubmatchIndex(s, -1),
				re.ReplaceAllString(s, "<$0|$1>"), re.ReplaceAllString(s, "_"), re.ReplaceAllStringFunc(s, strings.ToUpper)}
	}
	got = []any{r.MatchString(s), r.FindString(s), r.FindStringIndex(s), r.FindStringSubmatch(s),
		r.FindAllStringSubmatchIndex(s, -1), r.ReplaceAllString(s, "<$0>")}
	want = []any{re.MatchString(s), re.FindString(s), re.FindStringIndex(s), re.FindStringSubmatch(s),
		re.FindAllStringSubmatchIndex(s, -1), re.ReplaceAllString(s, "<$0>")}
	return got, want
}

// TestGuardsAgree checks every expression of the extractor, run only where
// it may match, on every line and sentence of both corpora against the
// expression alone.
func TestGuardsAgree(t *testing.T) {
	racetest.SkipHeavy(t)
	exprs := extractorExprs(t)
	texts := corpustext.Texts(t, "../..")
	quick := 0
	for _, e := range exprs {
		r := MustCompile(e)
		if r.p().guard == nil && r.p().v == nil && r.p().bytes == "" {
			continue
		}
		quick++
		bad := 0
		for _, s := range texts {
			if got, want := answers(r, s, true); !reflect.DeepEqual(got, want) && bad < 3 {
				bad++
				t.Errorf("%q on %q:\ngot  %v\nwant %v", e, s, got, want)
			}
		}
	}
	if quick < len(exprs)*3/4 {
		t.Errorf("only %d of %d expressions run where they may match", quick, len(exprs))
	}
}

// dateExpr is the extractor's dates (three forms, too many strings as one
// term): a vocabulary of its alternatives finds its matches.
var dateExpr = func() string {
	month := `(January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.?`
	return `\b` + month + `\s+(\d{1,2}),?\s+(\d{4})\b|\b(\d{1,2})\s+` + month + `,?\s+(\d{4})\b|\b(\d{4})-(\d{2})-(\d{2})\b`
}()

// TestAlternativesAgree checks expressions matched as a vocabulary of
// their alternatives against the expressions alone, on every corpus text
// and on texts of dates, and that each is split as said.
func TestAlternativesAgree(t *testing.T) {
	racetest.SkipHeavy(t)
	texts := append(corpustext.Texts(t, "../.."), "From March 1, 2024 until 1 April 2025 and 2025-06-30.",
		"Sept 3 2021, 3 Sept. 2021, x2021-01-01, 2021-01-011, June  7,  2020", "between Jan. 5, 2020 and 5 Jan 2020, 12 May 20201",
		"on 2022-07-20.2022-07-21 or 31 December 1999 or December 31, 1999a")
	for _, c := range []struct {
		expr  string
		terms int // alternatives split off; 0: not split
	}{
		{dateExpr, 3},
		{`\bfoo(?:\d{4}x|bar)\b`, 2},
		{`\bfo+(?:a\d{4}|b\d{4}|c\d{4})`, 0}, // "fo+" before the alternation matches in many ways
		{`\b\d{4}-\d{2}\b|\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4}\b`, 2},
	} {
		alts := alternatives(c.expr)
		if len(alts) != c.terms {
			t.Errorf("%q: %d alternatives, want %d", c.expr, len(alts), c.terms)
		}
		r := MustCompile(c.expr)
		if c.terms > 0 && r.p().v == nil {
			t.Errorf("%q: not matched as a vocabulary", c.expr)
		}
		for _, s := range texts {
			if got, want := answers(r, s, false); !reflect.DeepEqual(got, want) {
				t.Fatalf("%q on %q:\ngot  %v\nwant %v", c.expr, s, got, want)
			}
		}
	}
}

// TestRequired checks the literals found for expressions of each shape.
func TestRequired(t *testing.T) {
	for _, c := range []struct {
		expr string
		want []string // nil: no guard
	}{
		{`(?i)\bstor(?:e|ed)\b`, []string{"store", "stored"}},
		{`\bhttps?://\S+|\b[\w.-]+\.(?:com|net)/\S*`, []string{"https://", "http://", ".com/", ".net/"}},
		{`(?i)\b(?:some|certain)\b[^.]{0,60}?\b(?:services?|workloads)\b`, []string{"services", "service", "workloads"}},
		{`[A-Za-z]{4,}`, nil},
		{`(?i)\b(?:not|no)\b`, nil}, // "no" is too short to rule texts out
		{`^\s*see\b`, []string{"see"}},
		{`(?:foo)?bar|baz`, []string{"foobar", "bar", "baz"}},
		{`x*`, nil},
	} {
		var got []string
		lits, _, ok := required(mustParse(t, c.expr))
		for _, l := range lits {
			if len(l) < minGuard {
				ok = false
			}
			if ok {
				got = append(got, string(l))
			}
		}
		if !ok {
			got = nil
		}
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("%q: literals %q, want %q", c.expr, got, c.want)
		}
	}
}

// fuzzExprs are the expressions the fuzz target checks: the shapes the
// extractor and the profiles use, and one only a guard serves.
var fuzzExprs = []string{
	`(?i)\bstor(?:e|es|ed|ing|age)\b`,
	`\bhttps?://\S+|\b[\w.-]+\.(?:com|net|org|ms)/\S*`,
	`(?i)^(?:additionally,\s*|for\s+)?(?:some|certain|these)\b[^.]{0,60}?\b(?:services?|features?)\b`,
	`\b(?:[Oo]utside(?: of)?|[Oo]ut of)(?: the)? ((?:[A-Z][\w/.-]*)(?: (?:[A-Z][\w/.-]*|and|of))*)`,
	`(?i)\b(?:not|never|no longer)\b|n['’]t\b`,
	`(?i)\bsee\b|\bmore information\b|\blisted\s+(in|on|at)\b`,
	`\bU\.S\.|\b(?:continental )?(?:United States|USA)\b`,
	`(?i)^[^.,;]*?\b(?:data\s*cent(?:er|re)s?|regions?|geo)\b`,
	`[a-z]+ data ?cent(?:er|re)s?\b`,
	dateExpr,
	`\s*\([A-Za-z]{2,4}\)`,
	`\s*\(\d+\)|\s*¹`,
}

// TestGuardBytes: an expression whose required literals are too short
// for an automaton is run only on texts holding one of their first bytes
// when those are few and rare (punctuation, a multi-byte rune's lead);
// never on letters, digits or spaces, which most texts hold (and which a
// case-insensitive expression may match as other runes).
func TestGuardBytes(t *testing.T) {
	for _, tc := range []struct{ expr, want string }{
		{`\s*\([A-Za-z]{2,4}\)`, "("},
		{`\s*\(\d+\)|\s*¹`, "(\xc2"},
		{`\s*\(\d+\)|\s*¹|\s*:`, ""}, // three bytes
		{`[a-z]+in\b`, ""},
		{`(?i)[a-z]+k`, ""},
		{`\w+\d`, ""},
		{`[a-z]+ \w`, ""},
		{`x*`, ""},
	} {
		p := MustCompile(tc.expr).p()
		if p.v != nil || p.guard != nil {
			t.Errorf("%q: a vocabulary or a guard", tc.expr)
		}
		if p.bytes != tc.want {
			t.Errorf("%q: bytes %q, want %q", tc.expr, p.bytes, tc.want)
		}
	}
	if !holdsByte("a(b", "(") || holdsByte("ab", "(") || !holdsByte("a:", "(:") || holdsByte("", "(:") {
		t.Error("holdsByte")
	}
}

// FuzzRegexp checks the guarded expressions against the expressions alone
// on any text.
func FuzzRegexp(f *testing.F) {
	for _, s := range []string{"stored in the US", "see https://x.com/a", "Some services store data outside the EU",
		"it isn't stored", "\u212aeep ſtored", "data centres", "U.S.", "From March 1, 2024 until 2025-01-07"} {
		f.Add(s)
	}
	rs := make([]*Regexp, len(fuzzExprs))
	for i, e := range fuzzExprs {
		rs[i] = MustCompile(e)
		if rs[i].p().guard == nil && rs[i].p().v == nil && rs[i].p().bytes == "" {
			f.Fatalf("%q: run on every text", e)
		}
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, r := range rs {
			if got, want := answers(r, s, false); !reflect.DeepEqual(got, want) {
				t.Errorf("%q on %q:\ngot  %v\nwant %v", r, s, got, want)
			}
		}
	})
}

func mustParse(t testing.TB, expr string) *syntax.Regexp {
	t.Helper()
	tree, err := syntax.Parse(expr, syntax.Perl)
	if err != nil {
		t.Fatal(err)
	}
	return tree.Simplify()
}

// TestFirstUseConcurrent: the prefilter is built on first use; goroutines
// using a fresh expression at once all get the expression's answers (run
// under -race in CI).
func TestFirstUseConcurrent(t *testing.T) {
	const expr = `(?i)\b(?:stored|processed) in (?:the )?(?:United States|Europe)\b`
	texts := []string{"Data is stored in the United States.", "It is processed in Europe", "stored in Japan", ""}
	want := regexp.MustCompile(expr)
	r := MustCompile(expr)
	done := make(chan bool)
	for g := 0; g < 8; g++ {
		go func() {
			ok := true
			for _, s := range texts {
				if r.MatchString(s) != want.MatchString(s) || r.FindString(s) != want.FindString(s) {
					ok = false
				}
			}
			done <- ok
		}()
	}
	for g := 0; g < 8; g++ {
		if !<-done {
			t.Errorf("a goroutine's answers differ from the expression's")
		}
	}
}
