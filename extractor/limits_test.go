package extractor

import (
	"strings"
	"testing"
	"time"

	"github.com/residiff/residiff/source/entra"
)

// TestLimits feeds pages built to cost goldmark gigabytes or minutes: each
// is refused before parsing with a warning naming the limit. (The cost is
// bounded by the code; no timing is asserted.)
func TestLimits(t *testing.T) {
	wide := "| " + strings.Repeat("c | ", 1000) + "\n|" + strings.Repeat("---|", 1000) + "\n" + strings.Repeat("| x |\n", 30)
	var deep strings.Builder
	for i := 0; i < 100; i++ {
		deep.WriteString(strings.Repeat("  ", i) + "- item\n")
	}
	for name, tc := range map[string]struct {
		page, want string
	}{
		"wide table":       {"# Japan\n\n" + wide, "cells"},
		"deep nesting":     {"# Japan\n\n" + deep.String(), "nesting"},
		"unclosed links":   {"# Japan\n\n" + strings.Repeat("[a](", 100_000), "brackets"},
		"quoted nesting":   {"# Japan\n\n" + strings.Repeat(">", 200) + " deep\n", "nesting"},
		"three megabytes":  {"# Japan\n\n" + strings.Repeat("words ", 600_000), "bytes"},
		"real page passes": {"# Customer data storage for Japan customers\n\n## Azure RBAC\n\nRole definitions are stored globally.\n", ""},
	} {
		t.Run(name, func(t *testing.T) {
			p, err := Extract([]byte(tc.page), Options{Profile: entra.Profile(), Path: "p.md"})
			if err != nil {
				t.Fatal(err)
			}
			refused := len(p.Warnings) > 0 && p.Warnings[0].Kind == UnrecognisedPage && strings.Contains(p.Warnings[0].Message, "limits")
			if tc.want == "" {
				if refused {
					t.Fatalf("a normal page was refused: %+v", p.Warnings)
				}
				return
			}
			if !refused || !strings.Contains(p.Warnings[0].Message, tc.want) || len(p.Records) != 0 {
				t.Errorf("warnings %+v, %d records; want one unrecognised_page naming %q", p.Warnings, len(p.Records), tc.want)
			}
		})
	}
}

// TestConfiguredLimits: a configured limit replaces its default alone,
// and the warning names the configuration key to raise.
func TestConfiguredLimits(t *testing.T) {
	table := "# Japan\n\n| Service | Location |\n|---|---|\n| A | United States |\n| B | United States |\n"
	p, err := Extract([]byte(table), Options{Profile: entra.Profile(), Path: "p.md", Limits: Limits{MaxTableCells: 4}})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Warnings) == 0 || !strings.Contains(p.Warnings[0].Message, "limits.table_cells") {
		t.Errorf("a 2x4 table with table_cells 4: warnings %+v, want one naming limits.table_cells", p.Warnings)
	}
	p, err = Extract([]byte(table), Options{Profile: entra.Profile(), Path: "p.md", Limits: Limits{MaxNesting: 3}})
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range p.Warnings {
		if w.Kind == UnrecognisedPage {
			t.Errorf("only nesting configured, yet the page was refused: %s", w.Message)
		}
	}
}

func TestSafeURL(t *testing.T) {
	for u, want := range map[string]bool{
		"https://learn.microsoft.com/x": true, "http://example.com": true, "mailto:a@example.com": true,
		"/privacy/eudb/x#y": true, "../other.md": true, "#anchor": true, "page.md?x=1:2": true,
		"javascript:alert(1)": false, "JavaScript:alert(1)": false, " data:text/html,x": false, "vbscript:x": false, "file:///etc/passwd": false,
	} {
		if got := SafeURL(u); got != want {
			t.Errorf("SafeURL(%q) = %v, want %v", u, got, want)
		}
	}
	p, err := Extract([]byte("# EU\n\n## Services that temporarily transfer data out of the EU Data Boundary\n\nThe list is now maintained in [the other page](javascript:alert(1)).\n"), Options{Profile: entra.Profile(), Path: "p.md"})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range p.References {
		if !SafeURL(r.URL) {
			t.Errorf("reference to %q passed on", r.URL)
		}
	}
}

// TestTimeLimit: a page whose reading runs past its time limit (a fake
// clock that jumps a second per look) keeps nothing of what was read
// before — half a page would read as services leaving — and says which
// limit to raise; with time to spare the same page reads whole.
func TestTimeLimit(t *testing.T) {
	page := []byte("# Customer data storage for Japan customers\n\n## Microsoft Entra multifactor authentication\n\nMicrosoft Entra multifactor authentication stores customer data in the United States.\n\n## Azure RBAC\n\nAzure RBAC stores role definitions in the United States.\n")
	var tick time.Time
	jumping := func() time.Time { tick = tick.Add(time.Second); return tick }
	p, err := Extract(page, Options{Profile: entra.Profile(), Path: "p.md", Limits: Limits{MaxDuration: 3 * time.Second}, Now: jumping})
	if err != nil {
		t.Fatal(err)
	}
	if !p.OverBudget() || len(p.Records) != 0 || len(p.Warnings) != 1 || !strings.Contains(p.Warnings[0].Message, "limits.page_seconds") {
		t.Errorf("over its time: %d records, warnings %+v; want none and one naming limits.page_seconds", len(p.Records), p.Warnings)
	}
	stopped := func() time.Time { return time.Time{} }
	p, err = Extract(page, Options{Profile: entra.Profile(), Path: "p.md", Limits: Limits{MaxDuration: 3 * time.Second}, Now: stopped})
	if err != nil {
		t.Fatal(err)
	}
	if p.OverBudget() || len(p.Records) != 2 {
		t.Errorf("in time: %d records, warnings %+v; want both services", len(p.Records), p.Warnings)
	}
}

// checkBudget is the fuzz target's time oracle: a page that took longer
// than the page budget to extract (or was abandoned for it) is a failure —
// an input the pre-scan should have refused.
func checkBudget(t fataler, took time.Duration, p *Page) {
	t.Helper()
	if budget := DefaultLimits().MaxDuration; took > budget || p != nil && p.OverBudget() {
		t.Fatalf("extraction took %s, more than the page budget of %s: the pre-scan let a costly page through", took, budget)
	}
}

// fataler is the part of testing.TB the oracle uses.
type fataler interface {
	Helper()
	Fatalf(format string, args ...any)
}

// recorder is a fataler that records instead of stopping.
type recorder struct{ failed bool }

func (*recorder) Helper()                 {}
func (r *recorder) Fatalf(string, ...any) { r.failed = true }

// TestFuzzTimeOracle: the oracle fails a page that takes longer than the
// budget or was abandoned for it, and passes one that did not.
func TestFuzzTimeOracle(t *testing.T) {
	abandoned := &Page{Warnings: []Warning{{Kind: UnrecognisedPage, Message: overBudget + " 10s (limits.page_seconds)"}}}
	for _, tc := range []struct {
		took time.Duration
		page *Page
		fail bool
	}{
		{time.Millisecond, &Page{}, false},
		{time.Millisecond, nil, false},
		{11 * time.Second, &Page{}, true},
		{time.Millisecond, abandoned, true},
	} {
		var r recorder
		checkBudget(&r, tc.took, tc.page)
		if r.failed != tc.fail {
			t.Errorf("took %s, page %+v: failed %v, want %v", tc.took, tc.page, r.failed, tc.fail)
		}
	}
}
