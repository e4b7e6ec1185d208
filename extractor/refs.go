package extractor

import (
	"regexp"
	"strings"

	"github.com/yuin/goldmark/ast"
)

// References: a list replaced by a link to another page (the services did
// not become compliant, the facts moved), and a pointer to an external list
// of the features that do not yet keep data in the region.

func (x *extraction) reference(l linkRef, line int) {
	sec := x.cur()
	for _, scope := range x.scopes() {
		x.page.References = append(x.page.References, Reference{Scope: scope, Category: x.category(), URL: l.url, Text: l.text, Line: line, Section: sec.title})
		sec.found++
	}
}

// pointerRe is a sentence saying some features do not keep data in the
// region yet.
var pointerRe = regexp.MustCompile(`(?i)\b(?:features?|services?|capabilities)\b.*\b(?:(?:do|does)\s*(?:n[o’']t|not)|don’t|doesn’t)\s+(?:yet\s+)?(?:support\s+)?(?:the\s+)?(?:stor(?:e|age|ing)|keep)\b`)

// pointer records a reference when a paragraph says that some features do
// not keep data in the region yet and links the list of them (a data map).
// It returns whether the paragraph was such a pointer; the paragraph's
// other sentences are still read.
func (x *extraction) pointer(p ast.Node, txt string, line int) bool {
	if !strings.Contains(txt, "n't") && !strings.Contains(txt, "n’t") && !strings.Contains(txt, "not") || !pointerRe.MatchString(txt) {
		return false
	}
	// The list is linked from the pointer's sentence or the next one.
	sents := sentences(txt)
	near := ""
	for i, s := range sents {
		if pointerRe.MatchString(s) {
			near = s
			if i+1 < len(sents) {
				near += " " + sents[i+1]
			}
			break
		}
	}
	var best *linkRef
	for _, l := range links(p, x.src) {
		if trustCenterRe.MatchString(l.url+" "+l.text) || !strings.Contains(near, l.text) {
			continue
		}
		if best == nil || mapLinkRe.MatchString(l.text+" "+l.url) && !mapLinkRe.MatchString(best.text+" "+best.url) {
			l := l
			best = &l
		}
		if mapLinkRe.MatchString(l.text + " " + l.url) {
			break
		}
	}
	if best == nil {
		x.statements(strings.TrimSpace(txt), line, "", modeProse)
		return true
	}
	sec := x.cur()
	for _, scope := range x.scopes() {
		x.page.References = append(x.page.References, Reference{Scope: scope, Category: "", URL: best.url, Text: best.text, Line: line, Section: sec.title})
		sec.found++
	}
	// The rest of the paragraph may state facts ("For example, MFA stores
	// customer data in the US"): read them too.
	x.statements(strings.TrimSpace(txt), line, "", modeProse)
	return true
}

var (
	trustCenterRe = regexp.MustCompile(`(?i)trust-?center|where.?(?:is.)?your.?data`)
	mapLinkRe     = regexp.MustCompile(`(?i)\bmap\b|datamap|datacenters|\blist\b`)
)
