package differ

import (
	"slices"
	"testing"

	"github.com/residiff/residiff/extractor"

	"github.com/residiff/residiff/source/entra"
	"github.com/residiff/residiff/source/m365"
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
		{"Azure AD B2B stores metadata in the US.", "Azure AD B2B stores its metadata in the US.", true},
		// B2C is another service of the profile than B2B: named things
		// are facts (TestWordingNames).
		{"Azure AD B2B stores metadata in the US.", "Azure AD B2C stores metadata in the US.", false},
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

// TestWordingNames (BLIND3 class 11): a service of the profile, a scope or
// a capitalised name in a list added to or removed from a claim is a
// change of what it says, whatever else stays; the product's own names
// (a rename of the product), a service under another of its names, a
// defined term written with or without its capital and a capitalised
// word outside a list are wording (blind2 class 14: a wording-only edit
// stays editorial).
func TestWordingNames(t *testing.T) {
	for _, tc := range []struct {
		name string
		m365 bool
		a, b string
		want bool
	}{
		// fixtures/m365/blind3 multi-geo 2024-10-07:24 → 2025-09-26:28 (E3).
		{"services added", true,
			"Multi-Geo enables customers to manage data-at-rest locations at a granular level for their users, SharePoint sites, Microsoft 365 Groups, and Microsoft Teams teams level",
			"Multi-Geo enables customers to manage and store in-scope data at a user level for Microsoft 365 Core Services including Exchange Online, SharePoint/OneDrive, Microsoft Teams, and Microsoft 365 Copilot and Copilot Chat", false},
		{"service removed", true,
			"The larger services, like Exchange Online, SharePoint and OneDrive are universally deployed to all Geographies",
			"The larger services, like Exchange Online and SharePoint are universally deployed to all Geographies", false},
		// blind3 spo 2022-10-14:460 → 2024-02-29:540 (E5).
		{"list member added", true,
			"Private channels remain in the original Geography",
			"Sites backing Private and Shared Channels remain in the original Geography", false},
		{"scope changed", true,
			"Teams chat data is stored in the Local Region Geography under Advanced Data Residency.",
			"Teams chat data is stored in the Local Region Geography under Multi-Geo.", false},
		// The same service under another of its names, the same pair.
		{"service respelled", true,
			"Files uploaded to SharePoint Online and OneDrive for Business are stored in the Local Region Geography.",
			"Files uploaded to SharePoint/OneDrive are stored in the Local Region Geography.", true},
		{"service with and without its prefix", true,
			"Teams chat data is stored in the Local Region Geography.",
			"Microsoft Teams chat data is stored in the Local Region Geography.", true},
		// blind2 mdo-p1 2022-09-20:70 → 2025-02-11:72.
		{"typo and contraction", true,
			"EOP customer data migrates after ADR migration is initated. MDO P1 does not have customer data to migrate.",
			"EOP customer data migrates after ADR migration is initiated. MDO P1 doesn't have customer data to migrate.", true},
		// blind3 multi-geo 2024-10-07:39 → 2025-09-26:41 (its second sentence).
		{"defined term capitalised", true,
			"Because your Tenant information is mastered in the cloud and synchronized into each geo location, sharing involving anyone from your company contain global awareness.",
			"Because a customer's Tenant information is mastered in the cloud and synchronized into each Geography location, sharing involving anyone from a customer's organization contain global awareness.", true},
		{"name capitalised in one version", true,
			"Sites of private and shared channels remain in the original Geography.",
			"Sites of Private and Shared Channels remain in the original Geography.", true},
		// Entra real history (data-storage-japan 2022-04-12 → 2022-08-08):
		// the product renamed.
		{"product renamed", false,
			"For example, Microsoft Azure AD Multi-Factor Authentication stores Customer Data in the US and processes it globally.",
			"For example, Microsoft Entra multifactor authentication stores Customer Data in the US and processes it globally.", true},
		{"channel added", false,
			"Multifactor authentication phone calls originate from datacenters in the customer's region and are routed by global providers",
			"Multifactor authentication SMS and phone calls originate from datacenters in the customer's region and are routed by global providers", false},
	} {
		p := entra.Profile()
		if tc.m365 {
			p = m365.Profile()
		}
		if got := Wording(p, "Local Region Geography", tc.a, tc.b); got != tc.want {
			t.Errorf("%s: Wording(%q, %q) = %v, want %v", tc.name, tc.a, tc.b, got, tc.want)
		}
		if got := Wording(p, "Local Region Geography", tc.b, tc.a); got != tc.want {
			t.Errorf("%s, reversed: Wording = %v, want %v", tc.name, got, tc.want)
		}
	}
}

// TestWordingRelationNames (BLIND3 class 13): a capitalised word after a
// relation word is an unknown place only when the profile knows it as
// nothing else (a service, a scope, the product, a month), and an
// ordinal day is the same number as the cardinal one.
func TestWordingRelationNames(t *testing.T) {
	p := m365.Profile()
	for _, tc := range []struct {
		a, b string
		want bool
	}{
		// blind3 legacy 2022-09-20:66 → 2025-02-11:64.
		{"Customers who requested a migration in the legacy Move Program prior to November 1st, 2022, will continue being migrated.",
			"Customers who requested a migration in the legacy Move Program prior to November 1, 2022, will continue being migrated.", true},
		{"Customers who requested a migration prior to November 1st, 2022, will continue being migrated.",
			"Customers who requested a migration prior to November 2nd, 2022, will continue being migrated.", false},
		// blind3 multi-geo 2024-10-07:35 → 2025-09-26:37.
		{"For a video introduction to Microsoft 365 Multi-Geo, see SharePoint and OneDrive Multi-Geo to control where your data resides.",
			"For a video introduction on Microsoft 365 Multi-Geo, see SharePoint and OneDrive Multi-Geo to control where your data resides.", true},
		{"Files uploaded to SharePoint Online are stored in the Local Region Geography.",
			"Files uploaded into SharePoint are stored in the Local Region Geography.", true},
		// BLIND3 class 15: the provider's older name of a place
		// (multi-geo 2024-10-07:39 → 2025-09-26:41), from its profile.
		{"In a Multi-Geo environment, your Microsoft 365 Tenant consists of a central location (where your Microsoft 365 subscription was originally provisioned) and one or more satellite locations.",
			"In a Multi-Geo environment, a Microsoft 365 Tenant consists of a Primary Provisioned Geography (where a customer's Microsoft 365 subscription was originally provisioned) and one or more Satellite Geography locations.", true},
		{"Files are stored in the Primary Provisioned Geography.", "Files are stored in a Satellite Geography.", false},
		// A capitalised word the profile does not know stays a place.
		{"Files are stored in Contoso.", "Files are stored in Fabrikam.", false},
	} {
		if got := Wording(p, "Local Region Geography", tc.a, tc.b); got != tc.want {
			t.Errorf("Wording(%q, %q) = %v, want %v (%v | %v)", tc.a, tc.b, got, tc.want,
				claimFacts(p, "Local Region Geography", tc.a), claimFacts(p, "Local Region Geography", tc.b))
		}
	}
}

// TestHeadingOverUnreadPage (BLIND3 class 16): a page read in neither
// version that gains a heading over sentences both versions warn of is
// not newly blind: no extraction_drift, the edit is editorial. A page the
// old version read that the new one cannot is still news.
func TestHeadingOverUnreadPage(t *testing.T) {
	pointer := "Refer to the ADR Commitments page for the specific Customer Data at rest commitment for Data Retention"
	page := func(understood bool, heading string) *extractor.Page {
		p := &extractor.Page{Page: "purview", Region: "Local Region Geography",
			Claims:   []extractor.Claim{{Line: 10, Kind: "sentence", Text: pointer, Disposition: extractor.Unread}},
			Warnings: []extractor.Warning{{Line: 10, Kind: extractor.UnreadClaim, Message: "not read"}}}
		if !understood {
			p.Warnings = append(p.Warnings, extractor.Warning{Line: 1, Kind: extractor.UnrecognisedPage, Message: "no records"})
		}
		if heading != "" {
			p.Warnings = append(p.Warnings, extractor.Warning{Line: 8, Kind: extractor.UnrecognisedSection, Section: heading, Message: "nothing read"})
		}
		return p
	}
	for _, tc := range []struct {
		name     string
		old, new *extractor.Page
		drift    bool
	}{
		{"heading added, page unread in both", page(false, ""), page(false, "Data Retention:"), false},
		{"section unread in a page read before", page(true, ""), page(true, "Data Retention:"), true},
	} {
		cs := Compare(tc.old, tc.new, Options{Lineage: "purview", Key: "k", OldSource: []byte("a\n" + pointer), NewSource: []byte("a\n#### Data Retention:\n" + pointer),
			Profile: m365.Profile()})
		drift := slices.ContainsFunc(cs, func(c Change) bool { return c.Kind == ExtractionDrift })
		if drift != tc.drift {
			t.Errorf("%s: extraction_drift = %v, want %v (%v)", tc.name, drift, tc.drift, cs)
		}
	}
}
