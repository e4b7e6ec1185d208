package extractor

import (
	"bytes"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/residiff/residiff/internal/litmatch"
	"github.com/residiff/residiff/internal/textcase"
	"github.com/residiff/residiff/source"
	"github.com/yuin/goldmark/ast"
	gast "github.com/yuin/goldmark/extension/ast"
)

// The claims ledger. After the readers have run, the page is split into
// claim sites — every sentence of a paragraph or callout, every list item,
// every table row — and each site that carries a residency signal (a place
// together with a data word, two data words, or a fact label) is given
// exactly one disposition: the records it became, stated in region, not a
// transfer (with the reason), or unread. An unread site is a warning the
// reader sees with its line and its text: nothing a page says about where
// data goes is dropped without a word.

// Disposition says what became of a claim site. The string values are part
// of the JSON contract.
type Disposition string

// The dispositions of a claim site.
const (
	// AsRecord: the site was read into one or more records.
	AsRecord Disposition = "record"
	// AsReference: the site points to another page that holds the list.
	AsReference Disposition = "reference"
	// StatedInRegion: the site says the data stays in the page's region.
	StatedInRegion Disposition = "in_region"
	// NotTransfer: the site speaks of data and places but states no
	// transfer: advice, the page's own scope, navigation, a negation, the
	// past, a condition on the customer's own choice, a lead-in whose
	// items were read.
	NotTransfer Disposition = "not_transfer"
	// Unread: the site says where data goes and residiff could not read
	// it. It is also a warning.
	Unread Disposition = "unread"
)

// CommitmentPointer is the Reason of a reference site that gives a
// service's commitment by pointer (a Reference of category in_region):
// no list moved; the differ compares the pointers themselves.
const CommitmentPointer = "commitment by pointer"

// Claim is one claim site of a page that carries a residency signal, and
// what became of it.
type Claim struct {
	// Line and EndLine are the 1-based lines the site spans.
	Line    int `json:"line"`
	EndLine int `json:"end_line,omitempty"`
	// Kind is "sentence", "item", "row" or "callout".
	Kind string `json:"kind"`
	// Text is the site's plain text (a row's cells joined with " | ").
	Text string `json:"text"`
	// Context is what the site stands under: its heading chain and, for
	// list items and table rows, the lead-in or header that introduces
	// them. The differ compares it to tell a reworded lead-in from a
	// changed claim.
	Context string `json:"context,omitempty"`
	// Disposition is what became of the site; Reason names why a site is
	// not a transfer, or why it was not read.
	Disposition Disposition `json:"disposition"`
	Reason      string      `json:"reason,omitempty"`
	// Records are the indexes, in the page's Records, of the records the
	// site was read into.
	Records []int `json:"records,omitempty"`
}

// factless are the not_transfer reasons of sites that state no fact at
// all: the page describing itself, advice, navigation, definitions,
// availability, a title, a lead-in read through its items, a sentence
// summing up the list under its heading. (A condition, the past or a
// negation still says something.)
var factless = map[string]bool{"scope": true, "advice": true, "navigation": true, "definition": true, "example": true,
	"availability": true, "title": true, "lead-in": true, "introduces the list under its heading": true,
	"operations": true, "no place": true}

// StatesNoFact reports whether the claim site states no fact at all, so
// that a change of its words changes no claim.
func (c Claim) StatesNoFact() bool { return c.Disposition == NotTransfer && factless[c.Reason] }

// UnreadClaim is the warning kind of a claim site that says where data
// goes and was not read.
const UnreadClaim WarningKind = "unread_claim"

// site is a claim site being collected.
type site struct {
	Claim
	node     ast.Node
	pline    int   // the line of the paragraph a sentence stands in
	children []int // nested item sites (a list inside an item)
	index    int   // the site's place in the collected sites
	lead     bool  // the last sentence of a paragraph introducing a list
	list     ast.Node
	// ofList marks a site of a place list (placelist.go); of is then the
	// index of the lead-in sentence whose disposition it takes.
	ofList bool
	of     int
	// ofLead marks an item of a list after a lead-in that speaks of data
	// (not a place list): it takes the lead-in's disposition when it is
	// read into nothing and names no place of its own.
	ofLead bool
}

// ledger builds the page's claims after the readers ran.
func (x *extraction) ledger(doc ast.Node) {
	// A page has about a site a line (sentences of a paragraph, items,
	// rows): room for them all, not a growing slice copied as it grows.
	c := &collector{x: x, sites: make([]site, 0, len(x.lines))}
	c.blocks(doc)
	claimed := x.recordSites(c.sites)
	parent := map[int]int{}
	for i, s := range c.sites {
		for _, ch := range s.children {
			parent[ch] = i
		}
	}
	forced := map[int]bool{}  // lead-ins of place lists
	leadsOf := map[int]bool{} // lead-ins of other lists about data
	for _, s := range c.sites {
		if s.ofList {
			forced[s.of] = true
			leadsOf[s.of] = leadsOf[s.of] || s.ofLead
		}
	}
	disposed := map[int]*Claim{} // the sites' own claims, final once disposed
	claimOf := map[int]int{}     // site → its claim's index in the page's claims
	for i := range c.sites {
		s := &c.sites[i]
		// Every condition of a commitment is a claim site, whether or not
		// it names a place ("Customer must have an active Enterprise
		// Agreement."): a changed condition changes whom the commitment
		// covers.
		own, signalled := ownRecords(i, claimed, parent), x.governed(s) || x.signalled(s)
		if p, ok := claimOf[parent[i]]; ok && !own && !signalled && !forced[i] && !s.ofList && len(claimed[i]) > 0 {
			// An item read into its parent item's records (an
			// attribute listed under its service) is part of the
			// parent's claim: its text too, so that an attribute added
			// or removed changes the claim's text (issue 21, fields in
			// full).
			pc := &x.page.Claims[p]
			pc.Text += " " + s.Text
			pc.EndLine = max(pc.EndLine, pc.Line, s.EndLine, s.Line)
			claimOf[i] = p
			continue
		}
		switch {
		case !own && !signalled && s.ofList:
			// A list of places says what its lead-in says of them.
			lead, ok := disposed[s.of]
			if !ok {
				continue
			}
			s.Disposition, s.Reason, s.Records = lead.Disposition, lead.Reason, lead.Records
			if lead.Disposition == Unread {
				s.Reason = fmt.Sprintf("the places its lead-in (L%d) speaks of; the lead-in was not read", lead.Line)
				if s.ofLead {
					s.Reason = fmt.Sprintf("an item of the list its lead-in (L%d) introduces; the lead-in was not read", lead.Line)
				}
			}
		case !own && !signalled && !forced[i]:
			continue // a site read into records of its own is a claim whatever its words
		default:
			x.dispose(s, claimed, c.sites)
			if leadsOf[i] && s.Disposition == NotTransfer && s.Reason == "no place" {
				// A lead-in whose list holds no place either ("data for
				// the following services is also moved:"): what it says
				// of its items was not read, and says so.
				s.Disposition, s.Reason = Unread, "a lead-in whose list names no place; not read"
				from, end := s.span()
				x.warnUnread(s, from, end)
			}
			if lead, ok := disposed[s.of]; ok && s.ofLead && s.Disposition == NotTransfer && s.Reason == "no place" {
				// An item naming no place is what its lead-in says of it
				// ("Applicable customer data is …:" + "- SharePoint Online
				// site content and the files stored within that site").
				s.Disposition, s.Reason, s.Records = lead.Disposition, lead.Reason, lead.Records
				if lead.Disposition == Unread {
					s.Reason = fmt.Sprintf("an item of the list its lead-in (L%d) introduces; the lead-in was not read", lead.Line)
				}
			}
		}
		disposed[i] = &s.Claim
		claimOf[i] = len(x.page.Claims)
		x.page.Claims = append(x.page.Claims, s.Claim)
	}
	cov := &x.page.Coverage
	for _, cl := range x.page.Claims {
		cov.Claims++
		if cl.Disposition == Unread {
			cov.Unread++
		} else {
			cov.Accounted++
		}
	}
	if cov.Claims == 0 && len(x.page.Records) == 0 {
		x.warn(1, UnrecognisedPage, "no sentence of the page says where data goes: it may not be a residency page, or its wording is new to residiff")
	}
}

// servicesLeadRe is a lead-in naming its items as services ("data for
// the following services is also moved:", "applies to the following
// services within …:").
var servicesLeadRe = litmatch.MustCompile(`(?i)\bfollowing\s+(?:\w+\s+)?(?:services|workloads|products|applications|components)\b`)

// listsDataOrServices reports whether lead, the last sentence of a
// paragraph, introduces list as a list of data (the profile's
// data_lead_ins) or of services: a lead-in ending in a colon, speaking of
// data or naming a scope, whose list is not a commitment's conditions.
func (x *extraction) listsDataOrServices(lead string, list *ast.List) bool {
	if !strings.HasSuffix(strings.TrimSpace(lead), ":") || !x.saysOfData(lead) && len(x.opts.Profile.ScopesIn(lead)) == 0 || x.conditions[list] {
		return false
	}
	return x.opts.Profile.IsDataLeadIn(lead) || servicesLeadRe.MatchString(lead)
}

// collector walks the page's blocks into claim sites.
type collector struct {
	x        *extraction
	sites    []site
	headings []string // the heading chain, outermost first
	levels   []int
	// label is set while the last of headings is a bold paragraph read
	// as a heading (extraction.labels): the next heading or label ends it.
	label  bool
	chrome int
	narrow string // a scope label ("EU Data Residency:") under the heading
	// places is the place list after the last paragraph, and placeLead
	// the index of that paragraph's last sentence site.
	places    ast.Node
	placeLead int
	// ofLead says places is not a place list but any list after a lead-in
	// that ends with a colon and speaks of data.
	ofLead bool
	// split is a lead-in of a list of data or services followed by a
	// heading: its lists stand under the labelled headings ("Sensitivity
	// Labels:") after it, until a heading above its section.
	split *splitLead
}

// splitLead is a lead-in whose lists stand under headings: the index of
// its site and the heading level that ends it.
type splitLead struct{ site, level int }

// markPlaces marks the sites from index from on as sites of the place
// list n when n is the list the last paragraph introduced.
func (c *collector) markPlaces(n ast.Node, from int) {
	if n != c.places || c.places == nil {
		return
	}
	for i := from; i < len(c.sites); i++ {
		c.sites[i].ofList, c.sites[i].of, c.sites[i].ofLead = true, c.placeLead, c.ofLead
	}
	c.places, c.ofLead = nil, false
}

// endLabel closes the bold label standing as the innermost heading.
func (c *collector) endLabel() {
	if c.label {
		c.levels, c.headings, c.label = c.levels[:len(c.levels)-1], c.headings[:len(c.headings)-1], false
	}
}

func (c *collector) context(lead string) string {
	ctx := strings.Join(c.headings, " › ")
	if c.narrow != "" {
		ctx += " › " + c.narrow
	}
	if lead != "" {
		ctx += " ‖ " + lead
	}
	return ctx
}

func (c *collector) blocks(parent ast.Node) {
	x := c.x
	var lead string // the last paragraph's last sentence, for a list after it
	// cond is the condition lead-in ("Required Conditions:") governing the
	// paragraphs written as conditions after it: their context, as a
	// list's lead-in is its items'.
	var cond string
	for n := parent.FirstChild(); n != nil; n = n.NextSibling() {
		if !x.conditions[n] {
			cond = ""
		} else if prev, ok := n.PreviousSibling().(*ast.Paragraph); ok && !x.conditions[prev] {
			if sents := sentences(x.text(prev)); len(sents) > 0 {
				cond = sents[len(sents)-1]
			}
		}
		if h, ok := n.(*ast.Heading); ok {
			title := x.text(h)
			if c.chrome > 0 && h.Level <= c.chrome {
				c.chrome = 0
			}
			if c.chrome == 0 && x.opts.Profile.IsChromeHeading(title) {
				c.chrome = h.Level
			}
			c.endLabel()
			for len(c.levels) > 0 && c.levels[len(c.levels)-1] >= h.Level {
				c.levels, c.headings = c.levels[:len(c.levels)-1], c.headings[:len(c.headings)-1]
			}
			c.levels, c.headings = append(c.levels, h.Level), append(c.headings, title)
			c.narrow, lead = "", ""
			if c.split != nil && h.Level < c.split.level {
				c.split = nil // a heading above the lead-in's section ends its lists
			}
			continue
		}
		if c.chrome > 0 {
			continue
		}
		switch b := n.(type) {
		case *ast.Paragraph:
			if title, ok := x.labels[x.lineOf(b)]; ok {
				// A bold paragraph the readers took as a heading.
				c.endLabel()
				level := 1
				if len(c.levels) > 0 {
					level = c.levels[len(c.levels)-1] + 1
				}
				c.levels, c.headings, c.label = append(c.levels, level), append(c.headings, title), true
				c.narrow, lead = "", ""
				continue
			}
			if label := scopeLabel(x.opts.Profile, x.text(b)); label != "" {
				// "**EU Data Residency:**" narrows what follows: context.
				c.narrow = label
				lead = ""
				continue
			}
			from := len(c.sites)
			l := c.paragraph(b, "sentence", c.context(cond))
			if l != "" || x.saysOfData(x.text(b)) {
				lead = l // a paragraph saying nothing of data leaves the lead-in standing
			}
			c.places, c.ofLead = nil, false
			if pl, ok := x.placeListAfter(b); ok && len(c.sites) > from {
				c.places, c.placeLead = pl.node, len(c.sites)-1
			} else if nl := x.listAfter(b); nl != nil && nl == b.NextSibling() && l != "" && x.listsDataOrServices(l, nl) {
				// "When SharePoint Online is moved, data for the following
				// services is also moved:", "Applicable customer data is
				// …:": each item is what its lead-in says of it, so that
				// an item added or removed is a claim site that changed.
				c.places, c.placeLead, c.ofLead = nl, len(c.sites)-1, true
			}
			if h, ok := b.NextSibling().(*ast.Heading); ok && len(c.sites) > from && len(c.levels) > 0 {
				// "ADR applies to the following services within Purview
				// Information Protection:" then "#### Office Message
				// Encryption (OME):" and its list: the lead-in's lists
				// stand under labelled headings after it.
				if sents := sentences(x.text(b)); len(sents) > 0 && x.listsDataOrServices(sents[len(sents)-1], nil) {
					c.split = &splitLead{site: len(c.sites) - 1, level: min(c.levels[len(c.levels)-1], h.Level)}
				}
			}
		case *ast.List:
			// The lead-in stays for a list that goes on after a paragraph
			// saying nothing of data (as the extractor reads it).
			from := len(c.sites)
			if h, ok := b.PreviousSibling().(*ast.Heading); ok && c.split != nil && c.places == nil && strings.HasSuffix(strings.TrimSpace(x.text(h)), ":") {
				c.places, c.placeLead, c.ofLead = b, c.split.site, true
			}
			c.list(b, c.context(lead), -1)
			c.markPlaces(b, from)
		case *gast.Table:
			c.table(b)
			lead = ""
		case *ast.Blockquote:
			from := len(c.sites)
			for q := b.FirstChild(); q != nil; q = q.NextSibling() {
				if p, ok := q.(*ast.Paragraph); ok {
					c.paragraph(p, "callout", c.context(""))
				}
			}
			c.markPlaces(b, from)
			lead = ""
		case *ast.HTMLBlock:
			var raw strings.Builder
			for i := 0; i < b.Lines().Len(); i++ {
				seg := b.Lines().At(i)
				raw.Write(seg.Value(x.src))
			}
			if t := clean(htmlTagRe.ReplaceAllString(raw.String(), " ")); t != "" {
				c.add(site{Claim: Claim{Line: x.lineOf(b), Kind: "html", Text: t, Context: c.context("")}, node: b})
			}
			lead = ""
		default:
			lead = ""
		}
	}
}

// paragraph adds a site per sentence and returns the last sentence when
// the paragraph introduces the list that follows it.
func (c *collector) paragraph(p *ast.Paragraph, kind, ctx string) string {
	x := c.x
	raw := x.text(p)
	txt := x.opts.Profile.StripCallout(raw)
	if x.opts.Profile.IsMedia(txt) {
		return "" // a picture's alt text and file name state nothing
	}
	line := x.lineOf(p)
	off := offsetOf(p)
	var sents []string
	if kind == "callout" {
		for _, part := range x.opts.Profile.SplitCallouts(raw) {
			sents = append(sents, sentences(part)...) // two boxes in one paragraph
		}
	} else {
		sents = sentences(txt)
	}
	for _, s := range sents {
		l, end := line, 0
		if off >= 0 {
			l = x.lineOfText(off, s, line)
			end = x.lineOfEnd(s, l)
		}
		c.add(site{Claim: Claim{Line: l, EndLine: end, Kind: kind, Text: s, Context: ctx}, node: p, pline: line})
	}
	if l := x.listAfter(p); l != nil && len(sents) > 0 {
		c.sites[len(c.sites)-1].lead = true
		c.sites[len(c.sites)-1].list = l
		return sents[len(sents)-1]
	}
	return ""
}

// list adds a site per item (its own text, without nested lists) and the
// sites of nested lists under it.
func (c *collector) list(l *ast.List, ctx string, parent int) {
	x := c.x
	if isTableOfContents(l) {
		return // a scraped copy's "In this article": links to its own headings
	}
	for it := l.FirstChild(); it != nil; it = it.NextSibling() {
		var own []string
		var nested []*ast.List
		first, last := ast.Node(nil), ast.Node(nil)
		for b := it.FirstChild(); b != nil; b = b.NextSibling() {
			if nl, ok := b.(*ast.List); ok {
				nested = append(nested, nl)
				continue
			}
			if t := blockText(b, x.src); t != "" {
				own = append(own, t)
				if first == nil {
					first = b
				}
				last = b
			}
		}
		idx := -1
		if first != nil {
			idx = c.add(site{Claim: Claim{Line: x.lineOf(first), EndLine: x.lineOf(last), Kind: "item", Text: strings.Join(own, " "), Context: ctx}, node: it})
			if parent >= 0 {
				c.sites[parent].children = append(c.sites[parent].children, idx)
			}
		}
		for _, nl := range nested {
			under := ctx
			if idx >= 0 {
				under = ctx + " ‖ " + clipText(c.sites[idx].Text, 200)
			}
			c.list(nl, under, cmpIndex(idx, parent))
		}
	}
}

// ownRecords reports whether records were read from site i that its
// parent item does not already cite. Such a site is a claim even when its
// own words carry no signal ("- Authentication" under "keeps identity
// data for these services within Australian datacenters:"): every record
// is cited by a claim. An attribute listed under its service's item is
// part of that item's claim.
func ownRecords(i int, claimed [][]int, parent map[int]int) bool {
	if len(claimed[i]) == 0 {
		return false
	}
	p, ok := parent[i]
	if !ok {
		return true
	}
	for _, r := range claimed[i] {
		if !slices.Contains(claimed[p], r) {
			return true
		}
	}
	return false
}

// lineOfEnd returns the line a sentence starting at line from ends at: the
// line of its last word, its words found in order from that line on. A
// sentence running over a hard line break spans both lines, so that a
// record read from its second line is cited by it.
func (x *extraction) lineOfEnd(text string, from int) int {
	if from < 1 || from > len(x.lines) {
		return from
	}
	pos := x.lines[from-1]
	for at := 0; ; {
		start, end := longWord(text, at)
		if start < 0 {
			break
		}
		w := text[start:end]
		i := bytes.Index(x.src[pos:], []byte(w))
		if i < 0 {
			return from
		}
		pos += i + len(w)
		at = end
	}
	return x.lines.line(pos - 1)
}

func cmpIndex(idx, parent int) int {
	if idx >= 0 {
		return idx
	}
	return parent
}

// table adds a site per body row; the header is the rows' context.
func (c *collector) table(t *gast.Table) {
	x := c.x
	header, rows := x.tableCells(t)
	ctx := c.context(strings.Join(header, " | "))
	for _, cells := range rows {
		var parts []string
		line := 0
		for _, cell := range cells {
			parts = append(parts, x.text(cell))
			if l := x.lineOf(cell); line == 0 && l > 1 {
				line = l
			}
		}
		if line == 0 {
			line = x.lineOf(t)
		}
		c.add(site{Claim: Claim{Line: line, Kind: "row", Text: strings.Join(parts, " | "), Context: ctx}, node: t})
	}
}

func (c *collector) add(s site) int {
	if s.EndLine <= s.Line {
		s.EndLine = 0
	}
	s.index = len(c.sites)
	c.sites = append(c.sites, s)
	return s.index
}

// signalled reports whether a site says where data goes: a fact label, one
// of the profile's signals (a data verb, a phrase placing data), a place
// with a data word, or a spatial word with two data words.
func (x *extraction) signalled(s *site) bool {
	p := x.opts.Profile
	if x.labelled(s) {
		return true
	}
	text := siteText(s)
	if p.Signalled(text) {
		return true // a data verb or a phrase placing data says it alone
	}
	words := p.ClaimWordsIn(text)
	if words == 0 {
		// No data word: nothing said of data, unless a commitment is said
		// not to hold for a scope ("Viva Topics will no longer be a
		// supported workload in ADR").
		return x.bound(text) != ""
	}
	if len(p.ScopesIn(text)) > 0 || p.InCustomerRegion(text) {
		return true
	}
	if at := p.PlacesAt(text); len(at) > 0 {
		// A place with a data word, other than the place's own word:
		// "Global Administrator is a highly privileged role" names a place
		// ("Global") whose one word is its only data word, and says nothing
		// of data.
		if p.ClaimWordsIn(blankOwnWords(p, text, at)) > 0 || words >= 2 && p.Spatial(text) {
			return true
		}
		// Its own word alone is a site only as what the profile reads as
		// no transfer ("Azure AD B2C is available worldwide via the Azure
		// public cloud": availability).
		return p.NotTransfer(text) != ""
	}
	if words >= 2 && p.Spatial(text) {
		return true
	}
	// Advice, a condition, a definition about data ("Customers must
	// evaluate each app to determine how the apps treat identity data and
	// whether they meet the company's data storage requirements"): a
	// site, accounted as no transfer; or a bound of a commitment.
	return p.NotTransfer(text) != "" || x.bound(text) != ""
}

// blankOwnWords is text with each place that is one data word ("Global",
// "worldwide") written over with spaces.
func blankOwnWords(p *source.Profile, text string, at []source.Location) string {
	var b []byte
	for _, l := range at {
		if w := strings.TrimSpace(text[l.Start:l.End]); w == "" || strings.ContainsRune(w, ' ') || p.ClaimWordsIn(w) == 0 {
			continue
		}
		if b == nil {
			b = []byte(text)
		}
		for i := l.Start; i < l.End; i++ {
			b[i] = ' '
		}
	}
	if b == nil {
		return text
	}
	return string(b)
}

// onlyLink reports whether a list item is one link and nothing else: a
// pointer to another page, whose title says what that page is about.
func onlyLink(item ast.Node, src []byte) bool {
	if item == nil || item.ChildCount() != 1 {
		return false
	}
	b := firstBlock(item)
	if b == nil {
		return false
	}
	links := 0
	for c := b.FirstChild(); c != nil; c = c.NextSibling() {
		switch n := c.(type) {
		case *ast.Link:
			links++
		case *ast.Text:
			if len(bytes.TrimSpace(n.Segment.Value(src))) > 0 {
				return false
			}
		default:
			return false
		}
	}
	return links == 1
}

// siteText is a site's words as the signal reads them: without
// addresses, and for a row with its header, which says what its cells are
// ("Sign-in logs").
func siteText(s *site) string {
	text := s.Text
	if strings.IndexByte(text, '/') >= 0 { // every address urlRe matches holds a slash
		text = urlRe.ReplaceAllString(text, " ")
	}
	if s.Kind == "row" {
		_, header, _ := strings.Cut(s.Context, " ‖ ")
		text += " " + header
	}
	return text
}

// labelled reports whether a list item starts with a fact label.
func (x *extraction) labelled(s *site) bool {
	if s.Kind != "item" {
		return false
	}
	label, _, ok := leadStrong(firstBlock(s.node), x.src)
	return ok && x.factKey(label) != ""
}

// placed reports whether text names a place, a scope, the customer's
// region or a spatial word: whether it can say where data goes at all.
func (x *extraction) placed(text string) bool {
	p := x.opts.Profile
	return len(p.PlacesIn(text)) > 0 || len(p.ScopesIn(text)) > 0 || p.InCustomerRegion(text) || p.SaysWhere(text)
}

// durationRe finds a stated retention period ("for 30 days").
var durationRe = litmatch.MustCompile(`(?i)\bfor (?:up to |at least |a maximum of |more than |less than )?\d+ (?:days?|weeks?|months?|years?)\b`)

// urlRe finds addresses: the words of a URL say nothing of where data goes.
var urlRe = litmatch.MustCompile(`\bhttps?://\S+|\b[\w.-]+\.(?:com|net|org|ms)/\S*`)

// recordSites maps each site to the records read from it: a record stands
// at a site's lines (or, from prose, was read from the site's sentence),
// and a record read from a list item covers the lists nested under it.
func (x *extraction) recordSites(sites []site) [][]int {
	byLine := map[int][]int{}
	for i, lines := range x.recLines {
		if x.fromProse[i] {
			continue
		}
		for _, l := range lines {
			byLine[l] = append(byLine[l], i)
		}
	}
	// The sentences the prose reader made records of, by line: a site
	// cites those standing in its lines whose words it holds (the reader
	// may split a paragraph where the ledger does not, at a footnote's
	// "(2)" after a hard line break).
	type proseRead struct {
		line     int
		sentence string
		recs     []int
	}
	var prose []proseRead
	for k, recs := range x.covered {
		if l, sentence, ok := strings.Cut(k, "\x00"); ok {
			n, _ := strconv.Atoi(l)
			prose = append(prose, proseRead{n, sentence, recs})
		}
	}
	out := make([][]int, len(sites))
	var cover func(i int, recs []int)
	cover = func(i int, recs []int) {
		for _, r := range recs {
			if !slices.Contains(out[i], r) {
				out[i] = append(out[i], r)
			}
		}
		for _, ch := range sites[i].children {
			cover(ch, recs)
		}
	}
	for i := range sites {
		s := &sites[i]
		var recs []int
		from, end := s.span()
		for l := from; l <= end; l++ {
			recs = append(recs, byLine[l]...)
		}
		for _, p := range prose {
			if p.line >= from && p.line <= end && strings.Contains(s.Text, p.sentence) {
				recs = append(recs, p.recs...)
			}
		}
		if s.Kind == "item" {
			// an item read through the prose reader is read whole
			recs = append(recs, x.covered[strconv.Itoa(s.Line)]...)
		}
		if len(recs) > 0 {
			cover(i, recs)
		}
	}
	return out
}

// span is the lines a site's records may stand at: from its paragraph's
// first line to its own last line.
func (s *site) span() (from, to int) {
	from = s.Line
	if s.pline > 0 {
		from = s.pline
	}
	return from, max(s.Line, s.EndLine)
}

func coverKey(line int, sentence string) string { return strconv.Itoa(line) + "\x00" + sentence }

// dispose gives a signalled site its disposition, warning when it was not
// read.
func (x *extraction) dispose(s *site, claimed [][]int, sites []site) {
	recs := claimed[s.index]
	slices.Sort(recs)
	if len(recs) > 0 {
		s.Records = recs
		s.Disposition = StatedInRegion
		for _, r := range recs {
			if x.page.Records[r].Category.Excluding() {
				s.Disposition = AsRecord
			}
		}
		return
	}
	from, end := s.span()
	if why := x.bound(siteText(s)); why != "" {
		// A service leaving a scope ("Viva Topics will no longer be a
		// supported workload in ADR"), a guarantee of where data goes
		// denied ("doesn't guarantee email routing through a dedicated
		// geo-specific region"): what the commitment no longer covers is
		// not read, and never reads as no transfer or as in region, nor
		// through a pointer beside it (BLIND5 classes 1 and 5).
		s.Disposition = Unread
		s.Reason = "it limits a commitment (" + why + "); residiff does not read what it leaves out"
		// Its own warning, whatever another sentence of its paragraph
		// was warned of, and one that hides no other's.
		x.ownWarning(Warning{Line: s.Line, Kind: UnreadClaim, Section: lastHeading(s.Context),
			Message: fmt.Sprintf("this %s limits a commitment (%s) but was not read: %q", kindWord(s.Kind), why, clipText(s.Text, 200))})
		return
	}
	for _, ref := range x.page.References {
		if ref.Line >= from && ref.Line <= end {
			s.Disposition = AsReference
			if ref.Category == InRegion {
				s.Reason = CommitmentPointer
			}
			return
		}
	}
	if why := x.opts.Profile.NotTransfer(s.Text); why == "scope" || why == "availability" {
		// The page describing itself, or where the service runs
		// ("Datacenters for Azure AD Multi-Factor Authentication exist
		// in North America, Europe, and Asia Pacific"), though the
		// readers took it as the lead-in of the list after it: what the
		// sentence says of itself holds whatever the list says.
		s.Disposition, s.Reason = NotTransfer, why
		return
	}
	if pl := x.pageLead; pl != nil && pl.line >= from && pl.line <= end && len(x.page.Records) > 0 {
		s.Disposition, s.Reason = NotTransfer, "lead-in"
		return
	}
	if s.lead && listRead(s.list, claimed, sites) {
		s.Disposition, s.Reason = NotTransfer, "lead-in"
		return
	}
	if s.Kind == "item" && onlyLink(s.node, x.src) {
		s.Disposition, s.Reason = NotTransfer, "navigation" // a link's title names another page
		return
	}
	if t := x.foldedTitle(); t != "" && len(s.Text) < len(x.page.Title)+60 && strings.Contains(foldWords(s.Text), t) {
		s.Disposition, s.Reason = NotTransfer, "title"
		return
	}
	if why := x.notTransferThrough(s); why != "" && (why != "past" || !x.deniesPresence(s.Text)) {
		// "No longer stored in the Local Region Geography" is no
		// account of the past: it says where the data is not now.
		s.Disposition, s.Reason = NotTransfer, why
		return
	}
	if s.Kind == "row" && x.opts.Profile.NotTransfer(siteText(s)) == "conditional" {
		// A row of a table of the options a customer puts its tenant
		// in, as its header says ("| Regional | … | At rest, in the
		// target region | … |", "| Worldwide | Worldwide | All
		// locations | … |" under "Put a tenant in this model"): where
		// data is once the customer chose it, a condition on the
		// customer's own choice, whatever other cells say (support
		// given "globally").
		s.Disposition, s.Reason = NotTransfer, "conditional"
		return
	}
	if x.condition(s) {
		// A prerequisite of the commitment ("Tenant has a valid Advanced
		// Data Residency subscription …", "For existing Tenant that has
		// data stored in a Macro Region Geography, the … Admin must opt
		// in to move the Tenant data into the Local Region Geography"):
		// it places no data outside, it says when the commitment holds.
		s.Disposition, s.Reason = NotTransfer, "conditional"
		return
	}
	if introduces(s, claimed, sites, x.page.References) {
		s.Disposition, s.Reason = NotTransfer, "introduces the list under its heading"
		return
	}
	st := x.pageStatement(s.Text)
	switch {
	case st.example:
		// An illustration of what a person can or cannot do: its places
		// are the example's.
		s.Disposition, s.Reason = NotTransfer, "example"
		return
	case st.negated && !st.outside && !st.global && x.negatedThrough(s.Text):
		if !x.deniesPresence(s.Text) {
			s.Disposition, s.Reason = NotTransfer, "negated"
			return
		}
		// Data said not to be in the region, or left behind by a move
		// into it, is not in the region: it stays unread below.
	case (st.located() && !st.outside && !st.global && len(st.unknown) == 0 && x.onlyInside(st) ||
		!st.outside && !st.global && x.opts.Profile.InCustomerRegion(s.Text)) && !x.notYet(s.Text):
		s.Disposition = StatedInRegion
		return
	}
	if !x.labelled(s) && !x.placed(siteText(s)) {
		if where := x.withinServices(siteText(s)); where != "" {
			// "Data is stored within Exchange Online, SharePoint Online
			// and Microsoft Teams": the data is where those services keep
			// theirs, a location residiff does not resolve. It says where
			// data is: never a silent "no place" (BLIND5 class 6).
			s.Disposition = Unread
			s.Reason = "it places data within other services (" + where + "); residiff does not read where they keep it"
			// Its own warning, which hides no other sentence's on its
			// line, as a bound's.
			x.ownWarning(Warning{Line: s.Line, Kind: UnreadClaim, Section: lastHeading(s.Context),
				Message: fmt.Sprintf("this %s places data within other services (%s), where they keep theirs, but was not read: %q",
					kindWord(s.Kind), where, clipText(s.Text, 200))})
			return
		}
		// A data verb with no place, no spatial word and no customer's
		// region says what is done with data, or for how long it is
		// kept, not where it goes. A retention period is a fact: its
		// site is not factless, so a changed period is a changed claim.
		s.Disposition, s.Reason = NotTransfer, "no place"
		if durationRe.MatchString(s.Text) {
			s.Reason = "retention period, no place"
		}
		return
	}
	s.Disposition = Unread
	s.Reason = "no reader of residiff understood it"
	if s.Kind == "html" {
		s.Reason = "raw HTML is not read"
	}
	x.warnUnread(s, from, end)
}

// ownWarning adds a warning of one site that no other site's warning at
// its lines hides, and that hides none (warnSite).
func (x *extraction) ownWarning(w Warning) {
	if x.ownWarned == nil {
		x.ownWarned = map[int]bool{}
	}
	x.ownWarned[len(x.page.Warnings)] = true
	x.page.Warnings = append(x.page.Warnings, w)
}

// withinRe is a preposition of location and the capitalised name after
// it (up to four words): group 1 is the name.
var withinRe = litmatch.MustCompile(`\b(?:in|within|inside)\s+(?:the\s+)?([A-Z][\w-]*(?:\s+[A-Z][\w-]*){0,3})`)

// withinServices returns the service text places data in, after a data
// verb, when the place is a service ("Data is stored within Exchange
// Online, SharePoint Online and Microsoft Teams"; "stored in SharePoint"),
// or "": a location given relative to where other services keep their
// data. The name is the first the sentence places data in.
func (x *extraction) withinServices(text string) string {
	p := x.opts.Profile
	for _, sent := range sentences(text) {
		for _, m := range withinRe.FindAllStringSubmatchIndex(sent, -1) {
			// The data verb governs the place: at most three words
			// stand between them ("stores customer data in OneDrive",
			// "Data stored is maintained within").
			words := strings.Fields(sent[:m[0]])
			if !p.HasDataVerb(strings.Join(words[max(0, len(words)-4):], " ")) {
				continue
			}
			name := sent[m[2]:m[3]]
			for name != "" {
				if svc := x.serviceNamed(name); svc != "" && !x.ownService(svc) {
					return name
				}
				i := strings.LastIndexByte(name, ' ')
				if i < 0 {
					break
				}
				name = name[:i]
			}
		}
	}
	return ""
}

// serviceNamed is the service a capitalised name is, or starts with,
// or "".
func (x *extraction) serviceNamed(name string) string {
	p := x.opts.Profile
	if x.isService(name) && !p.StartsWithCompany(name) || p.NotPlace(name) {
		return name
	}
	return x.knownIn(name)
}

// ownService reports whether a service is the page's or its section's:
// data stored within the service the page is about is where the page
// says that service keeps it ("the user's credentials are stored in
// Azure AD B2C directory" on Azure AD B2C's page, "the metadata … is
// stored within SharePoint" on SharePoint's), as is the product's.
func (x *extraction) ownService(name string) bool {
	id := x.opts.Aliases.ID(name)
	for _, s := range []string{x.opts.Profile.Product.Name, x.pageSubject(), x.sectionService(), x.page.Title} {
		if s != "" && (x.opts.Aliases.ID(s) == id || strings.Contains(foldWords(s), foldWords(name))) {
			return true
		}
	}
	return false
}

// notYet reports whether a sentence of text says where the data is only
// before or during a move of it: a clause the profile's move times open
// ("until", "once", "while", "during", "being moved": source.Profile's
// MoveTimes) that names a move, waiting on it or running beside it
// ("Tenants remain eligible for a data residency commitment … in their
// respective Local Region Geography—once their in scope customer data has
// been migrated to that location"; "Outlook for Mac users may experience
// a temporary loss of access … while you move their mailbox to a new geo
// location. This condition occurs when the user's … primary and archive
// mailboxes are in different geo locations"). Such a site never says the
// data stays in the region (BLIND4 class 2: the Data Location Card's
// scenario of a tenant outside the Legacy Move Program; BLIND5 class 3:
// Exchange Multi-Geo's state during a mailbox move, both disposed
// in_region); it stays unread, and warned, unless a record reads it.
// Which words tell the time is the profile's; the property is the
// extractor's: a place given for the time of a move not done.
func (x *extraction) notYet(text string) bool {
	pending, rest := x.moveTime(text)
	return pending && x.placed(rest)
}

// moveTime splits text at the profile's move times: pending tells whether
// a clause waits on, or runs beside, a move of data not done; rest is the
// text's words outside such clauses.
func (x *extraction) moveTime(text string) (pending bool, rest string) {
	p := x.opts.Profile
	if p.MoveTimesIn(text) == nil {
		return false, text
	}
	// pending tells whether a clause waits on, or runs beside, a move;
	// rest is the site's words outside such clauses, which must say where
	// the data is: "No action is needed from the customer while Microsoft
	// moves each ADR workload … to the customer's eligible Local Region
	// Geography" says where the move takes the data, no state during it.
	var b strings.Builder
	for _, sent := range sentences(text) {
		from := 0
		for _, m := range p.MoveTimesIn(sent) {
			if m[0] < from {
				continue
			}
			clause := sent[m[1]:]
			if e := strings.IndexAny(clause, ".;:,"); e >= 0 {
				clause = clause[:e]
			}
			if p.HasDataVerb(sent[m[0]:m[1]]) {
				// The phrase names the move itself ("being moved"): a
				// participle's phrase, which ends where the verb of the
				// noun it qualifies begins ("Mailboxes being moved to a
				// new geo location have their parts in different geo
				// locations").
				if e := finiteVerbRe.FindStringIndex(clause); e != nil {
					clause = clause[:e[0]]
				}
			}
			if p.HasDataVerb(sent[m[0] : m[1]+len(clause)]) {
				pending = true
				b.WriteString(sent[from:m[0]])
				b.WriteString(" ")
				from = m[1] + len(clause)
			}
		}
		b.WriteString(sent[from:])
		b.WriteString(" ")
	}
	return pending, b.String()
}

// finiteVerbRe is a finite verb of being or having, which ends a
// participle's phrase before it.
var finiteVerbRe = litmatch.MustCompile(`\b(?:is|are|was|were|has|have|had|remains?|stays?|will|can|may|might)\b`)

// condition reports whether a site is a condition of a commitment
// (governed: an item of a list of its conditions, or a paragraph written
// as one) that places no data outside the region or globally once the
// customers it is about are put aside: a leading "For existing Tenant that has data stored in …," says
// whom the condition is for, not where their data goes. A condition that
// does send data out stays a claim (unread, so warned).
func (x *extraction) condition(s *site) bool {
	if !x.governed(s) {
		return false
	}
	text := s.Text
	if m := forWhomRe.FindStringIndex(text); m != nil {
		text = text[m[1]:]
	}
	st := x.pageStatement(text)
	return !st.outside && !st.global
}

// governed reports whether a site is a condition a condition lead-in
// governs: an item of a list of a commitment's conditions, or a sentence
// of a paragraph written as one (extraction.conditions).
func (x *extraction) governed(s *site) bool {
	if s.Kind != "item" && s.Kind != "sentence" || x.conditions == nil {
		return false
	}
	for n := s.node; n != nil; n = n.Parent() {
		if x.conditions[n] {
			return true
		}
	}
	return false
}

// forWhomRe is a sentence's opening phrase naming the customers it is
// about ("For existing Tenant that has data stored in a Macro Region
// Geography, …").
var forWhomRe = litmatch.MustCompile(`(?i)^\s*for\s+(?:(?:an?|the|all|any|each|every|new|existing)\s+)*[_*]?(?:tenants?|customers?|organi[sz]ations?|subscriptions?|users?)[_*]?\b[^,.;:]*,\s*`)

// notTransferThrough is the profile's reason a site states no transfer
// (advice, the past, a condition on the customer's choice, …), when
// every sentence of the site that says where data goes has one: a
// sentence's reason is that sentence's, never its neighbours'. An item
// that ends on a pointer ("… Exchange admin audit events are also only
// available for the default location. For more information, see Manage
// mailbox auditing.") is not advice as a whole, nor is an item whose
// example says a customer "no longer" meets a requirement the past
// (BLIND4 classes 11 and 12: both were disposed as a whole, silently).
// The first reason of the site's sentences is its reason.
func (x *extraction) notTransferThrough(s *site) string {
	p := x.opts.Profile
	sents := sentences(s.Text)
	if s.Kind == "row" || len(sents) < 2 {
		return p.NotTransfer(s.Text)
	}
	why := ""
	for _, sent := range sents {
		if r := p.NotTransfer(sent); r != "" {
			if why == "" {
				why = r
			}
			continue
		}
		one := &site{Claim: Claim{Kind: "sentence", Text: sent}}
		if x.signalled(one) && x.placed(siteText(one)) {
			return "" // a sentence of its own says where data goes
		}
	}
	if why == "" {
		return p.NotTransfer(s.Text) // a reason only the sentences together hold
	}
	return why
}

// negatedThrough reports whether every sentence of text that places data
// says where it is not: one denial ("MDO P1 does not store any customer
// data") does not stand for the next sentence's claim ("all processing …
// is performed within the Local Region Geography").
func (x *extraction) negatedThrough(text string) bool {
	sents := sentences(text)
	if len(sents) < 2 {
		return true
	}
	for _, sent := range sents {
		one := &site{Claim: Claim{Kind: "sentence", Text: sent}}
		if !x.pageStatement(sent).negated && x.signalled(one) && x.placed(siteText(one)) {
			return false
		}
	}
	return true
}

// placePrepRe opens a phrase that says where data is put: where it is or
// is brought ("stored in", "migrated to", "kept within", "moved into"),
// or where it is taken from ("transferred from", "moved out of", "kept
// outside"), groups 1 and 2.
var placePrepRe = litmatch.MustCompile(`(?i)\b(?:(in|into|to|within|inside|at)|(from|out of|outside(?: of)?|beyond))\s`)

// otherPlaceRe is a place named as one the data is not in now ("other
// regions", "another geography", "a different datacenter"): a denied move
// there keeps the data where it is.
var otherPlaceRe = litmatch.MustCompile(`(?i)\b(?:other|another|different|foreign)\b`)

// deniesPresence reports whether a sentence of text denies that data is
// in, or is brought into, a place the region holds or one the sentence
// names only relatively: "Viva Topics customer data will not be migrated
// to new local regions", "mailbox content is not stored in the new
// Geography", "is not stored at rest within the customer's eligible Local
// Region Geography". Data said not to be in the region is the opposite of
// no transfer (BLIND4 class 7, BLIND5 class 2: such sentences were
// disposed `negated`, silently). Which way the negation points is read
// from the phrase that places the data: a denial points out of the region
// when that phrase is where data would come from ("is not transferred
// from the EU", "is not moved out of the Local Region Geography"), or a
// place outside it ("is not replicated to the United States", "to other
// regions"); that denies a transfer. Only a negation of the sentence's
// first data verb counts: "previously stored in" is the past, no denial.
func (x *extraction) deniesPresence(text string) bool {
	p := x.opts.Profile
	for _, sent := range sentences(text) {
		verbs := findVerbs(p, sent)
		if len(verbs) == 0 {
			continue
		}
		v := verbs[0]
		if _, aux := trimAux(sent[:v[0]]); !p.Negated(aux) && !p.NegatedAfter(sent[v[1]:]) {
			continue
		}
		// The denied verb's own clause: up to its end or a contrast
		// ("which are not stored but are a reference link …").
		after := sent[v[1]:]
		if e := contrastEndRe.FindStringIndex(after); e != nil {
			after = after[:e[0]]
		}
		if e := strings.IndexAny(after, "()"); e >= 0 {
			after = after[:e]
		}
		ms := placePrepRe.FindAllStringSubmatchIndex(after, -1)
		for i, m := range ms {
			end := len(after)
			if i+1 < len(ms) {
				end = ms[i+1][0]
			}
			phrase := after[m[1]:end]
			if !x.placed(phrase) {
				continue // "at rest", "in plain text": no place
			}
			if m[4] >= 0 || otherPlaceRe.MatchString(phrase) || userOutsideRe.MatchString(phrase) {
				break // where data would come from, or go to: out of the region
			}
			if phrase, _ := p.OutsideIn(phrase); phrase != "" {
				break
			}
			if !slices.ContainsFunc(p.PlacesIn(phrase), func(pl string) bool { return !x.inside(pl) }) {
				return true
			}
			break
		}
	}
	return false
}

// warnUnread warns of an unread site, unless a warning at its lines
// already says so.
func (x *extraction) warnUnread(s *site, from, end int) {
	x.warnSite(s, from, end, fmt.Sprintf("this %s says where data goes but was not read: %q", kindWord(s.Kind), clipText(s.Text, 200)))
}

// warnSite warns of an unread site with msg, unless a warning at its lines
// already says so.
func (x *extraction) warnSite(s *site, from, end int, msg string) {
	for i, w := range x.page.Warnings {
		if (w.Kind.Blinding() || w.Kind == AmbiguousLocation) && w.Line >= from && w.Line <= end && !x.ownWarned[i] {
			return // already said at this line
		}
	}
	x.page.Warnings = append(x.page.Warnings, Warning{Line: s.Line, Kind: UnreadClaim, Section: lastHeading(s.Context), Message: msg})
}

// bound returns the name of the commitment bound text states (the
// profile's Bounds) when text also names a scope or says where, or "": a
// withdrawal or a denied guarantee about nothing residency speaks of
// ("doesn't guarantee that every message arrives") is no claim.
func (x *extraction) bound(text string) string {
	p := x.opts.Profile
	why := p.Bound(text)
	if why == "" {
		return ""
	}
	if len(p.ScopesIn(text)) > 0 || p.SaysWhere(text) || p.ClaimWordsIn(text) > 0 {
		return why
	}
	return ""
}

// foldedTitle is foldWords of the page's title, folded once per page.
func (x *extraction) foldedTitle() string {
	if x.titleFold == nil {
		t := foldWords(x.page.Title)
		x.titleFold = &t
	}
	return *x.titleFold
}

// onlyInside reports whether every place a statement names lies in the
// page's region.
func (x *extraction) onlyInside(st statement) bool {
	if st.inRegion {
		return true
	}
	for _, l := range append(slices.Clone(st.atRest), st.process...) {
		for _, pl := range x.opts.Profile.PlacesIn(l) {
			if !x.inside(pl) {
				return false
			}
		}
	}
	return len(st.atRest)+len(st.process) > 0
}

// groupRe is a sentence about an unnamed group of services ("Some
// services have work in progress…", "Certain features do not yet…").
var groupRe = litmatch.MustCompile(`(?i)^(?:additionally,\s*|however,\s*|also,\s*|for\s+)?(?:some|certain|several|a few|other|these|the following)\b[^.]{0,60}?\b(?:services?|components?|features?|capabilities|workloads)\b`)

// introduces reports whether a sentence about an unnamed group of services
// stands under a heading whose list was read: it sums up that list.
func introduces(s *site, claimed [][]int, sites []site, refs []Reference) bool {
	if s.Kind != "sentence" || !groupRe.MatchString(s.Text) {
		return false
	}
	head, _, _ := strings.Cut(s.Context, " ‖ ")
	for _, r := range refs {
		if r.Line > s.Line && r.Section != "" && strings.Contains(head, r.Section) {
			return true // its list is kept on another page
		}
	}
	for i := s.index + 1; i < len(sites); i++ {
		// The list under its own heading: items or rows after it, under
		// that heading and not under a deeper one (a later section's
		// entries are that section's, not what the sentence sums up).
		h, _, _ := strings.Cut(sites[i].Context, " ‖ ")
		if h != head {
			break
		}
		if len(claimed[i]) > 0 && (sites[i].Kind == "item" || sites[i].Kind == "row") {
			return true
		}
	}
	return false
}

// listRead reports whether the list a lead-in introduces yielded records.
func listRead(list ast.Node, claimed [][]int, sites []site) bool {
	for i := range sites {
		if len(claimed[i]) == 0 || sites[i].Kind != "item" {
			continue
		}
		for n := sites[i].node.Parent(); n != nil; n = n.Parent() {
			if n == list {
				return true
			}
		}
	}
	return false
}

func lastHeading(ctx string) string {
	ctx, _, _ = strings.Cut(ctx, " ‖ ")
	if i := strings.LastIndex(ctx, " › "); i >= 0 {
		return ctx[i+len(" › "):]
	}
	return ctx
}

func kindWord(kind string) string {
	switch kind {
	case "row":
		return "table row"
	case "item":
		return "list item"
	case "html":
		return "HTML block"
	}
	return kind
}

// foldWords lower-cases s and keeps its letters and digits, one space
// between words.
func foldWords(s string) string {
	return strings.Join(strings.FieldsFunc(textcase.Lower(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	}), " ")
}
