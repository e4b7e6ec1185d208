package differ

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"
	"unicode"

	"github.com/residiff/residiff/extractor"
	"github.com/residiff/residiff/serviceid"
	"github.com/residiff/residiff/source"
)

// Options give Compare what it needs besides the records.
type Options struct {
	// Lineage names the page across its paths; part of every change ID.
	Lineage string
	// Key identifies the pair of versions compared; part of every change
	// ID. The pipeline passes "<old blob>..<new blob>", so the IDs of a
	// change survive an upstream rewrite that keeps the content.
	Key string
	// OldSource and NewSource are the raw pages: a changed text with no
	// changed fact is reported as editorial, and service names still in
	// the new text explain a sudden drop in records (extraction_drift).
	OldSource, NewSource []byte
	// Similar reports whether two service names are the same name with a
	// typo fixed; nil recognises renames by service_id only.
	Similar func(a, b string) bool
	// Profile is the docs source's vocabulary (scope synonyms, scope
	// families); nil compares facts word for word.
	Profile *source.Profile
	// Aliases resolves the names of services, to find a service still
	// named in a version under another of its names; nil looks for the
	// name as written only.
	Aliases *serviceid.Register
	// OldUnread says that a version between old and new could not be read
	// at all (OldSource is then its text): services appearing may have
	// been listed there.
	OldUnread bool
	// MaxRenamePairs bounds the pairs of vanished and new services
	// compared by name or facts; 0 means MaxRenamePairs.
	MaxRenamePairs int
	// MaxWordDiffTokens bounds the words of a field aligned word by word;
	// 0 means MaxWordDiffTokens.
	MaxWordDiffTokens int
	// Deadline, when set, bounds the comparison's wall-clock time
	// (checked between services, on the clock Now, nil meaning
	// time.Now): past it, Compare returns one Failure change instead of
	// a partial answer.
	Deadline time.Time
	Now      func() time.Time
	// Memo, when set, keeps what the claim sentences state (their places,
	// actions, numbers) across the comparisons of a run: consecutive
	// versions share most of their sentences. nil keeps them for one
	// comparison.
	Memo *Memo

	// oldText and newText are the two sources, folded once per
	// comparison (set by Compare).
	oldText, newText *pageText
}

// Memo keeps what sentences state for the comparisons of one run; safe
// for concurrent use. The zero value is ready.
type Memo struct {
	mu        sync.Mutex
	facts     map[[2]string][]string // region, sentence → claimFacts
	folded    map[string]string      // text → foldClaim
	tokenised map[string][]string    // service names, value → foldTokens
	// cut keeps the sections of the last few page texts (keptTexts):
	// consecutive comparisons share a version, and a long history must
	// not keep every version's text.
	cut []*cutText
}

// keptTexts is how many page texts a Memo keeps cut into sections: a
// run compares the versions of each tracked page in turn, the pages'
// comparisons interleaved by commit.
const keptTexts = 16

// cutText is a page text with its sections and folded text, each made
// when first asked.
type cutText struct {
	src      string
	sections []textSection
	folded   string // foldClaim(src), "" until asked
}

// fold is foldClaim(s), folded once per memo (foldClaim depends on the
// text alone). A nil memo folds s.
func (m *Memo) fold(s string) string {
	if m == nil {
		return foldClaim(s)
	}
	return remember(&m.mu, &m.folded, s, func() string { return foldClaim(s) })
}

// tokens is foldTokens(p, own, s), folded once per memo (the profile is
// the run's). A nil memo folds s. The tokens are shared: callers must
// not change them.
func (m *Memo) tokens(p *source.Profile, own []string, s string) []string {
	if m == nil {
		return foldTokens(p, own, s)
	}
	k := strings.Join(own, "\x1f") + "\x00" + s
	return remember(&m.mu, &m.tokenised, k, func() []string { return foldTokens(p, own, s) })
}

// split is splitSections(src), cut once while the memo keeps it: a page
// version is the newer side of one comparison and the older of the next.
// A nil memo cuts src.
func (m *Memo) split(src []byte) []textSection {
	if m == nil || len(src) == 0 {
		return splitSections(src)
	}
	c := m.page(src)
	m.mu.Lock()
	v := c.sections
	m.mu.Unlock()
	if v == nil {
		v = splitSections(src)
		m.mu.Lock()
		c.sections = v
		m.mu.Unlock()
	}
	return v
}

// foldPage is foldClaim(src), folded once while the memo keeps it. A nil
// memo folds src.
func (m *Memo) foldPage(src []byte) string {
	if m == nil || len(src) == 0 {
		return foldClaim(string(src))
	}
	c := m.page(src)
	m.mu.Lock()
	v := c.folded
	m.mu.Unlock()
	if v == "" {
		v = foldClaim(string(src))
		m.mu.Lock()
		c.folded = v
		m.mu.Unlock()
	}
	return v
}

// page is the memo's entry for the page text src, made (and the oldest
// dropped) when src is not among the last keptTexts.
func (m *Memo) page(src []byte) *cutText {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, c := range m.cut {
		if c.src == string(src) {
			return c
		}
	}
	if len(m.cut) == keptTexts {
		m.cut = slices.Delete(m.cut, 0, 1)
	}
	c := &cutText{src: string(src)}
	m.cut = append(m.cut, c)
	return c
}

// claimFacts is claimFacts(p, region, s), read once per memo. The profile
// is the run's: one memo serves one profile.
func (m *Memo) claimFacts(p *source.Profile, region, s string) []string {
	return remember(&m.mu, &m.facts, [2]string{region, s}, func() []string { return claimFacts(p, region, s) })
}

// maxRemembered bounds each table of a Memo: a table holding this many
// answers starts again, so that a long history cannot grow it without
// end (the versions of a page share most of their sentences).
const maxRemembered = 1 << 15

// remember returns the answer kept in table under k, or computes it with
// f (outside the lock) and keeps it.
func remember[K comparable, V any](mu *sync.Mutex, table *map[K]V, k K, f func() V) V {
	mu.Lock()
	v, ok := (*table)[k]
	mu.Unlock()
	if ok {
		return v
	}
	v = f()
	mu.Lock()
	if *table == nil || len(*table) >= maxRemembered {
		*table = map[K]V{}
	}
	(*table)[k] = v
	mu.Unlock()
	return v
}

// over reports whether the comparison ran past its deadline.
func (o Options) over() bool {
	if o.Deadline.IsZero() {
		return false
	}
	now := time.Now
	if o.Now != nil {
		now = o.Now
	}
	return now().After(o.Deadline)
}

// overBudget is the Failure of a comparison past its deadline.
func overBudget(opts Options) []Change {
	return []Change{Failure(opts.Lineage, opts.Key, "it took longer than its time limit, limits.page_seconds")}
}

// renamePairs is the configured bound on rename candidates.
func (o Options) renamePairs() int {
	if o.MaxRenamePairs > 0 {
		return o.MaxRenamePairs
	}
	return MaxRenamePairs
}

// String returns the severity's name: low, medium or high.
func (s Severity) String() string {
	switch s {
	case Low:
		return "low"
	case Medium:
		return "medium"
	case High:
		return "high"
	}
	return fmt.Sprintf("severity(%d)", int(s))
}

// ParseSeverity reads a severity name.
func ParseSeverity(s string) (Severity, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "low":
		return Low, nil
	case "medium":
		return Medium, nil
	case "high":
		return High, nil
	}
	return 0, fmt.Errorf("severity %q: want low, medium or high", s)
}

// MarshalJSON writes the severity's name.
func (s Severity) MarshalJSON() ([]byte, error) { return json.Marshal(s.String()) }

// UnmarshalJSON reads a severity's name.
func (s *Severity) UnmarshalJSON(b []byte) error {
	var name string
	if err := json.Unmarshal(b, &name); err != nil {
		return err
	}
	v, err := ParseSeverity(name)
	if err != nil {
		return err
	}
	*s = v
	return nil
}

// SeverityOf is the severity of a change of kind k.
func SeverityOf(k Kind) Severity {
	switch k {
	case NewlyExcluded, NewlyCompliant, CategoryChanged, ScopeChanged:
		return High
	case FieldsChanged, Delegated, Restored, ExtractionDrift, ClaimChanged:
		return Medium
	}
	return Low
}

// kindOrder orders changes in a revision: most important first.
var kindOrder = map[Kind]int{
	PageAdded: 0, PageMoved: 1, PageRemoved: 2,
	NewlyExcluded: 10, NewlyCompliant: 11, CategoryChanged: 12, ScopeChanged: 13,
	ExtractionDrift: 20, Delegated: 21, Restored: 22, FieldsChanged: 23, ClaimChanged: 24,
	Renamed: 30, Reworded: 31, FirstRead: 32, ReadDifferently: 33, Editorial: 40,
}

// KindOrder is the rank of kind k among the kinds (most important first),
// and whether k is a kind at all.
func KindOrder(k Kind) (int, bool) {
	n, ok := kindOrder[k]
	return n, ok
}

// PageEvent makes a page_added, page_removed or page_moved change, so that
// IDs and severities are made in one place.
func PageEvent(kind Kind, lineage, key, path, oldPath string) Change {
	c := Change{Kind: kind, Severity: SeverityOf(kind), After: path, Before: oldPath}
	if kind == PageRemoved {
		c.Before, c.After = path, ""
	}
	c.ID = changeID(lineage, key, c)
	return c
}

// Failure is the change that stands for a comparison that failed: a
// person must look at the page.
func Failure(lineage, key, why string) Change {
	c := Change{Kind: ExtractionDrift, Severity: SeverityOf(ExtractionDrift), Before: "compared", After: "not compared",
		Detail: "residiff could not compare this version with the previous one (" + why + "); check the page"}
	c.ID = changeID(lineage, key, c)
	return c
}

// pairRows pairs the table rows of service id that only changed their
// key's wording ("Azure China 21Vianet" → "Microsoft Azure operated by
// 21Vianet"): same scope, a shared word, the same categories and nearly
// the same facts. The rest entered or left for real; the pairs' facts are
// compared like any kept row's.
func pairRows(a, b *version, id string, left, entered []string) (restLeft, restEntered []string, pairs [][2]string) {
	for _, l := range slices.Clone(left) {
		ls, lsub, _ := strings.Cut(l, subScopeSep)
		for _, e := range entered {
			es, esub, _ := strings.Cut(e, subScopeSep)
			if ls != es || !shareWord(lsub, esub, nil) {
				continue
			}
			ea, eb := a.entries[slot{id, l}], b.entries[slot{id, e}]
			if !slices.Equal(ea.excluded(), eb.excluded()) || similarity(entryFacts(ea), entryFacts(eb)) < 0.8 {
				continue
			}
			left = slices.DeleteFunc(left, func(k string) bool { return k == l })
			entered = slices.DeleteFunc(entered, func(k string) bool { return k == e })
			pairs = append(pairs, [2]string{l, e})
			break
		}
	}
	return left, entered, pairs
}

// keyPlacesMoved lists the places a reworded row key (scope keys with
// their sub-scopes) added or dropped ("Outside of Australia and New
// Zealand" → "Outside of Australia, India and New Zealand": "India added"):
// the customers the row is about are others, whatever its cells say. A
// place the other key writes in another case or form ("australia", "U.S."
// for "US") is the same place, and so is a place of the cloud both keys
// name ("Azure China 21Vianet" → "Microsoft Azure operated by 21Vianet":
// the cloud was renamed, its customers are the same).
func keyPlacesMoved(p *source.Profile, from, to string) []string {
	if p == nil {
		return nil
	}
	_, x, _ := strings.Cut(from, subScopeSep)
	_, y, _ := strings.Cut(to, subScopeSep)
	px, py := p.PlacesAt(x), p.PlacesAt(y)
	if c := p.CloudOf(x); c != "" && c == p.CloudOf(y) {
		ofCloud := func(l source.Location) bool { return slices.Contains(p.Inside(c), l.Name) }
		px, py = slices.DeleteFunc(px, ofCloud), slices.DeleteFunc(py, ofCloud)
	}
	// writes: the other key names the place, or writes its words, in
	// any case (foldClaim's words, compared whole: containsWords).
	writes := func(s string, at []source.Location, l source.Location, name string) bool {
		return slices.ContainsFunc(at, func(o source.Location) bool { return o.Name == l.Name }) || containsWords(foldClaim(s), foldClaim(name))
	}
	var out []string
	for _, l := range py {
		if !writes(x, px, l, y[l.Start:l.End]) && !slices.Contains(out, l.Name+" added") {
			out = append(out, l.Name+" added")
		}
	}
	for _, l := range px {
		if !writes(y, py, l, x[l.Start:l.End]) && !slices.Contains(out, l.Name+" dropped") {
			out = append(out, l.Name+" dropped")
		}
	}
	return out
}

// rowSet is one service's rows that left and entered, held until every
// service's are known: a table keyed anew may have split its rows among
// services (rekeyed).
type rowSet struct{ left, entered []string }

// rekeyed drops the rows of a table whose keys were rebuilt: rows of one
// service and scope that left and rows that entered in one comparison,
// keyed by a different number of columns (a table by customer region
// rebuilt by authentication method and customer region), the two sets of
// rows in the same categories and sending data to the same places (the
// places their cells name, less those their keys name: a Europe row's
// "Europe" sign-in logs stay with its customers). Their exclusion neither
// began nor ended: one claim_changed per scope shows the rows that left
// and entered, for a reader to check what the new keys mean for each
// customer. The rebuilt table may also file rows under services the other
// version does not list at all (the components a page now names, "NPS
// extension", "MFA server", where it had rows of multifactor
// authentication by region): their rows take part in the test when the
// service's own rows do, and are that claim_changed too. A row swapped for
// another keyed alike (Europe's row for Asia's), new rows sending data
// somewhere new, or a service that enters beside a table keyed alike, stay
// changes of their own. The test is the same both ways, so what enters
// going forward leaves going backward. It removes the rows it explains
// from pending.
func rekeyed(p *source.Profile, a, b *version, pending map[string]*rowSet) []Change {
	if p == nil {
		return nil
	}
	ids := make([]string, 0, len(pending))
	for id := range pending {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	isNew := func(id string) bool { _, ok := a.names[id]; return !ok }
	isGone := func(id string) bool { _, ok := b.names[id]; return !ok }
	in := func(id, scope string, keys []string) []slot {
		var out []slot
		for _, k := range keys {
			if baseScope(k) == scope {
				out = append(out, slot{id, k})
			}
		}
		return out
	}
	var out []Change
	for _, id := range ids {
		own := pending[id]
		if isNew(id) || isGone(id) {
			continue
		}
		for _, scope := range uniqueBases(append(slices.Clone(own.left), own.entered...)) {
			l, e := in(id, scope, own.left), in(id, scope, own.entered)
			var xl, xe []slot
			for _, o := range ids {
				switch {
				case o == id:
				case isNew(o):
					xe = append(xe, in(o, scope, pending[o].entered)...)
				case isGone(o):
					xl = append(xl, in(o, scope, pending[o].left)...)
				}
			}
			// Rows of one shape are one table's: a row of another table
			// that entered beside it (a cloud's row) is a change of its
			// own, and does not hide the table keyed anew.
			for _, cl := range shapes(append(slices.Clone(l), xl...)) {
				for _, ce := range shapes(append(slices.Clone(e), xe...)) {
					ol, oe := ofShape(l, cl), ofShape(e, ce)
					if cl == ce || len(ol)+len(oe) == 0 {
						continue // the service's own rows make the table its own
					}
					// A row whose key the other version also holds, or whose
					// table the other version also has, was not keyed anew: it
					// is compared on its own (both ways, so that the comparison
					// stays symmetric).
					ol = slices.DeleteFunc(ol, func(k slot) bool { return b.entries[k] != nil || tableStands(a, b, a.entries[k]) })
					oe = slices.DeleteFunc(oe, func(k slot) bool { return a.entries[k] != nil || tableStands(b, a, b.entries[k]) })
					tl, te := append(ol, ofShape(xl, cl)...), append(oe, ofShape(xe, ce)...)
					c, ok := keyedAnew(p, a, b, id, scope, tl, te)
					if !ok && (len(tl) > len(ol) || len(te) > len(oe)) {
						tl, te = ol, oe
						c, ok = keyedAnew(p, a, b, id, scope, tl, te)
					}
					if !ok {
						continue
					}
					out = append(out, c)
					for _, k := range tl {
						pending[k.id].left = slices.DeleteFunc(pending[k.id].left, func(s string) bool { return s == k.scope })
					}
					for _, k := range te {
						pending[k.id].entered = slices.DeleteFunc(pending[k.id].entered, func(s string) bool { return s == k.scope })
					}
					l = slices.DeleteFunc(l, func(k slot) bool { return slices.Contains(tl, k) })
					e = slices.DeleteFunc(e, func(k slot) bool { return slices.Contains(te, k) })
					xl = slices.DeleteFunc(xl, func(k slot) bool { return slices.Contains(tl, k) })
					xe = slices.DeleteFunc(xe, func(k slot) bool { return slices.Contains(te, k) })
				}
			}
		}
	}
	return out
}

// keyColumns is the number of key columns a row's sub-scope holds.
func keyColumns(k slot) int {
	_, sub, _ := strings.Cut(k.scope, subScopeSep)
	return len(strings.Split(sub, "; "))
}

// shapes are the numbers of key columns of rows, each once, in order.
func shapes(keys []slot) []int {
	var out []int
	for _, k := range keys {
		if n := keyColumns(k); !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	slices.Sort(out)
	return out
}

// ofShape are the rows of keys with n key columns.
func ofShape(keys []slot, n int) []slot {
	var out []slot
	for _, k := range keys {
		if keyColumns(k) == n {
			out = append(out, k)
		}
	}
	return out
}

// keyedAnew tests rows of service id that left and entered in one scope
// (with, beside them, rows of services only one version lists) for a
// table keyed anew, and makes its claim_changed.
func keyedAnew(p *source.Profile, a, b *version, id, scope string, left, entered []slot) (Change, bool) {
	if len(left) == 0 || len(entered) == 0 {
		return Change{}, false
	}
	columns := func(keys []slot) int {
		n := -1
		for _, k := range keys {
			if c := keyColumns(k); n < 0 || c == n {
				n = c
				continue
			}
			return -1 // keys of several shapes: no one table's key
		}
		return n
	}
	// sent is the categories and places a set of rows states.
	sent := func(v *version, keys []slot) (cats, places []string) {
		for _, k := range keys {
			e := v.entries[k]
			_, sub, _ := strings.Cut(k.scope, subScopeSep)
			own := p.PlacesIn(sub)
			for _, c := range e.excluded() {
				f := e.cats[extractor.Category(c)]
				if !slices.Contains(cats, c) {
					cats = append(cats, c)
				}
				for _, pl := range p.PlacesIn(f.fields["location_at_rest"] + " ; " + f.fields["processing"]) {
					if !slices.Contains(own, pl) && !slices.Contains(places, pl) {
						places = append(places, pl)
					}
				}
			}
		}
		slices.Sort(cats)
		slices.Sort(places)
		return cats, places
	}
	cl, ce := columns(left), columns(entered)
	if cl < 0 || ce < 0 || cl == ce {
		return Change{}, false
	}
	lc, lp := sent(a, left)
	ec, ep := sent(b, entered)
	if !slices.Equal(lc, ec) || !slices.Equal(lp, ep) {
		return Change{}, false
	}
	var others, otherIDs []string
	subs := func(v *version, keys []slot) string {
		var out []string
		for _, k := range keys {
			_, sub, _ := strings.Cut(k.scope, subScopeSep)
			if k.id != id {
				name := v.entries[k].name
				if !slices.Contains(others, name) {
					others = append(others, name)
				}
				if !slices.Contains(otherIDs, k.id) {
					otherIDs = append(otherIDs, k.id)
				}
				sub = name + ": " + sub
			}
			out = append(out, sub)
		}
		return strings.Join(out, " | ")
	}
	// The service as the newer version first names it: the page's own
	// name, not a row's ("Cloud MFA") when the page has one.
	ea, eb := a.entries[left[0]], b.entries[entered[0]]
	c := Change{Kind: ClaimChanged, Service: b.names[id], ServiceID: id, Scope: scope, Category: strings.Join(eb.excluded(), ", "),
		Before: subs(a, left), After: subs(b, entered), Line: eb.line, BeforeLine: ea.line,
		Detail: fmt.Sprintf("the table's rows were keyed anew (%d key columns → %d), in the same categories and sending data to the same places (%s); check what the new keys mean for each customer", cl, ce, strings.Join(ep, ", "))}
	c.alsoIDs = otherIDs
	if len(others) > 0 {
		c.Detail += fmt.Sprintf("; rows of %s, which the other version does not list, are part of the table", strings.Join(others, ", "))
	}
	return c, true
}

// keyHeader is the header of a row's first column, folded, from the
// context the ledger gives the row ("… ‖ Sovereign cloud | Sign-in logs |
// …"): a table keyed anew has another; one whose other headers were
// reworded keeps it.
func keyHeader(context string) string {
	_, header, ok := strings.Cut(context, " ‖ ")
	if !ok {
		return ""
	}
	first, _, _ := strings.Cut(header, " | ")
	return strings.Join(wordsOf(first), " ")
}

// tableStands reports whether the table a row entry of a was read from
// (known by its key column's header) is still a table of b: its other
// rows were not keyed anew, whatever became of this one.
func tableStands(a, b *version, e *entry) bool {
	if e == nil {
		return false
	}
	t, ok := a.rowTables[e.line]
	return ok && t != "" && b.tables[t]
}

// uniqueBases are the base scopes of keys, each once, in order.
func uniqueBases(keys []string) []string {
	var out []string
	for _, k := range keys {
		if s := baseScope(k); !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

// entryFacts is the text of all of an entry's excluded facts.
func entryFacts(e *entry) string {
	var parts []string
	for _, c := range e.excluded() {
		parts = append(parts, factText(e.cats[extractor.Category(c)]))
	}
	return strings.Join(parts, " ")
}

// shareWord reports whether two names share a word of four or more
// letters or digits that skip does not hold.
func shareWord(x, y string, skip map[string]bool) bool {
	wy := wordsOf(y)
	for _, w := range wordsOf(x) {
		if len(w) >= 4 && !skip[w] && slices.Contains(wy, w) {
			return true
		}
	}
	return false
}

// subScopeSep joins a scope and a sub-scope into one key: the rows of a
// table keyed by the customer's region are compared row by row, not merged
// into one entry per scope.
const subScopeSep = "\x1f"

// scopeKey is the key of a scope, or of one of its rows.
func scopeKey(scope, sub string) string {
	if sub == "" {
		return scope
	}
	return scope + subScopeSep + sub
}

// baseScope is the scope of a key, without its row.
func baseScope(key string) string {
	scope, _, _ := strings.Cut(key, subScopeSep)
	return scope
}

// splitSubScope moves a sub-scope out of a change's scope key into its
// own field (and into words where scopes are listed).
func splitSubScope(c *Change) {
	if scope, sub, ok := strings.Cut(c.Scope, subScopeSep); ok && !strings.Contains(sub, ", ") {
		c.Scope, c.SubScope = scope, sub
	}
	words := strings.NewReplacer(subScopeSep, " › ")
	c.Scope, c.Before, c.After, c.Detail = words.Replace(c.Scope), words.Replace(c.Before), words.Replace(c.After), words.Replace(c.Detail)
}

// changeID hashes what identifies a change.
func changeID(lineage, key string, c Change) string {
	h := sha256.New()
	for _, part := range []string{lineage, key, string(c.Kind), c.ServiceID, c.Scope, c.Category} {
		h.Write([]byte(part))
		h.Write([]byte{0})
	}
	if c.Kind == ClaimChanged {
		// Claims have no service: their sentences tell them apart.
		for _, part := range []string{c.Before, c.After} {
			h.Write([]byte(part))
			h.Write([]byte{0})
		}
	}
	return hex.EncodeToString(h.Sum(nil)[:8])
}

// entry is what one version says about one service in one scope.
type entry struct {
	name     string
	id       string
	line     int
	cats     map[extractor.Category]*facts
	first    extractor.Category
	sections []string // headings the records stand under
}

// facts are a category's merged record fields.
type facts struct {
	fields map[string]string
	line   int
}

var fieldNames = []string{"data_types", "location_at_rest", "processing", "reason"}

func fieldsOf(r extractor.Record) map[string]string {
	return map[string]string{"data_types": r.DataTypes, "location_at_rest": r.LocationAtRest, "processing": r.Processing, "reason": r.Reason}
}

// excluded lists the entry's excluding categories, sorted.
func (e *entry) excluded() []string {
	var out []string
	if e == nil {
		return nil
	}
	for c := range e.cats {
		if c.Excluding() {
			out = append(out, string(c))
		}
	}
	sort.Strings(out)
	return out
}

type slot struct{ id, scope string }

// version indexes one page version's records.
type version struct {
	entries map[slot]*entry
	names   map[string]string // service id -> name as first written
	lines   map[string]int
	refs    map[[2]string]extractor.Reference // scope, category -> reference
	records int
	// blind are the warnings that say part of the page was not read;
	// unread is set when the page as a whole was not understood.
	blind  []extractor.Warning
	unread bool
	// rowTables is the table of each row site by line, known by the
	// header of its key column (keyHeader); tables holds them.
	rowTables map[int]string
	tables    map[string]bool
}

func index(p *extractor.Page) *version {
	v := &version{entries: map[slot]*entry{}, names: map[string]string{}, lines: map[string]int{}, refs: map[[2]string]extractor.Reference{}}
	if p == nil {
		return v
	}
	v.records = len(p.Records)
	for _, c := range p.Claims {
		if c.Kind == "row" {
			if v.rowTables == nil {
				v.rowTables, v.tables = map[int]string{}, map[string]bool{}
			}
			t := keyHeader(c.Context)
			v.rowTables[c.Line], v.tables[t] = t, true
		}
	}
	for _, w := range p.Warnings {
		// An unread claim site is anchored on its own text (anchor.go):
		// it blinds only comparisons whose text changed there.
		if w.Kind.Blinding() && w.Kind != extractor.UnreadClaim {
			v.blind = append(v.blind, w)
			v.unread = v.unread || w.Kind == extractor.UnrecognisedPage
		}
	}
	if !p.Coverage.Understood() {
		v.unread = true
	}
	for _, r := range p.Records {
		k := slot{r.ServiceID, scopeKey(r.Scope, r.SubScope)}
		e := v.entries[k]
		if e == nil {
			e = &entry{name: r.Service, id: r.ServiceID, line: r.Line, cats: map[extractor.Category]*facts{}, first: r.Category}
			v.entries[k] = e
		}
		if _, ok := v.names[r.ServiceID]; !ok {
			v.names[r.ServiceID], v.lines[r.ServiceID] = r.Service, r.Line
		}
		if !slices.Contains(e.sections, r.Section) {
			e.sections = append(e.sections, r.Section)
		}
		f := e.cats[r.Category]
		if f == nil {
			f = &facts{fields: map[string]string{}, line: r.Line}
			e.cats[r.Category] = f
		}
		for name, val := range fieldsOf(r) {
			f.fields[name] = mergeValue(f.fields[name], val)
		}
	}
	for _, ref := range p.References {
		v.refs[[2]string{ref.Scope, string(ref.Category)}] = ref
	}
	return v
}

// mergeValue joins the distinct values several records give one field,
// in a stable order.
func mergeValue(old, val string) string {
	if val == "" || old == val {
		return old
	}
	if old == "" {
		return val
	}
	parts := strings.Split(old, " | ")
	for _, p := range parts {
		if p == val {
			return old
		}
	}
	parts = append(parts, val)
	sort.Strings(parts)
	return strings.Join(parts, " | ")
}

// reference finds the reference of v that replaces a list of scope and
// one of categories: same scope, and same category or none stated.
func (v *version) reference(scope string, categories []string) (extractor.Reference, bool) {
	for _, c := range categories {
		if ref, ok := v.refs[[2]string{scope, c}]; ok {
			return ref, true
		}
	}
	ref, ok := v.refs[[2]string{scope, ""}]
	return ref, ok
}

// refersTo reports whether v still has a reference to url: a list that
// comes back while its link stays did not come back from there.
// hadReference reports whether v already pointed to the list ref points
// to (the same address, or a link of nearly the same words in the same
// scope): a list cannot move to a page it already pointed to, so a
// service leaving is not delegated there.
func (v *version) hadReference(ref extractor.Reference) bool {
	for _, r := range v.refs {
		if r.Scope == ref.Scope && (r.URL == ref.URL || similarity(r.Text, ref.Text) >= 0.5) {
			return true
		}
	}
	return false
}

func (v *version) refersTo(url string) bool {
	for _, ref := range v.refs {
		if ref.URL == url {
			return true
		}
	}
	return false
}

// Compare returns the semantic changes from old to new, in a stable order.
// A nil page is a page with no records.
func Compare(old, new *extractor.Page, opts Options) []Change {
	a, b := index(old), index(new)
	a.unread = a.unread || opts.OldUnread
	if blind := len(b.blind); blind > 0 {
		b.blind = slices.DeleteFunc(b.blind, func(w extractor.Warning) bool {
			return !slices.ContainsFunc(a.blind, func(o extractor.Warning) bool { return o.Kind == w.Kind && sameWords(o.Section, w.Section) }) &&
				silencedByDeletion(w, opts.OldSource, opts.NewSource)
		})
		// The sections silenced by deletion are the ones coverage
		// counts unread: the page as a whole was read.
		if silenced := blind - len(b.blind); silenced > 0 && new.Coverage.Sections-new.Coverage.Read <= silenced &&
			!slices.ContainsFunc(b.blind, func(w extractor.Warning) bool { return w.Kind == extractor.UnrecognisedPage }) {
			b.unread = false
		}
	}
	opts.oldText, opts.newText = &pageText{src: opts.OldSource, memo: opts.Memo}, &pageText{src: opts.NewSource, memo: opts.Memo}
	var out []Change
	add := func(c Change) {
		c.Severity = SeverityOf(c.Kind)
		c.ID = changeID(opts.Lineage, opts.Key, c)
		splitSubScope(&c)
		out = append(out, c)
	}

	canon := unifyAbbreviations(a, b, opts.Aliases, opts.renamePairs())
	renamedTo := pairRenames(a, b, opts.Similar, opts.renamePairs())
	if opts.over() {
		return overBudget(opts)
	}
	for oldID, newID := range pairByFacts(a, b, renamedTo, opts) {
		renamedTo[oldID] = newID
	}
	if opts.over() {
		return overBudget(opts)
	}
	// Re-key the old version's typo'd entries under the new identity so
	// that the rest of the comparison sees one service.
	for oldID, newID := range renamedTo {
		for k, e := range a.entries {
			if k.id == oldID {
				delete(a.entries, k)
				e.id = newID
				a.entries[slot{newID, k.scope}] = e
			}
		}
		a.names[newID], a.lines[newID] = a.names[oldID], a.lines[oldID]
		delete(a.names, oldID)
	}
	for id, newName := range b.names {
		if oldName, ok := a.names[id]; ok && oldName != newName {
			if opts.oldText.prints(oldName) && opts.newText.prints(newName) {
				// A rename is news only between names the two versions
				// print, never from a name residiff gave the service.
				add(Change{Kind: Renamed, Service: newName, ServiceID: id, Before: oldName, After: newName, Line: b.lines[id]})
			}
		}
	}

	// Per service: the scopes it is excluded from before and after.
	ids := map[string]bool{}
	for k := range a.entries {
		ids[k.id] = true
	}
	for k := range b.entries {
		ids[k.id] = true
	}
	var leaving []Change
	enter := func(id string, keys []string) {
		for _, s := range keys {
			e := b.entries[slot{id, s}]
			if why := unreadBefore(a, b, e, opts); why != "" {
				// The previous version could not be read: its list
				// may well have held the service.
				add(Change{Kind: ExtractionDrift, Service: e.name, ServiceID: id, Scope: s, Category: strings.Join(e.excluded(), ", "), Line: e.line,
					Before: "not read", After: "listed", Detail: why})
				continue
			}
			add(Change{Kind: NewlyExcluded, Service: e.name, ServiceID: id, Scope: s, Category: strings.Join(e.excluded(), ", "), Line: e.line, Detail: summary(e)})
		}
	}
	leave := func(id string, keys []string) {
		for _, s := range keys {
			e := a.entries[slot{id, s}]
			leaving = append(leaving, Change{Kind: NewlyCompliant, Service: e.name, ServiceID: id, Scope: s, Category: strings.Join(e.excluded(), ", "), Line: e.line, BeforeLine: e.line, Detail: summary(e)})
		}
	}
	pending := map[string]*rowSet{}
	for id := range ids {
		if opts.over() {
			return overBudget(opts)
		}
		before, after := excludedScopes(a, id), excludedScopes(b, id)
		stays := intersects(before, after)
		var entered, left []string
		for _, s := range after {
			if !slices.Contains(before, s) {
				entered = append(entered, s)
			}
		}
		for _, s := range before {
			if !slices.Contains(after, s) {
				left = append(left, s)
			}
		}
		// Lists moved to another page are delegated, not compliant;
		// lists coming back (their link gone) are restored, not new
		// exclusions.
		var keptLeft []string
		for _, s := range left {
			e := a.entries[slot{id, s}]
			if ref, ok := b.reference(baseScope(s), e.excluded()); ok && !a.hadReference(ref) {
				add(Change{Kind: Delegated, Service: e.name, ServiceID: id, Scope: s, Category: strings.Join(e.excluded(), ", "),
					Before: "listed on this page", After: ref.URL, Line: ref.Line, BeforeLine: e.line, Detail: ref.Text})
				continue
			}
			keptLeft = append(keptLeft, s)
		}
		var keptEntered []string
		for _, s := range entered {
			e := b.entries[slot{id, s}]
			if ref, ok := a.reference(baseScope(s), e.excluded()); ok && !b.refersTo(ref.URL) && !b.hadReference(ref) {
				add(Change{Kind: Restored, Service: e.name, ServiceID: id, Scope: s, Category: strings.Join(e.excluded(), ", "),
					Before: ref.URL, After: "listed on this page", Line: e.line, Detail: summary(e)})
				continue
			}
			keptEntered = append(keptEntered, s)
		}
		// An exclusion that moves to another scope of the same family (a
		// page widening from Australia to Australia and New Zealand, the
		// EU page moving from "Europe" to the EU Data Boundary) changed
		// scope; it did not end.
		if !stays && opts.Profile != nil {
			for _, l := range slices.Clone(keptLeft) {
				for _, e := range keptEntered {
					if l == e || opts.Profile.Family(l) != opts.Profile.Family(e) || opts.Profile.Family(l) == l && opts.Profile.Family(e) == e {
						continue
					}
					eb := b.entries[slot{id, e}]
					add(Change{Kind: ScopeChanged, Service: eb.name, ServiceID: id, Scope: e, Category: strings.Join(eb.excluded(), ", "),
						Before: l, After: e, Line: eb.line})
					keptLeft = slices.DeleteFunc(keptLeft, func(s string) bool { return s == l })
					keptEntered = slices.DeleteFunc(keptEntered, func(s string) bool { return s == e })
					break
				}
			}
		}
		// Rows of a table keyed by the customer's region come and go on
		// their own: a row that enters is a new exclusion for those
		// customers, not a widened scope.
		isRow := func(k string) bool { return strings.Contains(k, subScopeSep) }
		rowsEntered, rowsLeft := slices.DeleteFunc(slices.Clone(keptEntered), func(k string) bool { return !isRow(k) }), slices.DeleteFunc(slices.Clone(keptLeft), func(k string) bool { return !isRow(k) })
		keptEntered, keptLeft = slices.DeleteFunc(keptEntered, isRow), slices.DeleteFunc(keptLeft, isRow)
		// A list that became a table keyed by region (or the reverse)
		// moved into rows; it did not end.
		for _, pair := range [][2]*[]string{{&keptLeft, &rowsEntered}, {&rowsLeft, &keptEntered}} {
			from, to := pair[0], pair[1]
			for _, f := range slices.Clone(*from) {
				var moved []string
				for _, t := range *to {
					if baseScope(t) == baseScope(f) {
						moved = append(moved, t)
					}
				}
				if len(moved) == 0 {
					continue
				}
				e := b.entries[slot{id, moved[0]}]
				add(Change{Kind: ScopeChanged, Service: e.name, ServiceID: id, Scope: baseScope(f), Category: strings.Join(e.excluded(), ", "),
					Before: f, After: strings.Join(moved, ", "), Line: e.line})
				*from = slices.DeleteFunc(*from, func(k string) bool { return k == f })
				*to = slices.DeleteFunc(*to, func(k string) bool { return slices.Contains(moved, k) })
			}
		}
		rowsLeft, rowsEntered, reworded := pairRows(a, b, id, rowsLeft, rowsEntered)
		pending[id] = &rowSet{left: rowsLeft, entered: rowsEntered}
		for _, pr := range reworded {
			ea, eb := a.entries[slot{id, pr[0]}], b.entries[slot{id, pr[1]}]
			for _, c := range eb.excluded() {
				fa, fb := ea.cats[extractor.Category(c)], eb.cats[extractor.Category(c)]
				if fc := fieldChanges(opts, names(a, b, id), fa, fb); len(fc) > 0 {
					add(Change{Kind: FieldsChanged, Service: eb.name, ServiceID: id, Scope: pr[1], Category: c, Fields: fc, Line: fb.line, BeforeLine: fa.line})
				}
			}
			if moved := keyPlacesMoved(opts.Profile, pr[0], pr[1]); len(moved) > 0 && len(eb.excluded()) > 0 {
				_, before, _ := strings.Cut(pr[0], subScopeSep)
				_, after, _ := strings.Cut(pr[1], subScopeSep)
				add(Change{Kind: ClaimChanged, Service: eb.name, ServiceID: id, Scope: pr[1], Category: strings.Join(eb.excluded(), ", "),
					Before: before, After: after, Line: eb.line, BeforeLine: ea.line,
					Detail: fmt.Sprintf("the customers a row sends data out for changed: its key names other places (%s); check what the row says now for each customer", strings.Join(moved, ", "))})
			}
		}
		if stays && (len(keptEntered) > 0 || len(keptLeft) > 0) {
			name, line := b.names[id], b.lines[id]
			if name == "" {
				name, line = a.names[id], 0
			}
			add(Change{Kind: ScopeChanged, Service: name, ServiceID: id, Scope: strings.Join(append(keptEntered, keptLeft...), ", "),
				Category: strings.Join(categoriesIn(b, id, after), ", "),
				Before:   strings.Join(before, ", "), After: strings.Join(after, ", "), Line: line})
		} else {
			enter(id, keptEntered)
			leave(id, keptLeft)
		}
		// Scopes excluded before and after: category and facts.
		for _, s := range after {
			if !slices.Contains(before, s) {
				continue
			}
			ea, eb := a.entries[slot{id, s}], b.entries[slot{id, s}]
			ca, cb := ea.excluded(), eb.excluded()
			if strings.Join(ca, ",") != strings.Join(cb, ",") {
				add(Change{Kind: CategoryChanged, Service: eb.name, ServiceID: id, Scope: s, Category: strings.Join(cb, ", "),
					Before: strings.Join(ca, ", "), After: strings.Join(cb, ", "), Line: eb.line})
			}
			for _, c := range cb {
				fa := ea.cats[extractor.Category(c)]
				if fa == nil && len(ca) == 1 && len(cb) == 1 {
					// One category became another: its facts moved with it.
					fa = ea.cats[extractor.Category(ca[0])]
				}
				fc := fieldChanges(opts, names(a, b, id), fa, eb.cats[extractor.Category(c)])
				fc = slices.DeleteFunc(fc, func(f FieldChange) bool {
					return foldedPlaces(f, ea.cats[extractor.InRegion], eb.cats[extractor.InRegion])
				})
				if len(fc) > 0 {
					add(Change{Kind: FieldsChanged, Service: eb.name, ServiceID: id, Scope: s, Category: c, Fields: fc, Line: eb.cats[extractor.Category(c)].line,
						BeforeLine: fa.line})
				}
			}
		}
	}
	for _, c := range rekeyed(opts.Profile, a, b, pending) {
		add(c)
	}
	pendingIDs := make([]string, 0, len(pending))
	for id := range pending {
		pendingIDs = append(pendingIDs, id)
	}
	slices.Sort(pendingIDs)
	for _, id := range pendingIDs {
		enter(id, pending[id].entered)
		leave(id, pending[id].left)
	}
	for _, c := range coverage(old, new, a, b, opts) {
		add(c)
	}
	withdrawn, dropped := withdrawals(old, new, a, b, opts, canon)
	for _, c := range withdrawn {
		if !slices.ContainsFunc(out, func(o Change) bool {
			return o.Kind == NewlyExcluded && o.Covers() && canonID(canon, o.ServiceID) == c.ServiceID && baseScope(o.Scope) == c.Scope
		}) {
			add(c)
		}
	}
	renamed := func(x, y extractor.Reference) bool {
		return canonID(canon, x.ServiceID) == canonID(canon, y.ServiceID) || opts.Similar != nil && opts.Similar(x.Service, y.Service) ||
			nameWithin(source.Member(x.Service), source.Member(y.Service))
	}
	for _, c := range pointers(old, new, renamed) {
		if c.Kind == ClaimChanged && c.After == "" && dropped[coverKey{canonID(canon, c.ServiceID), c.Scope}] {
			continue // the pointer went as the page says: the withdrawal is the change
		}
		add(c)
	}
	drifted := false
	for _, c := range drift(a, b, leaving, opts) {
		drifted = drifted || c.Kind == ExtractionDrift
		add(c)
	}
	for _, c := range out {
		drifted = drifted || c.Kind == ExtractionDrift && c.ServiceID != ""
	}
	for _, c := range newlyUnread(a, b, drifted) {
		add(c)
	}

	claimChanged := false
	if new != nil {
		// A first version (old nil) is anchored too: its exclusions carry
		// the sentence that states them.
		out, claimChanged = anchor(out, old, new, opts, newlyBlindOrUnread(a, b) || len(b.blind) > 0, canon)
		attribute(out, old, new, opts)
	}
	if len(out) == 0 && old != nil && new != nil && string(opts.OldSource) != string(opts.NewSource) {
		if !claimChanged && (len(old.Claims) > 0 || len(new.Claims) > 0) && !newlyBlindOrUnread(a, b) {
			// No claim site changed its text, or each only its wording.
			add(Change{Kind: Editorial, Detail: "the text changed; no residency fact did"})
		} else if len(a.blind) > 0 || len(b.blind) > 0 || a.unread && !opts.OldUnread || b.unread {
			// A change in a part that could not be read may be a fact.
			add(Change{Kind: ExtractionDrift, Before: "changed", After: "changed",
				Detail: "the text changed in a page residiff could not fully read; check the page"})
		} else {
			add(Change{Kind: Editorial, Detail: "the text changed; no residency fact did"})
		}
	}
	sortChanges(out)
	return out
}

// pageText is a version's text, folded once when first asked.
type pageText struct {
	src    []byte
	memo   *Memo // the run's, which keeps the last pages folded; nil: none
	folded string
	done   bool
	// orig and lower are the source with its spacing made single, as
	// written and lower-cased (orig is "" when lower-casing changed
	// byte lengths); spacedDone says they are set.
	orig, lower string
	spacedDone  bool
}

// spaced is the source with its spacing made single, as written and
// lower-cased, computed once. orig is "" when lower-casing changed byte
// lengths (rare non-ASCII letters): callers compare case-insensitively
// then, without a capitalisation check.
func (t *pageText) spaced() (orig, lower string) {
	if !t.spacedDone {
		t.orig = strings.Join(strings.Fields(string(t.src)), " ")
		t.lower = strings.ToLower(t.orig)
		if len(t.lower) != len(t.orig) {
			t.orig = ""
		}
		t.spacedDone = true
	}
	return t.orig, t.lower
}

// text is the folded text, with a space at each end ("" for no text).
func (t *pageText) text() string {
	if !t.done && len(t.src) > 0 {
		t.folded, t.done = " "+t.memo.foldPage(t.src)+" ", true
	}
	return t.folded
}

// prints reports whether the text holds name (case, punctuation and
// spacing aside); with no text to look in, it does.
func (t *pageText) prints(name string) bool {
	if len(t.src) == 0 {
		return true
	}
	return strings.Contains(t.text(), foldClaim(name))
}

// silencedByDeletion reports whether a section the newer version could not
// read (warning w at its "#" heading) holds only lines the older version
// holds too: its read sentences were deleted and nothing was written in
// their place, so the section says less, it did not become unreadable.
// (EU 2022-08-17 with its MFA list deleted keeps the heading and "… exist
// in North America, Europe, and Asia Pacific", unread in both versions
// and warned as an unread claim there.) A section with any line new to it
// (a list made an HTML table, a sentence rewritten) stays blind.
func silencedByDeletion(w extractor.Warning, oldSrc, newSrc []byte) bool {
	if w.Kind != extractor.UnrecognisedSection || len(oldSrc) == 0 || len(newSrc) == 0 {
		return false
	}
	lines := strings.Split(strings.ReplaceAll(string(newSrc), "\r\n", "\n"), "\n")
	if w.Line < 1 || w.Line > len(lines) {
		return false
	}
	head := strings.TrimSpace(lines[w.Line-1])
	level := len(head) - len(strings.TrimLeft(head, "#"))
	if level == 0 {
		return false // a bold label or a table: no span to read
	}
	old := map[string]bool{}
	for _, l := range strings.Split(strings.ReplaceAll(string(oldSrc), "\r\n", "\n"), "\n") {
		old[strings.TrimSpace(l)] = true
	}
	for _, l := range lines[w.Line-1:] {
		t := strings.TrimSpace(l)
		if n := len(t) - len(strings.TrimLeft(t, "#")); n > 0 && n <= level && t != head {
			break // the next section
		}
		if t != "" && !old[t] {
			return false
		}
	}
	return true
}

// newlyBlindOrUnread reports whether a part of the newer version that is
// not a claim site could not be read (an unrecognised section or page)
// where the older one was: a change there may be a fact no claim site
// shows.
func newlyBlindOrUnread(a, b *version) bool {
	return len(b.blind) > len(a.blind) && newlyBlind(a, b) != "" || b.unread && !a.unread
}

// MaxRenamePairs bounds the pairs of vanished and new services compared
// by name or facts; above it only the alias register pairs renames.
const MaxRenamePairs = 100_000

// Renames returns the services the differ treats as renamed from old to
// new without an alias: the old service id mapped to the new one (a typo
// fixed in the name). Timelines use it so that they never disagree with
// the changes.
func Renames(old, new *extractor.Page, similar func(a, b string) bool) map[string]string {
	return pairRenames(index(old), index(new), similar, MaxRenamePairs)
}

// pairRenames pairs services only in the old version with services only in
// the new one whose names are near-identical (a typo fixed), one to one.
func pairRenames(a, b *version, similar func(x, y string) bool, maxPairs int) map[string]string {
	out := map[string]string{}
	if similar == nil {
		return out
	}
	var gone, come []string
	for id := range a.names {
		if _, ok := b.names[id]; !ok {
			gone = append(gone, id)
		}
	}
	for id := range b.names {
		if _, ok := a.names[id]; !ok {
			come = append(come, id)
		}
	}
	sort.Strings(gone)
	sort.Strings(come)
	if len(gone)*len(come) > maxPairs {
		return out // too many to compare: renames by alias only
	}
	for _, g := range gone {
		var match []string
		for _, c := range come {
			if similar(a.names[g], b.names[c]) {
				match = append(match, c)
			}
		}
		if len(match) == 1 {
			taken := false
			for _, v := range out {
				taken = taken || v == match[0]
			}
			if !taken {
				out[g] = match[0]
			}
		}
	}
	return out
}

func excludedScopes(v *version, id string) []string {
	var out []string
	for k, e := range v.entries {
		if k.id == id && len(e.excluded()) > 0 {
			out = append(out, k.scope)
		}
	}
	sort.Strings(out)
	return out
}

func categoriesIn(v *version, id string, scopes []string) []string {
	var out []string
	for _, s := range scopes {
		for _, c := range v.entries[slot{id, s}].excluded() {
			if !slices.Contains(out, c) {
				out = append(out, c)
			}
		}
	}
	sort.Strings(out)
	return out
}

// summary is a one-line account of an entry's exclusion facts.
func summary(e *entry) string {
	var parts []string
	for _, c := range e.excluded() {
		f := e.cats[extractor.Category(c)].fields
		s := c
		if v := f["data_types"]; v != "" {
			s += "; data: " + v
		}
		if v := f["location_at_rest"]; v != "" {
			s += "; at rest: " + v
		}
		if v := f["processing"]; v != "" {
			s += "; processing: " + v
		}
		if v := f["reason"]; v != "" {
			s += "; reason: " + clip(v, 200)
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, " / ")
}

// clip shortens s to n runes with an ellipsis.
func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

func fieldChanges(opts Options, own []string, a, b *facts) []FieldChange {
	if a == nil || b == nil {
		return nil
	}
	var out []FieldChange
	for _, name := range fieldNames {
		if x, y := a.fields[name], b.fields[name]; x != y && !editorialEdit(opts.Profile, opts.Memo, own, x, y) && (name != "data_types" || !sameData(opts, own, a, b)) {
			if name == "reason" && echoes(opts.Profile, x, y, out) {
				continue // the reason is the sentence, and only its facts changed
			}
			if name == "reason" && len(out) == 0 && restated(opts.Profile, own, x, y) {
				continue // the same facts, stated in other words
			}
			out = append(out, FieldChange{Field: name, Before: x, After: y, Diff: wordDiffs(x, y, opts.MaxWordDiffTokens)})
		}
	}
	return out
}

// foldedPlaces reports whether f, a change to the places of an excluding
// category, only moves places between it and the statements the same key
// keeps in the region (ia, ib: the in_region facts of the older and the
// newer version, or nil). The extractor folds an in_region statement into
// the transfer of its own section and keeps one under another heading
// apart (extractor/onekey.go): a heading added or removed between them
// moves the statement's places into or out of the transfer's fields, and
// no place changed. Every place that came must be one the older version
// kept in the region under the key, every place that went one the newer
// version keeps there (BLIND3 class 18: a fold read as a place change).
func foldedPlaces(f FieldChange, ia, ib *facts) bool {
	if f.Field != "location_at_rest" && f.Field != "processing" || ia == nil && ib == nil {
		return false
	}
	before, after := placeParts(f.Before), placeParts(f.After)
	var kept [2]map[string]bool
	for i, in := range []*facts{ia, ib} {
		if in != nil {
			kept[i] = placeParts(in.fields[f.Field])
		}
	}
	for p := range after {
		if !before[p] && !kept[0][p] {
			return false
		}
	}
	for p := range before {
		if !after[p] && !kept[1][p] {
			return false
		}
	}
	return true
}

// placeParts are the places a place field lists, lower-cased: its parts
// between ", ", "; " (sentences merged, statements folded) and " | "
// (records of one key).
func placeParts(v string) map[string]bool {
	out := map[string]bool{}
	for _, p := range strings.FieldsFunc(strings.NewReplacer(" | ", ";", "; ", ";", ", ", ";").Replace(v), func(r rune) bool { return r == ';' }) {
		if p = strings.TrimSpace(p); p != "" {
			out[strings.ToLower(p)] = true
		}
	}
	return out
}

// sameData reports whether two readings' data types, which differ as
// written, name the same data: the same items, the same words once the
// services are written by their profile names, or data one version read
// and the other only said in its reason (dataInReason).
func sameData(opts Options, own []string, a, b *facts) bool {
	x, y := a.fields["data_types"], b.fields["data_types"]
	return sameItems(x, y) || editorialEdit(opts.Profile, opts.Memo, own, serviceNamesTo(opts.Profile, x), serviceNamesTo(opts.Profile, y)) ||
		dataInReason(opts, own, x, y, a.fields["reason"]) || dataInReason(opts, own, y, x, b.fields["reason"])
}

// dataInReason reports whether data types read in one version only (x
// empty, y not) are words the other version's record already said in its
// reason: "…: SharePoint Online site content …" written on in one
// paragraph, then as a list item under the lead-in, is the same data,
// read once from the list.
func dataInReason(opts Options, own []string, x, y, reason string) bool {
	if strings.TrimSpace(x) != "" || strings.TrimSpace(y) == "" || reason == "" {
		return false
	}
	in := set(opts.Memo.tokens(opts.Profile, own, serviceNamesTo(opts.Profile, reason)))
	for _, t := range opts.Memo.tokens(opts.Profile, own, serviceNamesTo(opts.Profile, y)) {
		if !in[t] {
			return false
		}
	}
	return true
}

// serviceNamesTo writes the services a data-types value names by their
// profile names: "SharePoint Online site content … OneDrive for Business"
// and "SharePoint site content … OneDrive" are the same data of renamed
// services.
func serviceNamesTo(p *source.Profile, s string) string {
	if p == nil {
		return s
	}
	var b strings.Builder
	last := 0
	for _, n := range p.NamesAt(s) {
		if n.Kind != "service" || n.Name == "" {
			continue
		}
		b.WriteString(s[last:n.Start])
		b.WriteString(n.Name)
		last = n.End
	}
	b.WriteString(s[last:])
	return b.String()
}

// echoes reports whether a reason that changed from x to y only echoes
// the other fields' changes: a prose record's reason is its sentence, so
// "processes it globally" → "processes it in the US" is the processing
// change again, not a second one. Every word that left or came must be a
// word of a changed field's before or after value; places compare by
// their canonical names (placeWords), for the fields write a sentence's
// places by those ("globally" is Global, "the US" United States).
func echoes(p *source.Profile, x, y string, changed []FieldChange) bool {
	if len(changed) == 0 {
		return false
	}
	facts := map[string]bool{}
	for _, c := range changed {
		for _, w := range wordsOf(placeWords(p, c.Before) + " " + placeWords(p, c.After)) {
			facts[w] = true
		}
	}
	count := map[string]int{}
	for _, w := range wordsOf(placeWords(p, x)) {
		count[w]++
	}
	for _, w := range wordsOf(placeWords(p, y)) {
		count[w]--
	}
	for w, n := range count {
		if n != 0 && !facts[w] && !echoFiller[w] {
			return false
		}
	}
	return true
}

// placeWords writes every place s names (the profile's locations and
// places) as one word of its canonical name, standing for the whole word
// it is part of ("globally" is the global place).
func placeWords(p *source.Profile, s string) string {
	if p == nil {
		return s
	}
	return writePlaces(s, p.PlacesAt(s), true)
}

// echoFiller are the words a sentence wraps a fact in ("in the US").
var echoFiller = map[string]bool{"in": true, "the": true, "a": true, "an": true, "of": true, "to": true, "and": true, "it": true, "its": true, "is": true, "are": true, "on": true, "at": true, "by": true, "or": true, "for": true}

func sortChanges(cs []Change) {
	sort.SliceStable(cs, func(i, j int) bool {
		a, b := cs[i], cs[j]
		if kindOrder[a.Kind] != kindOrder[b.Kind] {
			return kindOrder[a.Kind] < kindOrder[b.Kind]
		}
		if a.Scope != b.Scope {
			return a.Scope < b.Scope
		}
		if a.ServiceID != b.ServiceID {
			return a.ServiceID < b.ServiceID
		}
		return a.Category < b.Category
	})
}

func intersects(a, b []string) bool {
	for _, x := range a {
		if slices.Contains(b, x) {
			return true
		}
	}
	return false
}

// unifyAbbreviations makes one service of two names that differ only by an
// abbreviation spelled out ("Cloud MFA", "Cloud multifactor
// authentication", "Cloud multifactor authentication (MFA)"), in either
// version: a table row whose key was spelled out is the same row. The id
// kept is the one the older version has, else the shorter name's. A name
// the register does not know whose abbreviated form it knows
// ("multifactor authentication (MFA) server" as "MFA server") is that
// service. It returns the ids made one, each mapped to the id kept. Past
// maxPairs pairs of names, only the register's folding applies.
func unifyAbbreviations(a, b *version, reg *serviceid.Register, maxPairs int) map[string]string {
	canon := map[string]string{}
	move := func(from, to string) {
		for _, v := range []*version{a, b} {
			v.rekey(from, to)
		}
		canon[from] = to
		for k, v := range canon {
			if v == from {
				canon[k] = to
			}
		}
	}
	if reg != nil {
		for _, v := range []*version{a, b} {
			for _, id := range slices.Sorted(maps.Keys(v.names)) {
				name := v.names[id]
				if folded := foldAcronyms(name); folded != name && !reg.Known(name) && reg.Known(folded) && reg.ID(folded) != id {
					move(id, reg.ID(folded))
				}
			}
		}
	}
	type named struct {
		id, name string
		words    []string // abbrevWords(name), read once per name
	}
	var all []named
	seen := map[string]bool{}
	for _, v := range []*version{a, b} {
		ids := slices.Sorted(maps.Keys(v.names))
		for _, id := range ids {
			if !seen[id] {
				seen[id] = true
				all = append(all, named{id, v.names[id], abbrevWords(v.names[id])})
			}
		}
	}
	// A service the register knows by several names ("Cloud MFA" is
	// multifactor authentication) is written in full under each of them
	// ("Cloud multifactor authentication"): every name its entries give
	// is compared, not only the first.
	spelled := map[[2]string]bool{}
	for _, n := range all {
		spelled[[2]string{n.id, n.name}] = true
	}
	for _, v := range []*version{a, b} {
		for _, k := range slices.SortedFunc(maps.Keys(v.entries), func(x, y slot) int { return cmp.Or(cmp.Compare(x.id, y.id), cmp.Compare(x.scope, y.scope)) }) {
			e := v.entries[k]
			if key := [2]string{k.id, e.name}; !spelled[key] {
				spelled[key] = true
				all = append(all, named{k.id, e.name, abbrevWords(e.name)})
			}
		}
	}
	if len(all)*len(all) > maxPairs {
		return canon // too many names to compare pairwise, as for renames
	}
	for i, x := range all {
		for _, y := range all[i+1:] {
			x.id, y.id = canonID(canon, x.id), canonID(canon, y.id)
			if x.id == y.id || !abbrevEqualWords(x.words, y.words) {
				continue
			}
			keep, drop := x, y
			_, xOld := a.names[x.id]
			_, yOld := a.names[y.id]
			if yOld && !xOld || yOld == xOld && len(y.name) < len(x.name) {
				keep, drop = y, x
			}
			move(drop.id, keep.id)
		}
	}
	return canon
}

// rekey files every entry of service from under service to, unless to
// already has an entry in that scope.
func (v *version) rekey(from, to string) {
	for k, e := range v.entries {
		if k.id != from {
			continue
		}
		if _, taken := v.entries[slot{to, k.scope}]; taken {
			continue
		}
		delete(v.entries, k)
		e.id = to
		v.entries[slot{to, k.scope}] = e
	}
	for k := range v.entries {
		if k.id == from {
			return // some entry could not move: both ids stay
		}
	}
	if name, ok := v.names[from]; ok {
		if _, has := v.names[to]; !has {
			v.names[to], v.lines[to] = name, v.lines[from]
		}
		delete(v.names, from)
		delete(v.lines, from)
	}
}

// abbrevEqual reports whether two names are the same words once case is
// folded and an abbreviation is spelled out: the words they share at the
// start and end aside, one holds a single upper-case abbreviation whose
// letters the other's remaining words spell in order, from their first
// letter ("MFA" and "multifactor authentication").
func abbrevEqual(x, y string) bool { return abbrevEqualWords(abbrevWords(x), abbrevWords(y)) }

// abbrevWords are the words of a name that abbrevEqual compares.
func abbrevWords(name string) []string { return nameWords(foldAcronyms(name)) }

// abbrevEqualWords is abbrevEqual of two names' abbrevWords.
func abbrevEqualWords(wx, wy []string) bool {
	if len(wx) == 0 || len(wy) == 0 {
		return false
	}
	if strings.EqualFold(strings.Join(wx, " "), strings.Join(wy, " ")) {
		return true
	}
	for len(wx) > 0 && len(wy) > 0 && strings.EqualFold(wx[0], wy[0]) {
		wx, wy = wx[1:], wy[1:]
	}
	for len(wx) > 0 && len(wy) > 0 && strings.EqualFold(wx[len(wx)-1], wy[len(wy)-1]) {
		wx, wy = wx[:len(wx)-1], wy[:len(wy)-1]
	}
	if len(wy) == 1 && len(wx) > 1 {
		wx, wy = wy, wx
	}
	if len(wx) != 1 || len(wy) < 2 || len(wy) > len(wx[0])+1 {
		return false
	}
	abbr := wx[0]
	if len(abbr) < 2 || len(abbr) > 6 || strings.ToUpper(abbr) != abbr {
		return false
	}
	return spells(strings.ToLower(abbr), lowerAll(wy))
}

// spells reports whether the letters of abbr spell the words in order:
// each word gives its first letter and may give more of its letters
// ("mfa" spells "multifactor authentication", not "multifactor
// authentication b2c").
func spells(abbr string, words []string) bool {
	if len(words) == 0 {
		return abbr == ""
	}
	w := words[0]
	if abbr == "" || abbr[0] != w[0] {
		return false
	}
	// the first letter, then any further letters taken from inside w
	for n, i := 1, 1; ; n++ {
		if spells(abbr[n:], words[1:]) {
			return true
		}
		if n >= len(abbr) {
			return false
		}
		for i < len(w) && w[i] != abbr[n] {
			i++
		}
		if i >= len(w) {
			return false
		}
		i++
	}
}

func lowerAll(ws []string) []string {
	out := make([]string, len(ws))
	for i, w := range ws {
		out[i] = strings.ToLower(w)
	}
	return out
}

// nameWords splits a name into its words (hyphens and punctuation split).
func nameWords(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

// nameWithin reports whether every word of one name is a word of the
// other ("Audit (Standard)" and "Purview Audit (Standard)"): one service
// written with and without a prefix. Names that differ in a word each
// ("Audit (Standard)", "Audit (Premium)"; "… P1", "… P2") are two.
func nameWithin(a, b string) bool {
	wa, wb := wordsOf(a), wordsOf(b)
	if len(wa) == 0 || len(wb) == 0 {
		return false
	}
	if len(wa) > len(wb) {
		wa, wb = wb, wa
	}
	for _, w := range wa {
		if !slices.Contains(wb, w) {
			return false
		}
	}
	return true
}
