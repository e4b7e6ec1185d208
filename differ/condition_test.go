package differ

import (
	"strings"
	"testing"

	"github.com/residiff/residiff/extractor"
	"github.com/residiff/residiff/serviceid"
	"github.com/residiff/residiff/source/m365"
)

// TestConditionChanged: a condition of a commitment (an item or paragraph
// a "Required Conditions:" lead-in governs) that changes beyond its
// wording — whom it names, a number, a negation, its modality, a scope —
// is a medium claim_changed labelled with the commitment's scope (the
// heading it stands under) and service (its records', else the one its
// pointer names), whether or not it names a place; a condition
// added or removed is one too; a wording edit (plural, an abbreviation
// given, a term in italics or capitals, a hyphen) is none (BLIND4.md class
// 9: E2 was one low editorial; BLIND3.md class 17 counted false alerts).
func TestConditionChanged(t *testing.T) {
	prof, reg := m365.Profile(), m365.Register()
	const (
		stored  = "The Exchange Online mailbox content shall be stored in the assigned _Satellite Geography_."
		pointer = "Please refer to the [ADR commitment page](m365-dr-commitments.md#exchange-online) to understand the specific commitments."
	)
	page := func(scope, conds, commitment string) string {
		return "---\ntitle: Data Residency for Exchange Online\nms.date: 09/20/2022\n---\n\n# Data Residency for Exchange Online\n\n" +
			"## Data Residency Commitments Available\n\n### " + scope + " add-on\n\nRequired Conditions:\n\n" + conds +
			"\n**Commitment:**\n\n" + commitment + "\n"
	}
	const (
		sub   = "1. Tenants have a valid Multi-Geo subscription that covers all users assigned to a _Satellite Geography_.\n"
		ea    = "1. Customer must have an active Enterprise Agreement.\n"
		units = "1. Total purchased Multi-Geo units must be greater than 5% of the total eligible users in the tenant.\n"
	)
	for _, tc := range []struct {
		name, old, new string
		changed        bool // a medium claim_changed of scope Multi-Geo
	}{
		{"E2: the condition now for EA purchasers", sub + ea + units,
			sub + "1. Customers purchasing Multi‑Geo through the Enterprise Agreement (EA) licensing program must maintain an active Enterprise Agreement.\n" + units, true},
		{"a number changed", sub + ea + units, sub + ea + strings.Replace(units, "5%", "10%", 1), true},
		{"a negation", sub + ea + units, sub + "1. Customer must not have an active Enterprise Agreement.\n" + units, true},
		{"modality", sub + ea + units, sub + "1. Customer may have an active Enterprise Agreement.\n" + units, true},
		{"another agreement named", sub + ea + units, sub + "1. Customer must have an active Microsoft Customer Agreement.\n" + units, true},
		{"a condition added", sub + units, sub + ea + units, true},
		{"a condition removed", sub + ea + units, sub + units, true},
		{"a paragraph condition changed", "Customer must have an active Enterprise Agreement.\n", "Customer must have an active Cloud Solution Provider agreement.\n", true},
		{"plural", sub + ea + units, sub + "1. Customers must have an active Enterprise Agreement.\n" + units, false},
		{"an abbreviation given", sub + ea + units, sub + "1. Customer must have an active Enterprise Agreement (EA).\n" + units, false},
		{"a term in italics and capitals", sub + ea + units, sub + ea + strings.Replace(units, "the tenant", "the _Tenant_", 1), false},
		{"a doubled phrase removed", sub + ea + "1. Total purchased Multi-Geo units must be greater than 5% of the total eligible users in the tenant. total eligible users in the tenant.\n",
			sub + ea + strings.Replace(units, "the tenant", "the _Tenant_", 1), false},
		{"a hyphen", sub + ea + units, strings.Replace(sub, "Multi-Geo", "Multi‑Geo", 1) + ea + units, false},
		// The service of a commitment given by pointer: the pointer's.
		{"a condition of a commitment by pointer", "1. Tenant has a valid Advanced Data Residency subscription for all users in the tenant\n",
			"1. Tenant has a valid Advanced Data Residency subscription for 80% of the users in the tenant\n", true},
	} {
		scope, commitment := "Multi-Geo", stored
		if strings.Contains(tc.old, "Advanced Data Residency") {
			scope, commitment = "Advanced Data Residency", pointer
		}
		t.Run(tc.name, func(t *testing.T) {
			extract := func(src string) *extractor.Page {
				p, err := extractor.Extract([]byte(src), extractor.Options{Profile: prof, Aliases: reg, Path: "microsoft-365/enterprise/m365-dr-workload-exo.md"})
				if err != nil {
					t.Fatal(err)
				}
				return p
			}
			a, b := page(scope, tc.old, commitment), page(scope, tc.new, commitment)
			got := Compare(extract(a), extract(b), Options{Lineage: "m365-dr-workload-exo", Key: "1..2", OldSource: []byte(a), NewSource: []byte(b),
				Similar: serviceid.Similar, Profile: prof, Aliases: reg})
			changed := false
			for _, c := range got {
				t.Logf("%s %s %q %s: %s", c.Severity, c.Kind, c.Service, c.Scope, c.Detail)
				if c.Severity >= Medium && (c.Kind != ClaimChanged || c.Scope != scope || c.Service != "Exchange Online" || !strings.Contains(c.Detail, "condition")) {
					t.Errorf("%s %s %q %s: %s; want a claim_changed of a condition, Exchange Online, scope %s", c.Severity, c.Kind, c.Service, c.Scope, c.Detail, scope)
				}
				changed = changed || c.Severity >= Medium
			}
			if changed != tc.changed {
				t.Errorf("a medium or high change: %v, want %v", changed, tc.changed)
			}
		})
	}
}
