package extractor

import (
	"slices"
	"strings"
	"testing"

	"github.com/residiff/residiff/source/entra"
)

// TestRowDescription checks that a table row's description cell is the
// row's claim text (AUDIT2.md class B): the data its sentences name and
// the sentences that say something of the data are the data types and
// reason of the record its location cell makes, as an item's are read
// from its text; and that the row's own sentences sending data elsewhere
// are one claim of their own whatever the cell says (class G). Rows from
// the data-residency page's components table.
func TestRowDescription(t *testing.T) {
	const page = "# Azure Active Directory and data residency\n\n## Data storage\n\n|Azure AD component|Description|Data storage location|\n|---|---|---|\n%s\n"
	cases := []struct {
		name, row string
		// want are the records "category | location at rest | data
		// types | reason", in order.
		want []string
	}{
		{"a list of data the verb stores",
			"|Azure AD Application Proxy|Azure AD Application Proxy stores metadata about the tenant, connector machines, and configuration data in Azure SQL.|In region|",
			[]string{"in_region | In region | metadata about the tenant, connector machines, and configuration data | Azure AD Application Proxy stores metadata about the tenant, connector machines, and configuration data in Azure SQL"}},
		{"data a service generates where it is kept",
			"|Azure AD Connect Health|Azure AD Connect Health generates alerts and reports in Azure Tables storage and blob storage.|In region|",
			[]string{"in_region | In region | alerts and reports | Azure AD Connect Health generates alerts and reports in Azure Tables storage and blob storage"}},
		{"a generated object ends where the next verb starts",
			"|Azure AD Identity and Access Management (IAM) Services|It generates log and usage data stored in Azure Tables storage.|In region|",
			[]string{"in_region | In region | log and usage data | It generates log and usage data stored in Azure Tables storage"}},
		{"what a service logs, advice left out of the reason",
			"|Azure AD Multi-Factor Authentication (MFA)|For details about MFA-operations data storage and retention, see [Data residency and customer data for Azure AD multifactor authentication](../authentication/concept-mfa-data-residency.md). Azure AD MFA logs the User Principal Name (UPN), voice-call telephone numbers, and SMS challenges. For challenges to mobile app modes, the service logs the UPN and a unique device token.|North America|",
			[]string{"outside | North America | the User Principal Name (UPN), voice-call telephone numbers, and SMS challenges; the UPN and a unique device token | Azure AD MFA logs the User Principal Name (UPN), voice-call telephone numbers, and SMS challenges. For challenges to mobile app modes, the service logs the UPN and a unique device token"}},
		{"the subject the data rests in holds",
			"|Azure AD dynamic membership for groups|Azure Tables storage holds dynamic membership rule definitions.|In region|",
			[]string{"in_region | In region | dynamic membership rule definitions | Azure Tables storage holds dynamic membership rule definitions"}},
		{"a relative clause's data verb names more data",
			"|Azure AD provisioning|The service stores its configuration in an Azure Cosmos DB, which stores the group membership data for the user directory it keeps.|In region|",
			[]string{"in_region | In region | the group membership data | The service stores its configuration in an Azure Cosmos DB, which stores the group membership data for the user directory it keeps"}},
		{"a clause after a comma is no list item",
			"|Azure AD B2C|B2C uses an Azure Cosmos DB system to store service policies and secrets, and it is encrypted.|In region|",
			[]string{"in_region | In region | service policies and secrets | B2C uses an Azure Cosmos DB system to store service policies and secrets, and it is encrypted"}},
		{"G: a row's own words that send data out are one claim, whatever its cell says",
			"|Azure AD managed identities for Azure resources|Rather than use username and password, managed identities authenticate to Azure services with certificates. The service writes certificates it issues in Azure Cosmos DB in the East US region, which fail over to another region, as needed. Azure Cosmos DB geo-redundancy occurs by global data replication. Database replication puts a read-only copy in each region that Azure AD managed identities runs. Azure Key Vault stores the master encryption keys.|In geo location|",
			// One verdict per key (onekey.go): the in-region part folds into the
			// transferring record, its place kept, its data not sent out.
			[]string{"outside | United States, Global; In geo location | certificates it issues; a read-only copy | The service writes certificates it issues in Azure Cosmos DB in the East US region, which fail over to another region, as needed. Azure Cosmos DB geo-redundancy occurs by global data replication. Database replication puts a read-only copy in each region that Azure AD managed identities runs"}},
		{"G: a copy in every region is a global copy",
			"|Azure AD managed identities for Azure resources|Database replication puts a read-only copy in each region that Azure AD managed identities runs.|In region|",
			[]string{"global | Global; In region | a read-only copy | Database replication puts a read-only copy in each region that Azure AD managed identities runs"}},
		{"G: global data replication is data replicated globally",
			"|Azure Cosmos DB|Azure Cosmos DB stores issued certificates. Its geo-redundancy occurs by global data replication.|In region|",
			[]string{"global | Global; In region |  | Its geo-redundancy occurs by global data replication"}},
	}
	prof, reg := entra.Profile(), entra.Register()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			src := strings.Replace(page, "%s", c.row, 1)
			got, err := Extract([]byte(src), Options{Profile: prof, Aliases: reg, Path: "docs/fundamentals/data-residency.md"})
			if err != nil {
				t.Fatal(err)
			}
			var have []string
			for _, r := range got.Records {
				have = append(have, strings.Join([]string{string(r.Category), r.LocationAtRest, r.DataTypes, r.Reason}, " | "))
			}
			if !slices.Equal(have, c.want) {
				t.Errorf("records\n have %q\n want %q", have, c.want)
			}
		})
	}
}
