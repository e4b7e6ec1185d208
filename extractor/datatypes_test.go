package extractor

import (
	"slices"
	"testing"

	"github.com/residiff/residiff/source/entra"
)

// TestDataPhrase: a claim's data types are the noun phrase its residency
// verb moves — subject in the passive, object in the active, a pronoun's
// antecedent, with what "its/this … include(s)" adds (corpus: EU 2018-04-23
// L41–45, 2022-08-17 L46, 2023-08-17.2 L56 and L71, Japan 2022-04-12 L25).
// Sentences from the pages, and rewordings that must read the same.
func TestDataPhrase(t *testing.T) {
	p := entra.Profile()
	inEurope := func(place string) bool { return place == "Europe" }
	for _, tc := range []struct {
		sentence string
		want     []string
	}{
		{"Azure AD B2B stores a set of metadata in tables within the US datacenters.", []string{"a set of metadata"}},
		{"All policy configuration data is currently stored only in the US.", []string{"All policy configuration data"}},
		{"Role definitions, role assignments, and deny assignments are stored globally to ensure that you have access.", []string{"Role definitions, role assignments, and deny assignments"}},
		{"Azure RBAC data is globally synced and its entities include role assignments and role definitions.", []string{"Azure RBAC data: role assignments and role definitions"}},
		{"When an IP Address or phone number is determined to be used in fraudulent activities, they're published globally to block access.", []string{"an IP Address or phone number"}},
		{"From April 15, 2022 to June 30, 2022 a backup copy of the Azure AD’s Customer Data for these new tenants will be stored in Asia.", []string{"a backup copy of the Azure AD’s Customer Data"}},
		// The customers the data is for say whose data, not which.
		{"From February 26, 2020, Microsoft began storing Azure AD’s Customer Data for new tenants with an Australian or New Zealand billing address within the Australian datacenters.", []string{"Azure AD’s Customer Data"}},
		// A participle and its preposition belong to the noun before
		// them (m365 Viva Connections); a verb of residency does not.
		{"All customer data sourced from these services covered by data residency commitments will be stored in the Local Region Geography.", []string{"All customer data sourced from these services covered by data residency commitments"}},
		{"For existing teams, if an administrator adds or modifies the PDL for the Microsoft 365 group that backs a team, that team's channel messaging data is added to a migration queue to be moved to the specified Local Region Geography location.", nil},
		// The product's own sentences name their data (class Bp).
		{"Additionally, there is some operational, service-specific data that's required for normal Azure AD operation, which is stored in the U.S. and doesn't include any personal data.", []string{"some operational, service-specific data that's required for normal Azure AD operation"}},
		{"(2) Authentication data: Tenants outside the national clouds have authentication information at rest in the continental United States.", []string{"authentication information"}},
		{"All other Azure AD premium services store customer data in global datacenters.", []string{"customer data"}},
		{"Customers may choose advanced routing configurations that allow customer data to egress outside of the EU Data Residency, including user account data, usage data, and application configuration data.", []string{"customer data: user account data, usage data, and application configuration data"}},
		{"In addition, email address of users that unsubscribe from receiving B2B invitations are also stored in U.S. datacenters.", []string{"email address of users that unsubscribe from receiving B2B invitations"}},
		// The same data, active or passive, owner named or not.
		{"Microsoft Entra multifactor authentication stores Customer Data in the US and processes it globally.", []string{"Customer Data"}},
		{"Customer Data for Microsoft Entra multifactor authentication is stored in the United States.", []string{"Customer Data"}},
		// No data named: a service or a request is no data type.
		{"Multi-factor authentication requests are processed in EU datacenters.", nil},
		{"Microsoft Entra ID stores in the US.", nil},
		{"Data resides in Europe for the following countries/regions:", nil},
		{"For example, Microsoft Entra multifactor authentication stores the data in the US.", nil},
	} {
		st := readStatement(p, tc.sentence, inEurope)
		if !slices.Equal(st.data, tc.want) {
			t.Errorf("%q: data %q; want %q", tc.sentence, st.data, tc.want)
		}
	}
}

// TestItemData: an item that sends data out names the data that leaves,
// not the data it keeps inside, and "This table includes …" adds to it
// (corpus: data-storage-eu 2018-04-23 L39, L45).
func TestItemData(t *testing.T) {
	for _, tc := range []struct {
		item, want string
	}{
		{"Multi-factor authentication stores all at-rest customer data in European datacenters. However, second-factor authentication and its related personal data can be completed in the US while using MFA or SSPR. Some MFA and SSPR logs may also be stored in the US for 30 days.",
			"second-factor authentication and its related personal data; Some MFA and SSPR logs"},
		{"Azure AD B2B stores a set of metadata in tables within the US datacenters. This table includes fields like invitationId, redeemUrl, and so on. It doesn't include any personal data.",
			"a set of metadata: fields like invitationId, redeemUrl, and so on"},
	} {
		src := "# Data storage for European customers\n\n## Exceptions\n\nThe following services store data outside of Europe:\n\n- **Service X.** " + tc.item + "\n"
		pg, err := Extract([]byte(src), Options{Page: "data-storage-eu", Profile: entra.Profile(), Aliases: entra.Register()})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, r := range pg.Records {
			got = append(got, r.DataTypes)
		}
		if !slices.Contains(got, tc.want) {
			t.Errorf("%q: data types %q; want %q", tc.item, got, tc.want)
		}
	}
}
