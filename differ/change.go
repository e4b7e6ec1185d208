package differ

// Kind names what changed between two versions of a page. The string values
// are part of the JSON contract and never change.
type Kind string

// The kinds of change.
const (
	NewlyExcluded   Kind = "newly_excluded"
	NewlyCompliant  Kind = "newly_compliant"
	CategoryChanged Kind = "category_changed"
	ScopeChanged    Kind = "scope_changed"
	FieldsChanged   Kind = "fields_changed"
	Renamed         Kind = "renamed"
	Delegated       Kind = "delegated"
	Restored        Kind = "restored"
	ExtractionDrift Kind = "extraction_drift"
	PageAdded       Kind = "page_added"
	PageRemoved     Kind = "page_removed"
	PageMoved       Kind = "page_moved"
	Editorial       Kind = "editorial"
)

// Severity ranks a change for notification. Its JSON form is the lower-case
// word (low, medium, high).
type Severity int

// The severities, lowest first.
const (
	Low Severity = iota + 1
	Medium
	High
)

// Change is one semantic change between two versions of a page. Its JSON
// field names are a contract.
type Change struct {
	// ID is stable across runs for the same change of the same page
	// versions; later runs use it to avoid notifying twice.
	ID       string   `json:"id"`
	Kind     Kind     `json:"kind"`
	Severity Severity `json:"severity"`
	// Service is the service's name as the newer version writes it (the
	// older one for newly_compliant).
	Service   string `json:"service,omitempty"`
	ServiceID string `json:"service_id,omitempty"`
	Scope     string `json:"scope,omitempty"`
	// SubScope narrows Scope to the customers a table row is about (the
	// "Europe" row of a table keyed by the customer's region).
	SubScope string `json:"sub_scope,omitempty"`
	Category string `json:"category,omitempty"`
	// Before and After summarise the change: the old and new name for
	// renamed, the old and new category for category_changed, the old and
	// new scopes for scope_changed, the reference URL for delegated, ...
	Before string `json:"before,omitempty"`
	After  string `json:"after,omitempty"`
	// Fields lists the changed facts of a fields_changed change.
	Fields []FieldChange `json:"fields,omitempty"`
	// URL is a permalink to the page at the change's commit, with #L<line>
	// where known; set by the pipeline, not the differ.
	URL string `json:"url,omitempty"`
	// Line is the 1-based line of the newer version (of the older one for
	// changes that remove something) the change is about.
	Line int `json:"line,omitempty"`
	// BeforeLine is the line of the older version that proves the change
	// (the service as it was listed) for changes that remove or move
	// something: newly_compliant, delegated, extraction_drift of a
	// service, fields_changed. BeforeURL links it, set by the pipeline.
	BeforeLine int    `json:"before_line,omitempty"`
	BeforeURL  string `json:"before_url,omitempty"`
	// Detail is a one-line human summary of the change's facts.
	Detail string `json:"detail,omitempty"`
	// Evidence is the claim site the change rests on, old → new, with
	// the changed words.
	Evidence *Evidence `json:"evidence,omitempty"`
	// alsoIDs are other services whose rows the change stands for (a
	// table keyed anew whose rows are now filed under components): their
	// claim sites are the change's too.
	alsoIDs []string
	// withdrawn marks a commitment a sentence of the page withdraws
	// (withdrawals): its evidence is that sentence, set when it is made.
	withdrawn bool
}

// FieldChange is one changed fact of a record: data_types,
// location_at_rest, processing or reason.
type FieldChange struct {
	Field  string `json:"field"`
	Before string `json:"before"`
	After  string `json:"after"`
	// Diff is the word-level difference from Before to After.
	Diff []WordDiff `json:"diff,omitempty"`
}

// WordDiff is one run of a word-level diff: Op is "equal", "insert" or
// "delete".
type WordDiff struct {
	Op   string `json:"op"`
	Text string `json:"text"`
}
