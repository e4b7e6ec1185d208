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
			want: []string{"Azure AD managed identities | in_region | In region | ", "Azure AD managed identities | outside | United States | "},
		},
		{
			name: "G: a row's 'user data copied in other tenants' leaves its in-region cell",
			page: "# Azure AD data residency\n\n| Azure AD component | Description | Data storage location |\n|---|---|---|\n| Azure AD B2B collaboration | Users in a B2B relationship, with another tenant, result in user data copied in other tenants, which might have data residency implications. | In region |\n",
			want: []string{"Azure AD B2B collaboration | in_region | In region | ", "Azure AD B2B collaboration | outside | in other tenants | "},
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
