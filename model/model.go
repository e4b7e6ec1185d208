// Package model is the data residiff produces and every output reads: the
// changelog of a repository (its page lineages and the revisions that
// changed them, each with the differ's changes) and the extracted page
// versions behind it. It holds data only; render draws it, timeline asks
// questions of it.
package model

import (
	"encoding/json"
	"slices"
	"time"

	"github.com/residiff/residiff/differ"
	"github.com/residiff/residiff/extractor"
	"github.com/residiff/residiff/internal/rawjson"
)

// Changelog is the data every renderer draws from: the pages followed and
// the revisions that changed them, oldest first. Its JSON form is the
// documented output of `residiff changelog --format json`.
type Changelog struct {
	// SchemaVersion is the version of this document's form: fields are
	// only ever added, and a new version says one changed meaning.
	SchemaVersion int `json:"schema_version,omitempty"`
	// GeneratedBy names the residiff that wrote it ("residiff v1.2.3").
	GeneratedBy string `json:"generated_by,omitempty"`
	// Repository names the upstream repository (URL or path).
	Repository string `json:"repository,omitempty"`
	// Branch is the branch whose first-parent history was walked.
	Branch string `json:"branch,omitempty"`
	// Profile names the docs-source profile the pages were read with
	// ("entra").
	Profile string `json:"profile,omitempty"`
	// Repositories are the repositories of a changelog that combines
	// several (page names are then "<repository>/<page>", and pages and
	// revisions name their repository); absent for one.
	Repositories []Repository `json:"repositories,omitempty"`
	// Pages are the page lineages followed.
	Pages []Page `json:"pages"`
	// Revisions are the page revisions, oldest first. Renderers that
	// show newest first reverse them.
	Revisions []Revision `json:"revisions"`
}

// SchemaVersion is the changelog form this residiff writes. 3: a
// revision's page date is page_date (ms_date is kept as a deprecated alias
// until 4). 2: schema_version and generated_by.
const SchemaVersion = 3

// Repository is one repository of a combined changelog.
type Repository struct {
	// Name is the configured name; Source the URL (credentials
	// redacted) or path; Branch the branch walked.
	Name   string `json:"name"`
	Source string `json:"source,omitempty"`
	Branch string `json:"branch,omitempty"`
	// Profile names the repository's docs-source profile.
	Profile string `json:"profile,omitempty"`
}

// Page describes one page lineage: one page across all the paths it had.
type Page struct {
	// Repository names the page's repository in a combined changelog.
	Repository string `json:"repository,omitempty"`
	// Page is the lineage name (for example "data-storage-eu").
	Page string `json:"page"`
	// Title and Region are those of the newest version.
	Title  string `json:"title"`
	Region string `json:"region"`
	// Path is the newest path; Paths lists every path, oldest first.
	Path  string   `json:"path"`
	Paths []string `json:"paths"`
	// URL links to the newest version upstream, when the repository has
	// a known web address.
	URL string `json:"url,omitempty"`
	// Versions counts the revisions of the page that were read.
	Versions int `json:"versions"`
	// Removed is true when the page no longer exists at the branch tip.
	Removed bool `json:"removed,omitempty"`
}

// Revision is one commit that changed one page, with the semantic changes
// it made.
type Revision struct {
	// Repository names the revision's repository in a combined changelog.
	Repository string    `json:"repository,omitempty"`
	Commit     string    `json:"commit"`
	Date       time.Time `json:"date"`
	Author     string    `json:"author"`
	// Page is the lineage name; Path the page's path at this commit.
	Page string `json:"page"`
	Path string `json:"path"`
	// PageDate is the page's own date the version carries (read from the
	// front-matter key its profile names: source.Profile.PageDateKey), ISO
	// form, or "". JSON also carries it as ms_date, a deprecated alias
	// (see MarshalJSON).
	PageDate string `json:"page_date,omitempty"`
	// URL links to the page at this commit, when known.
	URL string `json:"url,omitempty"`
	// CommitURL links the commit's diff; PageURL the published page.
	CommitURL string          `json:"commit_url,omitempty"`
	PageURL   string          `json:"page_url,omitempty"`
	Changes   []differ.Change `json:"changes"`
	// Warnings are what the extractor could not read in this version
	// (sections, cells, places), so that a reader knows what the changes
	// may have missed.
	Warnings []extractor.Warning `json:"warnings,omitempty"`
}

// MarshalJSON writes the revision with ms_date, the deprecated alias of
// page_date: schema_version 3 writes both, 4 drops ms_date.
func (r Revision) MarshalJSON() ([]byte, error) {
	type plain Revision
	return rawjson.Marshal(struct {
		plain
		MSDate string `json:"ms_date,omitempty"`
	}{plain(r), r.PageDate})
}

// UnmarshalJSON reads a revision, also as schema_version 1 and 2 wrote it:
// ms_date is the page date when page_date is absent.
func (r *Revision) UnmarshalJSON(b []byte) error {
	type plain Revision
	var v struct {
		plain
		MSDate string `json:"ms_date"`
	}
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*r = Revision(v.plain)
	if r.PageDate == "" {
		r.PageDate = v.MSDate
	}
	return nil
}

// Unread lists the warnings that say part of the version was not read.
func (r Revision) Unread() []extractor.Warning {
	var out []extractor.Warning
	for _, w := range r.Warnings {
		if w.Kind.Blinding() {
			out = append(out, w)
		}
	}
	return out
}

// PageVersion is one extracted version of a page with where it came from.
type PageVersion struct {
	Page   *extractor.Page
	Commit string
	Date   time.Time
	Path   string
	URL    string
	// Removed marks the commit that removed the page (a tombstone): from
	// then on no version of it is in force. Page holds only its lineage
	// name.
	Removed bool
}

// Item is one change to notify, with the revision it belongs to: what the
// outbox queues, the state file keeps until delivery, and notifiers send.
type Item struct {
	// Repository names the upstream repository.
	Repository string `json:"repository,omitempty"`
	// Page is the page lineage; Region its region; Path its path at Commit.
	Page   string `json:"page"`
	Region string `json:"region,omitempty"`
	Path   string `json:"path,omitempty"`
	Commit string `json:"commit"`
	// Date is the commit time.
	Date time.Time `json:"date"`
	// URL links to the page at Commit, when known.
	URL string `json:"url,omitempty"`
	// CommitURL links the commit's diff, PageURL the published page, and
	// Title is the page's title, when known.
	CommitURL string `json:"commit_url,omitempty"`
	PageURL   string `json:"page_url,omitempty"`
	Title     string `json:"title,omitempty"`
	// Change is the change itself.
	Change differ.Change `json:"change"`
	// Unread are the lines of the page version (at Commit) that say where
	// data goes and residiff could not read: a message about the page
	// says so, so that silence never reads as "nothing stated".
	Unread []int `json:"unread,omitempty"`
}

// ItemsOf flattens a changelog's revisions into items of repository repo.
func ItemsOf(repo string, c *Changelog) []Item {
	regions, titles := map[string]string{}, map[string]string{}
	for _, p := range c.Pages {
		regions[p.Page], titles[p.Page] = p.Region, p.Title
	}
	var items []Item
	for _, rev := range c.Revisions {
		var unread []int
		for _, w := range rev.Unread() {
			if !slices.Contains(unread, w.Line) {
				unread = append(unread, w.Line)
			}
		}
		for _, ch := range rev.Changes {
			items = append(items, Item{Repository: repo, Page: rev.Page, Region: regions[rev.Page], Path: rev.Path,
				Commit: rev.Commit, Date: rev.Date, URL: rev.URL, CommitURL: rev.CommitURL, PageURL: rev.PageURL,
				Title: titles[rev.Page], Change: ch, Unread: unread})
		}
	}
	return items
}

// Lineage is what makes a page's change ids stable across walks: an
// identity fixed when the page first appears (its first path and blob),
// and a chain hashed over the blob ids of its versions so far. A change's
// id is derived from both and its content, never from display names: the
// same step of the same history always has the same id (a force-push that
// keeps the page versions, a whole walk and an incremental one), and a
// step that repeats an earlier one (A→B, B→A, A→B) has a new id.
type Lineage struct {
	ID    string `json:"id"`
	Chain string `json:"chain"`
	// Path is the page's newest path.
	Path string `json:"path"`
	// Commit is where the newest readable version was committed: the
	// version later changes are proved against ("" in older states).
	Commit string `json:"commit,omitempty"`
}

// Part is one repository's whole history, for Combine.
type Part struct {
	Name      string
	Changelog *Changelog
	Versions  []PageVersion
}

// Combine joins the histories of several repositories into one changelog
// and one list of versions, so that one set of report files shows them
// all. One part is returned as it is. With several, every page is named
// "<repository>/<page>" (two repositories may both have a
// data-storage-eu) and pages and revisions carry their repository;
// revisions are interleaved by date, each repository's own order kept.
func Combine(parts []Part) (*Changelog, []PageVersion) {
	if len(parts) == 1 {
		return parts[0].Changelog, parts[0].Versions
	}
	out := &Changelog{Pages: []Page{}, Revisions: []Revision{}}
	var versions []PageVersion
	for _, part := range parts {
		c := part.Changelog
		if out.SchemaVersion == 0 {
			out.SchemaVersion, out.GeneratedBy = c.SchemaVersion, c.GeneratedBy
		}
		out.Repositories = append(out.Repositories, Repository{Name: part.Name, Source: c.Repository, Branch: c.Branch, Profile: c.Profile})
		name := func(page string) string { return part.Name + "/" + page }
		for _, p := range c.Pages {
			p.Page, p.Repository = name(p.Page), part.Name
			out.Pages = append(out.Pages, p)
		}
		var revs []Revision
		for _, r := range c.Revisions {
			r.Page, r.Repository = name(r.Page), part.Name
			revs = append(revs, r)
		}
		out.Revisions = mergeByDate(out.Revisions, revs)
		for _, v := range part.Versions {
			if v.Page != nil {
				p := *v.Page
				p.Page = name(p.Page)
				v.Page = &p
			}
			versions = append(versions, v)
		}
	}
	return out, versions
}

// mergeByDate interleaves two revision lists by date, keeping each list's
// own order (a history's dates need not be monotonic) and a before b on
// ties.
func mergeByDate(a, b []Revision) []Revision {
	out := make([]Revision, 0, len(a)+len(b))
	for len(a) > 0 && len(b) > 0 {
		if b[0].Date.Before(a[0].Date) {
			out, b = append(out, b[0]), b[1:]
		} else {
			out, a = append(out, a[0]), a[1:]
		}
	}
	return append(append(out, a...), b...)
}
