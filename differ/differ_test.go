package differ

import (
	"encoding/json"
	"fmt"
	goldenfile "github.com/residiff/residiff/internal/golden"
	"github.com/residiff/residiff/source/entra"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/residiff/residiff/extractor"
	"github.com/residiff/residiff/serviceid"
)

const (
	edb = "EU Data Boundary"
	edr = "EU Data Residency"
)

// rec builds a record; the service id comes from the default register.
func rec(service, scope string, cat extractor.Category, facts ...string) extractor.Record {
	r := extractor.Record{Service: service, ServiceID: entra.Register().ID(service), Scope: scope, Category: cat, Line: 10}
	if len(facts) > 0 {
		r.LocationAtRest = facts[0]
	}
	if len(facts) > 1 {
		r.Reason = facts[1]
	}
	return r
}

func pageOf(records ...extractor.Record) *extractor.Page {
	return &extractor.Page{Page: "p", Records: records}
}

// brief is what a table test checks of a change.
type brief struct {
	Kind     Kind
	Service  string
	Scope    string
	Category string
	Before   string
	After    string
}

func briefs(cs []Change) []brief {
	out := []brief{}
	for _, c := range cs {
		out = append(out, brief{c.Kind, c.Service, c.Scope, c.Category, c.Before, c.After})
	}
	return out
}

func TestCompare(t *testing.T) {
	ref := func(scope string, cat extractor.Category, url string) extractor.Reference {
		return extractor.Reference{Scope: scope, Category: cat, URL: url, Line: 5}
	}
	withRefs := func(p *extractor.Page, refs ...extractor.Reference) *extractor.Page {
		p.References = refs
		return p
	}
	for _, tc := range []struct {
		name     string
		old, new *extractor.Page
		src      [2]string
		want     []brief
	}{
		{
			name: "newly excluded",
			old:  pageOf(rec("A", edb, extractor.Temporary)),
			new:  pageOf(rec("A", edb, extractor.Temporary), rec("Azure Customer Lockbox", edb, extractor.Temporary)),
			want: []brief{{NewlyExcluded, "Azure Customer Lockbox", edb, "temporary", "", ""}},
		},
		{
			name: "newly compliant",
			old:  pageOf(rec("JIT", edb, extractor.Temporary), rec("A", edb, extractor.Temporary)),
			new:  pageOf(rec("A", edb, extractor.Temporary)),
			want: []brief{{NewlyCompliant, "JIT", edb, "temporary", "", ""}},
		},
		{
			name: "in-region row becomes an exclusion",
			old:  pageOf(rec("Svc", "Global", extractor.InRegion, "In geo location")),
			new:  pageOf(rec("Svc", "Global", extractor.Outside, "North America")),
			want: []brief{{NewlyExcluded, "Svc", "Global", "outside", "", ""}},
		},
		{
			name: "category changed",
			old:  pageOf(rec("A", edb, extractor.Temporary)),
			new:  pageOf(rec("A", edb, extractor.Permanent)),
			want: []brief{{CategoryChanged, "A", edb, "permanent", "temporary", "permanent"}},
		},
		{
			name: "scope widened",
			old:  pageOf(rec("Multi-Factor Authentication", edb, extractor.Permanent)),
			new:  pageOf(rec("multifactor Authentication", edr, extractor.Permanent), rec("multifactor Authentication", edb, extractor.Permanent)),
			want: []brief{
				{ScopeChanged, "multifactor Authentication", edr, "permanent", edb, edb + ", " + edr},
				{Renamed, "multifactor Authentication", "", "", "Multi-Factor Authentication", "multifactor Authentication"},
			},
		},
		{
			name: "scope narrowed",
			old:  pageOf(rec("A", edr, extractor.Temporary), rec("A", edb, extractor.Temporary)),
			new:  pageOf(rec("A", edb, extractor.Temporary)),
			want: []brief{{ScopeChanged, "A", edr, "temporary", edb + ", " + edr, edb}},
		},
		{
			name: "rename plus a field change",
			old:  pageOf(rec("Azure Active Directory Connect", edr, extractor.Temporary, "US")),
			new:  pageOf(rec("Microsoft Entra Connect", edr, extractor.Temporary, "US and Asia/Pacific")),
			want: []brief{
				{FieldsChanged, "Microsoft Entra Connect", edr, "temporary", "", ""},
				{Renamed, "Microsoft Entra Connect", "", "", "Azure Active Directory Connect", "Microsoft Entra Connect"},
			},
		},
		{
			name: "typo fix is a rename, not a leave and an enter",
			old:  pageOf(rec("Mulitenant administration", edr, extractor.Optional)),
			new:  pageOf(rec("Multitenant administration", edr, extractor.Optional)),
			want: []brief{{Renamed, "Multitenant administration", "", "", "Mulitenant administration", "Multitenant administration"}},
		},
		{
			name: "two services swap their facts, not their names",
			old:  pageOf(rec("MyApps", edb, extractor.Temporary, "US"), rec("MyAccount", edb, extractor.Temporary, "EU")),
			new:  pageOf(rec("MyApps", edb, extractor.Temporary, "EU"), rec("MyAccount", edb, extractor.Temporary, "US")),
			want: []brief{
				{FieldsChanged, "MyAccount", edb, "temporary", "", ""},
				{FieldsChanged, "MyApps", edb, "temporary", "", ""},
			},
		},
		{
			name: "list moved between sections",
			old:  pageOf(rec("A", edb, extractor.Temporary)),
			new: func() *extractor.Page {
				r := rec("A", edb, extractor.Temporary)
				r.Section, r.Line = "Another heading", 40
				return pageOf(r)
			}(),
			src:  [2]string{"old", "new"},
			want: []brief{{Editorial, "", "", "", "", ""}},
		},
		{
			name: "list delegated to another page",
			old:  pageOf(rec("A", edb, extractor.Temporary), rec("A", edr, extractor.Temporary)),
			new:  withRefs(pageOf(rec("A", edr, extractor.Temporary)), ref(edb, extractor.Temporary, "/privacy/eudb/temp")),
			want: []brief{{Delegated, "A", edb, "temporary", "listed on this page", "/privacy/eudb/temp"}},
		},
		{
			name: "list restored from a reference",
			old:  withRefs(pageOf(), ref(edb, extractor.Temporary, "/privacy/eudb/temp")),
			new:  pageOf(rec("A", edb, extractor.Temporary)),
			want: []brief{{Restored, "A", edb, "temporary", "/privacy/eudb/temp", "listed on this page"}},
		},
		{
			name: "page that becomes empty but still names its services",
			old:  pageOf(rec("Alpha Service", edb, extractor.Temporary), rec("Beta Service", edb, extractor.Temporary), rec("Gamma Service", edb, extractor.Temporary), rec("Delta Service", edb, extractor.Temporary)),
			new:  pageOf(),
			src:  [2]string{"x", "A new table: Alpha Service, Beta Service, Gamma Service."},
			want: []brief{
				{NewlyCompliant, "Delta Service", edb, "temporary", "", ""},
				// Each service the new text still names drifts on its
				// own, at any record count; none is called compliant.
				{ExtractionDrift, "Alpha Service", edb, "temporary", "listed", "not read"},
				{ExtractionDrift, "Beta Service", edb, "temporary", "listed", "not read"},
				{ExtractionDrift, "Gamma Service", edb, "temporary", "listed", "not read"},
			},
		},
		{
			name: "page that becomes empty",
			old:  pageOf(rec("A", edb, extractor.Temporary)),
			new:  pageOf(),
			src:  [2]string{"x", ""},
			want: []brief{{NewlyCompliant, "A", edb, "temporary", "", ""}},
		},
		{
			name: "only wording changed",
			old:  pageOf(rec("A", edb, extractor.Temporary, "In EU Customer Data Boundary.")),
			new:  pageOf(rec("A", edb, extractor.Temporary, "In EU Data Boundary")),
			src:  [2]string{"a", "b"},
			want: []brief{{Editorial, "", "", "", "", ""}},
		},
		{
			name: "identical",
			old:  pageOf(rec("A", edb, extractor.Temporary)),
			new:  pageOf(rec("A", edb, extractor.Temporary)),
			src:  [2]string{"same", "same"},
			want: []brief{},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := Compare(tc.old, tc.new, Options{Lineage: "p", Key: "k", OldSource: []byte(tc.src[0]), NewSource: []byte(tc.src[1]), Similar: serviceid.Similar, Profile: entra.Profile()})
			if b := briefs(got); !reflect.DeepEqual(b, tc.want) {
				t.Errorf("changes:\n got %+v\nwant %+v", b, tc.want)
			}
			for _, c := range got {
				if c.ID == "" || c.Severity != SeverityOf(c.Kind) {
					t.Errorf("change without id or with wrong severity: %+v", c)
				}
			}
		})
	}
}

func TestIDsStable(t *testing.T) {
	old := pageOf(rec("A", edb, extractor.Temporary))
	new := pageOf(rec("B Service", edb, extractor.Temporary))
	opts := Options{Lineage: "data-storage-eu", Key: "1..2"}
	a, b := Compare(old, new, opts), Compare(old, new, opts)
	if !reflect.DeepEqual(a, b) {
		t.Fatal("Compare is not deterministic")
	}
	ids := map[string]bool{}
	for _, c := range a {
		if ids[c.ID] {
			t.Errorf("duplicate id %s", c.ID)
		}
		ids[c.ID] = true
	}
	opts.Key = "1..3"
	if c := Compare(old, new, opts); c[0].ID == a[0].ID {
		t.Error("id does not depend on the version pair")
	}
	if PageEvent(PageMoved, "p", "k", "new.md", "old.md").ID == PageEvent(PageAdded, "p", "k", "new.md", "").ID {
		t.Error("page events of different kinds share an id")
	}
}

func corpusPage(t *testing.T, page, date string) (*extractor.Page, []byte) {
	t.Helper()
	src, err := os.ReadFile(filepath.Join("..", "fixtures", "corpus", page, date+".md"))
	if err != nil {
		t.Fatal(err)
	}
	p, err := extractor.Extract(src, extractor.Options{Profile: entra.Profile(), Page: page})
	if err != nil {
		t.Fatal(err)
	}
	return p, src
}

// TestCorpusTransitions diffs consecutive real versions and compares with
// goldens read by hand against the pages.
func TestCorpusTransitions(t *testing.T) {
	for _, tc := range []struct {
		page, from, to string
		check          func(t *testing.T, cs []Change)
	}{
		{"data-storage-eu", "2018-05-17", "2022-07-20", nil},
		{"data-storage-eu", "2022-07-20", "2023-08-17", func(t *testing.T, cs []Change) {
			has(t, cs, Renamed, "Microsoft Entra Connect", "")
			has(t, cs, Renamed, "Microsoft Entra Connect Health", "")
			has(t, cs, Renamed, "multifactor Authentication", "")
			has(t, cs, NewlyCompliant, "JIT", edb)
			has(t, cs, NewlyExcluded, "Azure Customer Lockbox", edb)
			has(t, cs, ScopeChanged, "multifactor Authentication", edr)
			for _, c := range cs {
				if (c.Kind == NewlyCompliant || c.Kind == NewlyExcluded) && strings.Contains(c.Service, "Connect") {
					t.Errorf("a rename reported as %s: %+v", c.Kind, c)
				}
			}
			if n := count(cs, NewlyExcluded, extractor.Optional); n != 6 {
				t.Errorf("optional capabilities newly excluded = %d, want 3 in each of 2 scopes", n)
			}
		}},
		{"data-storage-eu", "2023-08-17", "2024-02-16", func(t *testing.T, cs []Change) {
			for _, c := range cs {
				if c.Kind == NewlyCompliant && c.Scope == edb {
					t.Errorf("EU Data Boundary list delegated, yet %s reported newly compliant", c.Service)
				}
			}
			for _, s := range []string{"Microsoft Entra Connect", "Microsoft Entra Connect Health", "Device Registration", "Dynamic Groups Service", "Self-Service Group Management"} {
				has(t, cs, NewlyCompliant, s, edr)
				has(t, cs, Delegated, s, edb)
			}
			has(t, cs, NewlyExcluded, "Microsoft Entra ID", edr)
			for _, c := range cs {
				if c.ServiceID == "directorycorestore" && c.Scope == edr && (c.Kind == NewlyCompliant || c.Kind == NewlyExcluded) {
					t.Errorf("Directory Core Store stays excluded, got %+v", c)
				}
			}
		}},
		// The MFA page's table by customer region rebuilt as two tables
		// by method, under the components the page now names (AUDIT2
		// "What could produce a false alert" 2 and 3): no component and
		// no row is newly excluded; one claim_changed holds the old and
		// new keys.
		{"concept-mfa-data-residency", "2021-01-14", "2021-06-03", func(t *testing.T, cs []Change) {
			for _, c := range cs {
				if c.Kind == NewlyExcluded || c.Kind == NewlyCompliant {
					t.Errorf("the table was keyed anew, its facts kept; got %s %s %s", c.Kind, c.Service, c.SubScope)
				}
			}
			n := 0
			for _, c := range cs {
				if c.Kind == ClaimChanged && strings.Contains(c.Detail, "keyed anew") {
					n++
					for _, s := range []string{"Voice calls with custom greetings; Any", "MFA server: All methods; Any", "NPS extension: ", "AD FS adapter: "} {
						if !strings.Contains(c.After, s) {
							t.Errorf("the table keyed anew does not show the new row %q: %q", s, c.After)
						}
					}
				}
			}
			if n != 1 {
				t.Errorf("claim_changed for the table keyed anew = %d, want 1", n)
			}
		}},
		// The NPS extension and AD FS adapter table removed: each of its
		// rows that kept data outside is for a person to check.
		{"concept-mfa-data-residency", "2021-06-03", "2023-01-29", func(t *testing.T, cs []Change) {
			for _, s := range []string{"NPS extension", "AD FS adapter"} {
				n := 0
				for _, c := range cs {
					if c.Service == s && c.Kind == ExtractionDrift {
						n++
					}
				}
				if n != 3 {
					t.Errorf("%s: %d rows to check, want 3", s, n)
				}
			}
		}},
		{"data-storage-japan", "2022-08-08", "2024-01-03", func(t *testing.T, cs []Change) {
			for _, c := range cs {
				if c.Severity >= Medium {
					t.Errorf("facts unchanged, got %s %s", c.Kind, c.Service)
				}
			}
		}},
	} {
		name := tc.page + "/" + tc.from + ".." + tc.to
		t.Run(name, func(t *testing.T) {
			a, as := corpusPage(t, tc.page, tc.from)
			b, bs := corpusPage(t, tc.page, tc.to)
			cs := Compare(a, b, Options{Lineage: tc.page, Key: tc.from + ".." + tc.to, OldSource: as, NewSource: bs, Similar: serviceid.Similar, Profile: entra.Profile()})
			if tc.check != nil {
				tc.check(t, cs)
			}
			golden(t, filepath.Join("testdata", tc.page, tc.from+".."+tc.to+".json"), cs)
		})
	}
}

func golden(t *testing.T, path string, v any) { t.Helper(); goldenfile.CheckJSON(t, path, v) }

func has(t *testing.T, cs []Change, k Kind, service, scope string) {
	t.Helper()
	for _, c := range cs {
		if c.Kind == k && c.Service == service && (scope == "" || c.Scope == scope) {
			return
		}
	}
	t.Errorf("no %s change for %q in %q", k, service, scope)
}

func count(cs []Change, k Kind, cat extractor.Category) int {
	n := 0
	for _, c := range cs {
		if c.Kind == k && c.Category == string(cat) {
			n++
		}
	}
	return n
}

// TestMFATableRowsDeleted deletes each row of the two tables of the MFA
// page of 2021-06-03 (one under "### NPS extension and AD FS adapter",
// one with a Component column, rows of the same method under one service
// before class E was fixed): every deletion is reported, medium or high,
// about that row. A row keeping data outside is for a person to check
// (the service is still named on the page); a row keeping it in the
// region is a removed sentence.
func TestMFATableRowsDeleted(t *testing.T) {
	page := "concept-mfa-data-residency"
	p, src := corpusPage(t, page, "2021-06-03")
	lines := strings.SplitAfter(string(src), "\n")
	n := 0
	for _, cl := range p.Claims {
		if cl.Kind != "row" || !strings.Contains(cl.Context, "NPS extension and AD FS adapter") && !strings.Contains(cl.Context, "MFA server and cloud-based MFA") {
			continue
		}
		n++
		t.Run(fmt.Sprintf("L%d", cl.Line), func(t *testing.T) {
			edited := []byte(strings.Join(slices.Delete(slices.Clone(lines), cl.Line-1, cl.Line), ""))
			q, err := extractor.Extract(edited, extractor.Options{Profile: entra.Profile(), Page: page})
			if err != nil {
				t.Fatal(err)
			}
			cs := Compare(p, q, Options{Lineage: page, Key: "del", OldSource: src, NewSource: edited, Similar: serviceid.Similar, Profile: entra.Profile()})
			for _, c := range cs {
				if c.Severity >= Medium && (c.BeforeLine == cl.Line || c.Evidence != nil && c.Evidence.Old != nil && c.Evidence.Old.Line == cl.Line) {
					return
				}
			}
			t.Errorf("deleting L%d %q reported nothing about it: %+v", cl.Line, cl.Text, cs)
		})
	}
	if n != 7 {
		t.Errorf("rows of the two tables = %d, want 7", n)
	}
}

// TestProperties: a version compared with itself has no changes, and
// what enters going forward leaves going backward.
func TestProperties(t *testing.T) {
	files, _ := filepath.Glob("../fixtures/corpus/*/*.md")
	var pages []*extractor.Page
	for _, f := range files {
		src, _ := os.ReadFile(f)
		p, err := extractor.Extract(src, extractor.Options{Profile: entra.Profile(), Path: f})
		if err != nil {
			t.Fatal(err)
		}
		pages = append(pages, p)
	}
	pages = append(pages, pageOf())
	set := func(cs []Change, k Kind) []string {
		var out []string
		for _, c := range cs {
			if c.Kind == k {
				out = append(out, c.ServiceID+"|"+c.Scope)
			}
		}
		sort.Strings(out)
		return out
	}
	for i, a := range pages {
		if cs := Compare(a, a, Options{}); len(cs) != 0 {
			t.Errorf("page %d against itself: %+v", i, briefs(cs))
		}
		for j, b := range pages {
			fwd := Compare(a, b, Options{Similar: serviceid.Similar, Profile: entra.Profile()})
			back := Compare(b, a, Options{Similar: serviceid.Similar, Profile: entra.Profile()})
			// One exception, by design: a removed transfer sentence whose
			// key keeps an in_region record stays newly_compliant where the
			// summary rule would have made it a claim_changed; the
			// addition seen the other way is left to that rule (anchor.go,
			// StandInNote).
			back = slices.DeleteFunc(back, func(c Change) bool {
				return c.Kind == NewlyCompliant && strings.HasSuffix(c.Detail, StandInNote) && !slices.ContainsFunc(fwd, func(f Change) bool {
					return f.Kind == NewlyExcluded && f.ServiceID == c.ServiceID && f.Scope == c.Scope
				})
			})
			if x, y := set(fwd, NewlyExcluded), set(back, NewlyCompliant); !reflect.DeepEqual(x, y) {
				t.Errorf("pages %d→%d newly_excluded %v != %d→%d newly_compliant %v", i, j, x, j, i, y)
			}
		}
	}
}

func TestWordDiffs(t *testing.T) {
	d := WordDiffs("User account data, such as email address.", "User account data (email address).")
	var before, after strings.Builder
	for _, w := range d {
		if w.Op != "insert" {
			before.WriteString(w.Text)
		}
		if w.Op != "delete" {
			after.WriteString(w.Text)
		}
	}
	if before.String() != "User account data, such as email address." || after.String() != "User account data (email address)." {
		t.Errorf("diff does not rebuild both sides: %+v", d)
	}
	if d[0].Op != "equal" || !strings.HasPrefix(d[0].Text, "User account data") {
		t.Errorf("common prefix not kept whole: %+v", d)
	}
}

func TestSeverityJSON(t *testing.T) {
	for _, s := range []Severity{Low, Medium, High} {
		b, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		var back Severity
		if err := json.Unmarshal(b, &back); err != nil || back != s {
			t.Errorf("round trip of %s: %s → %v, %v", s, b, back, err)
		}
	}
	var s Severity
	if err := json.Unmarshal([]byte(`"urgent"`), &s); err == nil {
		t.Error("unknown severity accepted")
	}
}

// TestWordDiffsPoison: a field with more distinct words than the codes
// can hold once panicked and wedged every later run; now it is a plain
// "changed".
func TestWordDiffsPoison(t *testing.T) {
	var a, b strings.Builder
	for i := 0; i < 140_000; i++ {
		fmt.Fprintf(&a, "w%d ", i)
		fmt.Fprintf(&b, "v%d ", i)
	}
	d := WordDiffs(a.String(), b.String())
	if len(d) != 2 || d[0].Op != "delete" || d[1].Op != "insert" {
		t.Fatalf("diff of huge texts: %d runs", len(d))
	}
	if got := WordDiffs("data in the US", "data in Europe"); len(got) < 2 {
		t.Errorf("small texts are still diffed word by word: %+v", got)
	}
}

// FuzzCompare diffs two extracted pages made from fuzzed text, and word
// diffs of their fields: no panic at any size, diff(A, A) reports nothing,
// and every change has an id and a severity.
func FuzzCompare(f *testing.F) {
	files, _ := filepath.Glob("../fixtures/corpus/*/*.md")
	var pages [][]byte
	for _, file := range files {
		b, _ := os.ReadFile(file)
		pages = append(pages, b)
	}
	for i := 0; i+1 < len(pages); i++ {
		f.Add(pages[i], pages[i+1])
	}
	f.Add([]byte(strings.Repeat("w ", 5000)), []byte(strings.Repeat("v ", 5000)))
	prof, reg := entra.Profile(), entra.Register()
	f.Fuzz(func(t *testing.T, a, b []byte) {
		pa, err := extractor.Extract(a, extractor.Options{Profile: prof, Aliases: reg, Path: "a.md"})
		if err != nil {
			return
		}
		pb, err := extractor.Extract(b, extractor.Options{Profile: prof, Aliases: reg, Path: "b.md"})
		if err != nil {
			return
		}
		opts := Options{Lineage: "p", Key: "1..2", OldSource: a, NewSource: b, Similar: serviceid.Similar, Profile: prof, Aliases: reg}
		for _, c := range Compare(pa, pb, opts) {
			if c.ID == "" || c.Severity == 0 {
				t.Fatalf("change without id or severity: %+v", c)
			}
		}
		same := opts
		same.NewSource = a
		if cs := Compare(pa, pa, same); len(cs) != 0 {
			t.Fatalf("diff(A, A) reports %s %s", cs[0].Kind, cs[0].Service)
		}
		_ = WordDiffs(string(a), string(b))
	})
}

// TestTimeLimit: a comparison past its deadline is one change asking a
// person to look — never a partial list that would miss what the rest of
// the page changed; in time, the same pages compare normally.
func TestTimeLimit(t *testing.T) {
	old := pageOf(rec("Azure RBAC", edb, extractor.Permanent, "United States"), rec("Microsoft Entra Connect Health", edb, extractor.Permanent, "United States"))
	new := pageOf(rec("Azure RBAC", edb, extractor.Permanent, "United States"))
	deadline := time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC)
	tick := deadline.Add(-2 * time.Second)
	jumping := func() time.Time { tick = tick.Add(time.Second); return tick }
	got := Compare(old, new, Options{Lineage: "l", Key: "k", Deadline: deadline, Now: jumping})
	if len(got) != 1 || got[0].Kind != ExtractionDrift || !strings.Contains(got[0].Detail, "limits.page_seconds") {
		t.Errorf("past the deadline: %+v; want one extraction_drift naming limits.page_seconds", briefs(got))
	}
	stopped := func() time.Time { return deadline.Add(-time.Hour) }
	got = Compare(old, new, Options{Lineage: "l", Key: "k", Deadline: deadline, Now: stopped})
	if len(got) != 1 || got[0].Kind != NewlyCompliant || got[0].Service != "Microsoft Entra Connect Health" {
		t.Errorf("in time: %+v; want the comparison's own changes", briefs(got))
	}
}

// TestMemoChangesNothing: one memo shared by every comparison of a run,
// from several goroutines, changes no comparison of the corpus's
// consecutive versions.
func TestMemoChangesNothing(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("..", "fixtures", "corpus", "*", "*.md"))
	if err != nil || len(files) < 10 {
		t.Fatalf("corpus: %d files, %v", len(files), err)
	}
	sort.Strings(files)
	type pair struct{ a, b string }
	var pairs []pair
	for i := 1; i < len(files); i++ {
		if filepath.Dir(files[i]) == filepath.Dir(files[i-1]) {
			pairs = append(pairs, pair{files[i-1], files[i]})
		}
	}
	prof := entra.Profile()
	compare := func(p pair, memo *Memo) []byte {
		read := func(f string) (*extractor.Page, []byte) {
			src, err := os.ReadFile(f)
			if err != nil {
				t.Error(err)
				return nil, nil
			}
			pg, err := extractor.Extract(src, extractor.Options{Profile: prof, Path: f})
			if err != nil {
				t.Error(err)
			}
			return pg, src
		}
		a, as := read(p.a)
		b, bs := read(p.b)
		cs := Compare(a, b, Options{Lineage: "p", Key: "k", OldSource: as, NewSource: bs, Similar: serviceid.Similar, Profile: prof, Memo: memo})
		out, _ := json.Marshal(cs)
		return out
	}
	var memo Memo
	done := make(chan struct{})
	for w := 0; w < 4; w++ {
		go func() {
			defer func() { done <- struct{}{} }()
			for _, p := range pairs {
				if with, without := compare(p, &memo), compare(p, nil); string(with) != string(without) {
					t.Errorf("%s..%s: a shared memo changed the comparison", p.a, p.b)
				}
			}
		}()
	}
	for w := 0; w < 4; w++ {
		<-done
	}
}

// TestStandIn: whatever the extractor gives, an in_region record left
// under a key never stands in for the transfer whose sentence was
// removed: the change is high and quotes the removed sentence. The older
// version holds both records under one key, as an extractor that split a
// list would.
func TestStandIn(t *testing.T) {
	const (
		phone = "Multifactor authentication phone calls originate from United States datacenters."
		push  = "Push notifications are processed in regional datacenters."
		other = "Azure AD Domain Services stores system metadata in the United States."
	)
	mfa := func(cat extractor.Category, line int, place string) extractor.Record {
		r := rec("Azure AD multifactor authentication", "Global", cat, place)
		r.Line = line
		return r
	}
	for _, tc := range []struct {
		name     string
		old, new *extractor.Page
		oldSrc   string
		newSrc   string
	}{
		{
			name: "the outside item of a list deleted, the in_region item kept",
			old: &extractor.Page{Page: "p", Region: "Global", Records: []extractor.Record{mfa(extractor.Outside, 3, "United States"), mfa(extractor.InRegion, 4, "regional datacenters")},
				Claims: []extractor.Claim{{Line: 3, Kind: "item", Text: phone, Disposition: extractor.AsRecord, Records: []int{0}},
					{Line: 4, Kind: "item", Text: push, Disposition: extractor.StatedInRegion, Records: []int{1}}}},
			new: &extractor.Page{Page: "p", Region: "Global", Records: []extractor.Record{mfa(extractor.InRegion, 3, "regional datacenters")},
				Claims: []extractor.Claim{{Line: 3, Kind: "item", Text: push, Disposition: extractor.StatedInRegion, Records: []int{0}}}},
			oldSrc: "# MFA\n\n* " + phone + "\n* " + push + "\n",
			newSrc: "# MFA\n\n* " + push + "\n",
		},
		{
			name: "the product's transfer sentence deleted, an in_region sentence added: no summary",
			old: &extractor.Page{Page: "p", Region: "Global", Records: []extractor.Record{
				{Service: "Azure AD", ServiceID: "entraid", Scope: "Global", Category: extractor.Outside, LocationAtRest: "United States", Line: 3},
				{Service: "Azure AD Domain Services", ServiceID: "domainservices", Scope: "Global", Category: extractor.Outside, LocationAtRest: "United States", Line: 5}},
				Claims: []extractor.Claim{{Line: 3, Kind: "sentence", Text: "Tenants have authentication information at rest in the continental United States.", Disposition: extractor.AsRecord, Records: []int{0}},
					{Line: 5, Kind: "sentence", Text: other, Disposition: extractor.AsRecord, Records: []int{1}}}},
			new: &extractor.Page{Page: "p", Region: "Global", Records: []extractor.Record{
				{Service: "Azure AD", ServiceID: "entraid", Scope: "Global", Category: extractor.InRegion, Line: 3},
				{Service: "Azure AD Domain Services", ServiceID: "domainservices", Scope: "Global", Category: extractor.Outside, LocationAtRest: "United States", Line: 5}},
				Claims: []extractor.Claim{{Line: 3, Kind: "sentence", Text: "Azure AD handles Core Store data based on geo-location.", Disposition: extractor.AsRecord, Records: []int{0}},
					{Line: 5, Kind: "sentence", Text: other, Disposition: extractor.AsRecord, Records: []int{1}}}},
			oldSrc: "# Azure AD\n\nTenants have authentication information at rest in the continental United States.\n\n" + other + "\n",
			newSrc: "# Azure AD\n\nAzure AD handles Core Store data based on geo-location.\n\n" + other + "\n",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cs := Compare(tc.old, tc.new, Options{Lineage: "p", Key: "1..2", OldSource: []byte(tc.oldSrc), NewSource: []byte(tc.newSrc),
				Similar: serviceid.Similar, Profile: entra.Profile(), Aliases: entra.Register()})
			removed := tc.old.Claims[0].Text
			for _, c := range cs {
				if c.Severity == High && c.Evidence != nil && c.Evidence.Old != nil && c.Evidence.Old.Text == removed {
					return
				}
			}
			t.Errorf("no high change quotes %q: %+v", removed, briefs(cs))
		})
	}
}
