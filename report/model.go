package report

import (
	"time"

	"github.com/residiff/residiff/differ"
)

// Changelog is the data every renderer draws from: the pages followed and
// the revisions that changed them, oldest first. Its JSON form is the
// documented output of `residiff changelog --format json`.
type Changelog struct {
	// Repository names the upstream repository (URL or path).
	Repository string `json:"repository,omitempty"`
	// Branch is the branch whose first-parent history was walked.
	Branch string `json:"branch,omitempty"`
	// Pages are the page lineages followed.
	Pages []Page `json:"pages"`
	// Revisions are the page revisions, oldest first. Renderers that
	// show newest first reverse them.
	Revisions []Revision `json:"revisions"`
}

// Page describes one page lineage: one page across all the paths it had.
type Page struct {
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
	Commit string    `json:"commit"`
	Date   time.Time `json:"date"`
	Author string    `json:"author"`
	// Page is the lineage name; Path the page's path at this commit.
	Page string `json:"page"`
	Path string `json:"path"`
	// MSDate is the ms.date the version carries, ISO form, or "".
	MSDate string `json:"ms_date,omitempty"`
	// URL links to the page at this commit, when known.
	URL     string          `json:"url,omitempty"`
	Changes []differ.Change `json:"changes"`
}
