// Package corpustext gives tests the texts of the real page corpora
// (fixtures/corpus and fixtures/m365/corpus) as the extractor asks about
// them, for comparing a fast matcher with the expression it replaces.
package corpustext

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// sentenceEnd splits a line into sentences.
var sentenceEnd = regexp.MustCompile(`[.!?]\s+`)

// Texts are every paragraph, line, line without its Markdown lead
// ("- ", "# ", "> ", "| ") and sentence of both corpora, each line and
// sentence also in lower and upper case, each once. root is the
// repository's root relative to the calling test's package ("../..").
func Texts(t testing.TB, root string) []string {
	t.Helper()
	var files []string
	for _, dir := range []string{"fixtures/corpus", "fixtures/m365/corpus"} {
		m, err := filepath.Glob(filepath.Join(root, dir, "*", "*.md"))
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, m...)
	}
	if len(files) < 20 {
		t.Fatalf("only %d corpus pages under %s", len(files), root)
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
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, para := range strings.Split(string(data), "\n\n") {
			add(para, false)
			for _, line := range strings.Split(para, "\n") {
				add(line, true)
				add(strings.TrimSpace(strings.TrimLeft(line, "-*#>| ")), true)
				for _, s := range sentenceEnd.Split(line, -1) {
					add(s, true)
				}
			}
		}
	}
	return out
}
