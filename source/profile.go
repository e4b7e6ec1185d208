// Package source describes a docs source: the repository its residency
// pages live in, which paths are those pages, and the vocabulary its pages
// use — regions, scopes and their families, places, vendor prefixes of
// service names, headings that never name a service, and service aliases.
//
// Everything residiff knows about one provider's pages lives in a Profile,
// loaded from a data file (see source/entra for Microsoft Entra ID). The
// history walk, the extractor, the service register and the differ take
// what they need from the Profile they are given; none of them holds a
// provider's vocabulary of its own. A new docs source needs a new profile
// (and new readers in the extractor only if its Markdown layouts differ).
package source

import (
	"errors"
	"fmt"
	pathpkg "path"
	"regexp"
	"regexp/syntax"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"unicode"

	"github.com/residiff/residiff/internal/litmatch"
	"github.com/residiff/residiff/internal/textcase"
	"go.yaml.in/yaml/v3"
)

// Profile is one docs source. Load it with Parse; the zero value matches
// nothing.
type Profile struct {
	// Name identifies the profile in configuration and state ("entra").
	Name string `yaml:"name"`
	// RepoURL is the upstream repository watched by default.
	RepoURL string `yaml:"repo_url"`
	// DocsBaseURL is the site the pages are published on; site-relative
	// links ("/privacy/…") resolve against it.
	DocsBaseURL string `yaml:"docs_base_url"`
	// Published maps a page's path in the repository to its address on
	// the site: the first rule whose prefix the path has.
	Published []Publish `yaml:"published"`
	// Product is the product the pages are about.
	Product Product `yaml:"product"`
	// PageDateKey is the front-matter key a page's own date is read from
	// ("ms.date" on Microsoft Learn): the model's page date. Empty: the
	// pages carry none.
	PageDateKey string `yaml:"page_date_key"`
	// Pages are doublestar globs of the tracked pages.
	Pages []Glob `yaml:"pages"`
	// DropPrefixes are file-name prefixes the pages lost when they were
	// renamed: a page renamed and rewritten in one commit is the same
	// page when the rest of its name is.
	DropPrefixes []Term `yaml:"drop_prefixes"`
	// Regions are the regions pages speak for, most specific first: the
	// first whose pattern matches a page's title or path names its region.
	Regions []Scope `yaml:"regions"`
	// Clouds are the provider's separate cloud instances a table row can
	// be keyed by ("Microsoft Government Cloud"), each with the locations
	// inside it: a row about a cloud's customers is judged against the
	// places that cloud keeps their data in, as a row keyed by a customer
	// region is against that region.
	Clouds []Scope `yaml:"clouds"`
	// Scopes are the commitments sections name ("EU Data Boundary"), each
	// in a family of scopes that replace one another over time.
	Scopes []Scope `yaml:"scopes"`
	// ScopeSynonyms are wordings of a scope name that mean the same
	// scope; the differ reads them as the same words.
	ScopeSynonyms []Synonym `yaml:"scope_synonyms"`
	// Places are the locations prose names as where data rests ("the
	// United States", "global").
	Places []Term `yaml:"places"`
	// Locations are the places a location phrase or table cell can name,
	// by canonical name, matched case-sensitively ("US" is a place, "us"
	// is not). A capitalised place that matches none is an unknown place.
	Locations []Term `yaml:"locations"`
	// Within says which known places lie within which larger location, as
	// a page itself says so ("Data resides in Europe for … Germany"): a
	// table row keyed by a list of countries is in the region its location
	// cell names when every country of the list residiff knows lies
	// within that region. The world vocabulary's (see WorldRegions) are
	// added after the profile's own.
	Within []Within `yaml:"within"`
	// WorldRegions say which of the profile's own locations a region of
	// the world vocabulary (source/world.yaml: every country, in its UN
	// M49 region) is: a world country lies within a location of the
	// profile only through them. The world's places are merged under
	// Locations, after the profile's own, which win (world.go).
	WorldRegions []WorldRegion `yaml:"world_regions"`
	// Services are service names the pages use that carry no vendor
	// prefix; a heading or label naming one is a service.
	Services []Term `yaml:"services"`
	// GenericLabels start bold labels that never name a service ("Note").
	GenericLabels []Term `yaml:"generic_labels"`
	// PlatformPrefixes are words a service name may start with that are
	// not part of the product's vendor prefix ("Azure Multi-Factor
	// Authentication"): a name is a service when the rest is one. They do
	// not change a service's identity.
	PlatformPrefixes []Term `yaml:"platform_prefixes"`
	// OutsidePhrases are the phrases that say data leaves the region, and
	// the location each names ("outside Europe" → "Outside Europe").
	OutsidePhrases []Term `yaml:"outside_phrases"`
	// CompanyPrefix is the company word that may precede a vendor prefix
	// ("Microsoft").
	CompanyPrefix string `yaml:"company_prefix"`
	// VendorPrefixes are the product names service names have been
	// prefixed with over the years; they are not part of a service's
	// identity.
	VendorPrefixes []Term `yaml:"vendor_prefixes"`
	// GenericHeadings start headings that never name a service.
	GenericHeadings []Term `yaml:"generic_headings"`
	// ChromeHeadings start the site furniture a scraped copy carries
	// ("Feedback", "Additional resources"): nothing under them, down to
	// the next heading of their level, is the page's content.
	ChromeHeadings []Term `yaml:"chrome_headings"`
	// Aliases are other names of services.
	Aliases []Alias `yaml:"aliases"`
	// ClaimWords are the words that make a sentence, item or row a claim
	// about where data goes: data verbs and nouns ("stored", "replicated",
	// "at rest", "processed", "datacenters"). With a place, or with one
	// another, they mark a claim site the ledger must account for.
	ClaimWords []Term `yaml:"claim_words"`
	// Signals are the words that alone make a sentence, item or row a
	// claim site: the data verbs ("stored", "replicated", "processed",
	// "validated", "routed", "retained", "backed up"…) and the phrases
	// that place data without naming a known place ("in the closest
	// datacenter", "to a different region", "worldwide"). Matched on
	// lower-cased text. A site they mark must get a disposition like any
	// other claim site.
	Signals []Term `yaml:"signals"`
	// NotTransfers are claim sites that speak of data and places without
	// stating a transfer, each named by its reason (Name): "advice", "scope"
	// (matched, like ClaimWords and CustomerRegion, on lower-cased text)
	// (the page describing itself), "navigation", "conditional" (on the
	// customer's own choice), "past".
	NotTransfers []Term `yaml:"not_transfers"`
	// Bounds are the phrases that say a commitment does not hold for a
	// service or for some data, each named by what it says (Name): a
	// service leaving a scope ("withdrawn": "will no longer be a supported
	// workload in ADR"), a guarantee denied ("no guarantee": "doesn't
	// guarantee email routing through a dedicated geo-specific region").
	// Matched on lower-cased text. A site with one that names a scope or
	// says where is a claim site, never read as no transfer nor as in
	// region: the extractor leaves it unread, with a warning, so that what
	// the commitment no longer covers is never silent. An empty list reads
	// no bound.
	Bounds []Term `yaml:"commitment_bounds"`
	// MoveTimes are the phrases that tie a clause to the time before a
	// move of data is done or while it is under way ("until", "once",
	// "not yet", "while", "during", "in the meantime", "being moved"),
	// each named by which (Name: "before", "during"). Matched
	// case-insensitively. A clause one opens (the phrase and its words up
	// to the next , ; : or full stop) that uses a data verb names a move
	// not done; where a site places data outside such clauses is where
	// it is for the move's time only, never a statement that the data
	// stays in the region (Profile.MoveTimesIn, the extractor's notYet).
	// An empty list reads no such time.
	MoveTimes []Term `yaml:"move_times"`
	// CustomerRegion are phrases that place data where the customer chose
	// or is ("based on the address your organization provided", "the
	// location you select"): a claim site saying so states the data is in
	// the customer's region.
	CustomerRegion []Term `yaml:"customer_region"`
	// SpatialWords are the words that say where without naming a place
	// ("outside", "globally", "datacenters", "region", "countries"), and
	// those that say in what state data is (State: "at rest"). A site
	// with one of them can say where data goes (SaysWhere); with two data
	// words, one of them or a state word makes it a claim site (Spatial).
	SpatialWords []Term `yaml:"spatial_words"`
	// LocationWords are the words, found anywhere in a word ("location" in
	// "geo-locations", "reside" in "residency"), that make a section speak
	// of where data is (SpeaksOfLocation). Matched on lower-cased text.
	LocationWords []Term `yaml:"location_words"`
	// DataVerbs are the verbs a statement says where data is or goes
	// with ("stored", "replicated", "routed", "at rest"), each a few forms
	// matched as written; the verb a statement's places follow tells
	// where data rests from where it is processed (DataVerb.Process).
	// Narrower signals, not these, make a claim site alone: "made",
	// "start" or "put" say nothing of data without a place.
	DataVerbs []DataVerb `yaml:"data_verbs"`
	// Negations are the words that say a verb is not so ("not", "never",
	// "n't", after a verb "no") and the phrases that set off what is not
	// so ("instead of"): places after them are not where data is.
	Negations []Negation `yaml:"negations"`
	// AdviceMarkers are the phrases that send the reader elsewhere ("see",
	// "refer to", "listed in"), by what they make of a linked paragraph or
	// sentence (AdviceMarker.Reference, AdviceMarker.Navigation).
	AdviceMarkers []AdviceMarker `yaml:"advice_markers"`
	// AccessVerbs are the phrases that say who may reach data, not where
	// it rests ("can be shared with", "accessed by"): a place in the
	// clause one opens is where those people are (Profile.Accesses). An
	// empty list reads every place as the data's.
	AccessVerbs []Term `yaml:"access_verbs"`
	// Grammar is how the pages write their facts (see Grammar).
	Grammar Grammar `yaml:"grammar"`

	regions, scopes, places, outside, generic, chrome []*regexp.Regexp
	clouds                                            []*regexp.Regexp
	claimWords, notTransfers, customerRegion          []*regexp.Regexp
	bounds                                            []*regexp.Regexp
	signals, spatial, locationWords                   []*regexp.Regexp
	dataVerbs, negations, advice                      []*regexp.Regexp
	verbs                                             verbIndex
	// access is the access verbs in one expression (nil: none).
	access *litmatch.Regexp
	// moveTimes is the move times in one expression (nil: none).
	moveTimes *litmatch.Regexp
	// negatedAfter is the negations that are no contrast, after white
	// space at the text's start; anyNegation all of them, a group each.
	negatedAfter *litmatch.Regexp
	anyNegation  *regexp.Regexp
	// anyCustomerRegion, anyPlace and anySignal are those vocabularies in
	// one expression each, a group a term.
	anyCustomerRegion, anyPlace, anySignal *regexp.Regexp
	// claimNeedles are, per claim word, literals one of which a match
	// holds: most sentences are ruled out without running the term.
	claimNeedles, notTransferNeedles       [][]string
	placeNeedles                           []string
	locations, services, labels, platforms []*regexp.Regexp
	vendor                                 *litmatch.Regexp
	// vendorWords finds the product's names anywhere in a lower-case
	// text, the company's name before them included (nil: none).
	vendorWords *litmatch.Regexp
	// names are NamesAt's expressions (services, scopes, the product).
	names   []nameTerms
	vendors []*regexp.Regexp // each prefix alone, anchored
	// anyScope is the scopes' patterns in one expression, one group
	// each, for a single pass; its needles are literals one of which a
	// match must contain (nil: no such set), so that most texts are ruled
	// out without a regexp.
	anyScope     *regexp.Regexp
	scopeNeedles []string
	// locationNeedles are, per location, literals one of which a match
	// holds (nil: none known); a text is matched by the expression
	// joining the locations whose needles it holds (joinedLocations),
	// built once per such set: the hundreds of the world's places are
	// not one alternation run on every text.
	locationNeedles [][]string
	joined          *sync.Map
	// vocabs are the vocabularies above compiled for one-pass matching
	// (internal/litmatch), built on first use.
	vocabs *vocabs
	// fromWorld are the locations the world vocabulary gave, by name;
	// around the regions each location lies within (Within), by place.
	fromWorld map[string]bool
	around    map[string][]string
}

// vocabs are a profile's vocabularies as one-pass matchers; a nil one is
// matched by its expressions.
type vocabs struct {
	once                                 sync.Once
	locations, places, scopes            *litmatch.Vocab
	claimWords, notTransfers, customerRg *litmatch.Vocab
	signals, spatial, locationWords      *litmatch.Vocab
	dataVerbs, negations, advice         *litmatch.Vocab
	// The lists asked which of their terms matches first: regions,
	// generic and chrome headings, services, fact labels, columns by role.
	regions, generic, chrome, services *litmatch.Vocab
	clouds                             *litmatch.Vocab
	factLabels                         *litmatch.Vocab
	columns                            map[string]*litmatch.Vocab
	// The lists asked whether any of their terms matches.
	labels, residencySites *litmatch.Vocab
	bounds                 *litmatch.Vocab

	// The answers to the questions the extractor asks of each sentence,
	// by text (slices are handed out as copies).
	scopesIn, placesIn memo[[]string]
	locationsIn        memo[[]Location]
	placesAt           memo[[]Location]
	namesAt            memo[[]Name]
	placeNames         memo[[]string]
	claimWordsIn       memo[int]
	notTransfer        memo[string]
	cloudOf            memo[string]
	inCustomerRegion   memo[bool]
	signalled          memo[bool]
	splitCallouts      memo[[]string]
	readsBack          memo[bool]
	scopeLabel         memo[string]
	titleSubject       memo[string]
	// The questions asked of names, headings, labels and cells, which
	// recur in every version of a page (a column's by role).
	isService, isChrome, isLabel memo[bool]
	navigates, refersElsewhere   memo[bool]
	speaksOfLocation             memo[bool]
	strippedVendor               memo[stripped]
	isColumn                     map[string]*memo[bool]

	// lowered is the last text the questions lower-cased and its lower
	// case: the questions about one text (signal, claim words, not a
	// transfer, customer region) are asked one after another.
	lowered atomic.Pointer[[2]string]
}

// lower is textcase.Lower(s), the last text's answer shared by the
// questions asked of it in turn.
func (p *Profile) lower(s string) string {
	v := p.matchers()
	if last := v.lowered.Load(); last != nil && last[0] == s {
		return last[1]
	}
	l := textcase.Lower(s)
	v.lowered.Store(&[2]string{s, l})
	return l
}

// matchers returns the profile's one-pass matchers, building them once.
func (p *Profile) matchers() *vocabs {
	if p.vocabs == nil {
		return &vocabs{}
	}
	v := p.vocabs
	v.once.Do(func() {
		v.locations = litmatch.CompileVocab(p.locations)
		v.places = litmatch.CompileVocab(p.places)
		v.scopes = litmatch.CompileVocab(p.scopes)
		v.claimWords = litmatch.CompileVocab(p.claimWords)
		v.notTransfers = litmatch.CompileVocab(p.notTransfers)
		v.customerRg = litmatch.CompileVocab(p.customerRegion)
		v.signals = litmatch.CompileVocab(p.signals)
		v.spatial = litmatch.CompileVocab(p.spatial)
		v.locationWords = litmatch.CompileVocab(p.locationWords)
		v.dataVerbs = litmatch.CompileVocab(p.dataVerbs)
		v.negations = litmatch.CompileVocab(p.negations)
		v.advice = litmatch.CompileVocab(p.advice)
		v.regions = litmatch.CompileVocab(p.regions)
		v.generic = litmatch.CompileVocab(p.generic)
		v.chrome = litmatch.CompileVocab(p.chrome)
		v.services = litmatch.CompileVocab(p.services)
		v.clouds = litmatch.CompileVocab(p.clouds)
		v.factLabels = litmatch.CompileVocab(p.Grammar.factLabels)
		v.labels = litmatch.CompileVocab(p.labels)
		v.residencySites = litmatch.CompileVocab(p.Grammar.residencySites)
		v.bounds = litmatch.CompileVocab(p.bounds)
		v.columns = map[string]*litmatch.Vocab{}
		v.isColumn = map[string]*memo[bool]{}
		for role, res := range p.Grammar.columns {
			v.columns[role] = litmatch.CompileVocab(res)
			v.isColumn[role] = &memo[bool]{}
		}
		// The profile's expressions built now, with its vocabularies,
		// not by the first page that asks.
		for _, re := range []*litmatch.Regexp{p.access, p.moveTimes, p.negatedAfter, p.vendor, p.vendorWords, p.Grammar.scopePhraseRe} {
			if re != nil {
				re.Prepare()
			}
		}
	})
	return v
}

// firstTerm is the index of the first of res (compiled as v, or nil) that
// matches s, or -1.
func firstTerm(v *litmatch.Vocab, res []*regexp.Regexp, s string) int {
	if v != nil {
		var buf [8]litmatch.Hit
		if hs, ok := v.Hits(s, buf[:0]); ok {
			first := -1
			for _, h := range hs {
				if first < 0 || h.Term < first {
					first = h.Term
				}
			}
			return first
		}
	}
	for i, re := range res {
		if re.MatchString(s) {
			return i
		}
	}
	return -1
}

// Product is the product a source's pages are about.
type Product struct {
	// Name is the product's current name ("Microsoft Entra ID").
	Name string `yaml:"name"`
	// ID is its canonical service id ("entraid").
	ID string `yaml:"id"`
}

// Glob is one doublestar pattern of tracked pages.
type Glob struct {
	Glob       string `yaml:"glob"`
	Provenance string `yaml:"provenance"`
}

// Term is a named vocabulary entry: Name is what the entry stands for,
// Match a case-insensitive regular expression over the text it is looked
// for in, Provenance where it was seen and why it is here.
type Term struct {
	Name       string `yaml:"name"`
	Match      string `yaml:"match"`
	Provenance string `yaml:"provenance"`
	// Action marks a claim word that says what happens to data (stored,
	// processed, replicated…), as against one that names a place or the
	// data itself: rewording a claim keeps its actions.
	Action bool `yaml:"action,omitempty"`
	// State marks a spatial word that says in what state data is ("at
	// rest"), not where it is.
	State bool `yaml:"state,omitempty"`
	// Withdraws marks a commitment bound that takes the service it names
	// out of the commitment ("will no longer be a supported workload in
	// ADR"), as against one that leaves some data uncovered ("doesn't
	// guarantee email routing through a dedicated geo-specific region").
	Withdraws bool `yaml:"withdraws,omitempty"`
}

// Within places one location inside another.
type Within struct {
	Place      string `yaml:"place"`
	Region     string `yaml:"region"`
	Provenance string `yaml:"provenance"`
}

// Scope is a commitment a page's sections name, or a region a page speaks
// for (a region is the scope of its page's records).
type Scope struct {
	Term `yaml:",inline"`
	// Family groups scopes that replace one another ("EU": Europe, EU
	// Data Boundary, EU Data Residency).
	Family string `yaml:"family"`
	// Inside names the Locations that are within the region or scope:
	// data stored there stays in it.
	Inside []string `yaml:"inside"`
	// Wording names the scope in a sentence ("the Multi-Geo add-on");
	// empty: "the <name>" for a scope, "the <name> region" for a region.
	Wording string `yaml:"wording"`
	// Commitment marks a scope whose pages list the services it covers
	// (an add-on's or a contract's list of workloads kept in the region):
	// a service entering that list is newly covered, one leaving it is no
	// longer covered, and a change of what it keeps in the region is a
	// change of facts.
	Commitment bool `yaml:"commitment"`
}

// Synonym says From means the same as To (both lower case).
type Synonym struct {
	From       string `yaml:"from"`
	To         string `yaml:"to"`
	Provenance string `yaml:"provenance"`
}

// Publish is one rule from repository paths to published addresses:
// "docs/fundamentals/x.md" under "docs/" → URL + "fundamentals/x".
type Publish struct {
	PathPrefix string `yaml:"path_prefix"`
	URL        string `yaml:"url"`
	// Root is the folder "~/" links start from (docfx), when the prefix
	// is a docset's root.
	Root       string `yaml:"root"`
	Provenance string `yaml:"provenance"`
}

// Alias says Alias names the same service as Canonical.
type Alias struct {
	Alias      string `yaml:"alias"`
	Canonical  string `yaml:"canonical"`
	Provenance string `yaml:"provenance"`
}

// Parse reads a profile from its YAML data file and compiles its
// patterns. Unknown keys, entries without provenance and patterns that do
// not compile are errors.
func Parse(data []byte) (*Profile, error) {
	dec := yaml.NewDecoder(strings.NewReader(string(data)))
	dec.KnownFields(true)
	var p Profile
	if err := dec.Decode(&p); err != nil {
		return nil, fmt.Errorf("profile: %w", err)
	}
	if err := p.compile(); err != nil {
		return nil, fmt.Errorf("profile %s: %w", p.Name, err)
	}
	return &p, nil
}

// MustParse is Parse for a profile embedded in the binary: a bad entry
// there is a bug (each profile package's test catches it), so it panics.
func MustParse(data []byte) *Profile {
	p, err := Parse(data)
	if err != nil {
		panic(err)
	}
	return p
}

func (p *Profile) compile() error {
	if p.Name == "" {
		return errors.New("no name")
	}
	if p.Product.ID == "" || p.Product.Name == "" {
		return errors.New("product needs a name and an id")
	}
	if len(p.Pages) == 0 {
		return errors.New("no page globs")
	}
	if err := p.mergeWorld(); err != nil {
		return err
	}
	var err error
	terms := func(kind string, ts []Term) []*regexp.Regexp { return compileTerms(kind, ts, "(?i)", &err) }
	p.locations = compileTerms("locations", p.Locations, "", &err)
	known := map[string]bool{}
	for _, l := range p.Locations {
		known[l.Name] = true
	}
	for _, c := range p.Clouds {
		for _, in := range c.Inside {
			if !known[in] {
				return fmt.Errorf("clouds %s: inside %q is no location", c.Name, in)
			}
		}
	}
	p.around = map[string][]string{}
	for _, w := range p.Within {
		if !known[w.Place] || !known[w.Region] || w.Provenance == "" {
			return fmt.Errorf("within %s in %s: both must be locations, with a provenance", w.Place, w.Region)
		}
		p.around[w.Place] = append(p.around[w.Place], w.Region)
	}
	p.services = compileTerms("services", p.Services, "(?i)^(?:", &err)
	p.labels = compileTerms("generic_labels", p.GenericLabels, "(?i)", &err)
	p.platforms = compileTerms("platform_prefixes", p.PlatformPrefixes, "(?i)^", &err)
	p.regions = terms("regions", termsOf(p.Regions))
	p.clouds = terms("clouds", termsOf(p.Clouds))
	p.scopes = terms("scopes", termsOf(p.Scopes))
	p.places = terms("places", p.Places)
	p.outside = terms("outside_phrases", p.OutsidePhrases)
	p.generic = terms("generic_headings", p.GenericHeadings)
	p.chrome = terms("chrome_headings", p.ChromeHeadings)
	p.spatial = terms("spatial_words", p.SpatialWords)
	// The ledger's vocabularies are matched on lower-cased text, without
	// (?i): they run on every sentence of every version.
	p.claimWords = compileTerms("claim_words", p.ClaimWords, "", &err)
	p.notTransfers = compileTerms("not_transfers", p.NotTransfers, "", &err)
	p.bounds = compileTerms("commitment_bounds", p.Bounds, "", &err)
	p.customerRegion = compileTerms("customer_region", p.CustomerRegion, "", &err)
	p.signals = compileTerms("signals", p.Signals, "", &err)
	p.locationWords = compileTerms("location_words", p.LocationWords, "", &err)
	vendors := terms("vendor_prefixes", p.VendorPrefixes)
	p.compileWords(&err)
	if err != nil {
		return err
	}
	if err := p.Grammar.compile(); err != nil {
		return err
	}
	for i, g := range p.Pages {
		if g.Glob == "" || strings.TrimSpace(g.Provenance) == "" {
			return fmt.Errorf("pages[%d]: glob and provenance are required", i)
		}
	}
	for i, s := range p.ScopeSynonyms {
		if s.From == "" || s.To == "" || strings.TrimSpace(s.Provenance) == "" {
			return fmt.Errorf("scope_synonyms[%d]: from, to and provenance are required", i)
		}
	}
	for i, a := range p.Aliases {
		if a.Alias == "" || a.Canonical == "" || strings.TrimSpace(a.Provenance) == "" {
			return fmt.Errorf("aliases[%d]: alias, canonical and provenance are required", i)
		}
	}
	for _, v := range []struct {
		key, what string
		n         int
	}{
		{"spatial_words", "the words that say where data is without naming a place", len(p.SpatialWords)},
		{"location_words", "the words that make a section speak of where data is", len(p.LocationWords)},
		{"data_verbs", "the verbs that say where data is or goes", len(p.DataVerbs)},
		{"negations", "the words that say a verb is not so", len(p.Negations)},
		{"advice_markers", "the phrases that send the reader elsewhere", len(p.AdviceMarkers)},
	} {
		if v.n == 0 {
			// The extractor cannot read a sentence without them: an
			// empty list would silence it, not narrow it.
			return fmt.Errorf("%s: none given; a profile names %s (copy the shipped profiles' list)", v.key, v.what)
		}
	}
	if p.anyScope, err = anyOf(termsOf(p.Scopes), "(?i)"); err != nil {
		return fmt.Errorf("scopes: %w", err)
	}
	for _, c := range []struct {
		re    **regexp.Regexp
		terms []Term
		flags string
	}{{&p.anyCustomerRegion, p.CustomerRegion, ""}, {&p.anyPlace, p.Places, "(?i)"}, {&p.anySignal, p.Signals, ""}} {
		if *c.re, err = anyOf(c.terms, c.flags); err != nil {
			return err
		}
	}
	p.claimNeedles = make([][]string, len(p.claimWords))
	for i, re := range p.claimWords {
		p.claimNeedles[i] = needles(re, true)
	}
	p.notTransferNeedles = make([][]string, len(p.notTransfers))
	for i, re := range p.notTransfers {
		p.notTransferNeedles[i] = needles(re, true)
	}
	p.placeNeedles = needles(p.anyPlace, true)
	p.locationNeedles = make([][]string, len(p.locations))
	for i, re := range p.locations {
		p.locationNeedles[i] = needles(re, false)
	}
	p.joined = &sync.Map{}
	p.scopeNeedles = needles(p.anyScope, true)
	if err := p.compileNames(); err != nil {
		return fmt.Errorf("names: %w", err)
	}
	p.vocabs = &vocabs{}
	if len(vendors) > 0 {
		alts := make([]string, len(p.VendorPrefixes))
		for i, v := range p.VendorPrefixes {
			alts[i] = v.Match
		}
		company := ""
		if p.CompanyPrefix != "" {
			company = "(" + regexp.QuoteMeta(p.CompanyPrefix) + `\s+)?`
		}
		expr := `(?i)^` + company + `(` + strings.Join(alts, "|") + `)\b\s*`
		if _, err = regexp.Compile(expr); err != nil {
			return fmt.Errorf("vendor_prefixes: %w", err)
		}
		// Run only where a prefix's letters start the name.
		p.vendor = litmatch.MustCompile(expr)
		for _, a := range alts {
			p.vendors = append(p.vendors, regexp.MustCompile(`(?i)^`+company+`(?:`+a+`)\b\s*`))
		}
		lowerCompany := ""
		if p.CompanyPrefix != "" {
			lowerCompany = "(?:" + regexp.QuoteMeta(strings.ToLower(p.CompanyPrefix)) + `\s+)?`
		}
		p.vendorWords = litmatch.MustCompile(`\b` + lowerCompany + `(?:` + strings.Join(alts, "|") + `)\b`)
	}
	return nil
}

// compileTerms compiles the patterns of ts behind prefix ("(?i)" for
// case-insensitive; "(?i)^(?:" anchors a whole name), keeping the first
// error in *err.
func compileTerms(kind string, ts []Term, prefix string, err *error) []*regexp.Regexp {
	out := make([]*regexp.Regexp, 0, len(ts))
	for i, t := range ts {
		if *err != nil {
			return nil
		}
		if t.Match == "" || strings.TrimSpace(t.Provenance) == "" {
			*err = fmt.Errorf("%s[%d] %q: match and provenance are required", kind, i, t.Name)
			return nil
		}
		pattern := prefix + t.Match
		if strings.HasSuffix(prefix, "(?:") {
			pattern += `)\s*(?:\([^()]*\))?$`
		}
		re, cerr := regexp.Compile(pattern)
		if cerr != nil {
			*err = fmt.Errorf("%s[%d] %q: %w", kind, i, t.Name, cerr)
			return nil
		}
		out = append(out, re)
	}
	return out
}

// anyOf joins the terms' patterns into one expression, a group each.
func anyOf(ts []Term, flags string) (*regexp.Regexp, error) {
	if len(ts) == 0 {
		return nil, nil
	}
	alts := make([]string, len(ts))
	for i, t := range ts {
		alts[i] = "(" + flags + t.Match + ")"
	}
	return regexp.Compile(strings.Join(alts, "|"))
}

// needles returns literals one of which every match of re contains (lower
// case when fold), or nil when re has a branch without a literal prefix.
func needles(re *regexp.Regexp, fold bool) []string {
	if re == nil {
		return nil
	}
	tree, err := syntax.Parse(re.String(), syntax.Perl)
	if err != nil {
		return nil
	}
	var out []string
	var walk func(t *syntax.Regexp) bool
	walk = func(t *syntax.Regexp) bool {
		switch t.Op {
		case syntax.OpAlternate:
			for _, sub := range t.Sub {
				if !walk(sub) {
					return false
				}
			}
			return true
		case syntax.OpCapture:
			return walk(t.Sub[0])
		case syntax.OpConcat:
			for _, sub := range t.Sub {
				switch sub.Op {
				case syntax.OpWordBoundary, syntax.OpBeginLine, syntax.OpBeginText:
					continue
				case syntax.OpQuest, syntax.OpStar:
					continue // optional: what follows is required
				}
				return walk(sub)
			}
			return false
		case syntax.OpLiteral:
			lit := string(t.Rune)
			if fold || t.Flags&syntax.FoldCase != 0 {
				if !fold {
					return false
				}
				lit = textcase.Lower(lit)
			}
			out = append(out, lit)
			return true
		}
		return false
	}
	if !walk(tree) {
		return nil
	}
	return out
}

// hasNeedle reports whether s may match: it holds one of the needles, or
// there are none to rule it out.
func hasNeedle(s string, needles []string, fold bool) bool {
	if needles == nil {
		return true
	}
	if fold {
		s = textcase.Lower(s)
	}
	for _, n := range needles {
		if strings.Contains(s, n) {
			return true
		}
	}
	return false
}

// matchesOf lists the matches of re (built by anyOf) as start, end and
// the index of the term that matched, without overlaps.
func matchesOf(re *regexp.Regexp, s string) [][3]int {
	if re == nil {
		return nil
	}
	var out [][3]int
	for _, m := range re.FindAllStringSubmatchIndex(s, -1) {
		for g := 1; 2*g < len(m); g++ {
			if m[2*g] >= 0 {
				out = append(out, [3]int{m[0], m[1], g - 1})
				break
			}
		}
	}
	return out
}

// PageURL is the published address of the page at path, or "".
func (p *Profile) PageURL(path string) string {
	for _, r := range p.Published {
		if rest, ok := strings.CutPrefix(path, r.PathPrefix); ok {
			return r.URL + strings.TrimSuffix(strings.TrimSuffix(rest, ".md"), "/index")
		}
	}
	return ""
}

// ResolveLink makes a link found on the page at path absolute: site-
// relative links against DocsBaseURL, "~/" links from the docset's root,
// relative links from the page's folder, all mapped to their published
// address. Absolute links and anchors are returned as they are; a link
// that cannot be resolved is returned unchanged.
func (p *Profile) ResolveLink(path, link string) string {
	switch {
	case link == "" || strings.HasPrefix(link, "#") || strings.Contains(link, "://") || strings.HasPrefix(link, "mailto:"):
		return link
	case strings.HasPrefix(link, "/"):
		if p.DocsBaseURL == "" {
			return link
		}
		return strings.TrimSuffix(p.DocsBaseURL, "/") + link
	}
	frag := ""
	if i := strings.IndexAny(link, "#?"); i >= 0 {
		link, frag = link[:i], link[i:]
	}
	var target string
	if rest, ok := strings.CutPrefix(link, "~/"); ok {
		for _, r := range p.Published {
			if r.Root != "" && strings.HasPrefix(path, r.Root) {
				target = r.Root + rest
				break
			}
		}
		if target == "" {
			return link + frag
		}
	} else {
		target = pathpkg.Join(pathpkg.Dir(path), link)
	}
	if u := p.PageURL(target); u != "" {
		return u + frag
	}
	return link + frag
}

// PrefixesDropped lists the file-name prefixes of DropPrefixes.
func (p *Profile) PrefixesDropped() []string {
	var out []string
	for _, t := range p.DropPrefixes {
		out = append(out, t.Name)
	}
	return out
}

// PageGlobs are the globs of the tracked pages.
func (p *Profile) PageGlobs() []string {
	out := make([]string, len(p.Pages))
	for i, g := range p.Pages {
		out[i] = g.Glob
	}
	return out
}

// RegionOf names the region the first of texts that names one speaks
// for, or "" when none does.
func (p *Profile) RegionOf(texts ...string) string {
	for _, t := range texts {
		if i := firstTerm(p.matchers().regions, p.regions, t); i >= 0 {
			return p.Regions[i].Name
		}
	}
	return ""
}

// CloudOf names the cloud instance s names (the first of the profile's
// clouds whose pattern matches), or "".
func (p *Profile) CloudOf(s string) string {
	if len(p.clouds) == 0 {
		return ""
	}
	return p.matchers().cloudOf.get(s, p.cloudOf)
}

// cloudOf is CloudOf, not memoised.
func (p *Profile) cloudOf(s string) string {
	if i := firstTerm(p.matchers().clouds, p.clouds, s); i >= 0 {
		return p.Clouds[i].Name
	}
	return ""
}

// ScopesIn returns the scopes s names, in order of appearance, each once.
func (p *Profile) ScopesIn(s string) []string {
	return slices.Clone(p.matchers().scopesIn.get(s, p.scopesIn))
}

// scopesIn is ScopesIn, not memoised.
func (p *Profile) scopesIn(s string) []string {
	var out []string
	if v := p.matchers().scopes; v != nil {
		var buf [8]litmatch.Hit
		if hs, ok := v.Hits(s, buf[:0]); ok {
			for _, h := range litmatch.LeftmostFirst(hs) {
				if name := p.Scopes[h.Term].Name; !slices.Contains(out, name) {
					out = append(out, name)
				}
			}
			return out
		}
	}
	if !hasNeedle(s, p.scopeNeedles, true) {
		return nil
	}
	for _, m := range matchesOf(p.anyScope, s) {
		if name := p.Scopes[m[2]].Name; !slices.Contains(out, name) {
			out = append(out, name)
		}
	}
	return out
}

// ScopeLabel returns the scope s consists of ("EU Data Residency" in a
// label "**EU Data Residency:**"), or "" when s is more than one scope's
// name.
func (p *Profile) ScopeLabel(s string) string {
	s = strings.TrimSpace(s)
	if len(s) > 80 || !hasNeedle(s, p.scopeNeedles, true) {
		return ""
	}
	return p.matchers().scopeLabel.get(s, p.scopeLabel)
}

// scopeLabel is ScopeLabel of a trimmed s that may name a scope, not
// memoised.
func (p *Profile) scopeLabel(s string) string {
	for i, re := range p.scopes {
		if loc := re.FindStringIndex(s); loc != nil && loc[0] == 0 && loc[1] == len(s) {
			return p.Scopes[i].Name
		}
	}
	return ""
}

// Family is the family of the scope or region called name, or name itself
// when the profile gives it none.
func (p *Profile) Family(name string) string {
	for _, s := range append(p.Scopes[:len(p.Scopes):len(p.Scopes)], p.Regions...) {
		if s.Name == name && s.Family != "" {
			return s.Family
		}
	}
	return name
}

// IsCommitment reports whether the scope named name lists the services a
// commitment covers (see Scope.Commitment).
func (p *Profile) IsCommitment(name string) bool {
	for _, s := range p.Scopes {
		if s.Name == name {
			return s.Commitment
		}
	}
	return false
}

func termsOf(ss []Scope) []Term {
	out := make([]Term, len(ss))
	for i, s := range ss {
		out[i] = s.Term
	}
	return out
}

// IsGenericHeading reports whether a heading never names a service
// ("Next steps", "Overview").
func (p *Profile) IsGenericHeading(h string) bool {
	return firstTerm(p.matchers().generic, p.generic, h) >= 0
}

// VendorNames are the names of the profile's vendor prefixes ("Azure
// AD", "Microsoft Entra").
func (p *Profile) VendorNames() []string {
	out := make([]string, len(p.VendorPrefixes))
	for i, v := range p.VendorPrefixes {
		out[i] = v.Name
	}
	return out
}

// ReplaceVendorNames replaces, in the lower-case text l, each of the
// product's names (and the company's name before it) with repl: a
// product renamed ("azure ad" to "microsoft entra id") is no fact.
func (p *Profile) ReplaceVendorNames(l, repl string) string {
	if p.vendorWords == nil {
		return l
	}
	return p.vendorWords.ReplaceAllString(l, repl)
}

// IsChromeHeading reports whether a heading starts site furniture, not
// page content ("Feedback", "Additional resources").
func (p *Profile) IsChromeHeading(h string) bool {
	v := p.matchers()
	return v.isChrome.get(h, func(h string) bool { return firstTerm(v.chrome, p.chrome, strings.TrimSpace(h)) >= 0 })
}

// ClaimWordsIn counts the distinct claim words (data verbs and nouns)
// that s uses.
func (p *Profile) ClaimWordsIn(s string) int {
	return p.matchers().claimWordsIn.get(s, p.countClaimWords)
}

// countClaimWords is ClaimWordsIn, not memoised.
func (p *Profile) countClaimWords(s string) int {
	n := 0
	for _, used := range p.claimTerms(p.lower(s)) {
		if used {
			n++
		}
	}
	return n
}

// claimTerms reports, for each claim word, whether lower-cased s uses it:
// from one pass of the vocabulary's automaton, or by the terms'
// expressions when the automaton cannot list a term's matches.
func (p *Profile) claimTerms(s string) []bool {
	used := make([]bool, len(p.claimWords))
	if v := p.matchers().claimWords; v != nil {
		var buf [16]litmatch.Hit
		if hs, ok := v.Hits(s, buf[:0]); ok {
			for _, h := range hs {
				used[h.Term] = true
			}
			return used
		}
	}
	for i, re := range p.claimWords {
		used[i] = hasNeedle(s, p.claimNeedles[i], false) && re.MatchString(s)
	}
	return used
}

// NotTransfer names why a claim site that speaks of data and places states
// no transfer ("advice", "scope", "navigation", "conditional", "past"), or
// returns "".
func (p *Profile) NotTransfer(s string) string {
	return p.matchers().notTransfer.get(s, p.notTransfer)
}

// notTransfer is NotTransfer, not memoised.
func (p *Profile) notTransfer(s string) string {
	s = p.lower(s)
	if v := p.matchers().notTransfers; v != nil {
		var buf [8]litmatch.Hit
		if hs, ok := v.Hits(s, buf[:0]); ok {
			first := -1
			for _, h := range hs {
				if first < 0 || h.Term < first {
					first = h.Term
				}
			}
			if first < 0 {
				return ""
			}
			return p.NotTransfers[first].Name
		}
	}
	for i, re := range p.notTransfers {
		if hasNeedle(s, p.notTransferNeedles[i], false) && re.MatchString(s) {
			return p.NotTransfers[i].Name
		}
	}
	return ""
}

// Bound returns the name of the first commitment bound s states (a
// service withdrawn from a scope, a guarantee denied), or "".
func (p *Profile) Bound(s string) string {
	if len(p.bounds) == 0 {
		return ""
	}
	if i := firstTerm(p.matchers().bounds, p.bounds, p.lower(s)); i >= 0 {
		return p.Bounds[i].Name
	}
	return ""
}

// Withdraws reports whether s states a commitment bound that takes a
// service out of the commitment (a bound marked withdraws: "Viva Topics
// will no longer be a supported workload in ADR").
func (p *Profile) Withdraws(s string) bool {
	if len(p.bounds) == 0 {
		return false
	}
	return anyOfKind(p.matchers().bounds, p.bounds, p.lower(s), func(i int) bool { return p.Bounds[i].Withdraws })
}

// InCustomerRegion reports whether s places data where the customer chose
// or is.
func (p *Profile) InCustomerRegion(s string) bool {
	return p.matchers().inCustomerRegion.get(s, p.inCustomerRegion)
}

// inCustomerRegion is InCustomerRegion, not memoised.
func (p *Profile) inCustomerRegion(s string) bool {
	if p.anyCustomerRegion == nil {
		return false
	}
	return anyTerm(p.lower(s), p.matchers().customerRg, p.anyCustomerRegion)
}

// Signalled reports whether s uses one of the profile's signals: a data
// verb or a phrase placing data, either of which alone makes a claim site.
func (p *Profile) Signalled(s string) bool {
	return p.matchers().signalled.get(s, p.signalledIn)
}

// signalledIn is Signalled, not memoised.
func (p *Profile) signalledIn(s string) bool {
	if p.anySignal == nil {
		return false
	}
	return anyTerm(p.lower(s), p.matchers().signals, p.anySignal)
}

// Spatial reports whether s uses a spatial word (one that says where
// without naming a place, or a state word: "at rest").
func (p *Profile) Spatial(s string) bool {
	return p.spatialIn(s, true)
}

// SaysWhere reports whether s uses a spatial word that says where
// ("outside", "globally", "region"), not a state word ("at rest").
func (p *Profile) SaysWhere(s string) bool {
	return p.spatialIn(s, false)
}

// GlobalPlace is the name of the places term that names everywhere
// ("global", "worldwide", "across the world").
const GlobalPlace = "Global"

// GlobalAt returns the span of the first match in s of the places terms
// named GlobalPlace, or nil: the words that place data everywhere, whose
// reading (an adverb after a data verb, an adjective before its noun) is
// the extractor's. It asks the places' vocabulary, as PlacesAt does.
func (p *Profile) GlobalAt(s string) []int {
	if v := p.matchers().places; v != nil {
		var buf [16]litmatch.Hit
		if hs, ok := v.Hits(s, buf[:0]); ok {
			var first []int
			for _, h := range hs {
				if p.Places[h.Term].Name == GlobalPlace && (first == nil || h.Start < first[0]) {
					first = []int{h.Start, h.End}
				}
			}
			return first
		}
	}
	var first []int
	for i, re := range p.places {
		if p.Places[i].Name != GlobalPlace {
			continue
		}
		if m := re.FindStringIndex(s); m != nil && (first == nil || m[0] < first[0]) {
			first = m
		}
	}
	return first
}

// SpeaksOfLocation reports whether s uses one of the location words: a
// section with one speaks of where data is.
func (p *Profile) SpeaksOfLocation(s string) bool {
	if len(p.locationWords) == 0 {
		return false
	}
	return p.matchers().speaksOfLocation.get(s, p.speaksOfLocation)
}

// speaksOfLocation is SpeaksOfLocation, not memoised.
func (p *Profile) speaksOfLocation(s string) bool {
	s = p.lower(s)
	if v := p.matchers().locationWords; v != nil {
		if found, ok := v.Any(s); ok {
			return found
		}
	}
	for _, re := range p.locationWords {
		if re.MatchString(s) {
			return true
		}
	}
	return false
}

// spatialIn reports whether s uses a spatial word, state words counted
// when state: from one pass of the vocabulary's automaton, or by the
// terms' expressions when the automaton cannot list a term's matches.
func (p *Profile) spatialIn(s string, state bool) bool {
	if v := p.matchers().spatial; v != nil && state {
		if found, ok := v.Any(s); ok {
			return found
		}
	} else if v != nil {
		var buf [8]litmatch.Hit
		if hs, ok := v.Hits(s, buf[:0]); ok {
			for _, h := range hs {
				if state || !p.SpatialWords[h.Term].State {
					return true
				}
			}
			return false
		}
	}
	for i, re := range p.spatial {
		if (state || !p.SpatialWords[i].State) && re.MatchString(s) {
			return true
		}
	}
	return false
}

// anyTerm reports whether s, lower-cased (by the caller), holds a term of
// a vocabulary: its literal matcher v answers when it can, the terms' one
// expression re when it cannot.
func anyTerm(s string, v *litmatch.Vocab, re *regexp.Regexp) bool {
	if v != nil {
		if found, ok := v.Any(s); ok {
			return found
		}
	}
	return re.MatchString(s)
}

// PlacesAt finds the places (locations and profile places) s names, by
// position, in order; where a location and a place overlap, the location
// (the more specific) is kept.
func (p *Profile) PlacesAt(s string) []Location {
	return slices.Clone(p.matchers().placesAt.get(s, p.placesAt))
}

// placesAt is PlacesAt, not memoised: the places' vocabulary answers when
// it can, their expressions when it cannot.
func (p *Profile) placesAt(s string) []Location {
	out := p.LocationsIn(s)
	if v := p.matchers().places; v != nil {
		var buf [16]litmatch.Hit
		if hs, ok := v.Hits(s, buf[:0]); ok {
			return p.placeHits(out, hs)
		}
	}
	for i, re := range p.places {
		for _, m := range re.FindAllStringIndex(s, -1) {
			overlaps := false
			for _, l := range out {
				if m[0] < l.End && l.Start < m[1] {
					overlaps = true
					break
				}
			}
			if !overlaps {
				out = append(out, Location{Start: m[0], End: m[1], Name: p.Places[i].Name})
			}
		}
	}
	sort.Slice(out, func(a, b int) bool { return out[a].Start < out[b].Start })
	return out
}

// placeHits adds to the locations out the places of the vocabulary's hits
// (ordered by start, then term, then priority) as placesAt's expressions
// find them: term by term, in the profile's order, each term's matches as
// its FindAllStringIndex returns them (leftmost-first: the first at the
// earliest start, then the first at or after its end), a match kept when
// it overlaps nothing kept before; sorted by start.
func (p *Profile) placeHits(out []Location, hs []litmatch.Hit) []Location {
	if len(hs) == 0 {
		return out
	}
	slices.SortStableFunc(hs, func(a, b litmatch.Hit) int { return a.Term - b.Term })
	for i := 0; i < len(hs); {
		j := i
		for j < len(hs) && hs[j].Term == hs[i].Term {
			j++
		}
		for _, h := range litmatch.LeftmostFirst(hs[i:j]) {
			overlaps := false
			for _, l := range out {
				if h.Start < l.End && l.Start < h.End {
					overlaps = true
					break
				}
			}
			if !overlaps {
				out = append(out, Location{Start: h.Start, End: h.End, Name: p.Places[h.Term].Name})
			}
		}
		i = j
	}
	sort.Slice(out, func(a, b int) bool { return out[a].Start < out[b].Start })
	return out
}

// PlacesIn lists the places (profile places and locations) s names, by
// canonical name, each once, in the order first named.
func (p *Profile) PlacesIn(s string) []string {
	return slices.Clone(p.matchers().placesIn.get(s, p.placesIn))
}

// placesIn is PlacesIn, not memoised.
func (p *Profile) placesIn(s string) []string {
	var out []string
	add := func(n string) {
		for _, o := range out {
			if o == n {
				return
			}
		}
		out = append(out, n)
	}
	for _, l := range p.LocationsIn(s) {
		add(l.Name)
	}
	if v := p.matchers().places; v != nil {
		var buf [8]litmatch.Hit
		if hs, ok := v.Hits(s, buf[:0]); ok {
			for _, h := range litmatch.LeftmostFirst(hs) {
				add(p.Places[h.Term].Name)
			}
			return out
		}
	}
	if hasNeedle(s, p.placeNeedles, true) {
		for _, m := range matchesOf(p.anyPlace, s) {
			add(p.Places[m[2]].Name)
		}
	}
	return out
}

// PlaceAt reports whether s starts with a place name ("the United States
// and …").
func (p *Profile) PlaceAt(s string) bool {
	s = leadingThe.ReplaceAllString(s, "")
	for _, re := range p.places {
		if loc := re.FindStringIndex(s); loc != nil && loc[0] == 0 {
			return true
		}
	}
	return false
}

// OutsideIn finds the first phrase of s that says data leaves the region
// and returns the phrase and the location it names, or "", "".
func (p *Profile) OutsideIn(s string) (phrase, location string) {
	best := -1
	for i, re := range p.outside {
		if loc := re.FindStringIndex(s); loc != nil && (best < 0 || loc[0] < best) {
			best, phrase, location = loc[0], s[loc[0]:loc[1]], p.OutsidePhrases[i].Name
		}
	}
	return phrase, location
}

// StripVendor removes a vendor prefix from the start of name and returns
// the rest, and whether a prefix was found.
//
// The longest prefix wins, unless it would leave a single word of a name
// that a shorter prefix leaves whole: "Microsoft Entra ID Protection" is
// "ID Protection", not "Protection".
func (p *Profile) StripVendor(name string) (string, bool) {
	if p.vendor == nil {
		return name, false
	}
	r := p.matchers().strippedVendor.get(name, func(name string) stripped {
		rest, ok := p.stripVendor(name)
		return stripped{strings.Clone(rest), ok} // not a slice of the page
	})
	if !r.ok {
		return name, false // name itself, not the memo's copy of it
	}
	return r.rest, true
}

// stripped is what StripVendor returns.
type stripped struct {
	rest string
	ok   bool
}

// stripVendor is StripVendor, not memoised.
func (p *Profile) stripVendor(name string) (string, bool) {
	loc := p.vendor.FindStringIndex(name)
	if loc == nil {
		return name, false
	}
	rest := strings.TrimSpace(name[loc[1]:])
	if len(strings.Fields(rest)) == 1 {
		for _, v := range p.vendors {
			if m := v.FindStringIndex(name); m != nil && m[1] < loc[1] {
				if shorter := strings.TrimSpace(name[m[1]:]); len(strings.Fields(shorter)) == 2 {
					return shorter, true
				}
			}
		}
	}
	return rest, true
}

// NormaliseScopes rewrites scope synonyms in lower-case text s.
func (p *Profile) NormaliseScopes(s string) string {
	for _, syn := range p.ScopeSynonyms {
		s = strings.ReplaceAll(s, syn.From, syn.To)
	}
	return s
}

// Location is a place named in a text.
type Location struct {
	// Start and End delimit the mention in the text.
	Start, End int
	// Name is the canonical place ("United States").
	Name string
}

// LocationsIn finds the known places s names, in order, without overlaps.
func (p *Profile) LocationsIn(s string) []Location {
	return slices.Clone(p.matchers().locationsIn.get(s, p.locationsIn))
}

// locationsIn is LocationsIn, not memoised.
func (p *Profile) locationsIn(s string) []Location {
	var out []Location
	if v := p.matchers().locations; v != nil {
		var buf [8]litmatch.Hit
		if hs, ok := v.Hits(s, buf[:0]); ok {
			for _, h := range litmatch.LeftmostFirst(hs) {
				out = append(out, Location{Start: h.Start, End: h.End, Name: p.Locations[h.Term].Name})
			}
			return out
		}
	}
	var terms []int
	for i, ns := range p.locationNeedles {
		if hasNeedle(s, ns, false) {
			terms = append(terms, i)
		}
	}
	if len(terms) == 0 {
		return nil
	}
	for _, m := range matchesOf(p.joinedLocations(terms), s) {
		out = append(out, Location{Start: m[0], End: m[1], Name: p.Locations[terms[m[2]]].Name})
	}
	return out
}

// joinedLocations is the expression of the locations terms (indexes, in
// order), a group each, as anyOf joins them. A term left out cannot match
// the text (it holds none of the term's needles), so the joined terms
// match it as all of them would: leftmost first, the first term at one
// start.
func (p *Profile) joinedLocations(terms []int) *regexp.Regexp {
	var key strings.Builder
	for _, t := range terms {
		fmt.Fprintf(&key, "%d,", t)
	}
	if re, ok := p.joined.Load(key.String()); ok {
		return re.(*regexp.Regexp)
	}
	ts := make([]Term, len(terms))
	for i, t := range terms {
		ts[i] = p.Locations[t]
	}
	re, err := anyOf(ts, "")
	if err != nil {
		panic(err) // each term compiled alone (compile), so their join does
	}
	p.joined.Store(key.String(), re)
	return re
}

// RegionsAround lists the locations the place lies within (profile
// "within"), or nil.
func (p *Profile) RegionsAround(place string) []string {
	return slices.Clone(p.around[place])
}

// LiesWithin reports whether the profile places place within region,
// directly or through the places around it ("Vienna" in "Austria" in the
// "European Union").
func (p *Profile) LiesWithin(place, region string) bool {
	seen := map[string]bool{place: true}
	for next := []string{place}; len(next) > 0; {
		var around []string
		for _, pl := range next {
			for _, r := range p.around[pl] {
				if strings.EqualFold(r, region) {
					return true
				}
				if !seen[r] {
					seen[r] = true
					around = append(around, r)
				}
			}
		}
		next = around
	}
	return false
}

// Inside lists the canonical places within the region, scope or cloud
// called name, or nil when the profile gives none.
func (p *Profile) Inside(name string) []string {
	for _, s := range slices.Concat(p.Scopes, p.Regions, p.Clouds) {
		if s.Name == name {
			return s.Inside
		}
	}
	return nil
}

// IsService reports whether name is one of the profile's known services
// (with or without a parenthesised abbreviation).
func (p *Profile) IsService(name string) bool {
	v := p.matchers()
	return v.isService.get(name, func(name string) bool { return firstTerm(v.services, p.services, strings.TrimSpace(name)) >= 0 })
}

// StripPlatform removes a platform prefix from the start of name.
func (p *Profile) StripPlatform(name string) (string, bool) {
	for _, re := range p.platforms {
		if loc := re.FindStringIndex(name); loc != nil {
			return strings.TrimSpace(name[loc[1]:]), true
		}
	}
	return name, false
}

// IsGenericLabel reports whether a bold label never names a service
// ("Note", "Important").
func (p *Profile) IsGenericLabel(label string) bool {
	v := p.matchers()
	return v.isLabel.get(label, func(label string) bool { return firstTerm(v.labels, p.labels, label) >= 0 })
}

// StartsWithCompany reports whether name starts with the company prefix
// ("Microsoft Authenticator").
func (p *Profile) StartsWithCompany(name string) bool {
	if p.CompanyPrefix == "" {
		return false
	}
	f := strings.Fields(name)
	return len(f) > 1 && strings.EqualFold(f[0], p.CompanyPrefix)
}

var leadingThe = regexp.MustCompile(`(?i)^\s*the\s+`)

// ActionsIn names the actions on data that s states ("stored",
// "processed", "replicated"…: the claim words marked action), in the
// profile's order: rewording a claim keeps them, changing what happens to
// the data does not.
func (p *Profile) ActionsIn(s string) []string {
	var out []string
	for i, used := range p.claimTerms(textcase.Lower(s)) {
		if used && p.ClaimWords[i].Action {
			out = append(out, p.ClaimWords[i].Name)
		}
	}
	return out
}

// PlaceNames is how a record's location or processing field writes a place
// phrase read from a claim ("U.S. datacenters", "globally", "outside of the
// European datacenters", "the customer's region"), so that one place reads
// as one value whatever its wording:
//   - the canonical name of each known place the phrase names, each once
//     ("US datacenters" and "U.S. datacenters" are "United States"; a
//     scope's name for a scope), written "outside X" when the phrase says
//     the data is outside X;
//   - the phrase as written when it names no known place but still names a
//     place: one relative to a party or to the region ("outside the user's
//     location", "in the customer's region", "customer-selected", "regional
//     datacenters"), or a capitalised name the profile does not know;
//   - nil when it names no place at all ("geo-location": a kind of place,
//     nobody's and nowhere).
//
// A canonical name the profile would not read back as itself (a term whose
// pattern does not match its own name) is not written: the phrase is kept
// as written, so that what reads the field later finds the same place.
func (p *Profile) PlaceNames(phrase string) []string {
	phrase = strings.TrimSpace(phrase)
	if phrase == "" {
		return nil
	}
	return slices.Clone(p.matchers().placeNames.get(phrase, p.placeNames))
}

// placeNames is PlaceNames of a trimmed, non-empty phrase, not memoised.
func (p *Profile) placeNames(phrase string) []string {
	names := p.knownPlaces(phrase)
	if len(names) > 0 {
		for _, n := range names {
			if !p.readsBack(n) {
				return []string{phrase}
			}
		}
		if outsideLeadRe.MatchString(phrase) {
			for i, n := range names {
				names[i] = "outside " + n
			}
		}
		return names
	}
	if relativePlaceRe.MatchString(phrase) || strings.ContainsFunc(phrase, unicode.IsUpper) {
		return []string{phrase}
	}
	return nil
}

// knownPlaces are the canonical names of the scopes, or else the known
// places, phrase names, each once, in order.
func (p *Profile) knownPlaces(phrase string) []string {
	names := p.ScopesIn(phrase)
	if len(names) > 0 {
		return names
	}
	for _, l := range p.PlacesAt(phrase) {
		if placeLeadRe.MatchString(phrase[l.Start:l.End]) {
			continue // "datacenters in …" leads to a place, names none
		}
		if !slices.Contains(names, l.Name) {
			names = append(names, l.Name)
		}
	}
	return names
}

// readsBack reports whether the profile reads the canonical name as the
// place or scope it names.
func (p *Profile) readsBack(name string) bool {
	return p.matchers().readsBack.get(name, func(n string) bool {
		k := p.knownPlaces(n)
		return len(k) == 1 && k[0] == n
	})
}

var (
	// placeLeadRe is a place term that ends in a preposition: it leads to
	// a place ("datacenters in Australia") and names none itself.
	placeLeadRe = regexp.MustCompile(`(?i)\s(?:in|to|from|within)\s*$`)
	// outsideLeadRe starts a phrase that places data outside what it names.
	outsideLeadRe = regexp.MustCompile(`(?i)^(?:outside|out of)\b`)
	// relativePlaceRe marks a phrase that places data relative to a party
	// (a possessive, the user, customer, tenant or organisation, their
	// choice or a setting's value: "the specified geo location"; the
	// tenant's own central geo location) or to the region itself (in,
	// within, outside, based on, closest, same, regional, local): a
	// place, though not a known one.
	relativePlaceRe = regexp.MustCompile(`(?i)[’']s\b|\b(?:in|within|outside|out of|based on|near|nearest|closest|same|regional|local|user|customer|tenant|organi[sz]ation|company|select(?:ed|able|s)?|chos(?:e|en)|choose|configured|specified|assigned|preferred|central)\b`)
)
