package extractor

import (
	"strings"
	"testing"

	"github.com/residiff/residiff/source/entra"
)

// TestCustomerScope checks class F of AUDIT.md: a record made for a table
// row keyed by the customers' region or cloud, or for "the following
// countries" a lead-in lists, is judged against those customers' places,
// not against the page's region. Rows and lists from the real corpus,
// and the same with the places swapped.
func TestCustomerScope(t *testing.T) {
	const sovereign = "# Data residency and customer data for Azure AD multifactor authentication\n\n## Multifactor authentication activity reports for sovereign clouds\n\n" +
		"| Sovereign cloud | Sign-in logs | Multifactor authentication activity report | Multifactor authentication service logs |\n|---|---|---|---|\n%s\n"
	const b2c = "# Azure Active Directory B2C: Region availability & data residency\n\n## Data residency\n\nData resides in the **%s** for the following countries/regions:\n\n> %s\n"
	cases := []struct {
		name, md string
		sub      string
		want     Category
	}{
		{"government cloud all in the US", strings.Replace(sovereign, "%s", "| Microsoft Government Cloud | United States | United States | United States |", 1), "Microsoft Government Cloud", InRegion},
		{"government cloud with a cell in Europe", strings.Replace(sovereign, "%s", "| Microsoft Government Cloud | United States | Europe | United States |", 1), "Microsoft Government Cloud", Outside},
		{"21Vianet cloud reporting to the US", strings.Replace(sovereign, "%s", "| Microsoft Azure operated by 21Vianet | China | United States | United States |", 1), "Microsoft Azure operated by 21Vianet", Outside},
		{"21Vianet cloud all in China", strings.Replace(sovereign, "%s", "| Microsoft Azure operated by 21Vianet | China | China | China |", 1), "Microsoft Azure operated by 21Vianet", InRegion},
		{"US data for the US and its neighbours", replace2(b2c, "United States", "United States (US), Canada (CA), Mexico (MX)"), "United States", InRegion},
		{"European data for European countries", replace2(b2c, "Europe", "Austria (AT), Germany (DE), France (FR)"), "Europe", InRegion},
		{"US data for European countries", replace2(b2c, "United States", "Austria (AT), Germany (DE), France (FR)"), "United States", Outside},
		{"European data for Japan and its neighbours", replace2(b2c, "Europe", "Japan (JP), Korea (KR), Taiwan (TW)"), "Europe", Outside},
		{"countries the profile does not place", replace2(b2c, "Europe", "Norway (NO), Poland (PL), Spain (ES)"), "Europe", InRegion},
	}
	prof, reg := entra.Profile(), entra.Register()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			pg, err := Extract([]byte(c.md), Options{Profile: prof, Aliases: reg, Path: "docs/scope.md"})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, r := range pg.Records {
				got = append(got, r.SubScope+"="+string(r.Category))
				if r.SubScope == c.sub {
					if r.Category != c.want {
						t.Fatalf("record for %q is %s, want %s (%+v)", c.sub, r.Category, c.want, r)
					}
					return
				}
			}
			t.Fatalf("no record with sub_scope %q: %v", c.sub, got)
		})
	}
}

func replace2(s, a, b string) string {
	return strings.Replace(strings.Replace(s, "%s", a, 1), "%s", b, 1)
}

// TestPlaceListSites checks that a list of places after a lead-in is a
// claim site with its lead-in's disposition (AUDIT.md: the B2C country
// callouts, the Go-Local countries, the regions of Azure AD), and that a
// non-transfer sentence speaking of data is a site (EU 2018-04-23 L49).
// Text from the real corpus.
func TestPlaceListSites(t *testing.T) {
	const page = "# Azure Active Directory B2C: Region availability & data residency\n\n## Data residency\n\n%s\n"
	cases := []struct {
		name, md, text string
		want           Disposition
		reason         string
		records        int
	}{
		{"country callout under a record", "Data resides in **Europe** for the following countries/regions:\n\n> Algeria (DZ), Austria (AT), Germany (DE)",
			"Algeria (DZ), Austria (AT), Germany (DE)", StatedInRegion, "", 1},
		{"countries being added: the customer picks", "The following countries/regions are in the process of being added to the list. For now, you can still use Azure AD B2C by picking any of the countries/regions above.\n\n> Argentina, Australia, Brazil, Chile",
			"Argentina, Australia, Brazil, Chile", NotTransfer, "conditional", 0},
		{"the picking sentence", "The following countries/regions are in the process of being added to the list. For now, you can still use Azure AD B2C by picking any of the countries/regions above.\n\n> Argentina, Australia, Brazil, Chile",
			"For now, you can still use Azure AD B2C by picking any of the countries/regions above", NotTransfer, "conditional", 0},
		{"Go-Local countries", "At the moment, the following countries/regions have the local data residence option:\n\n- Japan\n\n- Australia",
			"Japan", NotTransfer, "conditional", 0},
		{"regions a service has", "Currently Azure AD has the following regions:\n\n* North America\n* Europe, Middle East, and Africa (EMEA)\n* Worldwide",
			"Europe, Middle East, and Africa (EMEA)", NotTransfer, "availability", 0},
		{"geo-locations of the customer's choice", "The location selected during tenant creation will map to one of the following geo-locations:\n\n* Australia\n* Asia/Pacific\n* Japan",
			"Asia/Pacific", StatedInRegion, "", 0},
		{"advice about data storage", "- **Apps that integrate with Azure AD.** Any apps that integrate with Azure AD have access to identity data. Customers must evaluate each app to determine how the apps treat identity data and whether they meet the company's data storage requirements.",
			"Apps that integrate with Azure AD. Any apps that integrate with Azure AD have access to identity data. Customers must evaluate each app to determine how the apps treat identity data and whether they meet the company's data storage requirements.", NotTransfer, "advice", 0},
		{"advice sentence with one data word", "> [!NOTE]\n> Services and applications that integrate with Microsoft Entra ID have access to customer data. Evaluate each one against your data storage requirements.",
			"Evaluate each one against your data storage requirements", NotTransfer, "advice", 0},
		{"services are no place list", "Azure AD keeps identity data for these services within Australian datacenters:\n\n- Authentication\n- Directory management",
			"", "", "", 0},
	}
	prof, reg := entra.Profile(), entra.Register()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			src := strings.Replace(page, "%s", c.md, 1)
			pg, err := Extract([]byte(src), Options{Profile: prof, Aliases: reg, Path: "docs/places.md"})
			if err != nil {
				t.Fatal(err)
			}
			if c.text == "" {
				for _, cl := range pg.Claims {
					if cl.Kind == "item" && cl.Disposition != AsRecord && cl.Disposition != StatedInRegion {
						t.Fatalf("item %q is a site %s %q: a service list is no place list", cl.Text, cl.Disposition, cl.Reason)
					}
				}
				return
			}
			var texts []string
			for _, cl := range pg.Claims {
				texts = append(texts, cl.Text)
				if cl.Text != c.text {
					continue
				}
				if cl.Disposition != c.want || cl.Reason != c.reason || len(cl.Records) != c.records {
					t.Fatalf("%q: %s %q records %v, want %s %q with %d records", c.text, cl.Disposition, cl.Reason, cl.Records, c.want, c.reason, c.records)
				}
				for _, w := range pg.Warnings {
					if w.Kind == UnreadClaim {
						t.Fatalf("unexpected warning %s", w.Message)
					}
				}
				return
			}
			t.Fatalf("%q is no claim site; sites: %q", c.text, texts)
		})
	}
}
