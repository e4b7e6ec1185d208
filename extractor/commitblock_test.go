package extractor

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/residiff/residiff/source/m365"
)

// commitPage is a workload page as m365-dr-workload-mdo-p1 lays it out:
// under a commitment's heading, "Required Conditions:" then a
// "**Commitment:**" block (BLIND2.md classes 1, 2, 5).
const commitPage = "# Data Residency for Microsoft Defender for Office P1\n\n## Data Residency commitments available\n\n### Advanced Data Residency add-on\n\n" +
	"Required Conditions:\n\n" +
	"1. _Tenant_ has a valid Advanced Data Residency subscription for all users in the _Tenant_\n" +
	"1. For existing _Tenant_ that has data stored in a _Macro Region Geography_, the _Tenant_ Global Admin must opt in to move the _Tenant_ data into the _Local Region Geography_.\n" +
	"%s\n" +
	"**Commitment:**\n\n" +
	"%s\n\n" +
	"In addition, processing of data that is required to analyze threats is done in a sandbox environment and performed within the _Local Region Geography_.\n"

// TestCommitmentBlock: a commitment given by pointer is an in_region
// reference of its scope for the page's service; the items after a
// condition lead-in are "conditional" (no record, no warning) unless one
// sends data out (then it stays an unread, warned claim); a sentence
// saying processing is "performed within" a place of the region is read.
func TestCommitmentBlock(t *testing.T) {
	tests := []struct {
		name, item, commitment string
		refs, records          []string
		conditional            []int // lines
		warned                 []int
	}{
		{
			name:        "pointer and conditions",
			commitment:  "Please refer to the [ADR Commitment page](m365-dr-commitments.md#microsoft-defender-for-office-p1) for the specific customer data at rest commitment for Microsoft Defender for Office P1.",
			refs:        []string{"Advanced Data Residency | in_region | Microsoft Defender for Office P1 | m365-dr-commitments.md#microsoft-defender-for-office-p1"},
			records:     []string{"Advanced Data Residency | in_region | Microsoft Defender for Office P1 | Local Region Geography"},
			conditional: []int{9, 10},
		},
		{
			name:        "a condition that sends data out stays a claim",
			item:        "1. The Tenant's support data is stored in the United States.\n",
			commitment:  "Please refer to the [ADR Commitment page](m365-dr-commitments.md#microsoft-defender-for-office-p1) for the specific customer data at rest commitment for Microsoft Defender for Office P1.",
			refs:        []string{"Advanced Data Residency | in_region | Microsoft Defender for Office P1 | m365-dr-commitments.md#microsoft-defender-for-office-p1"},
			records:     []string{"Advanced Data Residency | in_region | Microsoft Defender for Office P1 | Local Region Geography"},
			conditional: []int{9, 10},
			warned:      []int{11},
		},
		{
			name:        "a link to no commitment is no pointer",
			commitment:  "Refer to [Multi-Geo Testing](m365-multi-geo-user-testing.md) to find the location of your data.",
			records:     []string{"Advanced Data Residency | in_region | Microsoft Defender for Office P1 | Local Region Geography"},
			conditional: []int{9, 10},
			warned:      []int{14}, // an unread claim, as before
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			src := fmt.Sprintf(commitPage, tc.item, tc.commitment)
			pg, err := Extract([]byte(src), Options{Profile: m365.Profile(), Aliases: m365.Register(), Path: "microsoft-365/enterprise/m365-dr-workload-mdo-p1.md"})
			if err != nil {
				t.Fatal(err)
			}
			var refs, recs []string
			for _, r := range pg.References {
				refs = append(refs, strings.Join([]string{r.Scope, string(r.Category), r.Service, r.URL}, " | "))
			}
			for _, r := range pg.Records {
				recs = append(recs, strings.Join([]string{r.Scope, string(r.Category), r.Service, r.LocationAtRest + r.Processing}, " | "))
			}
			if !slices.Equal(refs, tc.refs) {
				t.Errorf("references %q, want %q", refs, tc.refs)
			}
			if !slices.Equal(recs, tc.records) {
				t.Errorf("records %q, want %q", recs, tc.records)
			}
			var conditional, warned []int
			for _, c := range pg.Claims {
				if c.Disposition == NotTransfer && c.Reason == "conditional" {
					conditional = append(conditional, c.Line)
				}
			}
			for _, w := range pg.Warnings {
				warned = append(warned, w.Line)
			}
			if !slices.Equal(conditional, tc.conditional) {
				t.Errorf("conditional claims at %v, want %v", conditional, tc.conditional)
			}
			if !slices.Equal(warned, tc.warned) {
				t.Errorf("warnings at %v, want %v: %v", warned, tc.warned, pg.Warnings)
			}
		})
	}
}

// TestExceptionsLeadIn: a rule denying that data leaves a place of the
// region ("won't store … outside the stated geo, except if:") states it
// stays there; its list is the exceptions, read by their own words, never
// services the rule keeps in (BLIND2.md class 8). One verdict per key
// folds the rule into the exceptions' record, whose sites all cite it.
func TestExceptionsLeadIn(t *testing.T) {
	const head = "# Data Residency for Other Microsoft 365 Services\n\n## Intune\n\n"
	tests := []struct {
		name, text string
		want       []string
	}{
		{"rule alone", "Microsoft won't store Intune customer data at rest outside the stated geo.\n",
			[]string{"in_region | Tenant Geography"}},
		{"rule and exceptions", "Microsoft won't store Intune customer data at rest outside the stated geo, except if:\n\n" +
			"- Preview, beta, or other prerelease services, which typically store customer data in the United States but might store it globally.\n" +
			"- For Microsoft Entra ID: Refer to [Microsoft Entra Data Locations](https://aka.ms/aaddatamap).\n",
			[]string{"outside | Global, United States; Tenant Geography"}},
		{"an exception sent outside the geo", "Microsoft won't store Intune customer data at rest outside the stated geo, except if:\n\n" +
			"- If you're using the Remote Help feature, the Helper and Sharer's information might be sent outside of the stated Geo for 48 hours.\n",
			[]string{"outside | Tenant Geography outside of the stated Geo"}},
		{"served out of a geography is no denial", "Intune tenants are best served out of that Geography.\n",
			[]string{"in_region | that Geography"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			pg, err := Extract([]byte(head+tc.text), Options{Profile: m365.Profile(), Aliases: m365.Register(), Path: "microsoft-365/enterprise/m365-dr-workload-other.md"})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, r := range pg.Records {
				if r.Service != "Intune" {
					t.Errorf("record of %q: an exception item read as a service", r.Service)
				}
				got = append(got, string(r.Category)+" | "+strings.TrimSpace(r.LocationAtRest+" "+r.Processing))
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("records %q, want %q", got, tc.want)
			}
		})
	}
}

// TestPointedSection: a service's heading with nothing read under it is
// read when the page gives that service's commitment by pointer under a
// sibling heading (blind3 Purview "#### Office Message Encryption (OME):"
// then "#### Data Residency commitments available"); with no pointer for
// it, the section stays warned.
func TestPointedSection(t *testing.T) {
	const head = "# Data Residency support for Microsoft Purview\n\n### Data Security - Information Protection (MIP)\n\n" +
		"#### Office Message Encryption (OME):\n\n- Basic Office Message Encryption\n\nOffice 365 Message Encryption protects messages sent to people outside your organization.\n\n" +
		"#### Data Residency commitments available\n\nCommitment:\n\n"
	for _, tc := range []struct {
		name, pointer string
		warned        bool
	}{
		{"pointer for it", "Refer to the [ADR Commitments page](m365-dr-commitments.md#office-message-encryption-ome) for the specific Customer Data at rest commitment for Office Message Encryption.", false},
		{"pointer for another service", "Refer to the [ADR Commitments page](m365-dr-commitments.md#sensitivity-labels) for the specific Customer Data at rest commitment for Sensitivity Labels.", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			pg, err := Extract([]byte(head+tc.pointer+"\n"), Options{Profile: m365.Profile(), Aliases: m365.Register(), Path: "microsoft-365/enterprise/m365-dr-workload-purview.md"})
			if err != nil {
				t.Fatal(err)
			}
			warned := slices.ContainsFunc(pg.Warnings, func(w Warning) bool { return w.Kind == UnrecognisedSection && w.Line == 5 })
			if warned != tc.warned {
				t.Errorf("section warned: %v, want %v (%v)", warned, tc.warned, pg.Warnings)
			}
		})
	}
}
