package differ

import (
	"testing"

	"github.com/residiff/residiff/extractor"
	"github.com/residiff/residiff/serviceid"
	"github.com/residiff/residiff/source/m365"
)

// workloadPage is a workload page in the shape of m365-dr-workload-mdo-p1
// whose ADR commitment is given by pointer.
func workloadPage(pointer string) string {
	return "---\ntitle: Data Residency for Microsoft Defender for Office P1\nms.date: 09/20/2022\n---\n\n# Data Residency for Microsoft Defender for Office P1\n\n" +
		"## Data Residency commitments available\n\n### Advanced Data Residency add-on\n\nRequired Conditions:\n\n" +
		"1. _Tenant_ has a valid Advanced Data Residency subscription for all users in the _Tenant_\n\n**Commitment:**\n\n" + pointer + "\n"
}

// TestCommitmentPointer: a commitment given by pointer is compared as a
// pointer, not as a list moved elsewhere: its rewording is editorial, its
// going or its pointing to another page is a medium claim_changed of the
// service, a new anchor on the same page a low reworded (BLIND2.md class
// 1; blind3's Purview pointers re-anchored).
func TestCommitmentPointer(t *testing.T) {
	prof, reg := m365.Profile(), m365.Register()
	const (
		please = "Please refer to the [ADR Commitment page](m365-dr-commitments.md#microsoft-defender-for-office-p1) for the specific customer data at rest commitment for Microsoft Defender for Office P1."
		refer  = "Refer to the [ADR Commitment page](m365-dr-commitments.md#microsoft-defender-for-office-p1) for the specific customer data at rest commitment for Microsoft Defender for Office P1."
		anchor = "Refer to the [ADR Commitment page](m365-dr-commitments.md#microsoft-defender-for-office-365-p1) for the specific customer data at rest commitment for Microsoft Defender for Office P1."
		page   = "Refer to the [ADR Commitment page](m365-dr-defender-commitments.md) for the specific customer data at rest commitment for Microsoft Defender for Office P1."
	)
	for _, tc := range []struct {
		name, old, new string
		changed        bool // a medium or high change
		reworded       bool // a low reworded change
	}{
		{"reworded", please, refer, false, false},
		{"removed", please, "", true, false},
		{"now to another page", refer, page, true, false},
		{"re-anchored on the same page", refer, anchor, false, true},
		// A sentence that points and also states is read for what it
		// states (the review of class 1: these were editorial).
		{"a pointer that places the data", refer, "Microsoft Defender for Office P1 customer data at rest is stored in the United States; refer to the [ADR Commitment page](m365-dr-commitments.md#microsoft-defender-for-office-p1) for details.", true, false},
		{"a pointer that denies the commitment", refer, "Microsoft Defender for Office P1 is no longer covered by the ADR commitment; refer to the [ADR Commitment page](m365-dr-commitments.md#microsoft-defender-for-office-p1) for details.", true, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			extract := func(src string) *extractor.Page {
				p, err := extractor.Extract([]byte(src), extractor.Options{Profile: prof, Aliases: reg, Path: "microsoft-365/enterprise/m365-dr-workload-mdo-p1.md"})
				if err != nil {
					t.Fatal(err)
				}
				return p
			}
			a, b := workloadPage(tc.old), workloadPage(tc.new)
			got := Compare(extract(a), extract(b), Options{Lineage: "m365-dr-workload-mdo-p1", Key: "1..2", OldSource: []byte(a), NewSource: []byte(b),
				Similar: serviceid.Similar, Profile: prof, Aliases: reg})
			changed, reworded := false, false
			for _, c := range got {
				changed = changed || c.Severity >= Medium
				reworded = reworded || c.Kind == Reworded && c.Service == "Microsoft Defender for Office P1"
				t.Logf("%s %s %q %s: %s", c.Severity, c.Kind, c.Service, c.Scope, c.Detail)
			}
			if changed != tc.changed {
				t.Errorf("a medium or high change: %v, want %v", changed, tc.changed)
			}
			if reworded != tc.reworded {
				t.Errorf("a reworded pointer: %v, want %v", reworded, tc.reworded)
			}
		})
	}
}

// TestPointerOfAnotherService: a pointer that goes and one that comes, to
// the same page, for two services are two changes — one service lost its
// commitment, another gained one — never one low rename; one service
// written with and without a family or prefix is one pointer re-anchored.
func TestPointerOfAnotherService(t *testing.T) {
	prof, reg := m365.Profile(), m365.Register()
	page := func(heading, anchor string) string {
		return "---\ntitle: Data Residency for Microsoft Purview\nms.date: 09/20/2022\n---\n\n# Data Residency for Microsoft Purview\n\n" +
			"## Advanced Data Residency add-on\n\n#### " + heading + "\n\nRefer to the [ADR Commitment page](m365-dr-commitments.md#" + anchor +
			") for the specific customer data at rest commitment.\n"
	}
	for _, tc := range []struct {
		name, old, new string
		changed        bool // a medium or high change
	}{
		{"another service", page("Microsoft Teams", "microsoft-teams"), page("SharePoint Online", "sharepoint-online"), true},
		{"another plan", page("Microsoft Defender for Office P1", "mdo-p1"), page("Microsoft Defender for Office P2", "mdo-p2"), true},
		{"the same service under its family", page("Purview Audit (Standard)", "purview-audit-standard"), page("Risk & Compliance - Audit (Standard)", "audit-standard"), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			extract := func(src string) *extractor.Page {
				p, err := extractor.Extract([]byte(src), extractor.Options{Profile: prof, Aliases: reg, Path: "microsoft-365/enterprise/m365-dr-workload-purview.md"})
				if err != nil {
					t.Fatal(err)
				}
				return p
			}
			pa, pb := extract(tc.old), extract(tc.new)
			if len(pa.References) == 0 || len(pb.References) == 0 {
				t.Fatalf("no pointer read: %+v / %+v", pa.References, pb.References)
			}
			got := Compare(pa, pb, Options{Lineage: "m365-dr-workload-purview", Key: "1..2", OldSource: []byte(tc.old), NewSource: []byte(tc.new),
				Similar: serviceid.Similar, Profile: prof, Aliases: reg})
			changed := false
			for _, c := range got {
				changed = changed || c.Severity >= Medium
				t.Logf("%s %s %q %s: %s", c.Severity, c.Kind, c.Service, c.Scope, c.Detail)
			}
			if changed != tc.changed {
				t.Errorf("a medium or high change: %v, want %v", changed, tc.changed)
			}
		})
	}
}
