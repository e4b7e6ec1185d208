package differ

import (
	"testing"

	"github.com/residiff/residiff/extractor"

	"github.com/residiff/residiff/source/entra"
)

func TestAbbrevEqual(t *testing.T) {
	for _, tc := range []struct {
		x, y string
		want bool
	}{
		{"Cloud MFA", "Cloud multifactor authentication", true},
		{"Cloud MFA", "Cloud multifactor authentication (MFA)", true},
		{"MFA server", "multifactor authentication (MFA) server", true},
		{"Azure AD", "Azure Active Directory", true},
		{"SSPR", "self-service password reset", true},
		{"OATH software and hardware tokens", "Oath software and hardware tokens", true},
		{"Azure AD", "Azure Active Directory B2C", false}, // B2C is no letter of AD
		{"Azure AD B2B", "Azure AD B2C", false},
		{"MFA server", "Cloud MFA", false},
		{"Cloud MFA", "Cloud management", false},
	} {
		if got := abbrevEqual(tc.x, tc.y); got != tc.want {
			t.Errorf("abbrevEqual(%q, %q) = %v, want %v", tc.x, tc.y, got, tc.want)
		}
		if got := abbrevEqual(tc.y, tc.x); got != tc.want {
			t.Errorf("abbrevEqual(%q, %q) = %v, want %v", tc.y, tc.x, got, tc.want)
		}
	}
}

func TestFoldClaimRendered(t *testing.T) {
	for _, tc := range []struct{ a, b string }{
		{"Go to the [map](https://datacenters.microsoft.com/globe) for more", "Go to the [map](https://data centers.microsoft.com/globe) for more"},
		{"<tr><td>Application identifier</td></tr>", "Application identifier"},
		{"**Services** - MFA", "Services - MFA"},
	} {
		if foldClaim(tc.a) != foldClaim(tc.b) {
			t.Errorf("foldClaim(%q) = %q, foldClaim(%q) = %q: want equal", tc.a, foldClaim(tc.a), tc.b, foldClaim(tc.b))
		}
	}
}

func TestWordingApposition(t *testing.T) {
	p := entra.Profile()
	for _, tc := range []struct {
		a, b string
		want bool
	}{
		{"info is replicated to the United States (US).", "info is replicated to the United States (the United States).", true},
		{"data is stored in multiple datacenters in the region", "data is stored in multiple data centers in the region", true},
		{"info is replicated to the United States (US).", "info is replicated to the United States and Europe.", false},
	} {
		if got := Wording(p, "Europe", tc.a, tc.b); got != tc.want {
			t.Errorf("Wording(%q, %q) = %v, want %v", tc.a, tc.b, got, tc.want)
		}
	}
}

// TestWordingNumbers: numbers that measure (years, days of a month,
// durations, percentages) are facts; numbers that count are compared only
// when both sentences count; digits inside a name are no number.
func TestWordingNumbers(t *testing.T) {
	p := entra.Profile()
	for _, tc := range []struct {
		a, b string
		want bool
	}{
		{"Some logs are stored in the US for 30 days.", "Some logs are stored in the US for 60 days.", false},
		{"Some logs are stored in the US for 30 days.", "Some logs are stored in the US.", false},
		{"Tenants created before March 2019 are stored in the US.", "Tenants created before March 2020 are stored in the US.", false},
		{"Up to 100% of the data is stored in the US.", "Up to 50% of the data is stored in the US.", false},
		{"A small number of tenants [63] created in the EU were stored in the US.", "A small number of tenants created in the EU were stored in the US.", true},
		{"52 tenants are stored in the US.", "37 tenants are stored in the US.", false},
		{"Azure AD B2B stores metadata in the US.", "Azure AD B2C stores metadata in the US.", true},
	} {
		if got := Wording(p, "Europe", tc.a, tc.b); got != tc.want {
			t.Errorf("Wording(%q, %q) = %v, want %v", tc.a, tc.b, got, tc.want)
		}
	}
}

// TestLocationFields: a location field's places are a set per fact block;
// an order of places each with its own relation is a role, compared only
// when both values state roles; counts likewise.
func TestLocationFields(t *testing.T) {
	an := &anchorer{a: &claimSet{}, b: &claimSet{}, opts: Options{Profile: entra.Profile()}, facts: map[string][]string{}}
	for _, tc := range []struct {
		a, b string
		want bool
	}{
		{"13 in AS (Asia/Pacific {Seoul, Singapore, Busan}), 50 in US. | US", "US | US and Asia/Pacific.", true},
		{"US and Asia/Pacific", "Asia/Pacific and US", true},
		{"52 in US, 14 in Asia/Pacific", "37 in US, 14 in Asia/Pacific", false},
		{"Primary copy in the US, with a replica in Asia/Pacific.", "Primary copy in Asia/Pacific, with a replica in the US.", false},
		{"In EU Data Boundary; backup copies outside the EU Data Boundary", "Outside the EU Data Boundary; backup copies in EU Data Boundary", false},
		{"US | US and Asia/Pacific", "US | Asia/Pacific", false},
		{"US", "US and Asia/Pacific", false},
		{"Europe", "outside of Europe", false},
	} {
		got := an.reworded([]FieldChange{{Field: "location_at_rest", Before: tc.a, After: tc.b}}, func(FieldChange) bool { return false })
		if got != tc.want {
			t.Errorf("location %q → %q reworded = %v, want %v (%q, %q)", tc.a, tc.b, got, tc.want, an.placeFacts(tc.a), an.placeFacts(tc.b))
		}
	}
}

// TestStillStated: a data_types field the newer reading left empty is no
// change of facts while the newer sentences of the service still name
// every word of the old value; one word gone, or a value that is not
// emptied, is.
func TestStillStated(t *testing.T) {
	page := &extractor.Page{
		Records: []extractor.Record{{Service: "Microsoft Defender for Office P1", ServiceID: "mdo", Scope: "Advanced Data Residency"}},
		Claims: []extractor.Claim{{Line: 50, Text: "Exchange Online Protection (EOP). The following customer data will be stored at rest in the Local Region Geography: " +
			"Service configuration data and policies, quarantined email and attachments, junk email, and alerts", Records: []int{0}}},
	}
	an := &anchorer{a: &claimSet{}, b: &claimSet{page: page, claims: page.Claims}, opts: Options{Profile: entra.Profile()}}
	c := Change{Kind: FieldsChanged, ServiceID: "mdo", Scope: "Advanced Data Residency", Line: 50}
	for _, tc := range []struct {
		before, after string
		want          bool
	}{
		{"EOP service configuration data and policies; Quarantined email and attachments; Junk email; Alerts", "", true},
		{"EOP service configuration data and policies; Quarantined email and attachments; Junk email; Alerts; Spam domains", "", false},
		{"EOP service configuration data and policies", "Junk email", false},
		{"", "", false},
	} {
		f := FieldChange{Field: "data_types", Before: tc.before, After: tc.after}
		if got := an.stillStated(c)(f); got != tc.want {
			t.Errorf("stillStated(%q → %q) = %v, want %v", tc.before, tc.after, got, tc.want)
		}
	}
	if an.stillStated(c)(FieldChange{Field: "location_at_rest", Before: "Local Region Geography"}) {
		t.Error("stillStated holds a location field")
	}
}
