package extractor

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/residiff/residiff/internal/litmatch"
	"github.com/residiff/residiff/internal/textcase"
	"github.com/residiff/residiff/source"
	"github.com/yuin/goldmark/ast"
)

// Paragraphs: scope labels ("**EU Data Residency:**"), bold labels that
// stand as headings, "**Key** - value" facts, linked and bold service
// labels with a description, references to other pages, lead-ins of the
// list that follows, and sentences of ordinary prose — every one of which
// is read for what it says about where data is.

func (x *extraction) paragraph(p *ast.Paragraph) {
	if x.conditionParagraph(p) {
		// "Required Conditions:" then a paragraph: a prerequisite of the
		// commitment below it, like an item of a list of conditions.
		if x.conditions == nil {
			x.conditions = map[ast.Node]bool{}
		}
		x.conditions[p] = true
		return
	}
	line := x.lineOf(p)
	txt := x.text(p)
	if pl, ok := x.placeListAfter(p); ok {
		// "… for the following countries/regions:" over a list of them:
		// those are the customers its records are about.
		x.customers, x.customersInside = pl.text, nil
		defer func() { x.customers, x.customersInside = "", nil }()
	}
	if x.prevLead != nil && x.saysOfData(txt) {
		x.prevLead = nil // the list that went before has ended
	}
	if scope := scopeLabel(x.opts.Profile, txt); scope != "" {
		if _, _, ok := leadStrong(p, x.src); ok || strings.HasSuffix(txt, ":") {
			x.flushFacts()
			x.narrowed = []string{scope}
			return
		}
	}
	label, rest, bold := leadStrong(p, x.src)
	after := ""
	if bold {
		after = textFrom(rest, x.src)
	}
	if l, ok := boldLine(p, x.src); ok {
		label, after, bold = l, "", true
	}
	// A paragraph that is only a bold service name stands as a heading
	// for what follows ("**Microsoft Entra Internet Access**").
	if bold && after == "" && x.isService(x.opts.Profile.HeadingSubject(label)) && (x.cur().category == "" || x.cur().category == Outside) {
		x.flushFacts()
		for len(x.stack) > 1 && x.cur().label {
			x.closeSection()
		}
		x.open(x.cur().level+1, label, line, true)
		return
	}
	sec := x.cur()
	if x.opts.Profile.SpeaksOfLocation(txt) {
		sec.located = true
	}
	if bold && x.factKey(label) != "" && (x.category() != "" || x.facts.facts != nil) {
		x.fact(x.factKey(label), trimSeparator(after), line)
		return
	}
	if sec.category != "" {
		if name, _, rest, ok := leadLink(p, x.src); ok {
			if after := textFrom(rest, x.src); strings.HasPrefix(after, ":") || strings.HasPrefix(after, " -") || strings.HasPrefix(after, "-") {
				x.flushFacts()
				x.describedService(name, trimSeparator(after), "", line)
				return
			}
		}
		// Under a service's name (a heading or a bold label) a paragraph
		// that says where data is, is the service's entry, as a list
		// item's description is: a link in it for more reading does not
		// make it a reference.
		if ls := links(p, x.src); len(ls) > 0 && x.opts.Profile.RefersElsewhere(txt) && x.facts.facts == nil && (sec.service == "" || !x.placesData(txt)) {
			x.reference(ls[len(ls)-1], line)
			return
		}
	}
	if x.opts.Profile.IsMedia(txt) {
		return // a picture or video: nothing to read
	}
	if x.opts.Profile.IsInclude(txt) {
		// The dialect pulls another file in here: its facts are not read.
		x.cur().located = true
		x.warn(line, UnrecognisedSection, "content included from another file is not read: %q", clipText(txt, 120))
		x.cur().warned = true
		return
	}
	if bold && after != "" && x.boldLabelParagraph(label, after, line) {
		return
	}
	if x.pointer(p, txt, line) {
		return
	}
	if rest, ok := x.navigation(p, txt, line); ok {
		if rest == "" {
			return
		}
		txt = rest // the paragraph's other sentences are read as prose
	}
	if x.footnote(p, txt, line) {
		return
	}
	if x.leadIn(p, txt, line) {
		return // it speaks of the list that follows
	}
	if sec.service != "" && x.entry(sec.service, x.splitLabel(sec.service), txt, line) {
		return // the description under a service's name: its entry
	}
	x.prose(txt, line)
}

// wordSet finds any of its words in a text in one pass, where
// containsAny searches the text once for each word.
type wordSet struct {
	words [256][]string // the words by their first byte
	// first marks the bytes a word starts with, in either case when a
	// letter: the bytes inLower looks at.
	first [256]bool
}

func newWordSet(words ...string) *wordSet {
	var w wordSet
	for _, word := range words {
		c := word[0]
		w.words[c] = append(w.words[c], word)
		w.first[c] = true
		if 'a' <= c && c <= 'z' {
			w.first[c-'a'+'A'] = true
		}
	}
	return &w
}

// in reports whether s holds one of the words: containsAny(s, words...).
func (w *wordSet) in(s string) bool {
	for i := 0; i < len(s); i++ {
		for _, word := range w.words[s[i]] {
			if strings.HasPrefix(s[i:], word) {
				return true
			}
		}
	}
	return false
}

// inLower reports whether textcase.Lower(s) holds one of the words (all
// lower case): an ASCII s is folded byte by byte as it is read, not
// copied. (A word found before the first non-ASCII byte is in the
// lower-cased text at the same place: strings.ToLower maps ASCII bytes
// to themselves, folded, rune by rune.)
func (w *wordSet) inLower(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf {
			return w.in(textcase.Lower(s)) // strings.ToLower's folds ("\u212a" is "k")
		}
		if !w.first[c] {
			continue
		}
		for _, word := range w.words[lowerASCII(c)] {
			if hasLowerPrefix(s[i:], word) {
				return true
			}
		}
	}
	return false
}

// lowerASCII is the ASCII byte c in lower case.
func lowerASCII(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// hasLowerPrefix reports whether the ASCII text s, lower-cased, starts
// with the lower-case word.
func hasLowerPrefix(s, word string) bool {
	if len(s) < len(word) {
		return false
	}
	for j := 0; j < len(word); j++ {
		if lowerASCII(s[j]) != word[j] {
			return false
		}
	}
	return true
}

// boldLabelParagraph reads "**Label.** prose" and "**Label**: prose": the
// label names a service when it is one, or when the prose says where its
// data is.
func (x *extraction) boldLabelParagraph(label, after string, line int) bool {
	name := strings.TrimSpace(strings.TrimRight(label, ".:"))
	prose := trimSeparator(after)
	if x.opts.Profile.IsGenericLabel(name) || strings.HasSuffix(name, "?") || len(strings.Fields(name)) > 10 && len(x.splitLabel(name)) < 2 {
		return false
	}
	if c := x.cur().category; c != "" && c != Outside {
		x.flushFacts()
		for _, n := range x.splitLabel(name) {
			x.describedService(n, prose, "", line)
		}
		return true
	}
	parts := x.splitLabel(name)
	if !x.isService(name) && !titleCaseRe.MatchString(name) && (len(parts) < 2 || !x.isService(parts[0]) || !x.isService(parts[1])) {
		return false
	}
	return x.entry(name, parts, prose, line)
}

// entry reads a paragraph that is the entry of the service name (parts
// when it names two: "**Service.** It stores … in Europe. However, … in
// the US") as a list item is read: all its sentences decide together.
func (x *extraction) entry(name string, parts []string, prose string, line int) bool {
	r := x.itemFacts(prose)
	if !r.located && !r.outside && !r.global {
		if x.cur().category == Outside {
			x.flushFacts()
			for _, n := range parts {
				x.describedService(n, prose, "", line) // advice under an "outside" heading makes no record
			}
			return true
		}
		return x.statements(prose, line, name, modeProse) > 0
	}
	if !r.located && x.opts.Profile.NotTransfer(prose) != "" {
		return false
	}
	cat, loc := InRegion, ""
	switch {
	case r.outside:
		cat = Outside
	case r.global:
		cat, loc = Global, "Global"
	}
	if len(r.atRest) > 0 && cat != Global {
		loc = strings.Join(r.atRest, ", ")
	}
	cat = r.dated(cat)
	for _, u := range r.unknown {
		x.warn(line, UnknownPlace, "%q names %q, a place the %s profile does not know; kept as written", clipText(prose, 120), u, x.opts.Profile.Name)
	}
	all, reason := len(r.said) == len(sentences(prose)), prose
	if !all {
		// The reason is the claim's sentences: advice beside them is a
		// claim of its own (not a transfer), and rewording it changes no
		// record.
		reason = strings.Join(r.said, ". ")
	}
	for _, n := range parts {
		for _, scope := range x.scopes() {
			i := x.add(Record{Service: n, Scope: scope, Category: cat, LocationAtRest: loc, Processing: strings.Join(r.process, ", "), DataTypes: strings.Join(r.data, "; "), Reason: reason,
				From: r.from, Until: r.until, Line: line})
			if i < 0 || all {
				continue
			}
			// The ledger cites the record at the sentences it was read
			// from; advice beside them keeps its own disposition.
			x.fromProse[i] = true
			for _, s := range r.said {
				x.covered[coverKey(line, s)] = append(x.covered[coverKey(line, s)], i)
			}
		}
	}
	return true
}

// titleCaseRe matches a short name in title case ("Identity Signal
// Exchange").
var titleCaseRe = litmatch.MustCompile(`^[A-Z][\w-]*(?:\s+(?:[A-Z][\w-]*|of|and|for|the))*$`)

// leadIn remembers what a paragraph introducing the following list says:
// its category, scopes and location. Under a heading that names the
// category itself, the heading governs and lead-ins are not read. It
// reports whether the paragraph was a lead-in.
func (x *extraction) leadIn(p *ast.Paragraph, txt string, line int) bool {
	if c := x.cur().category; c != "" && c != Outside && c != Global {
		// Under "Services temporarily excluded …" a list is the category's
		// own; under a plain "Exceptions" a lead-in still says what its
		// list is.
		return false
	}
	if next := x.listAfter(p); next == nil {
		if x.cur().level <= 1 && everythingRe.MatchString(txt) {
			// "Everything listed below leaves Europe": the page's lists
			// are exclusions. "Microsoft makes commitments to store certain
			// customer data at rest in the applicable Local Region
			// Geography for eligible customers … The commitments are
			// specified as follows.": they are what stays in.
			if l := cmp.Or(x.leadOf(txt, line), x.insideLead(txt, line)); l != nil {
				x.pageLead = l
				return true // it speaks of the lists below
			}
		}
		if x.cur().level <= 1 && x.pageLead == nil {
			// "This document provides information on any data that is
			// stored outside of Europe": the page's own scope sentence
			// says what everything below is.
			for _, sent := range sentences(txt) {
				if x.opts.Profile.NotTransfer(sent) != "scope" {
					continue
				}
				if l := x.leadOf(sent, line); l != nil && l.category.Excluding() {
					x.pageLead = l
				}
			}
		}
		return false
	}
	sents := sentences(txt)
	if len(sents) == 0 {
		return false
	}
	last := sents[len(sents)-1]
	if !strings.HasSuffix(strings.TrimSpace(txt), ":") && !followingRe.MatchString(last) {
		return false
	}
	if exceptionsLeadRe.MatchString(last) {
		// "Microsoft won't store Intune customer data at rest outside the
		// stated geo, except if:" states the rule; the list under it are
		// its exceptions, each read by its own words (not services the
		// rule's category puts somewhere).
		return false
	}
	if l := x.leadOf(last, line); l != nil {
		if x.cur().category != "" && !l.category.Excluding() {
			return false // under "Exceptions", only a lead-in that says data leaves
		}
		if c := categoryWords(txt); c != "" {
			l.category = c // "optional capabilities. … they transfer data out of …:"
		}
		l.data = x.opts.Profile.IsDataLeadIn(last)
		if l.data {
			l.named = x.serviceNamedIn(txt)
		}
		x.lead = l
		return true
	}
	return false
}

// serviceNamedIn is the first service a paragraph names, as written,
// else the service the page is about; "" when neither.
func (x *extraction) serviceNamedIn(txt string) string {
	for _, n := range x.opts.Profile.NamesAt(txt) {
		if n.Kind == "service" {
			return txt[n.Start:n.End]
		}
	}
	if ps := x.pageSubject(); ps != x.opts.Profile.Product.Name {
		return ps
	}
	return ""
}

// insideLead reads a page-wide lead that says data is kept in a place of
// the region, named after the customers it is for (which makes the place
// read as theirs, not the data's): nil unless a sentence with a residency
// verb, not negated, names places and every one lies in the region.
func (x *extraction) insideLead(txt string, line int) *lead {
	for _, s := range sentences(txt) {
		verbs := findVerbs(x.opts.Profile, s)
		if len(verbs) == 0 || x.statement(s).negated {
			continue
		}
		locs := x.opts.Profile.LocationsIn(s[verbs[0][0]:])
		if len(locs) == 0 || slices.ContainsFunc(locs, func(l source.Location) bool { return !x.inside(l.Name) }) {
			continue
		}
		return &lead{line: line, scopes: x.opts.Profile.ScopesIn(txt), category: InRegion, location: locs[0].Name}
	}
	return nil
}

// leadOf reads a lead-in: nil when it names neither category nor location.
func (x *extraction) leadOf(txt string, line int) *lead {
	l := &lead{line: line, scopes: x.opts.Profile.ScopesIn(txt)}
	for _, s := range sentences(txt) {
		st := x.statement(s)
		if st.negated {
			// "Data that's not stored in the European datacenters
			// includes:" — not stored inside the region is outside it.
			if st.located() && !st.outside && !st.global && x.onlyInside(st) && l.category == "" {
				l.category, l.location = Outside, "Outside "+x.page.Region
			}
			continue
		}
		if l.category == "" {
			l.category = st.category
		}
		if l.location == "" && len(st.atRest) > 0 {
			l.location = st.atRest[0]
		}
	}
	if l.category == "" {
		return nil
	}
	return l
}

// exceptionsLeadRe ends a lead-in whose list is the exceptions to what
// it states ("…, except if:", "with the following exceptions:").
var exceptionsLeadRe = litmatch.MustCompile(`(?i)\bexcept(?:\s+(?:if|when|where|that|for|as follows))?\s*:\s*$|\bwith the following exceptions?\s*:\s*$|\bexceptions? (?:are|is)(?: as follows)?\s*:\s*$`)

var (
	followingRe  = litmatch.MustCompile(`(?i)\b(?:following|these|below|listed|includes?)\b`)
	everythingRe = litmatch.MustCompile(`(?i)\b(?:everything|all (?:of )?the (?:data|attributes))\b.*\b(?:listed|below)\b|\blists?\b.*\b(?:replicated|stored|transferred)\b|\b(?:are|is) (?:specified|set out|described|listed) (?:as follows|below)\b`)
)

// readMode says where prose stands, which decides whose facts a sentence
// with no service for subject states.
type readMode int

const (
	// modeProse: ordinary paragraphs and bullets.
	modeProse readMode = iota
	// modeFootnote: a table's footnote; facts about all tenants are the
	// product's.
	modeFootnote
	// modeLeaving: the sentences of a table row whose location cell keeps
	// the row's service in the region: only what they say leaves it is
	// read (the cell already says the rest).
	modeLeaving
	// modeResidency: prose inside a section of exclusions; only a named
	// service (other than the product) whose data leaves, in the
	// section's category.
	modeResidency
)

// prose reads the residency statements of a paragraph's sentences.
func (x *extraction) prose(txt string, line int) {
	sec := x.cur()
	if sec.category != "" && (sec.residency || x.inExclusionSection()) {
		// Prose between fact blocks mostly explains; a sentence that
		// names a service and sends its data out is one more entry.
		x.statements(txt, line, "", modeResidency)
		return
	}
	x.statements(txt, line, "", modeProse)
}

// statements reads every sentence of txt and records what each says
// about where a service's data is. service, when set, is the service the
// text is about (a bold label). It returns the number of records made.
func (x *extraction) statements(txt string, line int, service string, mode readMode) int {
	made := 0
	last := ""
	for _, s := range sentences(txt) {
		if factless[x.opts.Profile.NotTransfer(s)] {
			continue // the page describing itself, advice, a definition
		}
		st := x.statement(s)
		x.named = last // what the previous sentence named, for "It stores …"
		if n := x.namedIn(s, st); n != "" {
			last = n
		}
		if !st.located() || st.negated || st.category == "" {
			continue
		}
		if st.category == InRegion && x.bound(s) != "" {
			// "Microsoft doesn't guarantee that mail … is routed through
			// the same geo location": a bound of the commitment, never a
			// statement that data is in region (the ledger warns of it).
			continue
		}
		if mode == modeLeaving && !st.outside && !st.global {
			continue
		}

		name := service
		category := st.category
		if st.subScope != "" && x.customers != "" {
			category = x.forCustomers(st)
		} else if st.customers != "" {
			category = x.ownCustomers(st)
		}
		if mode == modeResidency {
			name = x.residencySubject(s, st)
			if name == "" || !st.outside && !st.global {
				continue
			}
			category = x.cur().category
		} else if name == "" {
			name = x.subjectService(st, mode)
		}
		names := []string{name}
		if name == "" || name == st.subject {
			if listed := x.listedServices(st.subject); len(listed) > 1 {
				// "Customer data for Sway and Workplace Analytics …": one
				// record for each service the subject lists, never one
				// service named after the list.
				names, name = listed, listed[0]
			}
		}
		if name == "" {
			if mode == modeProse && (st.outside || len(st.scopes) > 0) && !x.cur().warned && followingRe.MatchString(s) {
				// A lead-in ("The following components store …") speaks of
				// what comes next: said only if that yields nothing.
				x.cur().leadInWarning = &Warning{Line: line, Kind: UnrecognisedSection,
					Message: fmt.Sprintf("%q says where data goes but what follows names no service residiff can tell", clipText(s, 120))}
				continue
			}
			if mode == modeProse && (st.outside || len(st.scopes) > 0) && !x.cur().warned && st.existential == "" {
				// It says data leaves, but not whose: not understood. (A
				// sentence naming its own subject that is no service is
				// one unread claim, which the ledger warns of: the rest
				// of its section was read.)
				x.warn(line, UnrecognisedSection, "%q says where data goes but names no service residiff can tell", clipText(s, 120))
				x.cur().warned = true
			}
			continue
		}
		if pending, rest := x.moveTime(s); pending && (!x.placed(rest) || category == InRegion) {
			// "Outlook for Mac users may experience a temporary loss of
			// access … while you move their mailbox to a new geo
			// location": every place it names is the move's, under way
			// or not done; it says nothing of where the service keeps
			// the data. "Before the mailbox is moved …, its primary and
			// archive mailboxes are in different geo locations": where
			// data is for a move's time only is never in region (BLIND5
			// class 3). The ledger reads, and warns of, the site.
			continue
		}
		if category == Outside && st.until != "" {
			// Data sent out until a date is a temporary transfer
			// ("a backup copy … stored in Asia until June 30, 2022").
			category = Temporary
		}
		scopes := st.scopes
		if len(scopes) == 0 {
			scopes = x.scopes()
		}
		data := strings.Join(slices.DeleteFunc(slices.Clone(st.data), anaphoric), "; ")
		for _, u := range st.unknown {
			x.warn(line, UnknownPlace, "%q names %q, a place the %s profile does not know; kept as written", clipText(s, 120), u, x.opts.Profile.Name)
		}
		for _, name := range names {
			for _, scope := range scopes {
				i := x.addMerged(Record{Service: name, Scope: scope, Category: category, SubScope: cmp.Or(st.subScope, x.subScope),
					LocationAtRest: strings.Join(st.atRest, ", "), Processing: strings.Join(st.process, ", "), DataTypes: data,
					Reason: s, From: st.from, Until: st.until, Line: line})
				if i >= 0 {
					x.fromProse[i] = true
					x.covered[coverKey(line, s)] = append(x.covered[coverKey(line, s)], i)
					x.covered[strconv.Itoa(line)] = append(x.covered[strconv.Itoa(line)], i)
				}
				made++
			}
		}
	}
	return made
}

// forCustomers judges a statement made "for the following countries"
// against the countries its place list names: in region when every
// place it stores data in lies within them (or the region they all lie
// within), outside when one does not. A list naming no place the profile
// knows cannot be judged: the page's own grouping stands.
func (x *extraction) forCustomers(st statement) Category {
	if x.customersInside == nil {
		if len(x.opts.Profile.LocationsIn(x.customers)) == 0 {
			x.customersInside = func(string) bool { return true } // cannot be judged
		} else {
			x.customersInside = x.keyInside(x.customers)
		}
	}
	if c, _ := x.judgedAgainst(st, x.customersInside); c == Outside {
		return Outside
	}
	return st.category
}

// ownCustomers judges a statement that names the customers its data is
// for ("… for new tenants in the EUDB … will be stored in the EU") as
// forCustomers does, against where those customers are: the places and
// regions the phrase names, as a table row's key, and the places of the
// scopes it names. Data kept where its own customers are is in region
// (for the statement's scope); data kept elsewhere stays outside, and a
// phrase naming nowhere known cannot be judged.
func (x *extraction) ownCustomers(st statement) Category {
	p := x.opts.Profile
	scopes := p.ScopesIn(st.customers)
	if len(p.LocationsIn(st.customers)) == 0 && p.RegionOf(st.customers) == "" && len(scopes) == 0 {
		return st.category
	}
	key := x.keyInside(st.customers)
	var in []string
	for _, s := range scopes {
		in = append(in, p.Inside(s)...)
	}
	c, judged := x.judgedAgainst(st, func(place string) bool {
		return key(place) || slices.ContainsFunc(in, func(i string) bool { return strings.EqualFold(i, place) || x.liesWithin(place, i) })
	})
	if c == Outside || !judged || st.category != Outside {
		return cmp.Or(c, st.category)
	}
	return InRegion
}

// judgedAgainst returns Outside when a place the statement keeps or
// processes data in is not inside, else ""; judged says whether it named
// a place the profile knows.
func (x *extraction) judgedAgainst(st statement, inside func(string) bool) (c Category, judged bool) {
	for _, l := range append(slices.Clone(st.atRest), st.process...) {
		for _, pl := range x.opts.Profile.LocationsIn(l) {
			judged = true
			if !inside(pl.Name) {
				return Outside, true
			}
		}
	}
	return "", judged
}

// listedServices splits a subject that lists services ("Sway and
// Workplace Analytics", "A, B, and C") into their names, or returns nil
// when any part is not a service.
func (x *extraction) listedServices(subj string) []string {
	if !strings.Contains(subj, " and ") && !strings.Contains(subj, ",") {
		return nil
	}
	var out []string
	for _, part := range splitServices(subj) {
		for _, name := range strings.Split(part, " and ") {
			name = strings.TrimSpace(name)
			if name == "" || !x.isService(name) {
				return nil
			}
			out = append(out, name)
		}
	}
	return out
}

// subjectService names the service a statement is about: the service the
// section's heading names, else the sentence's subject when it is a
// service, else the page's product when the subject stands for all of it
// (a blanket statement, the product itself, its tenants or its data).
func (x *extraction) subjectService(st statement, mode readMode) string {
	subj := st.subject
	product := x.opts.Profile.Product
	// Under a service's heading, the heading is the subject of its prose,
	// "all customer data" included.
	if s := x.sectionService(); s != "" {
		return s
	}
	if st.blanket {
		return product.Name
	}
	generic := subj == "" || genericSubjectRe.MatchString(subj)
	if pronounRe.MatchString(subj) {
		// "It stores …": the service the previous sentence named, never
		// the whole product by default.
		return x.named
	}
	switch {
	case !generic && x.opts.Aliases.ID(subj) == product.ID:
		return subj
	case !generic && x.isService(subj):
		return subj
	}
	if n := x.knownIn(subj); n != "" {
		// "Phone numbers used by MFA …": the data of the service it names,
		// by the name the page's title gives it when it is the same.
		if ps := x.pageSubject(); x.opts.Aliases.ID(ps) == x.opts.Aliases.ID(n) {
			return ps
		}
		return n
	}
	if x.inGroup() {
		return "" // no one service of a group its heading places
	}
	switch mode {
	case modeFootnote:
		return product.Name // a table's footnote speaks of every tenant
	}
	if ps := x.pageSubject(); ps != product.Name {
		return ps // a page about one service: its data, its calls
	}
	if generic || strings.EqualFold(subj, x.opts.Profile.CompanyPrefix) {
		if st.existential != "" && !x.namesProduct(st.existential) {
			// "there are five user-related attributes that are
			// typically stored in U.S. datacenters": the sentence names
			// its subject, data the product's name does not own; the
			// product never stands in for it.
			return ""
		}
		if x.cur().level <= 1 || x.cur().category != "" || len(st.scopes) > 0 {
			return product.Name // the page's introduction speaks of the product
		}
	}
	return ""
}

// namesProduct reports whether a phrase names the page's product ("some
// operational data that's required for normal Azure AD operation").
func (x *extraction) namesProduct(phrase string) bool {
	p := x.opts.Profile
	l := textcase.Lower(phrase)
	for _, n := range append([]string{p.Product.Name}, p.VendorNames()...) {
		if strings.Contains(l, textcase.Lower(n)) {
			return true
		}
	}
	return false
}

// knownIn finds, in a subject phrase that is not itself a service, the
// longest run of words the alias register knows as a service other than
// the page's product ("Phone numbers used by MFA for calls" names MFA), or
// "".
func (x *extraction) knownIn(subj string) string {
	words := strings.Fields(punctuationSpaces.Replace(subj))
	for n := min(len(words), 6); n >= 1; n-- {
		for i := 0; i+n <= len(words); i++ {
			name := strings.Join(words[i:i+n], " ")
			// Known first: a memo's look-up, and most runs of words are
			// not services.
			if len(name) >= 3 && x.opts.Aliases.Known(name) && !genericSubjectRe.MatchString(name) &&
				x.opts.Aliases.ID(name) != x.opts.Profile.Product.ID {
				return name
			}
		}
	}
	return ""
}

// punctuationSpaces turns the punctuation between a subject's words into
// spaces.
var punctuationSpaces = strings.NewReplacer(",", " ", ";", " ", "(", " ", ")", " ")

// residencySubject names the service a sentence inside a section of
// exclusions is about: its subject, or a "Service: …" label before it,
// when that is a service other than the page's product; else "".
func (x *extraction) residencySubject(s string, st statement) string {
	product := x.opts.Profile.Product
	name := st.subject
	if i := strings.Index(s, ": "); i > 0 && x.isService(s[:i]) {
		name = s[:i]
	}
	if (name == "" || genericSubjectRe.MatchString(name) || !x.isService(name)) && !st.blanket {
		name = x.knownIn(name) // "Phone numbers used by MFA …"
	}
	if name == "" || genericSubjectRe.MatchString(name) || st.blanket || !x.isService(name) || x.opts.Aliases.ID(name) == product.ID {
		return ""
	}
	return name
}

// inExclusionSection reports whether the current section, or one it
// stands under, is headed by an exclusion ("Optional service capabilities
// that transfer data out of the EU Data Residency" › "EU Data
// Residency"): prose there names services or explains, it never speaks
// for the whole product.
func (x *extraction) inExclusionSection() bool {
	for i := len(x.stack) - 1; i > 0; i-- {
		if x.stack[i].residency {
			return true
		}
	}
	return false
}

// pronounRe is a subject that stands for something named before.
var pronounRe = litmatch.MustCompile(`(?i)^(?:it|they|this|these|that|those)$`)

// namedIn is the service a sentence names as its subject or as what it is
// ("One example is Microsoft Entra multifactor authentication."), or "".
func (x *extraction) namedIn(sentence string, st statement) string {
	if st.subject != "" && !genericSubjectRe.MatchString(st.subject) && x.isService(st.subject) {
		return st.subject
	}
	t := strings.TrimSpace(sentence)
	if m := complementRe.FindStringSubmatch(t[complementTail(t):]); m != nil && x.isService(m[1]) {
		return m[1]
	}
	return ""
}

// complementTail is where in t a match of complementRe may start: after
// its keyword it holds none of ".,;:" but a final ".", and its keyword
// has at most a comma 8 bytes in ("instance,"), so a match starts at most
// 8 bytes before the last of them. The start is moved back to a rune's
// start and off a word, so that \b reads the same in t and in the tail.
func complementTail(t string) int {
	k := strings.LastIndexAny(strings.TrimSuffix(t, "."), ".,;:") - 8
	if k <= 0 {
		return 0
	}
	for k > 0 && (!utf8.RuneStart(t[k]) || isWordByte(t[k-1])) {
		k--
	}
	return k
}

// isWordByte is \w of regexp, byte for byte.
func isWordByte(b byte) bool { return isASCIILetter(b) || '0' <= b && b <= '9' || b == '_' }

// complementRe reads "… is X." and "for example, X." at a sentence's end.
var complementRe = litmatch.MustCompile(`(?:\b[Ii]s|\b[Aa]re|[Ee]xample,?|[Ii]nstance,?|[Ss]uch as)\s+(?:the\s+)?([A-Z][^.,;:]{2,80}?)\.?$`)

// inGroup reports whether prose stands under a heading that places a
// group of services it does not name (section.group), below any heading
// that names a service.
func (x *extraction) inGroup() bool {
	for i := len(x.stack) - 1; i > 0; i-- {
		if x.stack[i].group {
			return true
		}
		if x.stack[i].service != "" || x.stack[i].residency {
			return false
		}
	}
	return false
}

// sectionService is the service the nearest enclosing heading names.
func (x *extraction) sectionService() string {
	for i := len(x.stack) - 1; i > 0; i-- {
		if s := x.stack[i].service; s != "" {
			return s
		}
		if x.stack[i].residency {
			return ""
		}
	}
	return ""
}

// blockquote reads a callout (> [!NOTE], > [!IMPORTANT]) as the paragraph
// it sets off is read where it stands: a pointer to a list, a table's
// footnotes, the page's own scope sentence, else prose. A plain quote is
// read the same way.
func (x *extraction) blockquote(q *ast.Blockquote) {
	for c := q.FirstChild(); c != nil; c = c.NextSibling() {
		p, ok := c.(*ast.Paragraph)
		if !ok {
			continue
		}
		line := x.lineOf(p)
		for _, txt := range x.opts.Profile.SplitCallouts(x.text(p)) {
			if x.opts.Profile.SpeaksOfLocation(txt) {
				x.cur().located = true
			}
			if x.pointer(p, txt, line) || x.footnote(p, txt, line) || x.leadIn(p, txt, line) {
				continue
			}
			x.prose(txt, line)
		}
	}
}

// clipText shortens s for a message.
func clipText(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// placesData reports whether the sentences of txt, read together as an
// entry's, say where data is.
func (x *extraction) placesData(txt string) bool {
	r := x.itemFacts(txt)
	return r.located || r.outside || r.global
}
