package extractor

import (
	"strings"
	"testing"

	"github.com/residiff/residiff/source/entra"
)

// TestRowDescription checks that a table row's description cell is the
// row's claim text (AUDIT2.md class B): the data its sentences name and
// the sentences that say something of the data are the data types and
// reason of the record its location cell makes, as an item's are read
// from its text. Rows from the data-residency page's components table.
func TestRowDescription(t *testing.T) {
	const page = "# Azure Active Directory and data residency\n\n## Data storage\n\n|Azure AD component|Description|Data storage location|\n|---|---|---|\n%s\n"
	cases := []struct {
		name, row string
		// want is "category | location at rest | data types | reason".
		want string
	}{
		{"a list of data the verb stores",
			"|Azure AD Application Proxy|Azure AD Application Proxy stores metadata about the tenant, connector machines, and configuration data in Azure SQL.|In region|",
			"in_region | In region | metadata about the tenant, connector machines, and configuration data | Azure AD Application Proxy stores metadata about the tenant, connector machines, and configuration data in Azure SQL"},
		{"data a service generates where it is kept",
			"|Azure AD Connect Health|Azure AD Connect Health generates alerts and reports in Azure Tables storage and blob storage.|In region|",
			"in_region | In region | alerts and reports | Azure AD Connect Health generates alerts and reports in Azure Tables storage and blob storage"},
		{"a generated object ends where the next verb starts",
			"|Azure AD Identity and Access Management (IAM) Services|It generates log and usage data stored in Azure Tables storage.|In region|",
			"in_region | In region | log and usage data | It generates log and usage data stored in Azure Tables storage"},
		{"what a service logs, advice left out of the reason",
			"|Azure AD Multi-Factor Authentication (MFA)|For details about MFA-operations data storage and retention, see [Data residency and customer data for Azure AD multifactor authentication](../authentication/concept-mfa-data-residency.md). Azure AD MFA logs the User Principal Name (UPN), voice-call telephone numbers, and SMS challenges. For challenges to mobile app modes, the service logs the UPN and a unique device token.|North America|",
			"outside | North America | the User Principal Name (UPN), voice-call telephone numbers, and SMS challenges; the UPN and a unique device token | Azure AD MFA logs the User Principal Name (UPN), voice-call telephone numbers, and SMS challenges. For challenges to mobile app modes, the service logs the UPN and a unique device token"},
		{"the subject the data rests in holds",
			"|Azure AD dynamic membership for groups|Azure Tables storage holds dynamic membership rule definitions.|In region|",
			"in_region | In region | dynamic membership rule definitions | Azure Tables storage holds dynamic membership rule definitions"},
		{"a clause after a comma is no list item",
			"|Azure AD B2C|B2C uses an Azure Cosmos DB system to store service policies and secrets, and it is encrypted.|In region|",
			"in_region | In region | service policies and secrets | B2C uses an Azure Cosmos DB system to store service policies and secrets, and it is encrypted"},
	}
	prof, reg := entra.Profile(), entra.Register()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			src := strings.Replace(page, "%s", c.row, 1)
			got, err := Extract([]byte(src), Options{Profile: prof, Aliases: reg, Path: "docs/fundamentals/data-residency.md"})
			if err != nil {
				t.Fatal(err)
			}
			if len(got.Records) != 1 {
				t.Fatalf("records %+v, want one", got.Records)
			}
			r := got.Records[0]
			if have := strings.Join([]string{string(r.Category), r.LocationAtRest, r.DataTypes, r.Reason}, " | "); have != c.want {
				t.Errorf("record\n have %s\n want %s", have, c.want)
			}
		})
	}
}
