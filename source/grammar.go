package source

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/residiff/residiff/internal/litmatch"
)

// Grammar is how a source's pages write their facts: the labels of fact
// blocks, the headers of table columns by role, the words that start a
// page title's subject, capitalised words that are never places, links to
// the provider's general residency site, the Markdown dialect's
// extensions, and the phrases that name a page's own scope inside a fact.
// The extractor and the differ read pages through it; they hold no
// provider's wording of their own.
type Grammar struct {
	// FactLabels name the record field (Name: "services", "reason",
	// "data_types", "processing", "location_at_rest") a bold or table
	// label fills, by a case-insensitive pattern over the label; the first
	// that matches wins.
	FactLabels []Term `yaml:"fact_labels"`
	// LabelSpellings are the labels as the pages write them (Match, a
	// literal), by field (Name): a label within two edits of one ("Customer
	// data procesing") is that label.
	LabelSpellings []Term `yaml:"label_spellings"`
	// Columns say, by a case-insensitive pattern over a table header, the
	// role of a column (Name): "service" (rows keyed by service),
	// "key_kind" (other things rows are keyed by), "region_key" (rows
	// keyed by the customer's region), "location", "processing",
	// "description", "status" (permanent or temporary, and until when),
	// "commitment" (the row's service is within the scope's commitment,
	// since a date: see Commitments).
	Columns []Term `yaml:"columns"`
	// TitleSubject is a pattern whose first group is the service a page
	// title names after its lead-in ("for Microsoft Entra …").
	TitleSubject string `yaml:"title_subject"`
	// HeadingSubject is a pattern whose first group is the service a
	// heading or a bold label names before words of the page's own that
	// every such heading repeats ("Exchange Online Data Residency
	// Commitments" names Exchange Online).
	HeadingSubject string `yaml:"heading_subject"`
	// NotPlaces are capitalised words that start product names, not
	// places ("Government" in "Azure Government"), matched at the start of
	// a capitalised phrase, case-sensitively.
	NotPlaces []Term `yaml:"not_places"`
	// ResidencySites are links to the provider's general residency site
	// (a Trust Center): never the list a page points to for its facts.
	ResidencySites []Term `yaml:"residency_sites"`
	// Dialect is the Markdown dialect's extensions the pages use.
	Dialect Dialect `yaml:"dialect"`
	// ScopePhrases are the ways a fact names its page's scope ("outside
	// the EU location" says "outside the region"), matched on lower-cased
	// text.
	ScopePhrases []Term `yaml:"scope_phrases"`
	// Commitments are the cells of a "commitment" column that say a row's
	// service is within the scope's commitment: always (Name "included")
	// or since the date the cell names (Name "added"): "Always Included",
	// "Added November 1, 2022".
	Commitments []Term `yaml:"commitments"`
	// DataLeadIns are lead-ins whose list is of data, not of services
	// ("The following customer data is stored at rest in …:"): under a
	// heading naming a service, the items are that service's data.
	DataLeadIns []Term `yaml:"data_lead_ins"`
	// ConditionLeadIns are lead-ins whose list is the conditions a
	// commitment holds under ("Required Conditions:"): its items are
	// prerequisites, never records; an item placing no data outside is
	// not a transfer ("conditional").
	ConditionLeadIns []Term `yaml:"condition_lead_ins"`
	// CommitmentLinks are the words of a link (its text or address) that
	// leads to a commitment's own terms ("ADR Commitment page", "Privacy
	// and Security Product Terms"): a sentence sending the reader there
	// from a commitment's section gives the commitment by pointer.
	CommitmentLinks []Term `yaml:"commitment_links"`
	// PlaceSynonyms are spellings of one place (lower case) that the
	// differ reads as the same words ("türkiye", "turkey").
	PlaceSynonyms []Synonym `yaml:"place_synonyms"`

	factLabels, notPlaces, residencySites, scopePhrases   []*regexp.Regexp
	commitments, dataLeadIns                              []*regexp.Regexp
	conditionLeadIns, commitmentLinks                     []*regexp.Regexp
	columns                                               map[string][]*regexp.Regexp
	titleSubject, headingSubject, include, callout, media *regexp.Regexp
	anyScopePhrase                                        *regexp.Regexp
	// scopePhraseRe is anyScopePhrase run where its literals start a match.
	scopePhraseRe      *litmatch.Regexp
	scopePhraseNeedles []string
	// The dialect's literals, one of which every match of its pattern
	// holds (nil: none known): a text holding none is not run.
	includeNeedles, calloutNeedles, mediaNeedles []string
}

// Dialect is a Markdown dialect's block extensions, each a pattern over a
// paragraph's text ("" when the dialect has none).
type Dialect struct {
	// Name names the dialect ("docfx").
	Name string `yaml:"name"`
	// Include marks a paragraph that pulls another file in ("[!INCLUDE
	// …]"): its facts are not on the page.
	Include string `yaml:"include"`
	// Callout is the marker that opens a callout box ("[!NOTE]"); it is
	// removed before the box's text is read.
	Callout string `yaml:"callout"`
	// Media marks a paragraph that only places a picture or video
	// (":::image … :::"): its alt text and file names state nothing.
	Media      string `yaml:"media"`
	Provenance string `yaml:"provenance"`
}

// columnRoles are the roles a Columns entry may name.
var columnRoles = map[string]bool{"service": true, "key_kind": true, "region_key": true, "location": true, "processing": true, "description": true, "status": true, "commitment": true}

// factFields are the record fields a FactLabels entry may name.
var factFields = map[string]bool{"services": true, "reason": true, "data_types": true, "processing": true, "location_at_rest": true}

func (g *Grammar) compile() error {
	var err error
	for i, t := range append(g.FactLabels[:len(g.FactLabels):len(g.FactLabels)], g.LabelSpellings...) {
		if !factFields[t.Name] {
			return fmt.Errorf("grammar: fact label %d names %q, not a record field", i, t.Name)
		}
	}
	g.factLabels = compileTerms("grammar.fact_labels", g.FactLabels, "(?i)", &err)
	for i, t := range g.LabelSpellings {
		if t.Match == "" || strings.TrimSpace(t.Provenance) == "" {
			return fmt.Errorf("grammar.label_spellings[%d]: match and provenance are required", i)
		}
	}
	cols := compileTerms("grammar.columns", g.Columns, "(?i)", &err)
	g.columns = map[string][]*regexp.Regexp{}
	for i, t := range g.Columns {
		if !columnRoles[t.Name] {
			return fmt.Errorf("grammar.columns[%d]: unknown role %q", i, t.Name)
		}
		if i < len(cols) {
			g.columns[t.Name] = append(g.columns[t.Name], cols[i])
		}
	}
	g.notPlaces = compileTerms("grammar.not_places", g.NotPlaces, "^", &err)
	g.dataLeadIns = compileTerms("grammar.data_lead_ins", g.DataLeadIns, "(?i)", &err)
	g.conditionLeadIns = compileTerms("grammar.condition_lead_ins", g.ConditionLeadIns, "(?i)", &err)
	g.commitmentLinks = compileTerms("grammar.commitment_links", g.CommitmentLinks, "(?i)", &err)
	g.commitments = compileTerms("grammar.commitments", g.Commitments, "(?i)", &err)
	g.residencySites = compileTerms("grammar.residency_sites", g.ResidencySites, "(?i)", &err)
	g.scopePhrases = compileTerms("grammar.scope_phrases", g.ScopePhrases, "(?i)", &err)
	if err != nil {
		return err
	}
	for i, s := range g.PlaceSynonyms {
		if s.From == "" || s.To == "" || strings.TrimSpace(s.Provenance) == "" {
			return fmt.Errorf("grammar.place_synonyms[%d]: from, to and provenance are required", i)
		}
	}
	if g.anyScopePhrase, err = anyOf(g.ScopePhrases, "(?i)"); err != nil {
		return fmt.Errorf("grammar.scope_phrases: %w", err)
	}
	g.scopePhraseNeedles = needles(g.anyScopePhrase, true)
	if g.anyScopePhrase != nil {
		g.scopePhraseRe = litmatch.MustCompile(g.anyScopePhrase.String())
	}
	for _, c := range []struct {
		re      **regexp.Regexp
		pattern string
		what    string
	}{{&g.titleSubject, g.TitleSubject, "title_subject"}, {&g.headingSubject, g.HeadingSubject, "heading_subject"}, {&g.include, g.Dialect.Include, "dialect.include"}, {&g.callout, g.Dialect.Callout, "dialect.callout"}, {&g.media, g.Dialect.Media, "dialect.media"}} {
		if c.pattern == "" {
			continue
		}
		if *c.re, err = regexp.Compile(c.pattern); err != nil {
			return fmt.Errorf("grammar.%s: %w", c.what, err)
		}
	}
	g.includeNeedles, g.calloutNeedles, g.mediaNeedles = needles(g.include, false), needles(g.callout, false), needles(g.media, false)
	if (g.Dialect.Include != "" || g.Dialect.Callout != "") && strings.TrimSpace(g.Dialect.Provenance) == "" {
		return fmt.Errorf("grammar.dialect: provenance is required")
	}
	return nil
}

// FactField names the record field a fact label fills, or "".
func (p *Profile) FactField(label string) string {
	if i := firstTerm(p.matchers().factLabels, p.Grammar.factLabels, label); i >= 0 {
		return p.Grammar.FactLabels[i].Name
	}
	return ""
}

// IsColumn reports whether header h is a column of the role ("service",
// "key_kind", "region_key", "location", "processing", "description",
// "status", "commitment").
func (p *Profile) IsColumn(role, h string) bool {
	v := p.matchers()
	m := v.isColumn[role]
	if m == nil {
		return firstTerm(v.columns[role], p.Grammar.columns[role], h) >= 0
	}
	return m.get(h, func(h string) bool { return firstTerm(v.columns[role], p.Grammar.columns[role], h) >= 0 })
}

// TitleSubject is the service a page title names after its lead-in, or "".
func (p *Profile) TitleSubject(title string) string {
	if p.Grammar.titleSubject == nil {
		return ""
	}
	return p.matchers().titleSubject.get(title, p.titleSubject)
}

// titleSubject is TitleSubject, not memoised (every version of a page
// has the same title, asked more than once).
func (p *Profile) titleSubject(title string) string {
	if m := p.Grammar.titleSubject.FindStringSubmatch(title); len(m) > 1 {
		return m[1]
	}
	return ""
}

// HeadingSubject is the service a heading or bold label names: the
// heading's subject by the grammar's heading_subject, else the heading.
func (p *Profile) HeadingSubject(h string) string {
	if re := p.Grammar.headingSubject; re != nil {
		if m := re.FindStringSubmatch(h); len(m) > 1 && strings.TrimSpace(m[1]) != "" {
			return strings.TrimSpace(m[1])
		}
	}
	return h
}

// NotPlace reports whether a capitalised phrase starts with a word of a
// product name, not a place ("Government Community Cloud").
func (p *Profile) NotPlace(phrase string) bool {
	for _, re := range p.Grammar.notPlaces {
		if re.MatchString(phrase) {
			return true
		}
	}
	return false
}

// Commitment names what a commitment cell says ("included", "added"), or
// "" when it is none the profile knows.
func (p *Profile) Commitment(cell string) string {
	for i, re := range p.Grammar.commitments {
		if re.MatchString(strings.TrimSpace(cell)) {
			return p.Grammar.Commitments[i].Name
		}
	}
	return ""
}

// IsDataLeadIn reports whether a lead-in introduces a list of data, not of
// services.
func (p *Profile) IsDataLeadIn(s string) bool {
	for _, re := range p.Grammar.dataLeadIns {
		if re.MatchString(s) {
			return true
		}
	}
	return false
}

// IsConditionLeadIn reports whether a lead-in introduces the conditions
// a commitment holds under.
func (p *Profile) IsConditionLeadIn(s string) bool {
	for _, re := range p.Grammar.conditionLeadIns {
		if re.MatchString(strings.TrimSpace(s)) {
			return true
		}
	}
	return false
}

// IsCommitmentLink reports whether a link (its text and address) leads to
// a commitment's own terms.
func (p *Profile) IsCommitmentLink(link string) bool {
	for _, re := range p.Grammar.commitmentLinks {
		if re.MatchString(link) {
			return true
		}
	}
	return false
}

// IsResidencySite reports whether a link (its address and text) goes to
// the provider's general residency site.
func (p *Profile) IsResidencySite(link string) bool {
	return firstTerm(p.matchers().residencySites, p.Grammar.residencySites, link) >= 0
}

// IsMedia reports whether a paragraph only places a picture or video.
func (p *Profile) IsMedia(text string) bool {
	return p.Grammar.media != nil && hasNeedle(text, p.Grammar.mediaNeedles, false) && p.Grammar.media.MatchString(text)
}

// IsInclude reports whether a paragraph pulls in another file.
func (p *Profile) IsInclude(text string) bool {
	return p.Grammar.include != nil && hasNeedle(text, p.Grammar.includeNeedles, false) && p.Grammar.include.MatchString(text)
}

// StripCallout removes a callout's opening marker from a paragraph's text.
func (p *Profile) StripCallout(text string) string {
	if p.Grammar.callout == nil || !hasNeedle(text, p.Grammar.calloutNeedles, false) {
		return text
	}
	return p.Grammar.callout.ReplaceAllString(text, "")
}

// SplitCallouts splits a callout's text where another callout's marker
// starts inside it (two "> [!NOTE]" boxes written without a blank line
// between them are one paragraph) and removes the markers.
func (p *Profile) SplitCallouts(text string) []string {
	if p.Grammar.callout == nil {
		return []string{text}
	}
	return slices.Clone(p.matchers().splitCallouts.get(text, p.splitCallouts))
}

// splitCallouts is SplitCallouts, not memoised: the marker is tried after
// every space, when the text holds one of its literals (a match in a part
// of the text is in the text). Its parts are copies, not slices of text.
func (p *Profile) splitCallouts(text string) []string {
	re := p.Grammar.callout
	may := hasNeedle(text, p.Grammar.calloutNeedles, false)
	var out []string
	add := func(part string) {
		if may {
			part = re.ReplaceAllString(part, "")
		}
		if part = strings.TrimSpace(part); part != "" {
			out = append(out, strings.Clone(part))
		}
	}
	start := 0
	for i := 1; i < len(text); i++ {
		if may && text[i-1] == ' ' && text[i] != ' ' && re.MatchString(text[i:]) {
			add(text[start:i])
			start = i
		}
	}
	add(text[start:])
	return out
}

// ScopePhrasesTo replaces the phrases that name the page's scope inside a
// fact (case-insensitively) with repl.
func (p *Profile) ScopePhrasesTo(s, repl string) string {
	if p.Grammar.anyScopePhrase == nil || !hasNeedle(s, p.Grammar.scopePhraseNeedles, true) {
		return s
	}
	return p.Grammar.scopePhraseRe.ReplaceAllString(s, repl)
}

// PlaceSynonym is the spelling a place's other spelling w (lower case)
// stands for, or w.
func (p *Profile) PlaceSynonym(w string) (string, bool) {
	for _, s := range p.Grammar.PlaceSynonyms {
		if s.From == w {
			return s.To, true
		}
	}
	return w, false
}

// GrammarWords are the provider's words in its grammar: the labels as
// written, the words that are never places, the residency sites' names,
// the places' other spellings and the scope phrases' names.
func (p *Profile) GrammarWords() []string {
	var out []string
	for _, ts := range [][]Term{p.Grammar.NotPlaces, p.Grammar.ResidencySites, p.Grammar.ScopePhrases} {
		for _, t := range ts {
			out = append(out, t.Name)
		}
	}
	for _, t := range p.Grammar.LabelSpellings {
		out = append(out, t.Match)
	}
	for _, s := range p.Grammar.PlaceSynonyms {
		out = append(out, s.From, s.To)
	}
	for _, s := range append(p.Scopes[:len(p.Scopes):len(p.Scopes)], p.Regions...) {
		if s.Wording != "" {
			out = append(out, s.Wording)
		}
	}
	return out
}

// ScopeWording names the scope or region called name in a sentence: its
// Wording, else "the <name>" for a scope and "the <name> region" for a
// region; false when the profile has no scope or region of that name.
func (p *Profile) ScopeWording(name string) (string, bool) {
	for _, s := range p.Scopes {
		if s.Name == name {
			return firstOr(s.Wording, "the "+name), true
		}
	}
	for _, s := range p.Regions {
		if s.Name == name {
			return firstOr(s.Wording, "the "+name+" region"), true
		}
	}
	return "", false
}

func firstOr(s, fallback string) string {
	if s != "" {
		return s
	}
	return fallback
}
