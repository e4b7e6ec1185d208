package extractor

import (
	"strings"

	"github.com/residiff/residiff/internal/litmatch"
)

// Fact blocks: "**Key** - value" bullets or paragraphs (reason, data
// types, location at rest, processing) closed by a "**Services** - A, B"
// bullet, under a heading or lead-in that names the category and scope.

// fact adds one "**Key** - value" fact to the block being read; the
// Services fact closes the block.
func (x *extraction) fact(key, value string, line int) {
	if x.facts.facts == nil {
		x.facts = block{facts: map[string]string{}, line: line}
	}
	x.facts.lines = append(x.facts.lines, line)
	if key != "services" {
		if old := x.facts.facts[key]; old != "" {
			// A second value for a key starts a new block that lacks
			// its services: the old one was incomplete.
			x.flushFacts()
			x.facts = block{facts: map[string]string{}, line: line, lines: []int{line}}
		}
		x.facts.facts[key] = value
		return
	}
	f := x.facts.facts
	x.factLines = x.facts.lines
	defer func() { x.factLines = nil }()
	x.facts = block{}
	names := splitServices(value)
	if len(names) == 0 {
		x.warn(line, UnrecognisedSection, "a Services fact lists no services")
		return
	}
	cat := x.category()
	if cat == "" {
		cat = Outside
		x.warn(line, AmbiguousCategory, "facts under heading %q name no category (permanent, temporary, optional); recorded as %q", x.cur().title, Outside)
	}
	x.checkPlaces(f["location_at_rest"], line)
	for _, name := range names {
		for _, scope := range x.scopes() {
			x.add(Record{Service: name, Scope: scope, Category: cat,
				DataTypes: f["data_types"], LocationAtRest: f["location_at_rest"], Processing: f["processing"], Reason: f["reason"], Line: line})
		}
	}
}

// category is the category facts stated here fall in: the section's, or
// the lead-in's.
func (x *extraction) category() Category {
	if c := x.cur().category; c != "" {
		return c
	}
	if x.lead != nil {
		return x.lead.category
	}
	return ""
}

// flushFacts ends a fact block that never named its services.
func (x *extraction) flushFacts() {
	if x.facts.facts != nil {
		x.warn(x.facts.line, UnrecognisedSection, "residency facts under heading %q name no services", x.cur().title)
		x.cur().warned = true
	}
	x.facts = block{}
}

// checkPlaces warns about a location value that names a capitalised place
// the profile does not know ("Brazil"), or no location at all when it
// should.
func (x *extraction) checkPlaces(value string, line int) {
	for _, name := range x.unknownPlaces(value) {
		x.warn(line, UnknownPlace, "location %q names %q, a place the %s profile does not know; kept as written", value, name, x.opts.Profile.Name)
	}
}

// unknownPlaces lists the capitalised place names of a location value
// that are not known places, scopes or regions.
func (x *extraction) unknownPlaces(value string) []string {
	p := x.opts.Profile
	var out []string
	for _, m := range placeWordsRe.FindAllString(value, -1) {
		m = strings.TrimSpace(m)
		if notPlaceRe.MatchString(m) || p.NotPlace(m) || productWord(p, m) || noLocationRe.MatchString(m) || len(p.LocationsIn(m)) > 0 || p.RegionOf(m) != "" || p.ScopeLabel(m) != "" || len(p.ScopesIn(m)) > 0 || x.inside(m) {
			continue
		}
		if len(p.LocationsIn(value)) > 0 || p.ScopeLabel(strings.Trim(value, ". ")) != "" {
			continue // "US and Asia/Pacific", "In the EU Data Boundary."
		}
		out = append(out, m)
	}
	return out
}

var (
	// placeWordsRe finds a value that is only a capitalised name: "Brazil",
	// "South Africa".
	placeWordsRe = litmatch.MustCompile(`^\s*(?:[Ii]n\s+)?(?:the\s+)?[A-Z][a-z]+(?:\s+[A-Z][a-z]+){0,2}\s*\.?\s*$`)
	// noLocationRe are values that name no location.
	noLocationRe = litmatch.MustCompile(`(?i)^(?:varies|various|none|n/?a|tbd|unknown|multiple|see\b.*|same\b.*|depends\b.*)$`)
)

// describedService records a service named by a bold or linked label with
// a description ("**Application Proxy** - Allows customers…").
func (x *extraction) describedService(name, description, dataTypes string, line int) {
	sec := x.cur()
	loc, cat := "", sec.category
	if sec.category == Outside {
		// Under "stored outside" headings only bullets that say where
		// the data goes are exclusions; others are advice.
		m, place := x.opts.Profile.OutsideIn(description)
		if m == "" {
			return
		}
		loc = strings.Join(x.opts.Profile.PlaceNames(place), ", ")
		if st := x.statement(description); st.global && !st.outside {
			cat = Global // "synced globally" under an "exceptions" heading
		}
	}
	// The description's own sentences say what data and where (fields
	// in full): "… they are published globally", "… allow customer data
	// to egress outside of …, including user account data, …".
	var r itemReading
	if len(findVerbs(x.opts.Profile, description)) > 0 {
		r = x.itemFacts(description) // no residency verb: nothing to read
	}
	if dataTypes == "" {
		dataTypes = strings.Join(r.data, "; ")
	}
	proc := ""
	if sec.category != Outside {
		if loc == "" && len(r.atRest) > 0 {
			loc = strings.Join(r.atRest, ", ")
		} else if loc == "" && r.global {
			loc = ScopeGlobal
		}
		proc = strings.Join(r.process, ", ")
	}
	for _, scope := range x.scopes() {
		x.add(Record{Service: name, Scope: scope, Category: cat, DataTypes: dataTypes, LocationAtRest: loc, Processing: proc, Reason: description, Line: line})
	}
}

// twoServicesRe matches a label naming two services with their
// abbreviations: "Azure MFA (MFA) and Azure AD SSPR (SSPR)".
var twoServicesRe = litmatch.MustCompile(`^(.+?\([^()]+\))\s+and\s+(.+\([^()]+\))$`)

// splitLabel splits a bold label that names several services: each
// part a service of the profile ("Directory Core Store and Azure AD
// self-service password reset (SSPR)"), or two names each with its
// abbreviation ("Azure MFA (MFA) and Azure AD SSPR (SSPR)").
func (x *extraction) splitLabel(label string) []string {
	if names := x.servicesNamed(label); names != nil {
		return names
	}
	if m := twoServicesRe.FindStringSubmatch(label); m != nil {
		return []string{m[1], m[2]}
	}
	return []string{label}
}
