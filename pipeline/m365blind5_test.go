package pipeline

import (
	"slices"
	"strings"
	"testing"

	"github.com/residiff/residiff/differ"
	"github.com/residiff/residiff/extractor"
)

// TestM365Blind5NoSilentLoss extracts every version of the fifth blind
// round (fixtures/m365/blind5: the Viva Topics, Viva Connections and
// Exchange Multi-Geo pages) and fails if a fact BLIND5.md counts as read
// right loses its reading, or one it counts as warned loses every warning,
// record and reference at its lines. The facts BLIND5.md counts as wrong
// or lost silently are not listed (they fail today); when one is read
// right, add it here.
func TestM365Blind5NoSilentLoss(t *testing.T) {
	// viva is a Viva workload page's ADR block, its conditions' first item
	// at line first: the conditions (T1, C1) and the pointer (T2, C2).
	// T3 and C3, the Migration section's "Data is stored within Exchange
	// Online, SharePoint and Microsoft Teams" (a location relative to
	// other services, BLIND5 class 6, fixed since), are warned at first+10.
	viva := func(first int, service, anchor string) []blindFact {
		return []blindFact{
			blindCond("conditions: sign-up country", first), blindCond("conditions: subscription", first+1), blindCond("conditions: data provisioned", first+2),
			blindRef("pointer", first+6, service, "Advanced Data Residency", "m365-dr-commitments.md#"+anchor),
			blindSite("T3/C3 stored within other services", first+10),
		}
	}
	// multiGeo is the Exchange Multi-Geo page's warned facts, its body
	// starting at line top (the first sentence, M1): M3 is warned on the
	// MailboxRegion paragraph's line, M2 (no guarantee for data in
	// transit) and M6 (the state during a mailbox move) on theirs
	// (BLIND5 classes 5 and 3, fixed since).
	multiGeo := func(top, mailboxRegion, transit, move int) []blindFact {
		return []blindFact{blindSite("M1 per-user location", top), blindSite("M3 MailboxRegion", mailboxRegion),
			blindSite("M2 no guarantee in transit", transit), blindSite("M6 during a move", move)}
	}
	cases := []struct {
		file  string
		facts []blindFact
	}{
		{"m365-dr-workload-viva-topics/2022-09-20.md", viva(34, "Viva Topics", "viva-topics")},
		// T4 (ADR support ends, class 1, fixed since) warned at l.33; T6 the
		// same at .2's l.27.
		{"m365-dr-workload-viva-topics/2024-02-29.md", append(viva(39, "Viva Topics", "viva-topics"), blindSite("T4 ADR support ends", 33))},
		{"m365-dr-workload-viva-topics/2024-02-29.2.md", []blindFact{blindSite("T6 removed from ADR", 27)}},
		{"m365-dr-workload-viva-connections/2022-09-20.md", viva(34, "Viva Connections", "viva-connections")},
		{"m365-dr-workload-viva-connections/2024-02-29.md", viva(35, "Viva Connections", "viva-connections")},
		{"m365-dr-workload-viva-connections/2025-05-10.md", viva(36, "Viva Connections", "viva-connections")},
		{"multi-geo-capabilities-in-exchange-online/2020-08-10.md", multiGeo(20, 37, 31, 53)},
		{"multi-geo-capabilities-in-exchange-online/2023-06-20.md", multiGeo(20, 35, 29, 47)},
		{"multi-geo-capabilities-in-exchange-online/2023-06-20.2.md", multiGeo(21, 36, 30, 48)},
		{"multi-geo-capabilities-in-exchange-online/2023-06-20.3.md", multiGeo(18, 33, 27, 45)},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			page := blindExtract(t, "blind5", c.file)
			for _, f := range c.facts {
				if !blindKept(page, f) {
					t.Errorf("%s: fact %s (lines %d–%d) lost: %s", c.file, f.id, f.lo, f.hi, f.describe())
				}
			}
		})
	}
}

// TestM365Blind5InRegionLedger fails when an in-region fact of the
// Exchange Multi-Geo page that BLIND5.md counts as read right by the claim
// ledger (no record: a disposition `in_region`, no warning needed) loses
// that reading or turns into an `outside` or `global` one: M4's first
// placement item (an existing mailbox moved to the PDL's geo location) and
// M7 (public folders remain in the central geo location).
func TestM365Blind5InRegionLedger(t *testing.T) {
	cases := []struct {
		file          string
		placement, pf int
	}{
		{"multi-geo-capabilities-in-exchange-online/2020-08-10.md", 39, 59},
		{"multi-geo-capabilities-in-exchange-online/2023-06-20.md", 37, 53},
		{"multi-geo-capabilities-in-exchange-online/2023-06-20.2.md", 38, 54},
		{"multi-geo-capabilities-in-exchange-online/2023-06-20.3.md", 35, 51},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			page := blindExtract(t, "blind5", c.file)
			for _, line := range []int{c.placement, c.pf} {
				if !slices.ContainsFunc(page.Claims, func(cl extractor.Claim) bool {
					return cl.Line == line && cl.Disposition == extractor.StatedInRegion
				}) {
					t.Errorf("%s: line %d is no longer read in_region", c.file, line)
				}
				for _, r := range page.Records {
					if r.Line == line && r.Category != extractor.InRegion {
						t.Errorf("%s: line %d: %s record of %q: the page keeps the data in the tenant's geo locations", c.file, line, r.Category, r.Service)
					}
				}
			}
		})
	}
}

// TestM365Blind5NoFalseTransfer fails when a blind5 version yields an
// `outside` or `global` record anywhere (none of these pages states a
// transfer: the Exchange Multi-Geo page's "a user in the European Union
// can't … open a shared folder in a mailbox … located in the United
// States" is access, and its auditing item who is logged; the Viva pages
// say where data is only by pointer or relative to other services), or an
// `in_region` record or disposition where the page says the data is not,
// or not guaranteed, in the region: Viva Topics' note that its data will
// not be migrated to new local regions nor stored in existing ones for new
// customers (2024-02-29 l.33), its removal from ADR (2024-02-29.2 l.27),
// Exchange Multi-Geo's data in transit (M2) and its mailboxes in different
// geo locations while a move is under way (M6, BLIND5 class 3).
func TestM365Blind5NoFalseTransfer(t *testing.T) {
	cases := []struct {
		file     string
		notThere []int // lines no in_region reading may come from
	}{
		{"m365-dr-workload-viva-topics/2022-09-20.md", nil},
		{"m365-dr-workload-viva-topics/2024-02-29.md", []int{33}},
		{"m365-dr-workload-viva-topics/2024-02-29.2.md", []int{27}},
		{"m365-dr-workload-viva-connections/2022-09-20.md", nil},
		{"m365-dr-workload-viva-connections/2024-02-29.md", nil},
		{"m365-dr-workload-viva-connections/2025-05-10.md", nil},
		{"multi-geo-capabilities-in-exchange-online/2020-08-10.md", []int{31, 53}},
		{"multi-geo-capabilities-in-exchange-online/2023-06-20.md", []int{29, 47}},
		{"multi-geo-capabilities-in-exchange-online/2023-06-20.2.md", []int{30, 48}},
		{"multi-geo-capabilities-in-exchange-online/2023-06-20.3.md", []int{27, 45}},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			page := blindExtract(t, "blind5", c.file)
			for _, r := range page.Records {
				if r.Category == extractor.Outside || r.Category == extractor.Global {
					t.Errorf("%s: line %d: %s record of %q (%s): the page states no transfer", c.file, r.Line, r.Category, r.Service, r.LocationAtRest)
				}
				if r.Category == extractor.InRegion && slices.Contains(c.notThere, r.Line) {
					t.Errorf("%s: line %d: in_region record of %q: the page says the data is not (or not surely) there", c.file, r.Line, r.Service)
				}
				// BLIND5 class 4 (fixed since): M5 was a record of
				// Microsoft 365 at rest "" ("… moved to the specified geo
				// location after multi-geo is enabled on the Microsoft 365
				// tenant"): a record says where, and the Exchange Multi-Geo
				// page's records are of the mailboxes' service.
				if r.Category == extractor.InRegion && r.LocationAtRest == "" && r.Processing == "" {
					t.Errorf("%s: line %d: in_region record of %q with no place", c.file, r.Line, r.Service)
				}
				if strings.HasPrefix(c.file, "multi-geo-capabilities-in-exchange-online/") && r.ServiceID != "exchangeonline" {
					t.Errorf("%s: line %d: record of %q: the page's data is Exchange Online mailboxes", c.file, r.Line, r.Service)
				}
			}
			for _, cl := range page.Claims {
				if cl.Disposition == extractor.StatedInRegion && slices.Contains(c.notThere, cl.Line) {
					t.Errorf("%s: line %d disposed in_region: the page says the data is not (or not surely) there", c.file, cl.Line)
				}
			}
		})
	}
}

// TestM365Blind5Pairs compares the seven consecutive pairs of the round
// (BLIND5.md): each must reported, by its evidence lines, at its severity
// or above, its evidence quoting its sentence, and no medium or high change
// but a must or one of the changes BLIND5.md counts today. A new medium
// change anywhere else fails, so the five pairs reported clean stay clean.
// E1 (Viva Topics' ADR support ends on October 31, 2024) and E3 (the ADR
// block removed, the page saying Viva Topics was removed from ADR) are
// newly_excluded, high, quoting the withdrawing sentence (BLIND5 classes 1
// and 7, fixed since); E2, at L33 too, is a medium change of its own.
func TestM365Blind5Pairs(t *testing.T) {
	type at struct{ old, new int } // evidence lines
	type must struct {
		at
		severity differ.Severity
		kind     differ.Kind // "": any
		says     string      // the evidence's sentences hold this
	}
	cases := []struct {
		old, new string
		must     []must
		allow    []at // medium or high changes counted today besides the musts
	}{
		{"m365-dr-workload-viva-topics/2022-09-20.md", "m365-dr-workload-viva-topics/2024-02-29.md", []must{
			{at{0, 33}, differ.High, differ.NewlyExcluded, "will no longer be a supported workload in ADR"}, // E1
			// E2: data not migrated to new local regions, nor stored in
			// existing ones for new customers.
			{at{0, 33}, differ.Medium, "", "nor will new customers have Viva Topics stored in existing local regions"},
		}, nil},
		{"m365-dr-workload-viva-topics/2024-02-29.md", "m365-dr-workload-viva-topics/2024-02-29.2.md", []must{
			// E3: the ADR pointer removed (with the conditions, allowed
			// below), as l.27 says.
			{at{45, 27}, differ.High, differ.NewlyExcluded, "was removed from the supported workloads in ADR"},
		},
			// The conditions removed, l.33's sentence removed (E3's
			// substance), the page no longer read (line 1), and the
			// Migration section's "Data stored is maintained within
			// Exchange Online, SharePoint, and Microsoft Teams" (l.49,
			// warned since BLIND5 class 6's fix) removed with the block.
			[]at{{39, 0}, {40, 0}, {41, 0}, {33, 0}, {0, 1}, {49, 0}}},
		{"m365-dr-workload-viva-connections/2022-09-20.md", "m365-dr-workload-viva-connections/2024-02-29.md", nil, nil},
		{"m365-dr-workload-viva-connections/2024-02-29.md", "m365-dr-workload-viva-connections/2025-05-10.md", nil, nil},
		{"multi-geo-capabilities-in-exchange-online/2020-08-10.md", "multi-geo-capabilities-in-exchange-online/2023-06-20.md", nil, nil},
		{"multi-geo-capabilities-in-exchange-online/2023-06-20.md", "multi-geo-capabilities-in-exchange-online/2023-06-20.2.md", nil, nil},
		{"multi-geo-capabilities-in-exchange-online/2023-06-20.2.md", "multi-geo-capabilities-in-exchange-online/2023-06-20.3.md", nil, nil},
	}
	quotes := func(ch differ.Change, says string) bool {
		text := ch.Before + " " + ch.After
		if e := ch.Evidence; e != nil && e.Old != nil {
			text += " " + e.Old.Text
		}
		if e := ch.Evidence; e != nil && e.New != nil {
			text += " " + e.New.Text
		}
		return strings.Contains(strings.Join(strings.Fields(text), " "), says)
	}
	for _, c := range cases {
		t.Run(c.new, func(t *testing.T) {
			cs := blindCompare(t, "blind5", c.old, c.new)
			for _, m := range c.must {
				if !slices.ContainsFunc(cs, func(ch differ.Change) bool {
					o, n := blindEvidence(ch)
					return ch.Severity >= m.severity && (m.kind == "" || ch.Kind == m.kind) && o == m.old && n == m.new && quotes(ch, m.says)
				}) {
					t.Errorf("no %s change (%s) with evidence L%d → L%d quoting %q", m.severity, m.kind, m.old, m.new, m.says)
				}
			}
			for _, ch := range cs {
				o, n := blindEvidence(ch)
				if ch.Severity >= differ.Medium && !slices.ContainsFunc(c.must, func(m must) bool { return m.at == at{o, n} }) && !slices.Contains(c.allow, at{o, n}) {
					t.Errorf("new medium or high change at L%d → L%d: %s %s: %s", o, n, ch.Kind, ch.Detail, strings.Join(strings.Fields(ch.After), " "))
				}
				if ch.Kind == differ.NewlyCompliant {
					t.Errorf("newly compliant at L%d → L%d: %s: no version of these pages brings data into a region", o, n, ch.Detail)
				}
			}
		})
	}
}
