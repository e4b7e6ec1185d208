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
	"regexp"
	"slices"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Profile is one docs source. Load it with Parse; the zero value matches
// nothing.
type Profile struct {
	// Name identifies the profile in configuration and state ("entra").
	Name string `yaml:"name"`
	// RepoURL is the upstream repository watched by default.
	RepoURL string `yaml:"repo_url"`
	// Product is the product the pages are about.
	Product Product `yaml:"product"`
	// Pages are doublestar globs of the tracked pages.
	Pages []Glob `yaml:"pages"`
	// Regions are the regions pages speak for, most specific first: the
	// first whose pattern matches a page's title or path names its region.
	Regions []Scope `yaml:"regions"`
	// Scopes are the commitments sections name ("EU Data Boundary"), each
	// in a family of scopes that replace one another over time.
	Scopes []Scope `yaml:"scopes"`
	// ScopeSynonyms are wordings of a scope name that mean the same
	// scope; the differ reads them as the same words.
	ScopeSynonyms []Synonym `yaml:"scope_synonyms"`
	// Places are the locations prose names as where data rests ("the
	// United States", "global").
	Places []Term `yaml:"places"`
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
	// Aliases are other names of services.
	Aliases []Alias `yaml:"aliases"`

	regions, scopes, places, outside, generic []*regexp.Regexp
	vendor                                    *regexp.Regexp
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
}

// Scope is a commitment a page's sections name, or a region a page speaks
// for (a region is the scope of its page's records).
type Scope struct {
	Term `yaml:",inline"`
	// Family groups scopes that replace one another ("EU": Europe, EU
	// Data Boundary, EU Data Residency).
	Family string `yaml:"family"`
}

// Synonym says From means the same as To (both lower case).
type Synonym struct {
	From       string `yaml:"from"`
	To         string `yaml:"to"`
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
	var err error
	terms := func(kind string, ts []Term) []*regexp.Regexp {
		out := make([]*regexp.Regexp, 0, len(ts))
		for i, t := range ts {
			if err != nil {
				return nil
			}
			if t.Match == "" || strings.TrimSpace(t.Provenance) == "" {
				err = fmt.Errorf("%s[%d] %q: match and provenance are required", kind, i, t.Name)
				return nil
			}
			re, cerr := regexp.Compile("(?i)" + t.Match)
			if cerr != nil {
				err = fmt.Errorf("%s[%d] %q: %w", kind, i, t.Name, cerr)
				return nil
			}
			out = append(out, re)
		}
		return out
	}
	p.regions = terms("regions", termsOf(p.Regions))
	p.scopes = terms("scopes", termsOf(p.Scopes))
	p.places = terms("places", p.Places)
	p.outside = terms("outside_phrases", p.OutsidePhrases)
	p.generic = terms("generic_headings", p.GenericHeadings)
	vendors := terms("vendor_prefixes", p.VendorPrefixes)
	if err != nil {
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
	if len(vendors) > 0 {
		alts := make([]string, len(p.VendorPrefixes))
		for i, v := range p.VendorPrefixes {
			alts[i] = v.Match
		}
		company := ""
		if p.CompanyPrefix != "" {
			company = "(" + regexp.QuoteMeta(p.CompanyPrefix) + `\s+)?`
		}
		p.vendor, err = regexp.Compile(`(?i)^` + company + `(` + strings.Join(alts, "|") + `)\b\s*`)
		if err != nil {
			return fmt.Errorf("vendor_prefixes: %w", err)
		}
	}
	return nil
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
		for i, re := range p.regions {
			if re.MatchString(t) {
				return p.Regions[i].Name
			}
		}
	}
	return ""
}

// ScopesIn returns the scopes s names, in order of appearance, each once.
func (p *Profile) ScopesIn(s string) []string {
	type hit struct {
		at    int
		scope string
	}
	var hits []hit
	for i, re := range p.scopes {
		for _, loc := range re.FindAllStringIndex(s, -1) {
			hits = append(hits, hit{loc[0], p.Scopes[i].Name})
		}
	}
	sort.SliceStable(hits, func(i, j int) bool { return hits[i].at < hits[j].at })
	var out []string
	for _, h := range hits {
		if !slices.Contains(out, h.scope) {
			out = append(out, h.scope)
		}
	}
	return out
}

// ScopeLabel returns the scope s consists of ("EU Data Residency" in a
// label "**EU Data Residency:**"), or "" when s is more than one scope's
// name.
func (p *Profile) ScopeLabel(s string) string {
	s = strings.TrimSpace(s)
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
	for _, re := range p.generic {
		if re.MatchString(h) {
			return true
		}
	}
	return false
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
func (p *Profile) StripVendor(name string) (string, bool) {
	if p.vendor == nil {
		return name, false
	}
	loc := p.vendor.FindStringIndex(name)
	if loc == nil {
		return name, false
	}
	return strings.TrimSpace(name[loc[1]:]), true
}

// NormaliseScopes rewrites scope synonyms in lower-case text s.
func (p *Profile) NormaliseScopes(s string) string {
	for _, syn := range p.ScopeSynonyms {
		s = strings.ReplaceAll(s, syn.From, syn.To)
	}
	return s
}

var leadingThe = regexp.MustCompile(`(?i)^\s*the\s+`)
