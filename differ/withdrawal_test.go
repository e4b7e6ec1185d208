package differ

import (
	"strings"
	"testing"

	"github.com/residiff/residiff/extractor"
	"github.com/residiff/residiff/serviceid"
	"github.com/residiff/residiff/source/m365"
)

// TestWithdrawal: a sentence that withdraws a service from a commitment
// the page gave it ("will no longer be a supported workload in ADR",
// "was removed from the supported workloads in ADR") is a newly_excluded
// of that service, high, quoting the sentence — when the sentence is new
// though the pointer or records still stand (the page announces the end),
// and when the pointer or records go while the page says so (BLIND5 class
// 7: Viva Topics 2022-09-20 → 2024-02-29 and 2024-02-29 → .2 were medium
// claim changes). A withdrawal reworded, removed, or of a service the page
// did not cover, a denied guarantee, and a pointer removed with no word of
// a withdrawal are no new exclusion.
func TestWithdrawal(t *testing.T) {
	prof, reg := m365.Profile(), m365.Register()
	const (
		svc     = "Microsoft Defender for Office P1"
		pointer = "Refer to the [ADR Commitment page](m365-dr-commitments.md#microsoft-defender-for-office-p1) for the specific customer data at rest commitment for Microsoft Defender for Office P1."
		future  = "> [!NOTE]\n> Microsoft Defender for Office P1 will be retired on February 22, 2025. Therefore, as of October 31, 2024, Microsoft Defender for Office P1 will no longer be a supported workload in ADR."
		past    = "> [!NOTE]\n> Microsoft Defender for Office P1 was retired on February 22, 2025 and was removed from the supported workloads in ADR on October 31, 2024."
		other   = "> [!NOTE]\n> As of October 31, 2024, Viva Topics will no longer be a supported workload in ADR."
		noGuar  = "> [!NOTE]\n> Microsoft Defender for Office P1 doesn't guarantee that mail in transit stays in the _Local Region Geography_."
	)
	workload := func(parts ...string) (string, string) {
		return workloadPage(strings.Join(parts, "\n\n")), "microsoft-365/enterprise/m365-dr-workload-mdo-p1.md"
	}
	commitments := func(note string) (string, string) {
		return commitmentPage(note, exo, teams), "microsoft-365/enterprise/m365-dr-commitments.md"
	}
	type page func() (string, string)
	wl := func(parts ...string) page { return func() (string, string) { return workload(parts...) } }
	cm := func(note string) page { return func() (string, string) { return commitments(note) } }
	for _, tc := range []struct {
		name     string
		old, new page
		service  string // the newly_excluded's service; "" none
		quotes   string // its evidence's new sentence holds this
		// medium: a medium change besides it (a sentence's own change;
		// a page left with no record nor pointer is unrecognised, an
		// extraction_drift at line 1).
		medium bool
	}{
		{"announced while the pointer stands", wl(pointer), wl(pointer, future), svc, "will no longer be a supported workload in ADR", false},
		{"announced and the pointer removed at once", wl(pointer), wl(past), svc, "was removed from the supported workloads in ADR", true},
		{"the pointer removed after the announcement (viva-topics 2024-02-29 → .2)", wl(pointer, future), wl(past), svc, "was removed from the supported workloads in ADR", true},
		{"a commitment's section announced withdrawn", cm(""), cm("> [!NOTE]\n> As of October 31, 2024, Microsoft Teams will no longer be a supported workload in ADR."),
			"Microsoft Teams", "will no longer be a supported workload in ADR", false},
		{"the announcement reworded, the pointer standing", wl(pointer, future), wl(pointer, past), "", "", false},
		{"the announcement removed: never newly covered", wl(pointer, future), wl(pointer), "", "", true},
		{"another service withdrawn", wl(pointer), wl(pointer, other), "", "", true},
		{"a guarantee denied", wl(pointer), wl(pointer, noGuar), "", "", true},
		{"the pointer removed, no word of a withdrawal", wl(pointer), wl(""), "", "", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a, path := tc.old()
			b, _ := tc.new()
			extract := func(src string) *extractor.Page {
				p, err := extractor.Extract([]byte(src), extractor.Options{Profile: prof, Aliases: reg, Path: path})
				if err != nil {
					t.Fatal(err)
				}
				return p
			}
			got := Compare(extract(a), extract(b), Options{Lineage: "page", Key: "1..2", OldSource: []byte(a), NewSource: []byte(b),
				Similar: serviceid.Similar, Profile: prof, Aliases: reg})
			excluded, medium := "", false
			for _, c := range got {
				t.Logf("%s %s %q %s: %s", c.Severity, c.Kind, c.Service, c.Scope, c.Detail)
				switch {
				case c.Kind == NewlyExcluded:
					excluded = c.Service
					if c.Scope != "Advanced Data Residency" || !c.Covers() {
						t.Errorf("newly_excluded %q in %q (%s), want no longer covered by Advanced Data Residency", c.Service, c.Scope, c.Category)
					}
					if c.Evidence == nil || c.Evidence.New == nil || !strings.Contains(c.Evidence.New.Text, tc.quotes) {
						t.Errorf("newly_excluded %q: evidence %+v, want it to quote %q", c.Service, c.Evidence, tc.quotes)
					}
				case c.Severity >= High:
					t.Errorf("high %s %q: %s", c.Kind, c.Service, c.Detail)
				case c.Severity >= Medium:
					medium = true
				}
			}
			if excluded != tc.service {
				t.Errorf("newly excluded %q, want %q", excluded, tc.service)
			}
			if medium != tc.medium {
				t.Errorf("a medium change besides: %v, want %v", medium, tc.medium)
			}
		})
	}
}
