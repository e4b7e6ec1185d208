package differ

import (
	"slices"
	"strings"

	"github.com/residiff/residiff/extractor"
)

// A page withdraws a commitment from a service when one of its sentences
// says the service leaves the commitment's scope: a commitment bound the
// profile marks as withdrawing ("as of October 31, 2024, Viva Topics will
// no longer be a supported workload in ADR", "was removed from the
// supported workloads in ADR"). The extractor leaves such a sentence
// unread, with a warning; the differ reads what it does to the
// commitments the page gives, whatever the profile and the service:
//
//   - a service the older version keeps in a scope (an in_region record
//     or pointer of that scope) that a sentence new to the newer version
//     withdraws from it is no longer covered, though its pointer or
//     records still stand: the page says the commitment ends;
//   - a service whose in_region pointer or records of a scope the newer
//     version drops, while a sentence of the newer version withdraws it
//     from that scope, is no longer covered either: the coverage went as
//     the page says, whether or not the older version already announced
//     it.
//
// Each is a newly_excluded (category in_region: no longer covered),
// high, quoting the withdrawing sentence; it speaks for that sentence and
// for the pointer that went. A withdrawal both versions state of a
// service both still cover, a withdrawal reworded, and a withdrawal of a
// service the older version did not cover are no new exclusion (the
// sentence's own change, if any, stays a claim change), and a sentence
// withdrawing a service is never read backwards: its removal makes
// nothing newly covered.

// coverKey is a service (its canonical id) in a scope.
type coverKey struct{ id, scope string }

// covering is what a version says a commitment keeps: for each service
// and scope, the name the page gives it and the site that says so (its
// pointer, or the first in_region record's sentence).
type covering struct {
	name string
	site *Site
}

// coverageOf lists the in_region pointers and records of p by service
// and scope.
func coverageOf(p *extractor.Page, canon map[string]string) map[coverKey]covering {
	out := map[coverKey]covering{}
	if p == nil {
		return out
	}
	// add keeps the first site covering a service in a scope.
	add := func(cat extractor.Category, id, scope, name string, site func() *Site) {
		if cat != extractor.InRegion || id == "" {
			return
		}
		k := coverKey{canonID(canon, id), scope}
		if _, ok := out[k]; !ok {
			out[k] = covering{name: name, site: site()}
		}
	}
	for _, r := range p.References {
		add(r.Category, r.ServiceID, r.Scope, r.Service, func() *Site { return referenceSite(p, r) })
	}
	for i, r := range p.Records {
		add(r.Category, r.ServiceID, r.Scope, r.Service, func() *Site { return recordSite(p, i) })
	}
	return out
}

// referenceSite is the claim site of a pointer: the site read as a
// reference at its line, else the pointer's own text.
func referenceSite(p *extractor.Page, r extractor.Reference) *Site {
	for _, c := range p.Claims {
		if c.Disposition == extractor.AsReference && c.Line == r.Line {
			return &Site{Line: c.Line, Text: c.Text}
		}
	}
	return &Site{Line: r.Line, Text: r.Text}
}

// recordSite is the first claim site record i was read from, else the
// record's own line and reason.
func recordSite(p *extractor.Page, i int) *Site {
	for _, c := range p.Claims {
		if slices.Contains(c.Records, i) {
			return &Site{Line: c.Line, Text: c.Text}
		}
	}
	return &Site{Line: p.Records[i].Line, Text: p.Records[i].Reason}
}

// withdrawnIn finds the sentences of p that withdraw a service of keys
// from its scope: an unread site stating a withdrawing bound that names
// the scope (in its words, else in the headings it stands under) and one
// of the service's names. The first such site of each service and scope
// is kept.
func withdrawnIn(p *extractor.Page, keys []coverKey, names func(coverKey) []string, opts Options) map[coverKey]*Site {
	out := map[coverKey]*Site{}
	if p == nil || opts.Profile == nil {
		return out
	}
	for _, c := range p.Claims {
		if c.Disposition != extractor.Unread || !opts.Profile.Withdraws(c.Text) {
			continue
		}
		scopes := opts.Profile.ScopesIn(c.Text)
		if len(scopes) == 0 {
			scopes = opts.Profile.ScopesIn(c.Context)
		}
		for _, k := range keys {
			if _, ok := out[k]; ok || !slices.Contains(scopes, k.scope) || !mentions([]byte(c.Text), names(k)) {
				continue
			}
			out[k] = &Site{Line: c.Line, Text: c.Text}
		}
	}
	return out
}

// withdrawals returns the commitments the newer version withdraws (see
// above), and the services and scopes whose coverage the newer version
// dropped as it says: their pointers' removal is the withdrawal's.
func withdrawals(old, new *extractor.Page, a, b *version, opts Options, canon map[string]string) ([]Change, map[coverKey]bool) {
	if old == nil || new == nil || opts.Profile == nil {
		return nil, nil
	}
	ca, cb := coverageOf(old, canon), coverageOf(new, canon)
	if len(ca) == 0 {
		return nil, nil
	}
	keys := make([]coverKey, 0, len(ca))
	for k := range ca {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(x, y coverKey) int { return strings.Compare(x.id+"\x00"+x.scope, y.id+"\x00"+y.scope) })
	namesOf := func(k coverKey) []string {
		ns := serviceNames(a, b, k.id, opts)
		for _, c := range []map[coverKey]covering{ca, cb} {
			if n := c[k].name; n != "" && !slices.Contains(ns, n) {
				ns = append(ns, n)
			}
		}
		return ns
	}
	wa, wb := withdrawnIn(old, keys, namesOf, opts), withdrawnIn(new, keys, namesOf, opts)
	var out []Change
	dropped := map[coverKey]bool{}
	for _, k := range keys {
		site, now := wb[k]
		if !now {
			continue
		}
		_, stays := cb[k]
		_, before := wa[k]
		if stays && before {
			continue // announced already, the coverage still there: no news
		}
		was := ca[k]
		name := was.name
		if c, ok := cb[k]; ok && c.name != "" {
			name = c.name
		}
		c := Change{Kind: NewlyExcluded, Service: name, ServiceID: k.id, Scope: k.scope, Category: string(extractor.InRegion),
			Line: site.Line, Evidence: &Evidence{New: site}, withdrawn: true}
		if stays {
			c.Detail = "the page now says the service leaves the commitment"
		} else {
			dropped[k] = true
			c.BeforeLine = was.site.Line
			c.Evidence.Old = was.site
			c.Detail = "the commitment was removed from the page, which says the service was withdrawn from it"
		}
		out = append(out, c)
	}
	return out, dropped
}
