package source

import (
	"regexp"
	"slices"
	"sort"
	"strings"
)

// Name is a thing a text names that is no place: one of the profile's
// services, one of its scopes, or the product itself (a vendor or
// platform prefix, the company's name).
type Name struct {
	// Start and End delimit the mention in the text.
	Start, End int
	// Kind is "service", "scope" or "product".
	Kind string
	// Name is the service's or scope's name ("SharePoint and OneDrive"
	// for "SharePoint Online/OneDrive for Business"); "" for the
	// product.
	Name string
}

// nameTerms are the expressions NamesAt runs, one per kind, each the
// kind's terms as groups of one alternation matched leftmost-longest.
type nameTerms struct {
	kind  string
	re    *regexp.Regexp
	group []int // group[g] is the term of capture group g, or -1
	names []string
}

// compileNames builds the expressions of NamesAt from the services,
// scopes, vendor and platform prefixes and the company prefix.
func (p *Profile) compileNames() error {
	p.names = nil
	add := func(kind string, ts []Term) error {
		var alts, names []string
		group := []int{-1}
		for i, t := range ts {
			re, err := regexp.Compile("(?i)" + strings.TrimPrefix(t.Match, "^"))
			if err != nil {
				return err
			}
			alts = append(alts, "("+strings.TrimPrefix(t.Match, "^")+")")
			group = append(group, i)
			for range re.NumSubexp() {
				group = append(group, -1)
			}
			names = append(names, t.Name)
		}
		if len(alts) == 0 {
			return nil
		}
		re, err := regexp.Compile(`(?i)\b(?:` + strings.Join(alts, "|") + `)\b`)
		if err != nil {
			return err
		}
		re.Longest()
		p.names = append(p.names, nameTerms{kind: kind, re: re, group: group, names: names})
		return nil
	}
	if err := add("service", p.Services); err != nil {
		return err
	}
	if err := add("scope", termsOf(p.Scopes)); err != nil {
		return err
	}
	var product []Term
	for _, t := range p.VendorPrefixes {
		product = append(product, Term{Name: "", Match: t.Match})
	}
	for _, t := range p.PlatformPrefixes {
		product = append(product, Term{Name: "", Match: strings.TrimSuffix(t.Match, `\s+`)})
	}
	if p.CompanyPrefix != "" {
		product = append(product, Term{Match: regexp.QuoteMeta(p.CompanyPrefix)})
	}
	if len(product) == 0 {
		return nil
	}
	// The product's names run together ("Microsoft Azure AD"): one
	// mention, so that a platform prefix does not hide the vendor's.
	alts := make([]string, len(product))
	for i, t := range product {
		alts[i] = t.Match
	}
	return add("product", []Term{{Match: `(?:(?:` + strings.Join(alts, "|") + `)\s*)+`}})
}

// NamesAt finds the services, scopes and names of the product s names,
// in order of position, without overlaps: where two overlap, the longer
// is kept ("Microsoft 365 Copilot" is the service, not "Microsoft 365"
// the product). A change of them is a change of what a sentence is about;
// the product's own names ("Azure AD", "Microsoft Entra ID") are
// reported so that a rename of the product is seen as one.
func (p *Profile) NamesAt(s string) []Name {
	return slices.Clone(p.matchers().namesAt.get(s, p.namesAt))
}

// namesAt is NamesAt, not memoised.
func (p *Profile) namesAt(s string) []Name {
	var all []Name
	for _, nt := range p.names {
		for _, m := range nt.re.FindAllStringSubmatchIndex(s, -1) {
			n := Name{Start: m[0], End: m[1], Kind: nt.kind}
			for g := 1; 2*g < len(m); g++ {
				if m[2*g] >= 0 && nt.group[g] >= 0 {
					n.Name = nt.names[nt.group[g]]
					break
				}
			}
			all = append(all, n)
		}
	}
	sort.SliceStable(all, func(i, j int) bool {
		if all[i].Start != all[j].Start {
			return all[i].Start < all[j].Start
		}
		return all[i].End > all[j].End
	})
	var out []Name
	for _, n := range all {
		if len(out) > 0 && n.Start < out[len(out)-1].End {
			continue
		}
		if k := len(out) - 1; k >= 0 && out[k].Kind == "service" && n.Kind == "service" && familyDash.MatchString(s[out[k].End:n.Start]) {
			// "Information Protection - Data Loss Prevention": a family
			// and its member, as the pages' older headings name a
			// service. The member is the service.
			n.Start, out = out[k].Start, out[:k]
		}
		out = append(out, n)
	}
	return out
}

// familyDash joins a family of services to one of its members.
var familyDash = regexp.MustCompile(`^\s+[-–—]\s+$`)

// Member is the member's part of a service name written as a family and
// one of its members ("Risk & Compliance - Audit (Standard)" → "Audit
// (Standard)", as NamesAt reads such a name), or the name as it is.
func Member(name string) string {
	if ms := memberDash.FindAllStringIndex(name, -1); ms != nil {
		return strings.TrimSpace(name[ms[len(ms)-1][1]:])
	}
	return name
}

// memberDash is the last spaced dash of a name.
var memberDash = regexp.MustCompile(`\s[-–—]\s`)
