package extractor

import (
	"slices"
	"strings"

	"github.com/residiff/residiff/internal/litmatch"
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
var pointerRe = litmatch.MustCompile(`(?i)\b(?:features?|services?|capabilities)\b.*\b(?:(?:do|does)\s*(?:n[o’']t|not)|don’t|doesn’t)\s+(?:yet\s+)?(?:support\s+)?(?:the\s+)?(?:stor(?:e|age|ing)|keep)\b`)

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
		if x.opts.Profile.IsResidencySite(l.url+" "+l.text) || !strings.Contains(near, l.text) {
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

// linkedPhrase is the noun phrase a link's text ends in s: the words
// from the verb or preposition that points ("refer to", "see") up to and
// with the link's text, so that "refer to the Privacy and Security
// Product Terms [webpage](…)" links the Product Terms, as "refer to the
// [Privacy and Security Product Terms](…)" does (BLIND4 class 13: the
// Exchange Online page's pointer links only "webpage").
func linkedPhrase(s, text string) string {
	i := strings.Index(s, text)
	if i < 0 {
		return text
	}
	lead := s[:i]
	if j := lastPointing(lead); j >= 0 {
		lead = lead[j:]
	} else {
		lead = ""
	}
	return strings.TrimSpace(lead + text)
}

// lastPointing is where the words after the last pointing word or
// punctuation of lead start, or -1.
func lastPointing(lead string) int {
	at := -1
	for _, w := range []string{" to ", " see ", " at ", " in ", ",", ";", ":", "(", "."} {
		if k := strings.LastIndex(lead, w); k >= 0 && k+len(w) > at {
			at = k + len(w)
		}
	}
	return at
}

var mapLinkRe = litmatch.MustCompile(`(?i)\bmap\b|datamap|datacenters|\blist\b`)

// listOfLeavingRe is a sentence about services whose data leaves.
var listOfLeavingRe = litmatch.MustCompile(`(?i)\b(?:services|features|capabilities|components|list)\b.*\b(?:transfers?|egress\w*|out of|outside|leaves?)\b`)

// navigation reads the sentences of a paragraph that send the reader to
// another page for a list of a scope's exclusions ("For the services that
// temporarily transfer data out of the EU Data Boundary, see [the
// list](…)"): each is a reference, wherever it stands — the services did
// not become compliant, their list moved. It returns the paragraph's
// other sentences, and whether it found such a sentence.
func (x *extraction) navigation(p ast.Node, txt string, line int) (string, bool) {
	ls := links(p, x.src)
	if len(ls) == 0 || !x.opts.Profile.Navigates(txt) {
		return txt, false
	}
	var rest []string
	found := false
	for _, s := range sentences(txt) {
		if x.commitmentPointer(s, ls, line) {
			found = true
			continue
		}
		scopes := x.opts.Profile.ScopesIn(s)
		cat := categoryWords(s)
		var link *linkRef
		for i := range ls {
			if ls[i].text != "" && strings.Contains(s, ls[i].text) && !strings.HasPrefix(ls[i].url, "#") && !x.opts.Profile.IsResidencySite(ls[i].url+" "+ls[i].text) {
				link = &ls[i]
			}
		}
		// Only a sentence about a list of what leaves a scope: "the
		// services that temporarily transfer…", not "details about the
		// EU Data Boundary commitment".
		if link == nil || !x.opts.Profile.Navigates(s) || len(scopes) == 0 && cat == "" || cat == "" && !listOfLeavingRe.MatchString(s) {
			rest = append(rest, s)
			continue
		}
		if cat == "" {
			cat = x.category()
		}
		if len(scopes) == 0 {
			scopes = x.scopes()
		}
		sec := x.cur()
		for _, scope := range scopes {
			x.page.References = append(x.page.References, Reference{Scope: scope, Category: cat, URL: link.url, Text: link.text, Line: line, Section: sec.title})
			sec.found++
		}
		found = true
	}
	if !found {
		return txt, false
	}
	return strings.Join(rest, ". "), true
}

// commitmentPointer reads a sentence that gives the current section's
// commitment by pointer: it sends the reader elsewhere (the profile's
// navigation markers) through a link to a commitment's terms (the
// profile's commitment_links) whose words name a commitment scope of the
// section ("Refer to the
// [ADR Commitment page](…#microsoft-defender-for-office-p1) for the
// specific customer data at rest commitment for Microsoft Defender for
// Office P1", "For current language, refer to the [Privacy and Security
// Product Terms](…)" under "### Product Terms"). It records an in_region
// reference of that scope for the service the sentence is about — the
// service it names ("… commitment for Office Message Encryption" under a
// heading of the suite), else the section's, else the page's — and
// reports whether it did. A pointer naming no service is prose.
func (x *extraction) commitmentPointer(s string, ls []linkRef, line int) bool {
	p := x.opts.Profile
	if !p.Navigates(s) {
		return false
	}
	// Only a sentence that does nothing but point is a pointer: one that
	// also says where data is, or denies something ("… is stored in the
	// United States; refer to …", "… is no longer covered by the ADR
	// commitment; refer to …"), is read for what it says.
	own := s
	for _, l := range ls {
		if l.text != "" {
			own = strings.Replace(own, l.text, " ", 1)
		}
	}
	if st := x.statement(own); st.located() || st.negated || p.Negated(own) {
		return false
	}
	here := x.scopes()
	for _, l := range ls {
		if l.text == "" || !strings.Contains(s, l.text) || strings.HasPrefix(l.url, "#") {
			continue
		}
		named := linkedPhrase(s, l.text)
		if !p.IsCommitmentLink(named + " " + l.url) {
			continue
		}
		for _, scope := range p.ScopesIn(named) {
			ownRegion := len(x.cur().scopes) == 0 && p.Family(scope) == p.Family(x.page.Region)
			if !p.IsCommitment(scope) || !slices.Contains(here, scope) && !ownRegion {
				// Another commitment's terms; a page whose sections name
				// no scope speaks for its region's own commitment
				// ("Data residency commitments for the Purview set of
				// services … are available with the Advanced Data
				// Residency add-on", on a page of the ADR family).
				continue
			}
			svc := x.knownIn(strings.Replace(s, l.text, " ", 1))
			if svc == "" {
				svc = x.sectionService()
			}
			if svc == "" {
				svc = x.pageSubject()
			}
			if svc == "" || x.opts.Aliases.ID(svc) == "" || x.opts.Aliases.ID(svc) == x.opts.Aliases.ID(p.Product.Name) {
				return false
			}
			sec := x.cur()
			x.page.References = append(x.page.References, Reference{Scope: scope, Category: InRegion, URL: l.url, Text: l.text, Line: line,
				Section: sec.title, Service: svc, ServiceID: x.opts.Aliases.ID(svc)})
			sec.found++
			return true
		}
	}
	return false
}
