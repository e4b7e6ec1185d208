package extractor

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
	// MSDate is the page's ms.date in ISO form (YYYY-MM-DD), or "".
	MSDate string `json:"ms_date"`
	// Records are the residency facts, in page order.
	Records []Record `json:"records"`
	// References are lists of services replaced by links to other pages.
	References []Reference `json:"references"`
	// Warnings name sections that look like residency content but were
	// not understood.
	Warnings []Warning `json:"warnings"`
}

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
	// Line is the 1-based line of the page where the record is stated.
	Line int `json:"line"`
}

// Reference is a list of services replaced by a link to another page: the
// services did not become compliant, the facts moved elsewhere.
type Reference struct {
	Scope    string   `json:"scope"`
	Category Category `json:"category"`
	URL      string   `json:"url"`
	Text     string   `json:"text"`
	Line     int      `json:"line"`
}

// Warning names a part of the page that looks like residency content but
// was not understood.
type Warning struct {
	Line    int    `json:"line"`
	Message string `json:"message"`
}
