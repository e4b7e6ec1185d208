package extractor

import (
	"strings"
	"testing"

	"github.com/residiff/residiff/source/m365"
)

// TestConditionSites: every condition a condition lead-in ("Required
// Conditions:") governs is a claim site, disposed not_transfer:
// conditional, whether or not it names a place (BLIND4.md class 9: "Customer
// must have an active Enterprise Agreement." was no site, so its change was
// editorial) and whether it is a list item or a paragraph (class 13: "Tenant
// has a sign-up country/region …" written as a paragraph was unread). The
// paragraphs a lead-in governs run until a heading, another kind of block,
// a bold label, another lead-in or a pointer to another text; nothing they
// say becomes a record.
func TestConditionSites(t *testing.T) {
	const head = "# Data Residency for Exchange Online\n\n## Data Residency Commitments Available\n\n### Multi-Geo add-on\n\nRequired Conditions:\n\n"
	tests := []struct {
		name, body string
		// conds are the lines that must be condition sites; others the
		// lines that must not be (a claim site of another disposition, or
		// none).
		conds, others []int
	}{
		{"items naming no place",
			"1. Tenants have a valid Multi-Geo subscription that covers all users assigned to a _Satellite Geography_.\n" +
				"1. Customer must have an active Enterprise Agreement.\n1. Total purchased Multi-Geo units must be greater than 5% of the total eligible users in the tenant.\n",
			[]int{9, 10, 11}, nil},
		{"a paragraph",
			"Tenant has a sign-up country/region included in Local Region Geography, the European Union or the United States.\n",
			[]int{9}, nil},
		{"two paragraphs, then the pointer to the terms",
			"Tenant has a sign-up country/region included in Local Region Geography, the European Union or the United States.\n\n" +
				"Customer must have an active Enterprise Agreement.\n\n" +
				"_For current language, please refer to the Privacy and Security Product Terms and view the section titled \"Location of Customer Data at Rest for Core Online Services\"._\n",
			[]int{9, 11}, []int{13}},
		{"a bold label ends them",
			"Customer must have an active Enterprise Agreement.\n\n**Commitment:**\n\nThe mailbox data is stored at rest in the assigned _Satellite Geography_.\n",
			[]int{9}, []int{11, 13}},
		{"a paragraph after a list is none",
			"1. Customer must have an active Enterprise Agreement.\n\nThe mailbox data is stored at rest in the assigned _Satellite Geography_.\n",
			[]int{9}, []int{11}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			pg, err := Extract([]byte(head+tc.body), Options{Profile: m365.Profile(), Aliases: m365.Register(), Path: "microsoft-365/enterprise/m365-dr-workload-exo.md"})
			if err != nil {
				t.Fatal(err)
			}
			cond := map[int]bool{}
			for _, c := range pg.Claims {
				cond[c.Line] = c.Disposition == NotTransfer && c.Reason == "conditional"
				if cond[c.Line] && !strings.HasSuffix(c.Context, " ‖ Required Conditions:") {
					t.Errorf("line %d: context %q, want it under its lead-in", c.Line, c.Context)
				}
			}
			for _, l := range tc.conds {
				if !cond[l] {
					t.Errorf("line %d is no condition site; claims: %+v", l, pg.Claims)
				}
				for _, r := range pg.Records {
					if r.Line == l {
						t.Errorf("line %d: a condition read into a record: %+v", l, r)
					}
				}
			}
			for _, l := range tc.others {
				if cond[l] {
					t.Errorf("line %d is a condition site; it is none", l)
				}
			}
		})
	}
}
