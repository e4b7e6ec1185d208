package differ

import (
	"strings"

	"github.com/residiff/residiff/extractor"
)

// attribute names the service and scope of each claim_changed that came
// without them, from what the page itself says around its sentence, so
// that a changed sentence can be routed, filtered and matched like any
// other change:
//
//   - the service of the records its site was read into, else of the
//     records of the nearest heading above it that holds records of one
//     service (a workload's section), else, for a condition of a
//     commitment, the service the nearest heading gives that commitment
//     by pointer;
//   - for a condition of a commitment, the commitment's scope the nearest
//     heading above it names; else the scope its sentence names when it
//     names one, else its records' scope, else the region the page speaks
//     for.
//
// The new version's site speaks first; a removed sentence is placed in
// the old version.
func attribute(changes []Change, old, new *extractor.Page, opts Options) {
	for i := range changes {
		c := &changes[i]
		if c.Kind != ClaimChanged || c.Evidence == nil || c.Service != "" && c.Scope != "" {
			continue
		}
		for _, at := range []struct {
			p    *extractor.Page
			site *Site
		}{{new, c.Evidence.New}, {old, c.Evidence.Old}} {
			if at.p == nil || at.site == nil {
				continue
			}
			cl, ok := claimAt(at.p, at.site)
			if !ok {
				continue
			}
			svc, scope := aboutClaim(at.p, cl, opts)
			if c.Service == "" && svc != nil {
				c.Service, c.ServiceID = svc.Service, svc.ServiceID
			}
			if c.Scope == "" {
				c.Scope = scope
			}
			break
		}
	}
}

// claimAt is the claim site of p at the evidence's line with its text.
func claimAt(p *extractor.Page, s *Site) (extractor.Claim, bool) {
	for _, cl := range p.Claims {
		if cl.Line == s.Line && cl.Text == s.Text {
			return cl, true
		}
	}
	return extractor.Claim{}, false
}

// aboutClaim is the record whose service the claim speaks of (nil when
// the page does not say) and the claim's scope ("" when unknown).
func aboutClaim(p *extractor.Page, cl extractor.Claim, opts Options) (*extractor.Record, string) {
	var svc *extractor.Record
	if one, ok := oneService(p, cl.Records); ok {
		svc = one
	} else {
		head := headingChain(cl.Context)
		for i := len(head) - 1; i >= 0 && svc == nil; i-- {
			var in []int
			for j, r := range p.Records {
				if r.Section == head[i] {
					in = append(in, j)
				}
			}
			if one, ok := oneService(p, in); ok {
				svc = one
			}
		}
		if svc == nil && isCondition(opts.Profile, cl) {
			// A condition of a commitment given by pointer under the
			// same heading is the pointer's service's.
			for i := len(head) - 1; i >= 0 && svc == nil; i-- {
				svc = pointedService(p, head[i])
			}
		}
	}
	scope := ""
	if isCondition(opts.Profile, cl) {
		// A condition is the commitment's whose heading it stands under
		// ("### Multi-Geo add-on" over "Required Conditions:"): the
		// scope it names is where the tenant must be, not the commitment.
		head := headingChain(cl.Context)
		for i := len(head) - 1; i >= 0 && scope == ""; i-- {
			if named := opts.Profile.ScopesIn(head[i]); len(named) == 1 && opts.Profile.IsCommitment(named[0]) {
				scope = named[0]
			}
		}
	}
	if scope == "" && opts.Profile != nil {
		if named := opts.Profile.ScopesIn(cl.Text); len(named) == 1 {
			scope = named[0]
		}
	}
	if scope == "" && svc != nil {
		scope = svc.Scope
	}
	if scope == "" {
		scope = p.Region
	}
	return svc, scope
}

// pointedService is a record naming the one service whose commitment the
// page gives by pointer under heading (an in_region reference with a
// service), or nil.
func pointedService(p *extractor.Page, heading string) *extractor.Record {
	var one *extractor.Record
	for _, r := range p.References {
		if r.Category != extractor.InRegion || r.ServiceID == "" || r.Section != heading {
			continue
		}
		if one != nil && one.ServiceID != r.ServiceID {
			return nil
		}
		one = &extractor.Record{Service: r.Service, ServiceID: r.ServiceID, Scope: r.Scope}
	}
	return one
}

// oneService is the first of the records idx when they are all of one
// service.
func oneService(p *extractor.Page, idx []int) (*extractor.Record, bool) {
	var one *extractor.Record
	for _, i := range idx {
		if i < 0 || i >= len(p.Records) {
			return nil, false
		}
		r := &p.Records[i]
		if one != nil && r.ServiceID != one.ServiceID {
			return nil, false
		}
		if one == nil {
			one = r
		}
	}
	return one, one != nil
}

// headingChain is the heading chain of a claim's context ("Heading ›
// Subheading ‖ lead-in"), outermost first.
func headingChain(ctx string) []string {
	head, _, _ := strings.Cut(ctx, " ‖ ")
	if head == "" {
		return nil
	}
	return strings.Split(head, " › ")
}
