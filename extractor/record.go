package extractor

import "slices"

// ScopeGlobal is the region, and scope, of a page that names no region of
// its docs source's profile. Other scopes and regions are the profile's
// (for Entra: EU Data Boundary, EU Data Residency, Europe, Japan, …).
const ScopeGlobal = "Global"

// Category says how a record's data leaves, or stays in, its scope.
type Category string

// The categories a record can have. The string values are part of the JSON
// contract and never change.
const (
	// Permanent: the service transfers data out of the scope by design.
	Permanent Category = "permanent"
	// Temporary: the service transfers data out until work completes.
	Temporary Category = "temporary"
	// Optional: an optional capability that transfers data when enabled.
	Optional Category = "optional"
	// Outside: stored or processed outside the region, no timing given.
	Outside Category = "outside"
	// Global: stored globally.
	Global Category = "global"
	// InRegion: a table row saying the data stays in the region or geo.
	InRegion Category = "in_region"
)

// Excluding reports whether a record of category c means the service's data
// leaves its scope. Only in_region records do not.
func (c Category) Excluding() bool { return c != InRegion && c != "" }

// Page is everything extracted from one version of one page. Its JSON field
// names are a contract: `residiff extract --format json` prints it.
type Page struct {
	// Page is the page's lineage name (for example "data-storage-eu"),
	// stable across moves of the file.
	Page string `json:"page"`
	// Title is the page's H1, or its front-matter title when it has none.
	Title string `json:"title"`
	// Region is the region the page speaks for: "Europe", "Japan",
	// "Australia", "Australia and New Zealand", "Global", ...
	Region string `json:"region"`
	// PageDate is the page's own date, read from the front-matter key
	// its profile names (PageDateKey), in ISO form (YYYY-MM-DD), or "". JSON
	// also carries it as ms_date, a deprecated alias (frontmatter.go).
	PageDate string `json:"page_date"`
	// Records are the residency facts, in page order.
	Records []Record `json:"records"`
	// References are lists of services replaced by links to other pages.
	References []Reference `json:"references"`
	// Warnings name sections that look like residency content but were
	// not understood.
	Warnings []Warning `json:"warnings"`
	// Coverage counts the residency-looking sections and how many of them
	// were read into records or references, and the claim sites.
	Coverage Coverage `json:"coverage"`
	// Claims are the page's claim sites that say where data goes, each
	// with what became of it (the claims ledger).
	Claims []Claim `json:"claims"`
}

// Clone returns a copy of p that shares no slice with it.
func (p *Page) Clone() *Page {
	c := *p
	c.Records = slices.Clone(p.Records)
	c.References = slices.Clone(p.References)
	c.Warnings = slices.Clone(p.Warnings)
	c.Claims = slices.Clone(p.Claims)
	for i := range c.Claims {
		c.Claims[i].Records = slices.Clone(c.Claims[i].Records)
	}
	return &c
}

// Coverage says how much of a page's residency content was understood.
type Coverage struct {
	// Sections are the sections that look like residency content: a
	// heading or label naming a category, a scope or a product, with
	// location words under it.
	Sections int `json:"sections"`
	// Read are those that yielded records or references.
	Read int `json:"read"`
	// Claims counts the claim sites that say where data goes; Accounted
	// those that became records, references, in-region statements or
	// named non-transfers; Unread those residiff could not read (each is
	// an unread_claim warning).
	Claims    int `json:"claims"`
	Accounted int `json:"accounted"`
	Unread    int `json:"unread"`
}

// Understood reports whether every residency-looking section was read.
// Claim sites left unread are counted apart (Unread): the differ anchors
// on them one by one.
func (c Coverage) Understood() bool { return c.Read >= c.Sections }

// Record is one residency fact: one service, one scope, one category.
type Record struct {
	// Service is the service's name as written on the page.
	Service string `json:"service"`
	// ServiceID is the canonical identity of the service, stable across
	// renames (Azure AD Connect and Microsoft Entra Connect share one).
	ServiceID string `json:"service_id"`
	// Scope is the commitment the record is about (EU Data Boundary, EU
	// Data Residency, Japan, ...).
	Scope string `json:"scope"`
	// Category says how the data leaves, or stays in, the scope.
	Category Category `json:"category"`
	// DataTypes names the customer data concerned.
	DataTypes string `json:"data_types"`
	// LocationAtRest says where the data is stored.
	LocationAtRest string `json:"location_at_rest"`
	// Processing says where the data is processed.
	Processing string `json:"processing"`
	// Reason says why the data leaves the scope.
	Reason string `json:"reason"`
	// Section is the text of the heading the record stands under.
	Section string `json:"section"`
	// SubScope narrows the scope when a table is keyed by something other
	// than the service: the customer's region, the cloud instance, the
	// authentication method ("Europe", "Azure Government").
	SubScope string `json:"sub_scope,omitempty"`
	// From and Until are the dates (YYYY-MM-DD) the page says the fact
	// holds from and until, when it says so.
	From  string `json:"from,omitempty"`
	Until string `json:"until,omitempty"`
	// Line is the 1-based line of the page where the record is stated.
	Line int `json:"line"`
}

// Reference is a list of services replaced by a link to another page: the
// services did not become compliant, the facts moved elsewhere. A
// reference of category in_region is a commitment given by pointer: the
// service is covered, its terms are on the linked page.
type Reference struct {
	Scope    string   `json:"scope"`
	Category Category `json:"category"`
	URL      string   `json:"url"`
	Text     string   `json:"text"`
	Line     int      `json:"line"`
	// Section is the text of the heading the reference stands under.
	Section string `json:"section,omitempty"`
	// Service and ServiceID name the service a commitment given by
	// pointer is for (category in_region: "Refer to the [ADR Commitment
	// page](…) for the specific … commitment for X"); a reference to a
	// list of exclusions names none.
	Service   string `json:"service,omitempty"`
	ServiceID string `json:"service_id,omitempty"`
}

// Warning names a part of the page that looks like residency content but
// was not understood, or a value that was read but not recognised.
type Warning struct {
	Line int `json:"line"`
	// Kind classifies the warning for the differ and the reader.
	Kind WarningKind `json:"kind"`
	// Section is the heading the warning stands under.
	Section string `json:"section,omitempty"`
	Message string `json:"message"`
}

// WarningKind classifies a warning. The string values are part of the JSON
// contract.
type WarningKind string

// The warning kinds. The first two say that residency content was not
// understood: the differ never reports a service leaving such content as
// compliant.
const (
	// UnrecognisedPage: the page yielded no records or references at all.
	UnrecognisedPage WarningKind = "unrecognised_page"
	// UnrecognisedSection: a residency-looking section yielded nothing.
	UnrecognisedSection WarningKind = "unrecognised_section"
	// UnknownRegion: the page names a region the profile does not know.
	UnknownRegion WarningKind = "unknown_region"
	// UnknownPlace: a location names a place the profile does not know;
	// the record keeps the location as written.
	UnknownPlace WarningKind = "unknown_place"
	// AmbiguousLocation: a location cell or phrase names no location.
	AmbiguousLocation WarningKind = "ambiguous_location"
	// AmbiguousCategory: facts were read but their category was not named.
	AmbiguousCategory WarningKind = "ambiguous_category"
	// InvalidText: the page is not valid UTF-8, or a name has no letters.
	InvalidText WarningKind = "invalid_text"
	// InvalidDate: the page date is not a date.
	InvalidDate WarningKind = "invalid_date"
)

// Blinding reports whether a warning of kind k means residency content was
// not understood.
func (k WarningKind) Blinding() bool {
	return k == UnrecognisedPage || k == UnrecognisedSection || k == UnreadClaim
}
