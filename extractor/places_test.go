package extractor

import (
	"testing"

	"github.com/residiff/residiff/source/entra"
)

// TestPlacesCanonical: a record's location and processing read from a
// claim write each place by its canonical profile name, once, so that
// rewording a place ("US datacenters" → "U.S. datacenters") changes no
// field; relative places are kept as written and a phrase that names no
// place is no value (AUDIT.md class A; corpus sites cited per case).
func TestPlacesCanonical(t *testing.T) {
	const eu = "# Customer data storage and processing for European customers in Azure Active Directory\n\n"
	for _, tc := range []struct {
		name, page       string
		service          string
		rest, processing string
	}{
		{"US datacenters (EU 2018-04-23 L45)",
			eu + "- **Azure AD B2B** - Azure AD B2B stores a set of metadata in tables within the US datacenters.\n",
			"Azure AD B2B", "United States", ""},
		{"U.S. datacenters (EU 2018-05-01 L58)",
			eu + "- **Azure AD B2B** - Azure AD B2B stores a set of metadata in tables within the U.S. datacenters.\n",
			"Azure AD B2B", "United States", ""},
		{"two spellings, one place (EU 2022-08-17 L38)",
			eu + "## Azure AD B2B\n\nAzure AD B2B stores invitations in US datacenters. It also stores the e-mail addresses of unsubscribed users in U.S. datacenters.\n",
			"Azure AD B2B", "United States", ""},
		{"globally (Japan 2022-08-08 L24)",
			"# Customer data storage for Japan customers in Microsoft Entra ID\n\nFor example, Microsoft Entra multifactor authentication stores Customer Data in the US and processes it globally.\n",
			"Microsoft Entra multifactor authentication", "United States", "Global"},
		{"continental United States (data-residency 2022-12-05 L60)",
			eu + "## Azure AD B2C\n\nAzure AD B2C stores authentication data at rest in the continental United States.\n",
			"Azure AD B2C", "United States", ""},
		{"relative places kept, global providers global (MFA 2021-06-03 L27)",
			eu + "## Multifactor authentication\n\nMultifactor authentication SMS and phone calls originate from datacenters in the customer's region and are routed by global providers.\n",
			"Multifactor authentication", "", "Global, in the customer's region"},
		{"outside of a place (ANZ 2019-12-13 L31)",
			"# Customer data storage for Australian and New Zealand customers in Azure Active Directory\n\n## Multifactor authentication\n\nIf customers use MFA, their data will be stored outside of Australia datacenters.\n",
			"Multifactor authentication", "outside Australia", ""},
		{"geo-location names no place (data-residency 2023-03-21 L45)",
			"# Azure Active Directory and data residency\n\n## Directory Core Store\n\nAzure AD handles Core Store data based on usability, performance, residency and/or other requirements based on geo-location.\n",
			"Directory Core Store", "", ""},
		{"two scopes in one region, two places (EU 2023-08-17 L81)",
			eu + "## Optional capabilities\n\n* **Application Proxy** - Allows customers to access their on-premises web applications externally. Customers may choose advanced routing configurations that allow customer data to egress outside of the EU Data Residency and EU Data Boundary, including user account data.\n",
			"Application Proxy", "outside EU Data Residency, outside EU Data Boundary", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			pg, err := Extract([]byte(tc.page), Options{Path: "page.md", Profile: entra.Profile(), Aliases: entra.Register()})
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range pg.Records {
				if r.Service == tc.service {
					if r.LocationAtRest != tc.rest || r.Processing != tc.processing {
						t.Errorf("%s: at rest %q, processing %q; want %q, %q", r.Service, r.LocationAtRest, r.Processing, tc.rest, tc.processing)
					}
					return
				}
			}
			t.Errorf("no record for %q: %+v", tc.service, pg.Records)
		})
	}
}
