// Package timeline answers questions about time from the model: the
// periods during which each service was excluded from each scope, every
// change to one service across pages, and the exclusions in force on a
// date. Renames come from the differ's rule (differ.Renames), never from a
// rule of its own.
package timeline

import (
	"sort"
	"time"

	"github.com/residiff/residiff/differ"
	"github.com/residiff/residiff/extractor"
	"github.com/residiff/residiff/model"
	"github.com/residiff/residiff/serviceid"
)

// Delegated is the category of a Period during which a page no longer lists
// a service itself but refers to another page for the list it was on.
const Delegated extractor.Category = "delegated"

// Period is a stretch of time during which a page stated that a service's
// data leaves a scope, in one category.
type Period struct {
	Page      string             `json:"page"`
	Scope     string             `json:"scope"`
	ServiceID string             `json:"service_id"`
	Service   string             `json:"service"`
	Category  extractor.Category `json:"category"`
	// From is the commit time of the version that started the period.
	From       time.Time `json:"from"`
	FromCommit string    `json:"from_commit"`
	// To is the commit time of the version that ended it; zero while the
	// period is still in force at the newest version.
	To       time.Time `json:"to,omitzero"`
	ToCommit string    `json:"to_commit,omitempty"`
	// URL is the reference of a delegated period.
	URL string `json:"url,omitempty"`

	// lastListed is the category the service was last listed in, which a
	// delegated period's reference must keep naming.
	lastListed extractor.Category
}

// Open reports whether the period is still in force.
func (p Period) Open() bool { return p.To.IsZero() }

// Covers reports whether the period was in force at t.
func (p Period) Covers(t time.Time) bool {
	return !t.Before(p.From) && (p.Open() || t.Before(p.To))
}

// Periods computes, from every version of every page (any order), the
// periods during which each service was excluded from each scope: a period
// opens with the first version that lists the service in a category and
// closes with the first later version that does not. A service whose list
// was replaced by a reference to another page continues in a Delegated
// period for as long as the reference stays. Periods are ordered by page,
// scope, service and start.
func Periods(versions []model.PageVersion) []Period {
	byPage := map[string][]model.PageVersion{}
	for _, v := range versions {
		if v.Page != nil {
			byPage[v.Page.Page] = append(byPage[v.Page.Page], v)
		}
	}
	var out []Period
	for _, vs := range byPage {
		sort.SliceStable(vs, func(i, j int) bool { return vs[i].Date.Before(vs[j].Date) })
		out = append(out, pagePeriods(vs)...)
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		switch {
		case a.Page != b.Page:
			return a.Page < b.Page
		case a.Scope != b.Scope:
			return a.Scope < b.Scope
		case a.ServiceID != b.ServiceID:
			return a.ServiceID < b.ServiceID
		}
		return a.From.Before(b.From)
	})
	return out
}

type periodKey struct{ scope, service string }

// pagePeriods walks the versions of one page, oldest first.
func pagePeriods(vs []model.PageVersion) []Period {
	open := map[periodKey]*Period{}
	var done []Period
	closeAt := func(k periodKey, v model.PageVersion) {
		p := open[k]
		p.To, p.ToCommit = v.Date, v.Commit
		done = append(done, *p)
		delete(open, k)
	}
	var prev *extractor.Page
	for _, v := range vs {
		now := map[periodKey]extractor.Record{}
		for _, r := range v.Page.Records {
			if !r.Category.Excluding() {
				continue
			}
			k := periodKey{r.Scope, r.ServiceID}
			if _, seen := now[k]; !seen {
				now[k] = r
			}
		}
		refs := map[[2]string]extractor.Reference{}
		for _, ref := range v.Page.References {
			refs[[2]string{ref.Scope, string(ref.Category)}] = ref
		}
		// A service the differ reports renamed (a typo fixed, no alias)
		// continues its period under its new name.
		var renamed map[string]string
		if prev != nil {
			renamed = differ.Renames(prev, v.Page, serviceid.Similar)
		}
		for k, p := range open {
			newID, ok := renamed[k.service]
			if _, listed := now[k]; listed || p.Category == Delegated || !ok {
				continue
			}
			nk := periodKey{k.scope, newID}
			if r, listedNew := now[nk]; listedNew && r.Category == p.Category {
				if _, taken := open[nk]; !taken {
					delete(open, k)
					p.ServiceID, p.Service = r.ServiceID, r.Service
					open[nk] = p
				}
			}
		}
		// Close or convert what is no longer listed as it was.
		for k, p := range open {
			r, listed := now[k]
			switch {
			case listed && r.Category == p.Category:
				p.Service = r.Service // the newest name
				continue
			case listed:
				closeAt(k, v)
			case p.Category == Delegated:
				if _, still := refs[[2]string{k.scope, string(p.lastListed)}]; !still {
					closeAt(k, v)
				}
			default:
				cat := p.Category
				closeAt(k, v)
				if ref, ok := refs[[2]string{k.scope, string(cat)}]; ok {
					open[k] = &Period{Page: p.Page, Scope: k.scope, ServiceID: k.service, Service: p.Service,
						Category: Delegated, From: v.Date, FromCommit: v.Commit, URL: ref.URL, lastListed: cat}
				}
			}
		}
		// Open what is newly listed.
		for k, r := range now {
			if _, ok := open[k]; ok {
				continue
			}
			open[k] = &Period{Page: v.Page.Page, Scope: r.Scope, ServiceID: r.ServiceID, Service: r.Service,
				Category: r.Category, From: v.Date, FromCommit: v.Commit, lastListed: r.Category}
		}
		prev = v.Page
	}
	for _, p := range open {
		done = append(done, *p)
	}
	return done
}
