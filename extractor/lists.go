package extractor

import (
	"cmp"
	"slices"
	"strings"

	"github.com/residiff/residiff/internal/litmatch"
	"github.com/residiff/residiff/internal/textcase"
	"github.com/yuin/goldmark/ast"
)

// Lists: fact blocks as bullets, bold or linked service labels with a
// description under a heading that names the category, services listed
// after a lead-in sentence that says where their data is, sentences about
// the service a heading names, and bare lists of data items on a page that
// says everything listed leaves the region.

func (x *extraction) list(l *ast.List) {
	x.afterTable = false
	if isTableOfContents(l) {
		return // a scraped copy's "In this article": links to its own headings
	}
	if x.conditionList(l) {
		// "Required Conditions:" — the prerequisites of the commitment
		// below them: no item says where the service's data is.
		if x.conditions == nil {
			x.conditions = map[ast.Node]bool{}
		}
		x.conditions[l] = true
		return
	}
	if x.isFactList(l) {
		x.factList(l)
		return
	}
	if x.lead != nil {
		x.leadList(l, x.lead)
		return
	}
	if x.termsList(l) {
		return
	}
	sec := x.cur()
	read := false
	for it := l.FirstChild(); it != nil; it = it.NextSibling() {
		first := firstBlock(it)
		if first == nil {
			continue
		}
		line := x.lineOf(first)
		if label, rest, ok := leadStrong(first, x.src); ok {
			value := trimSeparator(textFrom(rest, x.src))
			if more := afterFirst(it, first, x.src); more != "" {
				value = strings.TrimSpace(value + " " + more)
			}
			if key := x.factKey(label); key != "" {
				x.fact(key, value, line)
				read = true
				continue
			}
			if sec.category != "" {
				x.flushFacts()
				for _, name := range x.splitLabel(strings.TrimRight(label, ":")) {
					x.describedService(name, value, nestedItems(it, x.src), line)
				}
				read = true
			} else if x.isService(strings.TrimSpace(strings.TrimRight(label, ".:"))) && x.boldLabelParagraph(label, value, line) {
				// "- **Office 365 Education:** If Customer … Microsoft may
				// … store Customer Data at rest anywhere within …": the
				// service's entry, as the paragraph would be.
				read = true
			}
			continue
		}
		if name, _, rest, ok := leadLink(first, x.src); ok && sec.category != "" {
			after := textFrom(rest, x.src)
			if strings.HasPrefix(after, ":") || strings.HasPrefix(after, "-") || strings.HasPrefix(after, " -") {
				x.flushFacts()
				x.describedService(name, trimSeparator(after), "", line)
				read = true
			}
		}
	}
	if read || sec.category != "" {
		return
	}
	if x.pageLead != nil && sec.service != "" && sec.level > 1 && x.dataItems(l) {
		// Under a page-wide lead ("… commitments to store certain
		// customer data at rest in … The commitments are specified as
		// follows."), a workload section's list that states nothing itself
		// is that workload's data, as its siblings' lead-ins say.
		x.bareList(l, sec, true)
		return
	}
	if x.sectionService() != "" {
		// Bullets under a service's heading state its facts.
		for it := l.FirstChild(); it != nil; it = it.NextSibling() {
			if t := x.text(it); t != "" {
				if x.opts.Profile.SpeaksOfLocation(t) {
					sec.located = true
				}
				x.statements(t, x.lineOf(it), "", modeProse)
			}
		}
		return
	}
	if x.pageLead != nil && sec.level > 1 && !x.opts.Profile.IsGenericHeading(sec.title) {
		x.bareList(l, sec, false)
		return
	}
	if !x.opts.Profile.IsGenericHeading(sec.title) {
		// Bullets that are sentences are prose; "**Term** - definition"
		// bullets define words.
		for it := l.FirstChild(); it != nil; it = it.NextSibling() {
			if _, _, def := leadStrong(firstBlock(it), x.src); def {
				continue
			}
			if t := x.text(firstBlock(it)); len(strings.Fields(t)) > 8 {
				x.statements(t, x.lineOf(it), "", modeProse)
			}
		}
	}
}

// conditionList reports whether a list is the conditions a commitment
// holds under: the last sentence of the paragraph before it is a lead-in
// of the profile's condition_lead_ins.
func (x *extraction) conditionList(l *ast.List) bool {
	p, ok := l.PreviousSibling().(*ast.Paragraph)
	if !ok {
		return false
	}
	sents := sentences(x.text(p))
	return len(sents) > 0 && x.opts.Profile.IsConditionLeadIn(sents[len(sents)-1])
}

// conditionParagraph reports whether a paragraph is a condition a
// commitment holds under, written as a paragraph: it follows a paragraph
// ending in a lead-in of the profile's condition_lead_ins ("Required
// Conditions:"), or such a condition paragraph, with nothing between. A
// paragraph that is no condition ends them: a bold label ("**Commitment:**"),
// the lead-in of something else (it ends with a colon), or a pointer that
// sends the reader to another text ("For current language, please refer
// to the … Product Terms") — the commitment itself, not a prerequisite.
func (x *extraction) conditionParagraph(p *ast.Paragraph) bool {
	prev, ok := p.PreviousSibling().(*ast.Paragraph)
	if !ok {
		return false
	}
	if !x.conditions[prev] {
		sents := sentences(x.text(prev))
		if len(sents) == 0 || !x.opts.Profile.IsConditionLeadIn(sents[len(sents)-1]) {
			return false
		}
	}
	txt := strings.TrimSpace(x.text(p))
	if _, _, bold := leadStrong(p, x.src); bold || txt == "" || strings.HasSuffix(txt, ":") || x.opts.Profile.RefersElsewhere(txt) {
		return false
	}
	return !x.statesOwn(txt)
}

// itemNotTransfer reports whether an item under a lead-in, placing
// nothing itself, says of itself that it states no transfer: its text
// gives a reason (advice, a reference …), or one of its sentences does and
// none of the others stores or moves data, which the lead-in would place.
// "Any service or app that integrates with Azure AD can read identity
// data. Check how each service and app processes identity data …" is
// advice whatever the lead-in says; "B2B stores its metadata in tables.
// See …" is the lead-in's exclusion.
func (x *extraction) itemNotTransfer(desc string) bool {
	p := x.opts.Profile
	if p.NotTransfer(desc) != "" {
		return true
	}
	why := false
	for _, sent := range sentences(desc) {
		if p.NotTransfer(sent) != "" {
			why = true
			continue
		}
		if p.HasDataVerb(sent) {
			return false
		}
	}
	return why
}

// obligationRe is the modality of a requirement: what must be so, not
// what is.
var obligationRe = litmatch.MustCompile(`(?i)\b(?:must|required|requires?|needs? to|has to|have to)\b`)

// statesOwn reports whether a paragraph is a statement of its own, not a
// condition: a sentence of it places data by its own data verb and
// requires nothing ("Microsoft stores Exchange Online mailbox content at
// rest in the Local Region Geography"). It ends the run of condition
// paragraphs after "Required Conditions:", as a heading or a bold label
// does. A condition that names a place with no data verb ("Tenant has a
// sign-up country/region included in Local Region Geography, …") or
// requires the data placed ("… must be stored in …") stays one.
func (x *extraction) statesOwn(txt string) bool {
	for _, sent := range sentences(txt) {
		if !obligationRe.MatchString(sent) && x.pageStatement(sent).located() {
			return true
		}
	}
	return false
}

// termsList reads a list that states a commitment's terms item by item
// after a lead-in naming that commitment ("… product terms provides data
// residency commitment with the following scope:", then "1. Online
// Services: Exchange Online, SharePoint, Microsoft Teams (as of November 1,
// 2022) and …"): the item whose plain label the profile reads as services
// puts each service it names in the commitment, since the date written
// after it. It reports whether such an item was read; the other items
// (the commitment's period, its countries) make no record.
func (x *extraction) termsList(l *ast.List) bool {
	prev, ok := l.PreviousSibling().(*ast.Paragraph)
	if !ok || prev.Lines().Len() == 0 {
		return false
	}
	if last := prev.Lines().At(prev.Lines().Len() - 1); !strings.HasSuffix(strings.TrimSpace(string(last.Value(x.src))), ":") {
		return false // no lead-in: the cheap test first, on every list
	}
	lead := strings.TrimSpace(inlineText(prev, x.src))
	if !strings.HasSuffix(lead, ":") {
		return false
	}
	scope := ""
	for _, s := range x.opts.Profile.ScopesIn(lead) {
		if !x.opts.Profile.IsCommitment(s) || scope != "" && scope != s {
			return false
		}
		scope = s
	}
	if scope == "" {
		return false
	}
	read := false
	for it := l.FirstChild(); it != nil; it = it.NextSibling() {
		first := firstBlock(it)
		if first == nil {
			continue
		}
		if _, _, bold := leadStrong(first, x.src); bold {
			continue // a bold label is a fact or a service: read as such elsewhere
		}
		label, value, ok := strings.Cut(inlineText(first, x.src), ":")
		if !ok || factKey(x.opts.Profile, strings.TrimSpace(label)) != "services" {
			continue
		}
		line := x.lineOf(first)
		// "Microsoft Teams (as of …) and Microsoft 365 Copilot (as of …)":
		// the last two names joined after a parenthesis.
		value = strings.ReplaceAll(strings.TrimRight(strings.TrimSpace(value), "."), ") and ", "), ")
		for _, part := range splitServices(value) {
			name, from := part, ""
			if i := strings.IndexByte(part, '('); i > 0 {
				if m := dateRe.FindStringSubmatchIndex(part[i:]); m != nil {
					name, from = strings.TrimSpace(part[:i]), isoOf(part[i:], m)
				}
			}
			if !x.isService(name) {
				x.warn(line, AmbiguousLocation, "%q in the %s list is no service the %s profile knows; not read", name, scope, x.opts.Profile.Name)
				continue
			}
			x.add(Record{Service: name, Scope: scope, Category: InRegion, From: from, Line: line})
			read = true
		}
	}
	if read {
		x.cur().located = true
	}
	return read
}

// isFactList reports whether a list is a fact block ("**Reason …** - …").
func (x *extraction) isFactList(l *ast.List) bool {
	for it := l.FirstChild(); it != nil; it = it.NextSibling() {
		if label, _, ok := leadStrong(firstBlock(it), x.src); ok && x.factKey(label) != "" {
			return true
		}
	}
	return false
}

// factList reads a fact block written as a list. Its facts belong to the
// Services item of their group, whether the list puts Services last (the
// pages' usual order) or first: a list that opens with Services gives each
// Services item the facts that follow it, and a list with one Services
// item is one block, in any order.
func (x *extraction) factList(l *ast.List) {
	type item struct {
		key, value string
		line       int
	}
	var items []item
	for it := l.FirstChild(); it != nil; it = it.NextSibling() {
		first := firstBlock(it)
		label, rest, ok := leadStrong(first, x.src)
		if !ok || x.factKey(label) == "" {
			continue
		}
		value := trimSeparator(textFrom(rest, x.src))
		if more := afterFirst(it, first, x.src); more != "" {
			value = strings.TrimSpace(value + " " + more)
		}
		items = append(items, item{x.factKey(label), value, x.lineOf(first)})
	}
	services := 0
	for _, it := range items {
		if it.key == "services" {
			services++
		}
	}
	if services == 1 {
		// One block: every fact of the list is the Services item's,
		// wherever the list puts it.
		i := slices.IndexFunc(items, func(it item) bool { return it.key == "services" })
		items = append(append(items[:i:i], items[i+1:]...), items[i])
	} else if len(items) > 0 && items[0].key == "services" {
		// Services first: move each Services item after its facts.
		var ordered []item
		var pending *item
		for i := range items {
			if items[i].key == "services" {
				if pending != nil {
					ordered = append(ordered, *pending)
				}
				pending = &items[i]
				continue
			}
			ordered = append(ordered, items[i])
		}
		if pending != nil {
			ordered = append(ordered, *pending)
		}
		items = ordered
	}
	for _, it := range items {
		x.fact(it.key, it.value, it.line)
	}
}

// leadList reads the services listed after a lead-in: each item's label,
// link text or whole text is a service, and its description may say more
// precisely where its data is ("synced globally").
func (x *extraction) leadList(l *ast.List, ld *lead) {
	scopes := ld.scopes
	if len(scopes) == 0 {
		scopes = x.scopes()
	}
	if svc := cmp.Or(x.sectionService(), ld.named); ld.data && svc != "" {
		x.dataList(l, ld, svc, scopes)
		return
	}
	for it := l.FirstChild(); it != nil; it = it.NextSibling() {
		first := firstBlock(it)
		if first == nil {
			continue
		}
		line := x.lineOf(first)
		name, desc := "", ""
		if label, rest, ok := leadStrong(first, x.src); ok {
			name, desc = strings.TrimRight(label, ".:"), trimSeparator(textFrom(rest, x.src))
		} else if text, _, rest, ok := leadLink(first, x.src); ok {
			name, desc = text, trimSeparator(textFrom(rest, x.src))
		} else {
			name = x.text(first)
			if len(strings.Fields(name)) > 10 {
				// A sentence, not a name: read it as prose.
				x.statements(name, line, "", modeProse)
				continue
			}
			name = strings.TrimRight(name, ".;,")
		}
		if more := afterFirst(it, first, x.src); more != "" {
			desc = strings.TrimSpace(desc + " " + more)
		}
		// The item's own words decide; the lead-in is the default for an
		// item that says nothing of where its data is.
		cat, loc, proc, data := ld.category, ld.location, "", ""
		from, until := "", ""
		if desc != "" {
			r := x.itemFacts(desc)
			if !r.located && x.itemNotTransfer(desc) {
				continue // advice under the list: no transfer of its own
			}
			switch {
			case r.outside && ld.category.Excluding() && ld.category != Global:
				cat = ld.category
			case r.outside:
				cat = Outside
			case r.global:
				cat, loc = Global, "Global"
			case r.located:
				cat = InRegion
			}
			if len(r.atRest) > 0 && cat != Global {
				loc = strings.Join(r.atRest, ", ")
			}
			proc = strings.Join(r.process, ", ")
			data = strings.Join(r.data, "; ")
			cat, from, until = r.dated(cat), r.from, r.until
			for _, u := range r.unknown {
				x.warn(line, UnknownPlace, "%q names %q, a place the %s profile does not know; kept as written", clipText(desc, 120), u, x.opts.Profile.Name)
			}
		}
		for _, n := range x.splitLabel(name) {
			for _, scope := range scopes {
				x.add(Record{Service: n, Scope: scope, Category: cat, LocationAtRest: loc, Processing: proc, Reason: desc, From: from, Until: until, Line: line,
					DataTypes: cmp.Or(nestedItems(it, x.src), data)})
			}
		}
	}
}

// dataList reads a list of data after a lead-in that says where it rests,
// under a heading naming the service: one record of the service whose data
// types are the items. An item that denies storing data, or names where
// its own data is, is read as prose instead.
func (x *extraction) dataList(l *ast.List, ld *lead, svc string, scopes []string) {
	var data []string
	var lines []int // every item read as data: the record stands at each
	line := 0
	for it := l.FirstChild(); it != nil; it = it.NextSibling() {
		first := firstBlock(it)
		if first == nil {
			continue
		}
		text := strings.TrimSpace(blockText(it, x.src))
		if text == "" {
			continue
		}
		if x.statement(text).negated || x.opts.Profile.NotTransfer(text) != "" || len(x.opts.Profile.LocationsIn(text)) > 0 {
			x.statements(text, x.lineOf(first), "", modeProse)
			continue
		}
		if line == 0 {
			line = x.lineOf(first)
		}
		lines = append(lines, x.lineOf(first))
		data = append(data, strings.TrimRight(text, "."))
	}
	if len(data) == 0 {
		return
	}
	x.factLines = lines
	defer func() { x.factLines = nil }()
	for _, scope := range scopes {
		x.add(Record{Service: svc, Scope: scope, Category: ld.category, LocationAtRest: ld.location, DataTypes: strings.Join(data, "; "), Line: line})
	}
}

// itemReading is what a list item's own sentences say of where its data
// is.
type itemReading struct {
	atRest, process, unknown []string
	outside, global, located bool
	// data are the data phrases of its sentences (datatypes.go): of
	// those that send data out when any does.
	data []string
	// said are the sentences read for facts: all but those that place
	// nothing and say why they are no transfer (advice, a reference).
	said []string
	// from and until are the dates the sentences state (the first of
	// each): "From July 1, 2024 until December 31, 2024, … stores …".
	from, until string
}

// dated is the category of a claim read as cat: data sent out until a
// date is a temporary transfer ("a backup copy … stored in Asia until
// June 30, 2022"), as the prose reader has it.
func (r itemReading) dated(cat Category) Category {
	if cat == Outside && r.until != "" {
		return Temporary
	}
	return cat
}

// itemFacts reads every sentence of an item's text (its nested lists
// included). A negated sentence says where data is not and counts for
// nothing; when any sentence sends data out of the region, the places
// inside it are left out of the locations.
func (x *extraction) itemFacts(text string) itemReading {
	return x.claimFacts(sentences(text))
}

// claimFacts reads the sentences of one claim together: an item's, or
// the sentences a section's prose states about one service and scope
// (addMerged), so that the same words say the same whatever holds them.
func (x *extraction) claimFacts(sents []string) itemReading {
	var r itemReading
	var rest, proc []string
	type phrase struct {
		text   string
		inside bool // of a sentence that places data only inside
	}
	var data []phrase
	outsideRegion := false // a sentence placing data only "outside <the region>"
	// Within is what the statements were read against: the region, and
	// the places of the section's one scope ("stored in the Satellite
	// Geography" under Multi-Geo keeps the data in).
	within, _ := x.insideHere()
	for _, s := range sents {
		st := x.statement(s)
		if !st.located() && x.opts.Profile.NotTransfer(s) != "" {
			// "To learn more about the user information collected and
			// stored by …, see …": advice names data but places none.
			continue
		}
		r.said = append(r.said, s)
		if !st.located() && len(data) > 0 {
			// "This table includes fields like …": what the data named
			// before holds.
			if e := elaboration(x.opts.Profile, s); e != "" {
				data[len(data)-1].text += ": " + e
			}
		}
		if st.negated && !st.outside && !st.global {
			continue
		}
		inside := len(st.data) > 0 && st.located() && x.onlyInsideStatement(st)
		for _, d := range st.data {
			f := strings.Fields(d)
			head := textcase.Lower(f[len(f)-1])
			if slices.ContainsFunc(data, func(p phrase) bool {
				// "the operational logs" after "operational logs (…)":
				// the same data named again.
				return p.text == d || anaphoric(d) && strings.Contains(textcase.Lower(p.text), head)
			}) {
				continue
			}
			data = append(data, phrase{d, inside})
		}
		// "Outside <the region>" with no place named adds nothing to a
		// global reading ("stores … in global datacenters. If customers
		// use MFA their data will be stored outside of Australia"): it
		// sends data out only where no sentence says global.
		if st.outside && !x.outsideRegionOnly(st) || st.category.Excluding() && st.category != Global && st.category != Outside {
			r.outside = true
		} else if st.outside {
			outsideRegion = true
		}
		r.global = r.global || st.global || st.category == Global
		// A place named as where data rests or is processed that lies
		// outside the region sends the data out, whatever else the
		// sentence says.
		for _, l := range append(slices.Clone(st.atRest), st.process...) {
			for _, pl := range x.opts.Profile.PlacesIn(l) {
				switch {
				case pl == ScopeGlobal:
					r.global = true
				case !within(pl) && x.opts.Profile.RegionOf(pl) != "" || !within(pl) && len(x.opts.Profile.LocationsIn(l)) > 0:
					r.outside = true
				}
			}
		}
		r.located = r.located || st.located()
		if st.located() && !st.negated {
			r.from, r.until = cmp.Or(r.from, st.from), cmp.Or(r.until, st.until)
		}
		rest = appendNew(rest, st.atRest...)
		proc = appendNew(proc, st.process...)
		r.unknown = appendNew(r.unknown, st.unknown...)
	}
	if outsideRegion && !r.global {
		r.outside = true
	}
	keep := func(locs []string) []string {
		var out []string
		seen := map[string]bool{}
		for _, l := range locs {
			places := x.opts.Profile.PlacesIn(l)
			if r.global && outsideOf(l) {
				continue // global says it: outside the region is in it
			}
			if r.outside && len(places) > 0 && allInside(places, within) && !outsideOf(l) {
				continue // where the data is not: it leaves
			}
			// Places are written by their canonical names
			// (source.Profile.PlaceNames): one value is one place.
			// "outside EU Data Residency" and "outside EU Data
			// Boundary" are two, though both lie in Europe.
			if seen[l] {
				continue
			}
			seen[l] = true
			out = append(out, l)
		}
		return out
	}
	r.atRest, r.process = keep(rest), keep(proc)
	// An item that sends data out names the data that leaves: not the
	// data a sentence of it keeps inside ("stores all at-rest customer
	// data in European datacenters. However, …").
	out := r.outside || r.global
	for _, d := range data {
		if !out || !d.inside {
			r.data = append(r.data, d.text)
		}
	}
	if len(r.data) == 0 {
		for _, d := range data {
			r.data = append(r.data, d.text)
		}
	}
	return r
}

// outsideRegionOnly reports whether a statement sends data out only by
// saying "outside <a place of the region>" (or outside the user's
// location): it names no place the data goes to.
func (x *extraction) outsideRegionOnly(st statement) bool {
	n := 0
	for _, l := range append(slices.Clone(st.atRest), st.process...) {
		places := x.opts.Profile.PlacesIn(l)
		switch {
		case outsideOf(l) && allInside(places, x.inside):
			n++
		case len(places) > 0 && allInside(places, x.inside):
		default:
			return false
		}
	}
	return n > 0 && len(st.unknown) == 0
}

// outsideOf reports whether a location phrase says where data is not
// ("outside Europe", "outside of Australia datacenters", "outside the
// user's location"): data outside a place of the region leaves it.
func outsideOf(l string) bool {
	return outsidePhraseRe.MatchString(l) || userOutsideRe.MatchString(l)
}

// onlyInsideStatement reports whether a statement places data only
// inside the region: in an item that sends data out, its data stays.
func (x *extraction) onlyInsideStatement(st statement) bool {
	if st.outside || st.global {
		return false
	}
	for _, l := range append(slices.Clone(st.atRest), st.process...) {
		for _, pl := range x.opts.Profile.PlacesIn(l) {
			if pl == ScopeGlobal || !x.inside(pl) {
				return false
			}
		}
	}
	return st.inRegion
}

func allInside(places []string, inside func(string) bool) bool {
	for _, p := range places {
		if !inside(p) {
			return false
		}
	}
	return true
}

// appendNew appends the values of vs not yet in list.
func appendNew(list []string, vs ...string) []string {
	for _, v := range vs {
		if v != "" && !slices.Contains(list, v) {
			list = append(list, v)
		}
	}
	return list
}

// bareList reads a heading whose body is a bare list of data items, on a
// page whose introduction says everything listed leaves the region: one
// record for the heading, with the items as its data types.
//
// Items of more than six words are sentences, not data items, and end
// the reading, unless long says the items were found to be data already
// (dataItems).
func (x *extraction) bareList(l *ast.List, sec *section, long bool) {
	var items []string
	var lines []int
	for it := l.FirstChild(); it != nil; it = it.NextSibling() {
		t := x.text(firstBlock(it))
		if term, _, ok := strings.Cut(t, " - "); ok {
			t = strings.TrimSpace(term) // "Application identifier (AppID) - A unique number …"
		}
		if t == "" {
			continue
		}
		if len(strings.Fields(t)) > 6 && !long {
			return // sentences, not data items
		}
		items = append(items, t)
		lines = append(lines, x.lineOf(it))
	}
	if len(items) == 0 {
		return
	}
	// Every item states the record (each is one of its data types): the
	// ledger cites it from each, so that it stands while any is left.
	x.factLines = lines
	defer func() { x.factLines = nil }()
	ld := x.pageLead
	for _, scope := range x.scopes() {
		x.add(Record{Service: sec.title, Scope: scope, Category: ld.category, LocationAtRest: ld.location,
			DataTypes: strings.Join(items, ", "), Line: x.lineOf(l)})
	}
}

// dataItems reports whether a list is data items: every item a phrase
// that neither names a place nor says what is done with data ("Sensitive
// information types, including … Trainable Classifiers, configured by
// customers"), and no item a bold label or a link.
func (x *extraction) dataItems(l *ast.List) bool {
	n := 0
	for it := l.FirstChild(); it != nil; it = it.NextSibling() {
		first := firstBlock(it)
		if first == nil {
			continue
		}
		if _, _, ok := leadStrong(first, x.src); ok {
			return false
		}
		if _, _, _, ok := leadLink(first, x.src); ok {
			return false
		}
		t := inlineText(first, x.src)
		if t == "" || x.opts.Profile.SpeaksOfLocation(t) || len(findVerbs(x.opts.Profile, t)) > 0 || len(x.opts.Profile.PlacesIn(t)) > 0 || len(sentences(t)) > 1 {
			return false
		}
		n++
	}
	return n > 0
}

// isTableOfContents reports whether every item of l is nothing but one
// link to an anchor (#…): a page's table of contents, not content.
func isTableOfContents(l *ast.List) bool {
	n := 0
	for it := l.FirstChild(); it != nil; it = it.NextSibling() {
		first := firstBlock(it)
		if first == nil || first.FirstChild() == nil || first.FirstChild() != first.LastChild() || first.NextSibling() != nil {
			return false
		}
		link, ok := first.FirstChild().(*ast.Link)
		if !ok || !strings.Contains(string(link.Destination), "#") {
			return false
		}
		n++
	}
	return n > 0
}

// firstBlock is a list item's first paragraph (or text block).
func firstBlock(item ast.Node) ast.Node {
	for c := item.FirstChild(); c != nil; c = c.NextSibling() {
		switch c.(type) {
		case *ast.Paragraph, *ast.TextBlock:
			return c
		}
	}
	return nil
}

// afterFirst is the text of a list item's blocks after its first one.
func afterFirst(item, first ast.Node, src []byte) string {
	var parts []string
	for c := first.NextSibling(); c != nil; c = c.NextSibling() {
		if t := blockText(c, src); t != "" {
			parts = append(parts, t)
		}
	}
	return strings.Join(parts, " ")
}

func blockText(n ast.Node, src []byte) string {
	if l, ok := n.(*ast.List); ok {
		var b strings.Builder
		appendListText(&b, l, src)
		return clean(b.String())
	}
	return inlineText(n, src)
}

// nestedItems lists the short items of a list nested in item — attribute
// names such as GivenName, Surname — or "" when its items are sentences.
func nestedItems(item ast.Node, src []byte) string {
	for c := item.FirstChild(); c != nil; c = c.NextSibling() {
		l, ok := c.(*ast.List)
		if !ok {
			continue
		}
		var names []string
		for it := l.FirstChild(); it != nil; it = it.NextSibling() {
			t := inlineText(firstBlock(it), src)
			if len(strings.Fields(t)) > 4 {
				return ""
			}
			names = append(names, t)
		}
		return strings.Join(names, ", ")
	}
	return ""
}
