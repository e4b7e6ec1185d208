package source

import (
	"os"
	"testing"
)

// TestNeedles checks the quick pre-check of the Entra profile: every
// location and scope match holds one of the needles, so texts without
// them are ruled out without running the expressions.
func TestNeedles(t *testing.T) {
	data, err := os.ReadFile("entra/profile.yaml")
	if err != nil {
		t.Fatal(err)
	}
	p, err := Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.locationNeedles) == 0 || len(p.scopeNeedles) == 0 {
		t.Fatalf("no needles: locations %q, scopes %q", p.locationNeedles, p.scopeNeedles)
	}
	for _, s := range []string{"stored in the continental United States", "U.S. datacenters", "Asia/Pacific", "New Zealand", "in Japanese datacenters", "USA"} {
		if len(p.LocationsIn(s)) == 0 {
			t.Errorf("LocationsIn(%q) found nothing (needles %q)", s, p.locationNeedles)
		}
	}
	for _, s := range []string{"the EU Customer Data Boundary", "EUDB", "eu data residency"} {
		if len(p.ScopesIn(s)) == 0 {
			t.Errorf("ScopesIn(%q) found nothing (needles %q)", s, p.scopeNeedles)
		}
	}
	if len(p.LocationsIn("a sentence with no place at all")) != 0 {
		t.Error("found a place in a sentence with none")
	}
}
