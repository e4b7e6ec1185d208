package differ

import (
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestContainsWords checks containsWords against the concatenation it
// replaces, on every pair of short texts over a small alphabet and on
// random longer ones.
func TestContainsWords(t *testing.T) {
	want := func(text, w string) bool { return strings.Contains(" "+text+" ", " "+w+" ") }
	var short []string
	var gen func(prefix string, n int)
	gen = func(prefix string, n int) {
		short = append(short, prefix)
		if n == 0 {
			return
		}
		for _, c := range []string{"a", "b", " "} {
			gen(prefix+c, n-1)
		}
	}
	gen("", 5)
	for _, text := range short {
		for _, w := range short {
			if got := containsWords(text, w); got != want(text, w) {
				t.Fatalf("containsWords(%q, %q) = %v, want %v", text, w, got, want(text, w))
			}
		}
	}
	r := rand.New(rand.NewPCG(1, 2))
	word := func() string { return []string{"data", "is", "stored", "in", "the", "us", "eu", "a", ""}[r.IntN(9)] }
	for range 20000 {
		var a, b []string
		for range r.IntN(16) {
			a = append(a, word())
		}
		for range r.IntN(4) {
			b = append(b, word())
		}
		if len(a) > 0 && r.IntN(2) == 0 {
			// A run of the text's own words, often longer than the
			// probe indexWords looks for first.
			i := r.IntN(len(a))
			b = slices.Clone(a[i : i+1+r.IntN(len(a)-i)])
			if r.IntN(3) == 0 {
				b[r.IntN(len(b))] = word()
			}
		}
		text, w := strings.Join(a, " "), strings.Join(b, " ")
		if got := containsWords(text, w); got != want(text, w) {
			t.Fatalf("containsWords(%q, %q) = %v, want %v", text, w, got, want(text, w))
		}
	}
}

// TestMayHold: wherever the expressions mayHold guards match, mayHold
// says they may — on every line of the corpus and on case and Unicode
// variants of their phrases.
func TestMayHold(t *testing.T) {
	lines := []string{"The REGION", "the Geo location", "the customer's Region", "THE USER'S OWN COUNTRY", "the tenant’s geo", "the ſtate of the region", "in the Geography", "DATA CENTRES", "Data-Center", "nothing here"}
	lines = append(lines, corpusLines(t)...)
	for _, l := range lines {
		if theRegionRe.MatchString(l) && !mayHold(l, "region", "geo") {
			t.Errorf("theRegionRe matches %q, mayHold says no", l)
		}
		if dataCenterRe.MatchString(l) && !mayHold(l, "cent") {
			t.Errorf("dataCenterRe matches %q, mayHold says no", l)
		}
		if customerRegionRe.MatchString(l) && !mayHold(l, "'s ") {
			t.Errorf("customerRegionRe matches %q, mayHold says no", l)
		}
	}
	if mayHold("in the US", "region") {
		t.Error("mayHold(\"in the US\", \"region\") = true")
	}
}

// definedCases are texts at the edges of nextDefined's window: matches
// side by side, "(" with no capital or no ")", words beyond six, white
// space and hyphens before "(", text the run cannot cross.
var definedCases = []string{
	"multifactor authentication (MFA)", "(MFA)", "x (", "(", "a (b) (Azure RBAC)",
	"role-based access control (Azure RBAC) and (x", "see (for example) the [page](https://example.org)",
	"one two three four five six seven eight (OTTFFSSE) and nine ten (NT)", "a, (MFA)", "Enterprise Agreement  \t(EA)(EA) x (E",
	"Azure Active Directory (Azure AD)Multi-Factor Authentication (MFA)", "x-(MFA) (MF", "(ABCDEFG) (AB)", "a (A b)", "É (AB)",
}

// TestFoldAcronymsMatchesExpression: foldAcronyms, which runs definedRe
// only around each "(" that can open a match, rewrites what the
// expression's own ReplaceAllStringFunc does, on every line of the corpus.
func TestFoldAcronymsMatchesExpression(t *testing.T) {
	lines := append(append([]string(nil), definedCases...), corpusLines(t)...)
	for _, l := range lines {
		checkFoldAcronyms(t, l)
	}
}

func checkFoldAcronyms(t *testing.T, s string) {
	t.Helper()
	if got, want := foldAcronyms(s), definedRe.Regexp.ReplaceAllStringFunc(s, spelledOut); got != want {
		t.Fatalf("foldAcronyms(%q) = %q, the expression gives %q", s, got, want)
	}
}

// FuzzFoldAcronyms checks foldAcronyms against the expression on any
// text.
func FuzzFoldAcronyms(f *testing.F) {
	for _, s := range definedCases {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) { checkFoldAcronyms(t, s) })
}

// corpusLines are the lines of every corpus version.
func corpusLines(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("..", "fixtures", "corpus", "*", "*.md"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no corpus versions (%v)", err)
	}
	var lines []string
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		lines = append(lines, strings.Split(string(src), "\n")...)
	}
	return lines
}
