package extractor

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/residiff/residiff/source/entra"
	"github.com/rogpeppe/go-internal/txtar"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/text"
)

// TestNoSilentSections walks every real version and every variant page on
// its own, outside the extractor's readers: each heading that looks like
// residency content — it names a category, a scope or a service, and
// location words stand under it — must own a record, a reference or a
// warning. A section that yields none of them is what turns into a false
// "no longer listed".
func TestNoSilentSections(t *testing.T) {
	pages := map[string][]byte{}
	for _, f := range corpusFiles(t) {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		pages[f] = src
	}
	variants, _ := filepath.Glob("testdata/variants/*.txtar")
	for _, f := range variants {
		ar, err := txtar.ParseFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, af := range ar.Files {
			if af.Name == "page.md" {
				pages[f] = af.Data
			}
		}
	}
	prof, reg := entra.Profile(), entra.Register()
	for name, src := range pages {
		got, err := Extract(src, Options{Profile: prof, Aliases: reg, Path: name})
		if err != nil {
			t.Fatal(err)
		}
		owned := map[string]bool{}
		for _, r := range got.Records {
			owned[r.Section] = true
		}
		for _, r := range got.References {
			owned[r.Section] = true
		}
		for _, w := range got.Warnings {
			owned[w.Section] = true
		}
		x := &extraction{opts: Options{Profile: prof, Aliases: reg}, inside: func(string) bool { return false }}
		for _, s := range residencySections(src) {
			named := categoryOf(s.title) != "" || len(prof.ScopesIn(s.title)) > 0 || x.isService(s.title)
			if !named || prof.IsGenericHeading(s.title) || !prof.SpeaksOfLocation(s.body) {
				continue
			}
			if !ownedUnder(owned, s) {
				t.Errorf("%s: section %q (line %d) looks like residency content but yielded no record, reference or warning", name, s.title, s.line)
			}
		}
	}
}

// headingSection is a heading with the text under it and the titles of
// the headings nested in it.
type headingSection struct {
	title, body string
	line        int
	nested      []string
}

// residencySections splits a page into headed sections with goldmark
// alone.
func residencySections(src []byte) []headingSection {
	src = normalise(src)
	doc := goldmark.New(goldmark.WithExtensions(east.Table)).Parser().Parse(text.NewReader(src))
	lines := newLineIndex(src)
	var out []headingSection
	var open []int // indexes into out, with their levels
	var levels []int
	for n := doc.FirstChild(); n != nil; n = n.NextSibling() {
		if h, ok := n.(*ast.Heading); ok {
			for len(levels) > 0 && levels[len(levels)-1] >= h.Level {
				open, levels = open[:len(open)-1], levels[:len(levels)-1]
			}
			title := inlineText(h, src)
			for _, i := range open {
				out[i].nested = append(out[i].nested, title)
			}
			out = append(out, headingSection{title: title, line: lines.line(max(offsetOf(h), 0))})
			open, levels = append(open, len(out)-1), append(levels, h.Level)
			continue
		}
		if len(open) > 0 {
			s := &out[open[len(open)-1]]
			s.body += " " + blockText(n, src)
			if n.Type() == ast.TypeBlock && n.Kind() != ast.KindList && n.Kind() != ast.KindParagraph {
				s.body += " " + inlineText(n, src)
			}
		}
	}
	for i := range out {
		out[i].body = strings.TrimSpace(out[i].body)
	}
	return out
}

// ownedUnder reports whether the section or one nested in it owns
// something.
func ownedUnder(owned map[string]bool, s headingSection) bool {
	if owned[s.title] {
		return true
	}
	for _, n := range s.nested {
		if owned[n] {
			return true
		}
	}
	return false
}
