package differ

import (
	"fmt"
	"github.com/residiff/residiff/internal/racetest"
	"github.com/residiff/residiff/internal/ratchet"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/residiff/residiff/extractor"
	"github.com/residiff/residiff/internal/mdedit"
	"github.com/residiff/residiff/serviceid"
	"github.com/residiff/residiff/source"
	"github.com/residiff/residiff/source/entra"
)

// TestMetamorphicPairs generates thousands of comparisons from the real
// corpus (issue 22): every version against itself and every consecutive
// real pair of a page (by the dates in the file names) is a base; each
// case edits the newer side (the older one for unreadable) on its
// Markdown source, at the lines the extractor's ledger names, and checks
// what the edit adds to the base's changes:
//
//	same      whitespace (blank lines, trailing spaces, CRLF), a link
//	          given a title, two adjacent items swapped: no change but
//	          editorial;
//	wording   one wording edit of the kinds the real pages made (may →
//	          might, an acronym spelled out "MFA" → "multifactor
//	          authentication (MFA)", "US" → "United States", "; " → ". ",
//	          the future made present "will be" → "is"): nothing medium
//	          or high;
//	place     the place a record's claim site names swapped for a place
//	          outside the region: a medium or high change of that service
//	          (or a claim_changed) whose Evidence.New is that site, and
//	          no medium or high change of any other service;
//	delete    a record's claim sites deleted: that service newly
//	          compliant or changed, or a claim_changed with the deleted
//	          sentence as Evidence.Old;
//	dropped   an outside or global record's claim sites deleted (all
//	          of them, and each alone), when the edited page no longer
//	          holds that category under the record's key (service,
//	          scope, sub-scope): a high change whose Evidence.Old is a
//	          deleted sentence, or, naming it, a delegated one (a link
//	          left in its place says where the facts went) or an
//	          extraction_drift "still named, check the page" (the
//	          analyst's reading of a vanished row, cases 119 and 125);
//	standin   the same deletions, the edited page holding an in_region
//	          record under the key (read from the sentences left, or
//	          added to the extracted page when none was read: whatever
//	          the extractor does): the same high change. The in_region
//	          record never stands in for the deleted transfer: no
//	          silence, no medium "a sentence was added", no "newly
//	          compliant" quoting the sentence that stayed;
//	service   a service of the profile added beside one that an unread
//	          sentence or item names ("password reset" → "password reset
//	          and Authentication"): a medium or high change whose
//	          Evidence.New is that site (BLIND3 class 11);
//	negate    a record's claim sentence that names a place denied ("is
//	          stored" → "is not stored"): a medium or high change shows
//	          the denied sentence as its new evidence; a service whose
//	          data the sentence kept in the region is never newly
//	          compliant;
//	hedge     an outside or global record's sentence hedged ("is routed"
//	          → "may be routed"): a medium or high change shows it;
//	newservice an item of an outside or global record copied under it,
//	          its service replaced by one of the profile the page does
//	          not name: a high change reports that service;
//	number    a duration or year of a record's sentence that names a
//	          place changed ("30 days" → "90 days", "2022" → "2024"): a
//	          medium or high change shows it;
//	data      another kind of data joined to an outside or global
//	          record's first data type in its claim site ("GivenName" →
//	          "GivenName and device identifiers"): a medium or high
//	          change shows the site;
//	placeadd  a place outside the region added beside an outside or
//	          global record's place ("the United States" → "the United
//	          States and India"): a medium or high change shows the site;
//	rowkey    a table row's key reworded with the same cells (an acronym
//	          expanded, the key lower-cased): nothing high;
//	unread    a list of the older version that yielded records made an
//	          HTML table (a layout the extractor does not read), compared
//	          with the newer: no newly_excluded.
//
// A relation that fails on some cases today is a ratchet (pairCeiling):
// the failing cases are logged with the pages, the edit and the changes
// the edit added, and their number must not grow. pairFloor keeps the
// generators honest.
func TestMetamorphicPairs(t *testing.T) {
	racetest.SkipHeavy(t)
	files, err := filepath.Glob("../fixtures/corpus/*/*.md")
	if err != nil || len(files) < 24 {
		t.Fatalf("want the 24 corpus versions, found %d (%v)", len(files), err)
	}
	sort.Slice(files, func(i, j int) bool { return versionKey(files[i]) < versionKey(files[j]) })
	pr := &pairRun{t: t, prof: entra.Profile(), reg: entra.Register(), pages: map[string]*extractor.Page{}}
	type base struct{ old, new string }
	var bases []base
	for i, f := range files {
		bases = append(bases, base{f, f})
		if i > 0 && filepath.Dir(files[i-1]) == filepath.Dir(f) {
			bases = append(bases, base{files[i-1], f})
		}
	}
	for _, b := range bases {
		oldSrc, newSrc := pr.read(b.old), pr.read(b.new)
		oldP, newP := pr.extract(b.old, oldSrc), pr.extract(b.new, newSrc)
		name := short(b.old) + " → " + short(b.new)
		if b.old == b.new {
			name = short(b.new) + " itself"
		}
		baseCs := pr.compare(oldP, newP, oldSrc, newSrc)
		if b.old == b.new {
			tl := pr.cases.Case("same")
			if len(baseCs) > 0 {
				tl.Fail(fmt.Sprintf("same %s\n  edit: none\n  changes: %s", name, briefList(baseCs)))
			}
		}
		c := &pairCase{pr: pr, name: name, oldSrc: oldSrc, newSrc: newSrc, oldP: oldP, newP: newP, base: baseCs}

		// (a) whitespace, links, order.
		for _, e := range whitespaceEdits(newSrc) {
			c.check("same", e, c.onlyEditorial)
		}
		for n := 0; ; n++ {
			e, ok := mdedit.Replace(newSrc, linkRe, `[$1]($2 "more")`, n)
			if !ok {
				break
			}
			c.check("same", e, c.onlyEditorial)
		}
		for _, cl := range newP.Claims {
			if cl.Kind == "item" {
				if e, ok := mdedit.SwapWithNext(newSrc, cl.Line); ok {
					c.check("same", e, c.onlyEditorial)
				}
			}
		}
		// (b) wording edits the real pages made, one occurrence at a time.
		for _, w := range wordingEdits {
			for n := 0; n < 40; n++ {
				e, ok := mdedit.Replace(newSrc, w.re, w.repl, n)
				if !ok {
					break
				}
				if strings.Contains(e.Old, "ms.") || strings.HasPrefix(e.Old, "title:") || strings.HasPrefix(e.Old, "description:") || strings.HasPrefix(e.Old, "#") {
					continue // front matter and headings: not a claim's wording
				}
				c.check("wording", e, c.noMediumOrHigh)
			}
		}
		// (c), (d) per record of the newer version whose claim sites the
		// older version holds word for word.
		oldTexts := map[string]bool{}
		for _, cl := range oldP.Claims {
			oldTexts[cl.Text] = true
		}
		in := insideOf(newP.Region)
		for ri, r := range newP.Records {
			var sites []mdedit.Site
			var texts []string
			for _, cl := range newP.Claims {
				if slices.Contains(cl.Records, ri) {
					sites = append(sites, mdedit.Site{Line: cl.Line, EndLine: cl.EndLine, Kind: cl.Kind, Text: cl.Text})
					texts = append(texts, cl.Text)
				}
			}
			if len(sites) == 0 || !all(texts, func(s string) bool { return oldTexts[s] }) {
				continue
			}
			if cur, ok := recordPlace(r); ok {
				for _, to := range mdedit.Places {
					if to.Name == cur || to.Name == in {
						continue
					}
					for _, s := range sites {
						if e, ok := mdedit.SwapPlace(newSrc, s, cur, to); ok {
							c.check("place", e, c.placeChanged(siteServices(newP, s), r, s, to, s.Line+strings.Count(e.Old, "\n")))
							break
						}
					}
				}
			}
			for _, site := range sites {
				if e, ok := placeAdded(newSrc, site, in); ok && (r.Category == extractor.Outside || r.Category == extractor.Global) {
					sp := spanned(newSrc, site)
					c.check("placeadd", e, c.siteChanged(extractor.Claim{Line: sp.Line, EndLine: sp.EndLine}))
				}
				if e, ok := dataAdded(newSrc, site, r); ok && (r.Category == extractor.Outside || r.Category == extractor.Global) {
					sp := spanned(newSrc, site)
					c.check("data", e, c.siteChanged(extractor.Claim{Line: sp.Line, EndLine: sp.EndLine}))
				}
				if e, ok := renumbered(pr.prof, newSrc, site); ok {
					sp := spanned(newSrc, site)
					c.check("number", e, c.siteChanged(extractor.Claim{Line: sp.Line, EndLine: sp.EndLine}))
				}
				if e, ok := negated(pr.prof, newSrc, site); ok {
					c.check("negate", e, c.negatedChanged(siteServices(newP, site), r, spanned(newSrc, site)))
				}
				if r.Category == extractor.Outside || r.Category == extractor.Global {
					if e, ok := hedged(pr.prof, newSrc, site); ok {
						sp := spanned(newSrc, site)
						c.check("hedge", e, c.siteChanged(extractor.Claim{Line: sp.Line, EndLine: sp.EndLine}))
					}
					if e, other, ok := itemCopied(pr.prof, newSrc, newP, site, r); ok {
						c.check("newservice", e, c.newlyExcluded(other, site))
					}
				}
			}
			if e, ok := deleteAll(newSrc, sites); ok {
				c.check("delete", e, c.deleted(r, texts))
				if r.Category == extractor.Outside || r.Category == extractor.Global {
					c.checkStandIn(e, r, texts)
				}
			}
			if r.Category == extractor.Outside || r.Category == extractor.Global {
				// Each site alone: the phone-call item of a list whose
				// other items keep data in the region.
				for k, site := range sites {
					if len(sites) == 1 {
						break
					}
					if e, ok := deleteAll(newSrc, []mdedit.Site{site}); ok {
						c.checkStandIn(e, r, texts[k:k+1])
					}
				}
			}
		}
		// (c2) a service of the profile added beside one an unread claim
		// site names (BLIND3 class 11).
		for _, cl := range newP.Claims {
			if cl.Disposition != extractor.Unread || cl.Kind == "row" || !oldTexts[cl.Text] {
				continue // a row's first cell is its key: see rowkey
			}
			if e, ok := serviceAdded(pr.prof, newSrc, cl); ok {
				c.check("service", e, c.siteChanged(cl))
			}
		}
		// (e) table row keys reworded, the cells kept.
		for _, cl := range newP.Claims {
			if cl.Kind != "row" || len(cl.Records) == 0 {
				continue
			}
			for _, e := range rowKeyEdits(newSrc, cl.Line) {
				c.check("rowkey", e, c.noHigh)
			}
		}
		// (f) a list of the older version that yielded records made
		// unreadable.
		seen := map[int]bool{}
		for _, cl := range oldP.Claims {
			if cl.Kind != "item" || len(cl.Records) == 0 {
				continue
			}
			from, _, ok := mdedit.ListSpan(oldSrc, cl.Line)
			if !ok || seen[from] {
				continue
			}
			seen[from] = true
			if e, ok := mdedit.ListToHTMLTable(oldSrc, cl.Line); ok {
				c.checkOld("unread", e, c.noNewlyExcluded)
			}
		}
	}
	pr.cases.Report(t, pairFloor, pairCeiling, "pairCeiling")
}

// pairFloor is the least number of cases each relation generates.
var pairFloor = map[string]int{
	"same": 570, "wording": 450, "place": 250, "delete": 210, "rowkey": 120, "unread": 40, "standin": 95, "dropped": 90,
	// service draws on the unread sites that name a service. AUDIT3
	// reads the MFA page's "The … multifactor authentication service
	// has datacenters in …" (in both versions of its two pairs) as
	// availability, no longer unread: 4 cases are left (the floor was 9).
	"service": 4, "negate": 50, "hedge": 30, "newservice": 30, "number": 15, "data": 20, "placeadd": 20,
}

// pairCeiling is the ratchet: the failing cases each relation is allowed
// today (2026-12-07). Lower a number when a fix makes cases pass; never
// raise it to let a change through. Every relation passes now; go test -v
// -run TestMetamorphicPairs logs every case.
var pairCeiling = map[string]int{
	"same": 0, "wording": 0, "place": 0, "delete": 0, "rowkey": 0, "unread": 0, "service": 0,
	// negate, hedge, newservice (2026-12-07): a denial or a hedge in a
	// sentence whose records kept their fields was editorial (certainty
	// is no field: unrecordedChange); a denied transfer showed only the
	// old sentence (rewrittenAs); a bold label "A and B (B)" whose
	// first part has no abbreviation was one service (splitLabel).
	"negate": 0, "hedge": 0, "newservice": 0,
	// number: a date a sentence with a place gives changed ("From April
	// 15, 2022, Microsoft began storing … within the Japanese
	// datacenters") was editorial: its records carry no date.
	"number": 0,
	// data: an attribute added to the list nested under an outside
	// item ("- GivenName" under "Identity-related attributes … will be
	// replicated to the United States:") was a low read_differently
	// "text unchanged": the item's claim text left its nested list out.
	"data": 0,
	// placeadd (2026-12-07): 0 of 40 (was 5). A place the profile did
	// not know added beside one it knows ("Phone calls using custom
	// greetings always originate from data centers in the United States
	// and India", MFA 2021-06-03 and 2023-01-29 L27) was in no record's
	// field, and the differ read "India" as a name in a list: every
	// profile now has the world vocabulary (source/world.yaml, every
	// country). A place added to a row's key ("Outside of Australia and
	// India and New Zealand", L104/L110) changes the customers the row
	// sends data out for (keyPlacesMoved).
	"placeadd": 0,
	// standin and dropped (branch bp, 2026-12-07): 0 of 102 and 0 of
	// 101. A product sentence deleted ("(2) Authentication data … at rest
	// in the continental United States", "… some operational,
	// service-specific data … stored in the U.S.") is high now that its
	// record carries the data it names (no summary); a section left with
	// only text the older version held (EU 2022-08-17's MFA heading once
	// its list is deleted) went quiet by deletion and does not blind the
	// comparison (silencedByDeletion).
	"standin": 0,
	"dropped": 0,
}

func versionKey(f string) string {
	return filepath.Dir(f) + "/" + strings.TrimSuffix(filepath.Base(f), ".md")
}

func short(f string) string { return strings.TrimPrefix(f, "../fixtures/corpus/") }

type pairRun struct {
	t     *testing.T
	prof  *source.Profile
	reg   *serviceid.Register
	cases ratchet.Set
	pages map[string]*extractor.Page
	srcs  map[string][]byte
}

func (pr *pairRun) read(f string) []byte {
	if pr.srcs == nil {
		pr.srcs = map[string][]byte{}
	}
	if s, ok := pr.srcs[f]; ok {
		return s
	}
	s, err := os.ReadFile(f)
	if err != nil {
		pr.t.Fatal(err)
	}
	pr.srcs[f] = s
	return s
}

func (pr *pairRun) extract(name string, src []byte) *extractor.Page {
	if p, ok := pr.pages[string(src)]; ok {
		return p
	}
	p, err := extractor.Extract(src, extractor.Options{Profile: pr.prof, Aliases: pr.reg, Path: name, Page: filepath.Base(filepath.Dir(name))})
	if err != nil {
		pr.t.Fatalf("%s: %v", name, err)
	}
	if len(pr.pages) > 2000 {
		clear(pr.pages)
	}
	pr.pages[string(src)] = p
	return p
}

func (pr *pairRun) compare(a, b *extractor.Page, as, bs []byte) []Change {
	return Compare(a, b, Options{Lineage: b.Page, Key: "metamorphic", OldSource: as, NewSource: bs,
		Similar: serviceid.Similar, Profile: pr.prof, Aliases: pr.reg})
}

// pairCase is one base: two versions and the changes between them.
type pairCase struct {
	pr             *pairRun
	name           string
	oldSrc, newSrc []byte
	oldP, newP     *extractor.Page
	base           []Change
}

// check compares the older version with an edited newer one and holds
// the relation on the changes the edit added.
func (c *pairCase) check(prop string, e mdedit.Edit, rel func(added, all []Change) string) {
	p := c.pr.extract("edited/"+short(c.name), e.Src)
	p.Page = c.newP.Page
	cs := c.pr.compare(c.oldP, p, c.oldSrc, e.Src)
	c.hold(prop, e, cs, rel)
}

// checkOld compares an edited older version with the newer one.
func (c *pairCase) checkOld(prop string, e mdedit.Edit, rel func(added, all []Change) string) {
	p := c.pr.extract("edited/"+short(c.name), e.Src)
	p.Page = c.newP.Page
	cs := c.pr.compare(p, c.newP, e.Src, c.newSrc)
	c.hold(prop, e, cs, rel)
}

func (c *pairCase) hold(prop string, e mdedit.Edit, cs []Change, rel func(added, all []Change) string) {
	tl := c.pr.cases.Case(prop)
	key := briefKey
	if prop == "place" || prop == "delete" || prop == "service" || prop == "negate" || prop == "hedge" || prop == "newservice" || prop == "number" || prop == "data" || prop == "placeadd" {
		// The base may already change the service: its facts or its
		// evidence must change.
		key = changeKey
	}
	added := addedChanges(c.base, cs, key)
	if why := rel(added, cs); why != "" {
		tl.Fail(fmt.Sprintf("%s %s\n  edit: %s\n  %s\n  changes the edit added: %s", prop, c.name, e.What, why, briefList(added)))
	}
}

// briefKey identifies a change across two comparisons by what it
// reports; changeKey also by its facts and evidence. A sub-scope is a
// table row's key as the page prints it: its case is no part of which
// row it is (the differ pairs re-cased rows), so a re-cased key keeps the
// change's identity.
func briefKey(ch Change) string {
	return strings.Join([]string{string(ch.Kind), ch.ServiceID, ch.Scope, strings.ToLower(ch.SubScope), ch.Category}, "|")
}

// changeKey: see briefKey.
func changeKey(ch Change) string {
	k := []string{string(ch.Kind), ch.ServiceID, ch.Scope, ch.SubScope, ch.Category, ch.Before, ch.After}
	for _, f := range ch.Fields {
		k = append(k, f.Field, f.Before, f.After)
	}
	if e := ch.Evidence; e != nil {
		for _, s := range []*Site{e.Old, e.New} {
			if s != nil {
				k = append(k, s.Text, s.Context)
			}
		}
	}
	return strings.Join(k, "|")
}

// addedChanges are the changes of cs that base does not have (as a
// multiset).
func addedChanges(base, cs []Change, key func(Change) string) []Change {
	have := map[string]int{}
	for _, ch := range base {
		have[key(ch)]++
	}
	var out []Change
	for _, ch := range cs {
		if k := key(ch); have[k] > 0 {
			have[k]--
			continue
		}
		out = append(out, ch)
	}
	return out
}

func briefList(cs []Change) string {
	if len(cs) == 0 {
		return "(none)"
	}
	var out []string
	for _, ch := range cs {
		s := fmt.Sprintf("%s %s %s [%s] %s", ch.Severity, ch.Kind, ch.Service, ch.Scope, clipS(ch.Before+" → "+ch.After, 120))
		if ch.Evidence != nil {
			if ch.Evidence.Old != nil {
				s += fmt.Sprintf("\n        old L%d: %s", ch.Evidence.Old.Line, clipS(ch.Evidence.Old.Text, 160))
			}
			if ch.Evidence.New != nil {
				s += fmt.Sprintf("\n        new L%d: %s", ch.Evidence.New.Line, clipS(ch.Evidence.New.Text, 160))
			}
		}
		out = append(out, s)
	}
	return "\n      " + strings.Join(out, "\n      ")
}

func clipS(s string, n int) string {
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}

// onlyEditorial: the edit added nothing but editorial, and took nothing
// away.
func (c *pairCase) onlyEditorial(added, all []Change) string {
	for _, ch := range added {
		if ch.Kind != Editorial {
			return "the edit added a change"
		}
	}
	if lost := addedChanges(all, c.base, briefKey); len(nonEditorial(lost)) > 0 {
		return fmt.Sprintf("the edit took away changes: %s", briefList(nonEditorial(lost)))
	}
	return ""
}

func nonEditorial(cs []Change) []Change {
	var out []Change
	for _, ch := range cs {
		if ch.Kind != Editorial {
			out = append(out, ch)
		}
	}
	return out
}

func (c *pairCase) noMediumOrHigh(added, _ []Change) string {
	for _, ch := range added {
		if ch.Severity >= Medium {
			return "a wording edit added a medium or high change"
		}
	}
	return ""
}

func (c *pairCase) noHigh(added, _ []Change) string {
	for _, ch := range added {
		if ch.Severity >= High {
			return "a reworded row key added a high change"
		}
	}
	return ""
}

// noNewlyExcluded: no newly_excluded beyond those the real pair has.
func (c *pairCase) noNewlyExcluded(added, _ []Change) string {
	for _, ch := range added {
		if ch.Kind == NewlyExcluded {
			return "an unreadable older version made a newly_excluded"
		}
	}
	return ""
}

// placeChanged: a medium or high change of the service, or a
// claim_changed, shows the edited site (any line up to last, the edit's
// own: an item's nested items are edited with it) as its new evidence; no other
// service changes at medium or high.
func (c *pairCase) placeChanged(services []string, r extractor.Record, s mdedit.Site, to mdedit.Place, last int) func(added, _ []Change) string {
	word := strings.TrimPrefix(to.Noun, "the ")
	return func(added, _ []Change) string {
		found := false
		for _, ch := range added {
			if ch.Severity < Medium {
				continue
			}
			onSite := ch.Evidence != nil && ch.Evidence.New != nil && ch.Evidence.New.Line >= s.Line && ch.Evidence.New.Line <= max(s.Line, s.EndLine, last) &&
				(strings.Contains(ch.Evidence.New.Text, word) || strings.Contains(ch.Evidence.New.Text, to.Adjective))
			if !slices.Contains(services, ch.ServiceID) && (ch.Kind != ClaimChanged || !onSite) {
				return fmt.Sprintf("another service changed: %s %s", ch.Kind, ch.Service)
			}
			if onSite {
				found = true
			}
		}
		if !found {
			return fmt.Sprintf("no medium or high change of %s with the edited sentence as evidence", r.Service)
		}
		return ""
	}
}

// serviceAdded edits the claim site cl of src: the first service of the
// profile it names becomes that service "and" another of the profile's
// services the site does not name.
func serviceAdded(prof *source.Profile, src []byte, cl extractor.Claim) (mdedit.Edit, bool) {
	a, b, ok := mdedit.Span(src, mdedit.Site{Line: cl.Line, EndLine: cl.EndLine, Kind: cl.Kind, Text: cl.Text})
	if !ok {
		return mdedit.Edit{}, false
	}
	text := string(src[a:b])
	for _, n := range prof.NamesAt(text) {
		if n.Kind != "service" {
			continue
		}
		for _, other := range prof.Services {
			if slices.ContainsFunc(prof.NamesAt(text), func(m source.Name) bool { return m.Name == other.Name }) || strings.Contains(strings.ToLower(other.Name), strings.ToLower(n.Name)) {
				continue
			}
			with := text[n.Start:n.End] + " and " + other.Name
			out := slices.Concat(src[:a+n.Start], []byte(with), src[a+n.End:])
			return mdedit.Edit{Src: out, What: fmt.Sprintf("line %d: %q → %q", cl.Line, text[n.Start:n.End], with), Old: text[n.Start:n.End], New: with}, true
		}
	}
	return mdedit.Edit{}, false
}

// siteChanged: a medium or high change shows the edited site as its new
// evidence.
func (c *pairCase) siteChanged(cl extractor.Claim) func(added, _ []Change) string {
	return func(added, _ []Change) string {
		for _, ch := range added {
			if ch.Severity >= Medium && ch.Evidence != nil && ch.Evidence.New != nil && ch.Evidence.New.Line >= cl.Line && ch.Evidence.New.Line <= max(cl.Line, cl.EndLine) {
				return ""
			}
		}
		return "no medium or high change shows the sentence a service was added to"
	}
}

// siteServices are the services of the records a claim site was read
// into: a site naming two services ("MFA and SSPR") changes both.
func siteServices(p *extractor.Page, s mdedit.Site) []string {
	var out []string
	for _, cl := range p.Claims {
		if cl.Line == s.Line && cl.Text == s.Text {
			for _, r := range cl.Records {
				out = append(out, p.Records[r].ServiceID)
			}
		}
	}
	return out
}

// deleted: the service is reported (newly compliant, changed), or a
// claim_changed shows a deleted sentence as its old evidence.
func (c *pairCase) deleted(r extractor.Record, texts []string) func(added, _ []Change) string {
	return func(added, _ []Change) string {
		for _, ch := range added {
			if ch.Severity < Medium {
				continue
			}
			if ch.ServiceID == r.ServiceID && ch.Kind != NewlyExcluded {
				return ""
			}
			if ch.Evidence != nil && ch.Evidence.Old != nil && slices.Contains(texts, ch.Evidence.Old.Text) {
				return ""
			}
		}
		return fmt.Sprintf("nothing medium or high reports %s or the deleted sentence", r.Service)
	}
}

// checkStandIn holds the dropped and standin relations for the deletion
// e of record r's claim sites (their texts): cases only when the edited
// page no longer holds r's category under r's key. dropped compares the
// edited page as extracted when it holds no in_region record under the
// key; standin compares it with an in_region record under the key,
// either read from the sentences left or, when the extractor read none,
// added to the extracted page: whatever the extractor does, such a
// record must not stand in for the deleted transfer.
func (c *pairCase) checkStandIn(e mdedit.Edit, r extractor.Record, texts []string) {
	p := c.pr.extract("edited/"+short(c.name), e.Src)
	inRegion := false
	for _, q := range p.Records {
		if q.ServiceID != r.ServiceID || q.Scope != r.Scope || q.SubScope != r.SubScope {
			continue
		}
		if q.Category == r.Category {
			return // the key still says the same: not these relations' case
		}
		inRegion = inRegion || q.Category == extractor.InRegion
	}
	rel := func(hedge bool) func(added, _ []Change) string {
		return func(added, _ []Change) string {
			for _, ch := range added {
				// delegated (medium) says the facts moved to the page a
				// link left in the sentence's place names: the service
				// did not become compliant. With no record left under the
				// key, "still named, check the page" (extraction_drift)
				// is the analyst's reading of a vanished row (cases 119,
				// 125).
				ok := ch.Severity >= High || ch.Kind == Delegated || hedge && ch.Kind == ExtractionDrift
				if ok && ch.Evidence != nil && ch.Evidence.Old != nil && slices.Contains(texts, ch.Evidence.Old.Text) {
					return ""
				}
			}
			return fmt.Sprintf("no high change names a deleted sentence of %s (%s, %s)", r.Service, r.Scope, r.Category)
		}
	}
	if !inRegion {
		c.check("dropped", e, rel(true))
		q := *p
		q.Records = append(slices.Clone(p.Records), extractor.Record{Service: r.Service, ServiceID: r.ServiceID, Scope: r.Scope, SubScope: r.SubScope,
			Category: extractor.InRegion, LocationAtRest: "in the region", Section: r.Section, Line: min(r.Line, strings.Count(string(e.Src), "\n")+1)})
		p = &q
	}
	p.Page = c.newP.Page
	c.hold("standin", e, c.pr.compare(c.oldP, p, c.oldSrc, e.Src), rel(false))
}

// linkRe is a Markdown link without a title.
var linkRe = regexp.MustCompile(`\[([^\]\n]+)\]\(([^)\s]+)\)`)

// wordingEdits are rewordings the real pages made between versions.
var wordingEdits = []struct {
	re   *regexp.Regexp
	repl string
}{
	{regexp.MustCompile(`\bmay\b`), "might"},
	{regexp.MustCompile(`\bmight\b`), "may"},
	{regexp.MustCompile(`([^(])\bMFA\b`), "${1}multifactor authentication (MFA)"},
	{regexp.MustCompile(`\b(?:the )?US\b([^-])`), "the United States$1"},
	// "U.S." inside a sentence, and at its end, where the sentence's
	// full stop stays ("… stay in the U.S. Additionally, …": the
	// extractor ends a sentence there before a word that opens one).
	{regexp.MustCompile(`\bU\.S\. ([a-z0-9])`), "US $1"},
	{regexp.MustCompile(`\bU\.S\. ([A-Z][A-Za-z]*,|(?:The|This|These|Those|That|There|For|If|In|It|Its|A|An|All|Some|When|While|To|As|On|At|By|With|They|We|You|Each|Any|But|So) |\r?\n)`), "US. $1"},
	{regexp.MustCompile(`([a-z]); ([a-z])`), "$1. $2"},
	{regexp.MustCompile(`\b([Mm])ulti-factor\b`), "${1}ultifactor"},
	{regexp.MustCompile(`\bdatacenters\b`), "data centers"},
	{regexp.MustCompile(`\bCustomer Data\b`), "customer data"},
	// Tense, no modality (BLIND3 class 14): "will be stored" is "is
	// stored", "will continue" is "continues".
	{regexp.MustCompile(`\bwill be\b`), "is"},
	{regexp.MustCompile(`\bwill (result|become|continue|migrate|map|egress|store|process|remain|stay)\b`), "${1}s"},
}

// whitespaceEdits are copies of a page with only its whitespace changed.
func whitespaceEdits(src []byte) []mdedit.Edit {
	eol := "\n"
	text := string(src)
	if strings.Contains(text, "\r\n") {
		eol, text = "\r\n", strings.ReplaceAll(text, "\r\n", "\n")
	}
	lines := strings.Split(text, "\n")
	var blank, trailing []string
	for _, l := range lines {
		blank = append(blank, l)
		if strings.TrimSpace(l) == "" {
			blank = append(blank, "")
		}
		if strings.TrimSpace(l) != "" && !strings.HasSuffix(l, " ") {
			l += " "
		}
		trailing = append(trailing, l)
	}
	ends := mdedit.Edit{Src: []byte(strings.ReplaceAll(text, "\n", "\r\n")), What: "CRLF line ends"}
	if eol == "\r\n" {
		ends = mdedit.Edit{Src: []byte(text), What: "LF line ends"}
	}
	return []mdedit.Edit{
		{Src: []byte(strings.Join(blank, eol)), What: "every blank line doubled"},
		{Src: []byte(strings.Join(trailing, eol)), What: "a trailing space on every line"},
		ends,
	}
}

// rowKeyEdits reword a table row's first cell, keeping its other cells.
func rowKeyEdits(src []byte, line int) []mdedit.Edit {
	a, b, ok := mdedit.LineRange(src, line, line)
	if !ok {
		return nil
	}
	row := string(src[a:b])
	cells := strings.Split(row, "|")
	if len(cells) < 3 {
		return nil
	}
	k := 0
	if strings.TrimSpace(cells[0]) == "" {
		k = 1
	}
	key := strings.TrimSpace(cells[k])
	var keys []string
	for _, sw := range [][2]string{{"Azure AD", "Azure Active Directory"}, {"Azure Active Directory", "Azure AD"}, {"MFA", "multifactor authentication"}, {"Microsoft ", ""}} {
		if strings.Contains(key, sw[0]) {
			keys = append(keys, strings.Replace(key, sw[0], sw[1], 1))
		}
	}
	if low := key[:1] + strings.ToLower(key[1:]); low != key {
		keys = append(keys, low)
	}
	var out []mdedit.Edit
	for _, nk := range keys {
		if strings.TrimSpace(nk) == "" {
			continue
		}
		cs := slices.Clone(cells)
		cs[k] = " " + nk + " "
		nr := strings.Join(cs, "|")
		out = append(out, mdedit.Edit{Src: append(append(append([]byte(nil), src[:a]...), nr...), src[b:]...),
			What: fmt.Sprintf("L%d: row key %q → %q", line, key, nk), Old: row, New: nr})
	}
	return out
}

// deleteAll deletes every site (overlapping spans merged).
func deleteAll(src []byte, sites []mdedit.Site) (mdedit.Edit, bool) {
	type span struct{ a, b int }
	var spans []span
	var what []string
	for _, s := range sites {
		a, b, ok := mdedit.Span(src, s)
		if !ok {
			return mdedit.Edit{}, false
		}
		spans = append(spans, span{a, b})
		what = append(what, fmt.Sprintf("L%d %s %q", s.Line, s.Kind, clipS(s.Text, 80)))
	}
	sort.Slice(spans, func(i, j int) bool { return spans[i].a < spans[j].a })
	var merged []span
	for _, s := range spans {
		if n := len(merged); n > 0 && s.a <= merged[n-1].b {
			merged[n-1].b = max(merged[n-1].b, s.b)
			continue
		}
		merged = append(merged, s)
	}
	out := src
	for i := len(merged) - 1; i >= 0; i-- {
		out = append(append([]byte(nil), out[:merged[i].a]...), out[merged[i].b:]...)
	}
	return mdedit.Edit{Src: out, What: "delete " + strings.Join(what, ", ")}, true
}

// recordPlace is the place a record's location (or processing) names.
func recordPlace(r extractor.Record) (string, bool) {
	if pl, ok := mdedit.PlaceNamed(r.LocationAtRest); ok {
		return pl, true
	}
	return mdedit.PlaceNamed(r.Processing)
}

// insideOf is the place of the page's region, "" for a global page.
func insideOf(region string) string {
	switch {
	case strings.Contains(region, "Australia"):
		return "Australia"
	case region == "Europe", region == "Japan":
		return region
	}
	return ""
}

func all[T any](xs []T, f func(T) bool) bool {
	for _, x := range xs {
		if !f(x) {
			return false
		}
	}
	return true
}

// auxVerbRe finds a passive data verb: an auxiliary, an optional adverb,
// a participle (the profile decides whether it is a data verb).
var auxVerbRe = regexp.MustCompile(`\b(is|are|will be|can be)(\s+(?:also|only|always|then)\b)?\s+([a-z]+ed)\b`)

// negated edits site: its first passive data verb denied ("is stored" →
// "is not stored").
func negated(prof *source.Profile, src []byte, site mdedit.Site) (mdedit.Edit, bool) {
	return passiveEdit(prof, src, site, func(m []string) string {
		aux := m[1]
		if strings.HasPrefix(aux, "will be") || strings.HasPrefix(aux, "can be") {
			aux = strings.Replace(aux, " be", " not be", 1)
		} else {
			aux += " not"
		}
		return aux + m[2] + " " + m[3]
	})
}

// hedged edits site: its first passive data verb made possible ("is
// stored" → "may be stored").
func hedged(prof *source.Profile, src []byte, site mdedit.Site) (mdedit.Edit, bool) {
	return passiveEdit(prof, src, site, func(m []string) string {
		if m[1] != "is" && m[1] != "are" {
			return ""
		}
		return "may be" + m[2] + " " + m[3]
	})
}

func passiveEdit(prof *source.Profile, src []byte, site mdedit.Site, with func(m []string) string) (mdedit.Edit, bool) {
	a, b, ok := mdedit.Span(src, site)
	if !ok {
		return mdedit.Edit{}, false
	}
	text := string(src[a:b])
	for _, loc := range auxVerbRe.FindAllStringSubmatchIndex(text, -1) {
		m := make([]string, 4)
		for i := range m {
			if loc[2*i] >= 0 {
				m[i] = text[loc[2*i]:loc[2*i+1]]
			}
		}
		if !prof.HasDataVerb(m[3]) || strings.Contains(text[loc[1]:min(len(text), loc[1]+6)], "not") || !placedAt(prof, text, loc[0]) {
			continue
		}
		repl := with(m)
		if repl == "" {
			return mdedit.Edit{}, false
		}
		out := slices.Concat(src[:a+loc[0]], []byte(repl), src[a+loc[1]:])
		return mdedit.Edit{Src: out, What: fmt.Sprintf("line %d: %q → %q", site.Line, m[0], repl), Old: m[0], New: repl}, true
	}
	return mdedit.Edit{}, false
}

// negatedChanged: a medium or high change shows the denied sentence as
// its new evidence, and a service whose data the sentence kept in the
// region is not reported newly compliant.
func (c *pairCase) negatedChanged(services []string, r extractor.Record, s mdedit.Site) func(added, _ []Change) string {
	onSite := c.siteChanged(extractor.Claim{Line: s.Line, EndLine: s.EndLine})
	return func(added, all []Change) string {
		for _, ch := range added {
			if ch.Kind == NewlyCompliant && r.Category == extractor.InRegion && slices.Contains(services, ch.ServiceID) {
				return fmt.Sprintf("denying that %s's data is kept in the region made it newly compliant", r.Service)
			}
		}
		return onSite(added, all)
	}
}

// spanRe finds a duration or a year in a claim's text.
var spanRe = regexp.MustCompile(`\b(\d+)(\s+(?:days?|months?|years?|hours?)\b)|\b(20\d\d)\b`)

// renumbered edits site: the first duration or year of a sentence that
// names a place changed ("30 days" → "90 days", "2022" → "2024").
func renumbered(prof *source.Profile, src []byte, site mdedit.Site) (mdedit.Edit, bool) {
	a, b, ok := mdedit.Span(src, site)
	if !ok {
		return mdedit.Edit{}, false
	}
	text := string(src[a:b])
	var m []int
	for _, loc := range spanRe.FindAllStringSubmatchIndex(text, -1) {
		if placedAt(prof, text, loc[0]) {
			m = loc
			break
		}
	}
	if m == nil {
		return mdedit.Edit{}, false
	}
	old := text[m[0]:m[1]]
	var repl string
	if m[2] >= 0 {
		n := 0
		fmt.Sscan(text[m[2]:m[3]], &n)
		repl = fmt.Sprint(n*3) + text[m[4]:m[5]]
	} else {
		y := 0
		fmt.Sscan(text[m[6]:m[7]], &y)
		repl = fmt.Sprint(y + 2)
	}
	out := slices.Concat(src[:a+m[0]], []byte(repl), src[a+m[1]:])
	return mdedit.Edit{Src: out, What: fmt.Sprintf("line %d: %q → %q", site.Line, old, repl), Old: old, New: repl}, true
}

// itemCopied edits a list item that is a claim site of r: a copy of it
// follows it, the record's service named there replaced by another
// service of the profile that the page does not name. It returns the
// other service's name.
func itemCopied(prof *source.Profile, src []byte, p *extractor.Page, site mdedit.Site, r extractor.Record) (mdedit.Edit, string, bool) {
	if site.Kind != "item" {
		return mdedit.Edit{}, "", false
	}
	a, b, ok := mdedit.Span(src, site)
	if !ok {
		return mdedit.Edit{}, "", false
	}
	text := string(src[a:b])
	i := strings.Index(text, r.Service)
	if i < 0 {
		return mdedit.Edit{}, "", false
	}
	named := map[string]bool{}
	for _, q := range p.Records {
		named[strings.ToLower(q.Service)] = true
	}
	for _, other := range prof.Services {
		low := strings.ToLower(other.Name)
		if named[low] || strings.Contains(strings.ToLower(string(src)), low) {
			continue
		}
		copyText := text[:i] + other.Name + text[i+len(r.Service):]
		if !strings.HasSuffix(copyText, "\n") {
			copyText = "\n" + copyText
		}
		out := slices.Concat(src[:b], []byte(copyText), src[b:])
		if !strings.HasSuffix(text, "\n") {
			out = slices.Concat(src[:b], []byte(copyText), src[b:])
		}
		return mdedit.Edit{Src: out, What: fmt.Sprintf("line %d: item copied for %s", site.Line, other.Name), Old: text, New: copyText}, other.Name, true
	}
	return mdedit.Edit{}, "", false
}

// newlyExcluded: the service the copied item names is reported at high,
// with the copy as its new evidence.
func (c *pairCase) newlyExcluded(service string, s mdedit.Site) func(added, _ []Change) string {
	return func(added, _ []Change) string {
		for _, ch := range added {
			if ch.Severity >= High && strings.EqualFold(ch.Service, service) && ch.Evidence != nil && ch.Evidence.New != nil {
				return ""
			}
		}
		return fmt.Sprintf("no high change reports %s, newly named in a copy of the item", service)
	}
}

// spanned is s with EndLine the last line of its text in src (an item's
// nested lines are edited with it).
func spanned(src []byte, s mdedit.Site) mdedit.Site {
	if a, b, ok := mdedit.Span(src, s); ok {
		s.EndLine = max(s.EndLine, s.Line+strings.Count(strings.TrimRight(string(src[a:b]), "\n"), "\n"))
	}
	return s
}

// placedAt reports whether the sentence of text holding offset at names a
// place: an edit of a sentence that says where nothing goes changes no
// residency fact (BLIND3 class 17). A sentence ends at ". ", a table
// cell's bar or a line break.
func placedAt(prof *source.Profile, text string, at int) bool {
	from, to := 0, len(text)
	for _, sep := range []string{". ", "|", "\n"} {
		if i := strings.LastIndex(text[:at], sep); i >= 0 {
			from = max(from, i+len(sep))
		}
		if i := strings.Index(text[at:], sep); i >= 0 {
			to = min(to, at+i)
		}
	}
	sent := text[from:to]
	return len(prof.PlacesIn(sent)) > 0 || prof.InCustomerRegion(sent)
}

// dataAdded edits a claim site of r that names r's first data type word
// for word: another kind of data joins it ("phone numbers" → "phone
// numbers and device identifiers").
func dataAdded(src []byte, site mdedit.Site, r extractor.Record) (mdedit.Edit, bool) {
	// The first data type, up to a comma or the "; " between the data
	// of two sentences.
	dts := strings.FieldsFunc(r.DataTypes, func(c rune) bool { return c == ',' || c == ';' })
	if len(dts) == 0 {
		return mdedit.Edit{}, false
	}
	dt := strings.TrimRight(strings.TrimSpace(dts[0]), ".;:")
	if len(dt) < 4 || strings.Contains(strings.ToLower(dt), "device identifiers") {
		return mdedit.Edit{}, false
	}
	a, b, ok := mdedit.Span(src, site)
	if !ok {
		return mdedit.Edit{}, false
	}
	text := string(src[a:b])
	i := strings.Index(text, dt)
	if i < 0 {
		return mdedit.Edit{}, false
	}
	with := dt + " and device identifiers"
	out := slices.Concat(src[:a+i], []byte(with), src[a+i+len(dt):])
	return mdedit.Edit{Src: out, What: fmt.Sprintf("line %d: %q → %q", site.Line, dt, with), Old: dt, New: with}, true
}

// placeAdded edits a claim site: its first place written as a noun
// outside the region gains another ("the United States" → "the United
// States and India").
func placeAdded(src []byte, site mdedit.Site, inside string) (mdedit.Edit, bool) {
	a, b, ok := mdedit.Span(src, site)
	if !ok {
		return mdedit.Edit{}, false
	}
	text := string(src[a:b])
	for _, h := range mdedit.PlacesIn(text, site.Kind) {
		if h.Adjective || h.Name == inside {
			continue
		}
		old := text[h.A:h.B]
		with := old + " and India"
		out := slices.Concat(src[:a+h.A], []byte(with), src[a+h.B:])
		return mdedit.Edit{Src: out, What: fmt.Sprintf("line %d: %q → %q", site.Line, old, with), Old: old, New: with}, true
	}
	return mdedit.Edit{}, false
}
