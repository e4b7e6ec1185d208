package extractor

import (
	"slices"
	"strings"
	"testing"

	"github.com/residiff/residiff/source/entra"
)

// TestReadingRules checks the rules of classes H, C, E and G of the audit
// (testdata/golden/AUDIT.md) on small pages: each case fails without its
// rule.
func TestReadingRules(t *testing.T) {
	const eu = "# Identity data storage for European customers in Azure Active Directory\n\n"
	const japan = "# Customer data storage for Japan customers in Microsoft Entra ID\n\n"
	const anz = "# Customer data storage for Australian and New Zealand customers in Azure Active Directory\n\n"
	domain := "Azure AD DS stores user data in the same location as the customer-selected Azure Virtual Network. So, if the network is outside Europe, the data is replicated and stored outside Europe."
	tests := []struct {
		name, page string
		// want are the records "service | category | location at rest |
		// processing" of the page, in order.
		want []string
		// unread are the lines of unread claims.
		unread []int
	}{
		{
			name: "H: two sentences of one paragraph under a service heading decide together",
			page: eu + "## Microsoft Azure Active Directory Domain Services (Azure AD DS)\n\n" + domain + "\n",
			want: []string{"Microsoft Azure Active Directory Domain Services (Azure AD DS) | outside | customer-selected, outside Europe | outside Europe"},
		},
		{
			name: "H: the same sentences as a list item under an outside lead-in",
			page: eu + "Data that's not stored in the European datacenters includes:\n\n- **Microsoft Azure Active Directory Domain Services (Azure AD DS)**\n\n    " + domain + "\n",
			want: []string{"Microsoft Azure Active Directory Domain Services (Azure AD DS) | outside | customer-selected, outside Europe | outside Europe"},
		},
		{
			name: "H: a conditional sentence restating a global one adds no record",
			page: anz + "## Microsoft Azure multi-factor authentication (MFA)\n\nMFA service in Azure AD stores Identity Customer Data in global datacenters at rest. If customers use MFA their data will be stored outside of Australia datacenters at rest.\n",
			want: []string{"Microsoft Azure multi-factor authentication (MFA) | global | Global | "},
		},
		{
			name:   "H: a sentence about unnamed features with no list under it is unread",
			page:   japan + "Additionally, certain Microsoft Entra features do not yet support storage of Customer Data in Japan.\n\n## Azure role-based access control (Azure RBAC)\n\nRole definitions and role assignments are stored globally.\n",
			want:   []string{"Azure role-based access control (Azure RBAC) | global | Global | "},
			unread: []int{3},
		},
		{
			name:   "E: data that names its own subject is not the product's",
			page:   eu + "While most identity data stays in European datacenters, there are five user-related attributes that are typically stored in U.S. datacenters. Additionally, there is some operational data that's required for normal Azure AD operation, which is stored in the U.S.\n",
			want:   []string{"Microsoft Entra ID | outside | United States | "},
			unread: []int{3},
		},
		{
			name: "E: a subject ranging over all other services is the product's",
			page: anz + "All other Microsoft Entra services store customer data in global datacenters.\n",
			want: []string{"Microsoft Entra ID | global | Global | "},
		},
		{
			name: "C: a purpose clause's place is not where the data rests",
			page: japan + "From April 15, 2022 to June 30, 2022 a backup copy of the Azure AD’s Customer Data for these new tenants will be stored in Asia to ensure a smooth transition to the Japanese datacenters.\n",
			want: []string{"Microsoft Entra ID | temporary | Asia/Pacific | "},
		},
		{
			name: "C: a nested item's 'outside Europe' is kept in processing",
			page: eu + "Data that's not stored in the European datacenters includes:\n\n- **Microsoft Azure multi-factor authentication (MFA)**\n\n    MFA stores all user data at-rest in European datacenters. However, some MFA service-specific data is stored in the U.S., including:\n\n    - Push notifications using the Microsoft Authenticator app require notifications from the manufacturer's notification service (Apple or Google), which might be outside Europe.\n",
			want: []string{"Microsoft Azure multi-factor authentication (MFA) | outside | United States | outside Europe"},
		},
		{
			name: "G: a row's own 'writes … in the East US region' leaves its in-region cell",
			page: "# Azure AD data residency\n\n| Azure AD component | Description | Data storage location |\n|---|---|---|\n| Azure AD managed identities | The service writes certificates it issues in Azure Cosmos DB in the East US region, which fail over to another region, as needed. | In region |\n",
			// One row, one subject: the transfer, with the cell's place
			// kept (one verdict per key, onekey.go).
			want: []string{"Azure AD managed identities | outside | United States; In region | "},
		},
		{
			name: "G: a row's 'user data copied in other tenants' leaves its in-region cell",
			page: "# Azure AD data residency\n\n| Azure AD component | Description | Data storage location |\n|---|---|---|\n| Azure AD B2B collaboration | Users in a B2B relationship, with another tenant, result in user data copied in other tenants, which might have data residency implications. | In region |\n",
			want: []string{"Azure AD B2B collaboration | outside | in other tenants; In region | "},
		},
		// AUDIT3 class B: a place given as another tenant's location is
		// kept as written, and a place after two joined verbs of
		// storing and processing is where the data rests and where it
		// is processed.
		{
			name: "B: stored and processed in the location of the collaborating tenant",
			page: eu + "## Optional service capabilities that transfer data out of the EU Data Residency and EU Data Boundary\n\n- [Multitenant administration](overview.md): Administrator configuration and use of multitenant collaboration might occur with tenants outside of the EU Data Residency and EU Data Boundary resulting in some customer data, such as user and device account data, being stored and processed in the location of the collaborating tenant.\n",
			want: []string{
				"Multitenant administration | optional | in the location of the collaborating tenant | in the location of the collaborating tenant",
				"Multitenant administration | optional | in the location of the collaborating tenant | in the location of the collaborating tenant",
			},
		},
		{
			name: "B: stores and processes in a named place",
			page: japan + "## Microsoft Entra multifactor authentication\n\nMultifactor authentication stores and processes customer data in the United States.\n",
			want: []string{"Microsoft Entra multifactor authentication | outside | United States | United States"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, err := Extract([]byte(tc.page), Options{Profile: entra.Profile(), Path: "page.md"})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, r := range p.Records {
				got = append(got, strings.Join([]string{r.Service, string(r.Category), r.LocationAtRest, r.Processing}, " | "))
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("records:\n got %q\nwant %q", got, tc.want)
			}
			var unread []int
			for _, c := range p.Claims {
				if c.Disposition == Unread {
					unread = append(unread, c.Line)
					if !slices.ContainsFunc(p.Warnings, func(w Warning) bool { return w.Line == c.Line }) {
						t.Errorf("L%d unread without a warning", c.Line)
					}
				}
			}
			if !slices.Equal(unread, tc.unread) {
				t.Errorf("unread claims at %v, want %v", unread, tc.unread)
			}
		})
	}
}

// TestSectionsReadAsItems checks that a heading naming services, with its
// description under it, is read as the list item with that bold lead and
// that description (class H of the audit, metamorphic relation section):
// the same services, category, fields and dates in both containers. Each
// case fails on the reader that took a heading's paragraph for prose.
func TestSectionsReadAsItems(t *testing.T) {
	const eu = "# Identity data storage for European customers in Azure Active Directory\n\n"
	const anz = "# Customer data storage for Australian and New Zealand customers in Azure Active Directory\n\n"
	const outside = "## Data stored outside of European datacenters for European customers\n\n"
	const lead = "Azure AD data that's not stored in European datacenters includes:\n\n"
	mfa := "Microsoft Azure multi-factor authentication (MFA) and Azure AD self-service password reset (SSPR)"
	tests := []struct {
		name string
		// head is what stands above the item or heading; label and
		// description make the item "- **label.** description" and the
		// heading "### label" with the description under it.
		page, head, label, description string
		// want are the records "service | category | at rest |
		// processing | data | from | until", in order.
		want []string
	}{
		{
			name: "a heading naming two services gives two records",
			page: eu, head: "## Data storage and datacenter locations\n\n" + lead, label: mfa,
			description: "Multi-factor authentication stores all at-rest customer data in European datacenters. However, second-factor authentication and its related personal data can be completed in the US while using MFA or SSPR (all authentication types). Some MFA and SSPR logs may also be stored in the US for 30 days, regardless of the authentication type.",
			want: []string{
				"Microsoft Azure multi-factor authentication (MFA) | outside | United States | United States | second-factor authentication and its related personal data; Some MFA and SSPR logs |  | ",
				"Azure AD self-service password reset (SSPR) | outside | United States | United States | second-factor authentication and its related personal data; Some MFA and SSPR logs |  | ",
			},
		},
		{
			name: "a paragraph under an outside heading says where its service's data goes",
			page: eu, head: outside + lead, label: "Microsoft Azure Active Directory B2B (Azure AD B2B)",
			description: "Azure AD B2B stores all user data at-rest in European datacenters. However, B2B stores its non-personal metadata in tables within U.S. datacenters.",
			want:        []string{"Microsoft Azure Active Directory B2B (Azure AD B2B) | outside | United States |  | its non-personal metadata |  | "},
		},
		{
			name: "globally synced data is global whatever else the paragraph keeps in the region",
			page: eu, head: "## Data storage and datacenter locations\n\n" + lead, label: "Microsoft Azure role-based access control (RBAC)",
			description: "Azure RBAC data is globally synced and its entities include role assignments and role definitions. Personal data for the corresponding directory object is stored in the European datacenters and can't be replicated globally.",
			// The personal data kept in Europe is not the global
			// record's (AUDIT2 class J).
			want: []string{"Microsoft Azure role-based access control (RBAC) | global | Global |  | Azure RBAC data: role assignments and role definitions |  | "},
		},
		{
			name: "an entry's dates make its transfer temporary",
			page: eu, head: outside + lead, label: "Microsoft Entra Connect Health",
			description: "From July 1, 2024 until December 31, 2024, Microsoft Entra Connect Health stores synchronization alerts of European tenants in the United States.",
			want:        []string{"Microsoft Entra Connect Health | temporary | United States |  | synchronization alerts | 2024-07-01 | 2024-12-31"},
		},
		{
			name: "advice beside the claim names no data of it",
			page: anz, head: "## Services\n\n", label: "Microsoft Azure multi-factor authentication (MFA)",
			description: "MFA service in Azure AD stores Identity Customer Data in global datacenters at rest. To learn more about the user information collected and stored by cloud-based Azure MFA, see [MFA user data collection](https://example.com/mfa).",
			want:        []string{"Microsoft Azure multi-factor authentication (MFA) | global | Global |  | Identity Customer Data |  | "},
		},
	}
	read := func(t *testing.T, page string) *Page {
		t.Helper()
		p, err := Extract([]byte(page), Options{Profile: entra.Profile(), Path: "page.md"})
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	records := func(p *Page) []string {
		var out []string
		for _, r := range p.Records {
			out = append(out, strings.Join([]string{r.Service, string(r.Category), r.LocationAtRest, r.Processing, r.DataTypes, r.From, r.Until}, " | "))
		}
		return out
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for _, form := range []struct{ name, page string }{
				{"item", tc.page + tc.head + "- **" + tc.label + ".** " + tc.description + "\n"},
				{"heading", tc.page + tc.head + "### " + tc.label + "\n\n" + tc.description + "\n"},
			} {
				p := read(t, form.page)
				if got := records(p); !slices.Equal(got, tc.want) {
					t.Errorf("%s:\n got %q\nwant %q", form.name, got, tc.want)
				}
				for _, c := range p.Claims {
					if strings.Contains(c.Text, "see ") && len(c.Records) > 0 && form.name == "heading" {
						t.Errorf("%s: advice L%d %q cites records %v", form.name, c.Line, c.Text, c.Records)
					}
				}
			}
		})
	}
}
