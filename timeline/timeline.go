package timeline

import (
	"sort"
	"time"

	"github.com/residiff/residiff/differ"
	"github.com/residiff/residiff/extractor"
	"github.com/residiff/residiff/internal/rawjson"
	"github.com/residiff/residiff/model"
	"github.com/residiff/residiff/serviceid"
)

// Timeline is every change to one service across all pages, oldest first.
type Timeline struct {
	// Query is the service name asked for; ServiceID its identity.
	Query     string          `json:"query"`
	ServiceID string          `json:"service_id"`
	Entries   []TimelineEntry `json:"entries"`
}

// TimelineEntry is one change with the revision it belongs to.
type TimelineEntry struct {
	Date   time.Time     `json:"date"`
	Commit string        `json:"commit"`
	Page   string        `json:"page"`
	Path   string        `json:"path"`
	Change differ.Change `json:"change"`
}

// Of collects the changes to the service named service: by its
// identity in reg, or by any name it went by when it was renamed.
func Of(c *model.Changelog, service string, reg *serviceid.Register) Timeline {
	id := reg.ID(service)
	ids := map[string]bool{id: true}
	// A rename without an alias (a typo fix) links two identities: follow
	// it in both directions.
	for _, r := range c.Revisions {
		for _, ch := range r.Changes {
			if ch.Kind == differ.Renamed && (ids[reg.ID(ch.Before)] || ids[ch.ServiceID]) {
				ids[reg.ID(ch.Before)], ids[ch.ServiceID] = true, true
			}
		}
	}
	t := Timeline{Query: service, ServiceID: id, Entries: []TimelineEntry{}}
	for _, r := range c.Revisions {
		for _, ch := range r.Changes {
			if ch.ServiceID != "" && ids[ch.ServiceID] {
				t.Entries = append(t.Entries, TimelineEntry{Date: r.Date, Commit: r.Commit, Page: r.Page, Path: r.Path, Change: ch})
			}
		}
	}
	return t
}

// Snapshot is what the pages said on a date: per page, the version in
// force and its exclusions grouped by scope and category.
type Snapshot struct {
	Date  time.Time      `json:"date"`
	Pages []SnapshotPage `json:"pages"`
}

// SnapshotPage is one page as it stood on the snapshot's date.
type SnapshotPage struct {
	Page   string `json:"page"`
	Title  string `json:"title"`
	Region string `json:"region"`
	Path   string `json:"path"`
	Commit string `json:"commit"`
	// Since is when this version was committed.
	Since time.Time `json:"since"`
	// PageDate is the version's own date (its profile's front-matter
	// key, PageDateKey). JSON also carries it as ms_date,
	// a deprecated alias (see MarshalJSON).
	PageDate string `json:"page_date,omitempty"`
	URL      string `json:"url,omitempty"`
	// Exclusions are the services whose data leaves a scope, grouped.
	Exclusions []ExclusionGroup `json:"exclusions"`
	// References are lists kept on other pages.
	References []extractor.Reference `json:"references"`
	// Unread are the parts of the version residiff could not read: the
	// exclusions listed may be incomplete.
	Unread []extractor.Warning `json:"unread,omitempty"`
}

// MarshalJSON writes the page with ms_date, the deprecated alias of
// page_date, beside it (dropped with the changelog's schema_version 4).
func (p SnapshotPage) MarshalJSON() ([]byte, error) {
	type plain SnapshotPage
	return rawjson.Marshal(struct {
		plain
		MSDate string `json:"ms_date,omitempty"`
	}{plain(p), p.PageDate})
}

// ExclusionGroup is the services excluded from one scope in one category.
type ExclusionGroup struct {
	Scope    string             `json:"scope"`
	Category extractor.Category `json:"category"`
	Records  []extractor.Record `json:"records"`
}

// AsOf returns the snapshot of versions (in any order) on date: for each
// page, its newest version committed at or before date.
func AsOf(date time.Time, versions []model.PageVersion) Snapshot {
	latest := map[string]model.PageVersion{}
	for _, v := range versions {
		if v.Page == nil || v.Date.After(date) {
			continue
		}
		if cur, ok := latest[v.Page.Page]; !ok || !v.Date.Before(cur.Date) {
			latest[v.Page.Page] = v
		}
	}
	s := Snapshot{Date: date, Pages: []SnapshotPage{}}
	for _, v := range latest {
		if v.Removed {
			continue // the page was removed before the date
		}
		p := SnapshotPage{Page: v.Page.Page, Title: v.Page.Title, Region: v.Page.Region, Path: v.Path, Commit: v.Commit,
			Since: v.Date, PageDate: v.Page.PageDate, URL: v.URL, Exclusions: []ExclusionGroup{}, References: v.Page.References}
		for _, w := range v.Page.Warnings {
			if w.Kind.Blinding() {
				p.Unread = append(p.Unread, w)
			}
		}
		groups := map[[2]string]*ExclusionGroup{}
		for _, r := range v.Page.Records {
			if !r.Category.Excluding() {
				continue
			}
			k := [2]string{r.Scope, string(r.Category)}
			g := groups[k]
			if g == nil {
				g = &ExclusionGroup{Scope: r.Scope, Category: r.Category}
				groups[k] = g
			}
			g.Records = append(g.Records, r)
		}
		for _, g := range groups {
			p.Exclusions = append(p.Exclusions, *g)
		}
		sort.Slice(p.Exclusions, func(i, j int) bool {
			a, b := p.Exclusions[i], p.Exclusions[j]
			if a.Scope != b.Scope {
				return a.Scope < b.Scope
			}
			return a.Category < b.Category
		})
		s.Pages = append(s.Pages, p)
	}
	sort.Slice(s.Pages, func(i, j int) bool { return s.Pages[i].Page < s.Pages[j].Page })
	return s
}
