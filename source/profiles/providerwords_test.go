package profiles

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/residiff/residiff/source"
)

// sharedPackages hold no provider's words: everything one docs source says
// lives in its profile.
var sharedPackages = []string{"extractor", "differ", "render", "model"}

// neutralWords are profile names that are the neutral model's own words:
// "Global" is the model's global category and scope (extractor.Global,
// extractor.ScopeGlobal), which a profile also lists as a place;
// "Datacenters" names the pseudo-place "datacenters in …" every source
// writes.
var neutralWords = map[string]bool{"global": true, "datacenters": true}

// TestNoProviderWordsInSharedCode loads every shipped profile and fails when
// one of its provider words (product and company, regions, scopes, places,
// locations, services and aliases, vendor and platform prefixes, fact
// labels, column words, scope wording) appears as a whole word in a string
// literal of the non-test Go code of the shared packages.
func TestNoProviderWordsInSharedCode(t *testing.T) {
	words := map[string][]string{} // lower-cased word → profiles naming it
	for _, name := range Names() {
		p, err := ByName(name)
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range ProviderWords(p) {
			w = strings.ToLower(strings.TrimSpace(w))
			if w != "" && !neutralWords[w] && !slices.Contains(words[w], name) {
				words[w] = append(words[w], name)
			}
		}
	}
	if len(words) == 0 {
		t.Fatal("no provider words in the shipped profiles")
	}
	res := map[string]*regexp.Regexp{}
	for w := range words {
		res[w] = regexp.MustCompile(`(?:^|[^\pL\pN])` + regexp.QuoteMeta(w) + `(?:$|[^\pL\pN])`)
	}
	var found []string
	for _, pkg := range sharedPackages {
		for _, lit := range stringLiterals(t, filepath.Join("..", "..", pkg)) {
			low := strings.ToLower(escapeRe.ReplaceAllString(lit.text, " "))
			for w, names := range words {
				if res[w].MatchString(low) {
					found = append(found, lit.pos+": "+strconv.Quote(w)+" of "+strings.Join(names, ", "))
				}
			}
		}
	}
	sort.Strings(found)
	for _, f := range found {
		t.Error(f)
	}
}

// ProviderWords are the words of p that name something of its provider.
func ProviderWords(p *source.Profile) []string {
	out := []string{p.Product.Name, p.CompanyPrefix}
	for _, s := range append(p.Regions, p.Scopes...) {
		out = append(out, s.Name)
	}
	for _, ts := range [][]source.Term{p.Places, p.Locations, p.Services, p.VendorPrefixes, p.PlatformPrefixes} {
		for _, t := range ts {
			out = append(out, t.Name)
		}
	}
	for _, a := range p.Aliases {
		out = append(out, a.Alias, a.Canonical)
	}
	out = append(out, p.GrammarWords()...)
	return out
}

type literal struct{ pos, text string }

// stringLiterals lists the string literals of the non-test Go files in dir.
func stringLiterals(t *testing.T, dir string) []literal {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil || len(files) == 0 {
		t.Fatalf("%s: no Go files (%v)", dir, err)
	}
	var out []literal
	fset := token.NewFileSet()
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		file, err := parser.ParseFile(fset, f, src, 0)
		if err != nil {
			t.Fatalf("parse %s: %v", f, err)
		}
		ast.Inspect(file, func(n ast.Node) bool {
			lit, ok := n.(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				return true
			}
			s, err := strconv.Unquote(lit.Value)
			if err != nil {
				s = lit.Value
			}
			out = append(out, literal{fset.Position(lit.Pos()).String(), s})
			return true
		})
	}
	return out
}

// escapeRe matches the escapes of a regular expression's source ("\\bEU",
// "\\s+"), which stand between words, not inside one.
var escapeRe = regexp.MustCompile(`\\[a-zA-Z]`)
