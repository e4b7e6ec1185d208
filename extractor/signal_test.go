package extractor

import (
	"strings"
	"testing"

	"github.com/residiff/residiff/source/entra"
)

// TestClaimSignal checks the ledger's signal and the dispositions of the
// sites it marks (issue 21, AUDIT.md classes D and I): a data verb or a
// phrase placing data marks a site alone, and each marked site gets a
// named disposition — never silence. Sentences from the real corpus.
func TestClaimSignal(t *testing.T) {
	const page = "# Data residency for Microsoft Entra ID\n\n## Overview\n\n%s\n"
	const models = "|Model|Locations|Data location|Operations personnel|Put a tenant in this model|\n|---|---|---|---|---|\n"
	cases := []struct {
		name, md, text string
		want           Disposition // "" when the site must not be in the ledger
		reason         string
	}{
		{"retention period", "Log data is stored for 30 days.", "Log data is stored for 30 days", NotTransfer, "retention period, no place"},
		{"retained alone", "This information is retained for 90 days.", "This information is retained for 90 days", NotTransfer, "retention period, no place"},
		{"verb with no place", "Cloud-based multifactor authentication and MFA Server process and store personal data and organizational data.",
			"Cloud-based multifactor authentication and MFA Server process and store personal data and organizational data", NotTransfer, "no place"},
		{"page scope", "This article outlines what and where data is stored.", "This article outlines what and where data is stored", NotTransfer, "scope"},
		{"imperative advice", "Review how each service and application stores and processes customer data, and verify that they meet your company's data handling requirements.",
			"Review how each service and application stores and processes customer data, and verify that they meet your company's data handling requirements", NotTransfer, "advice"},
		{"refer-to advice", "To find the exact location where your data is located per country/region, refer to where Microsoft Entra data is located.",
			"To find the exact location where your data is located per country/region, refer to where Microsoft Entra data is located", NotTransfer, "advice"},
		{"refer-to pointer after a purpose clause", "> [!NOTE]\n> To understand service data location, such as Exchange Online, or Skype for Business, refer to the corresponding service documentation.",
			"To understand service data location, such as Exchange Online, or Skype for Business, refer to the corresponding service documentation", NotTransfer, "advice"},
		{"refers to is a definition", "Data residency refers to where user data is stored.", "Data residency refers to where user data is stored", NotTransfer, "definition"},
		{"the tenant's chosen location", "* Directory data stored in data centers closest to the tenant-residency location, to reduce latency and provide fast user sign-in times",
			"Directory data stored in data centers closest to the tenant-residency location, to reduce latency and provide fast user sign-in times", StatedInRegion, ""},
		{"the instance's region", "In addition to authentication service data, Azure AD components and service data are stored on servers in the Azure AD instance’s region.",
			"In addition to authentication service data, Azure AD components and service data are stored on servers in the Azure AD instance’s region", StatedInRegion, ""},
		{"a model the customer puts its tenant in", models + "|Public worldwide|Worldwide|All locations|Operated by Microsoft.|Tenant creation available via official support channel.|",
			"Public worldwide | Worldwide | All locations | Operated by Microsoft. | Tenant creation available via official support channel.", NotTransfer, "conditional"},
		{"a model whose support is global", models + "|Regional|North America, EMEA, Japan|At rest, in the target region. Exceptions by service or feature|Microsoft, globally|Create the tenant in the sign-up experience.|",
			"Regional | North America, EMEA, Japan | At rest, in the target region. Exceptions by service or feature | Microsoft, globally | Create the tenant in the sign-up experience.", NotTransfer, "conditional"},
		{"a row of places no customer chose", "|Model|Locations|Data location|\n|---|---|---|\n|Public worldwide|Worldwide|All locations|",
			"Public worldwide | Worldwide | All locations", Unread, "no reader of residiff understood it"},
		{"operations", "(1) Data custodians: Data centers in the US government cloud are operated by Microsoft.",
			"(1) Data custodians: Data centers in the US government cloud are operated by Microsoft", NotTransfer, "operations"},
		{"customer provisions", "- **Dynamics 365 and Power Platform** - A customer provisions their tenant in a pre-defined location.",
			"Dynamics 365 and Power Platform - A customer provisions their tenant in a pre-defined location.", StatedInRegion, ""},
		{"relative place unread", "Standard voice calls may failover to a different region.", "Standard voice calls may failover to a different region", Unread, "no reader of residiff understood it"},
		// Where a service runs is availability, not where a datum goes
		// (AUDIT3 class H), also as the lead-in of a list that is read.
		{"a service's datacenters", "The Azure AD multifactor authentication service has datacenters in the United States, Europe, and Asia Pacific.",
			"The Azure AD multifactor authentication service has datacenters in the United States, Europe, and Asia Pacific", NotTransfer, "availability"},
		{"datacenters exist in, over a list read", "### Multifactor authentication\n\nDatacenters for multifactor authentication exist in North America, Europe, and Asia Pacific.\n\n* Multifactor authentication using SMS is routed by global providers.\n* Multifactor authentication using phone calls originate from datacenters in the customer's region.",
			"Datacenters for multifactor authentication exist in North America, Europe, and Asia Pacific", NotTransfer, "availability"},
		{"data in a service's datacenters is a record", "Multifactor authentication stores customer data in datacenters in the United States.",
			"Multifactor authentication stores customer data in datacenters in the United States", AsRecord, ""},
		{"closest datacenter unread", "For cloud-based multifactor authentication, authentication is complete in the closest datacenter to the user.",
			"For cloud-based multifactor authentication, authentication is complete in the closest datacenter to the user", Unread, "no reader of residiff understood it"},
		{"link item", "Learn more:\n\n* [Customer data storage and processing for European customers](./data-storage-eu.md)",
			"Customer data storage and processing for European customers", NotTransfer, "navigation"},
		{"a plural subject's store", "Multifactor authentication activity reports store activity from on-premises components: NPS Extension, AD FS adapter, and MFA server.",
			"Multifactor authentication activity reports store activity from on-premises components: NPS Extension, AD FS adapter, and MFA server", NotTransfer, "no place"},
		{"a question link item", "For more information see the following articles:\n\n* [Microsoft Privacy - Where is Your Data Located?](https://www.microsoft.com/trust-center/privacy/data-location)",
			"Microsoft Privacy - Where is Your Data Located?", NotTransfer, "navigation"},
		{"data store is a noun", "The following data stores contain personal information:", "The following data stores contain personal information:", "", ""},
		{"storage alone says nothing", "Plan your data storage requirements with your team.", "Plan your data storage requirements with your team", "", ""},
		{"a place that is its own only data word", "Global Administrator is a highly privileged role that should be limited to emergency scenarios.",
			"Global Administrator is a highly privileged role that should be limited to emergency scenarios", "", ""},
		{"a one-word place beside a data word", "Multifactor authentication stores customer data globally.", "Multifactor authentication stores customer data globally", AsRecord, ""},
		// The bare words the profile's places name Global by, after a
		// data verb, are where the data is (issue 21).
		{"worldwide after a data verb", "Multifactor authentication stores customer data worldwide.", "Multifactor authentication stores customer data worldwide", AsRecord, ""},
		{"across the world after a data verb", "Multifactor authentication stores customer data across the world.", "Multifactor authentication stores customer data across the world", AsRecord, ""},
		{"across the globe after a data verb", "Multifactor authentication processes customer data across the globe.", "Multifactor authentication processes customer data across the globe", AsRecord, ""},
		{"people around the world", "Twice a year, we publish the number of legal demands for customer data that we receive from law enforcement agencies around the world.",
			"Twice a year, we publish the number of legal demands for customer data that we receive from law enforcement agencies around the world", "", ""},
	}
	prof, reg := entra.Profile(), entra.Register()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			src := strings.Replace(page, "%s", c.md, 1)
			got, err := Extract([]byte(src), Options{Profile: prof, Aliases: reg, Path: "signal.md"})
			if err != nil {
				t.Fatal(err)
			}
			var found *Claim
			for i := range got.Claims {
				if got.Claims[i].Text == c.text {
					found = &got.Claims[i]
				}
			}
			switch {
			case c.want == "" && found != nil:
				t.Fatalf("%q is a claim site (%s %q); it says nothing of where data goes", c.text, found.Disposition, found.Reason)
			case c.want == "":
				return
			case found == nil:
				t.Fatalf("%q is not in the ledger; claims: %+v", c.text, got.Claims)
			case found.Disposition != c.want || found.Reason != c.reason:
				t.Fatalf("%q: %s (%q), want %s (%q)", c.text, found.Disposition, found.Reason, c.want, c.reason)
			}
			unread := false
			for _, w := range got.Warnings {
				unread = unread || w.Kind == UnreadClaim
			}
			if unread != (c.want == Unread) {
				t.Errorf("unread_claim warning = %v, want %v (warnings %+v)", unread, c.want == Unread, got.Warnings)
			}
		})
	}
}
