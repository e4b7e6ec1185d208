package extractor

import (
	"strings"
	"testing"

	"github.com/residiff/residiff/source/m365"
)

// TestLeadInLists: a lead-in sentence and the list it introduces are read
// as the one paragraph they would be (BLIND3.md extraction classes 2, 6
// and 7): a lead-in whose subject is data ("The following customer data
// …:") lists data of the service it names; every item of a lead-in's list
// is a claim site carrying the lead-in's reading, so that an item added or
// removed is never silent.
func TestLeadInLists(t *testing.T) {
	const spo = "# Data Residency for SharePoint and OneDrive\n\n## Data Residency Commitments Available\n\n### Multi-Geo add-on\n\n" +
		"Required Conditions:\n\n1. _Tenants_ have a valid Multi-Geo subscription that covers all users assigned to a _Satellite Geography_.\n1. Customer must have an active Enterprise Agreement.\n\n" +
		"**Commitment:**\n\n"
	tests := []struct {
		name, path, src string
		records         string // "scope | category | at rest | data types", one a line
		// items are the lines of the list's items, each of which must be a
		// claim site with disposition disp (and no "no place" reason).
		items []int
		disp  Disposition
	}{
		{
			name: "data list apart from its lead-in (class 2)", path: "microsoft-365/enterprise/m365-dr-workload-spo.md",
			src: spo + "Customers can assign users of SharePoint/OneDrive to any _Satellite Geography_ supported by Multi-Geo (see Section 4.1.3). The following customer data will be stored in the relevant _Satellite Geography_:\n\n" +
				"- SharePoint site content and the files stored within that site, and files uploaded to OneDrive. \n",
			records: "Multi-Geo | in_region | Satellite Geography | SharePoint site content and the files stored within that site, and files uploaded to OneDrive",
			items:   []int{16}, disp: StatedInRegion,
		},
		{
			name: "data list as one paragraph (class 2, unchanged)", path: "microsoft-365/enterprise/m365-dr-workload-spo.md",
			src: spo + "Customers can assign users of SharePoint/OneDrive to any _Satellite Geography_ supported by Multi-Geo (see Section 4.1.3). The following customer data will be stored in the relevant _Satellite Geography_:\n" +
				"SharePoint site content and the files stored within that site, and files uploaded to OneDrive.\n",
			records: "Multi-Geo | in_region | Satellite Geography | ",
		},
		{
			name: "definition of the data in scope (class 6)", path: "microsoft-365/enterprise/m365-dr-legacy-move-program.md",
			src: "# Legacy Move Program\n\n## Data move general FAQ\n\n### How do we define Applicable Customer Data?\n\n" +
				"Applicable customer data is a term that refers to a subset of customer data defined in the [Microsoft Online Services Terms](https://aka.ms/ost):\n\n" +
				"- Exchange Online mailbox content (email body, calendar entries, and the content of email attachments)\n" +
				"- SharePoint Online site content and the files stored within that site\n" +
				"- Files uploaded to OneDrive for Business\n",
			items: []int{9, 10, 11}, disp: Unread,
		},
		{
			name: "services moving with a service (class 7)", path: "microsoft-365/enterprise/m365-dr-workload-spo.md",
			src: "# Data Residency for SharePoint and OneDrive\n\n## Migration\n\n" +
				"When SharePoint Online is moved, data for the following services is also moved:\n\n" +
				"- OneDrive for Business\n- Microsoft 365 Video services\n- Office in a browser\n",
			items: []int{7, 8, 9}, disp: Unread,
		},
		{
			name: "services a scope applies to (class 7)", path: "microsoft-365/enterprise/m365-dr-workload-purview.md",
			src: "# Data Residency for Microsoft Purview\n\n## Data Security - Data Loss Prevention (DLP)\n\n### Summary\n\n" +
				"_ADR_ applies to the following services within Purview Information Protection, Data Loss Prevention (DLP):\n\n" +
				"- Office 365 Data Loss Prevention (DLP) for emails and files\n- DLP for Teams chat\n- DLP for Microsoft 365 Copilot\n",
			items: []int{9, 10, 11}, disp: Unread,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			pg, err := Extract([]byte(tc.src), Options{Profile: m365.Profile(), Aliases: m365.Register(), Path: tc.path})
			if err != nil {
				t.Fatal(err)
			}
			var recs []string
			for _, r := range pg.Records {
				recs = append(recs, r.Scope+" | "+string(r.Category)+" | "+r.LocationAtRest+" | "+r.DataTypes)
			}
			if got := strings.Join(recs, "\n"); got != tc.records {
				t.Errorf("records\n%s\nwant\n%s", got, tc.records)
			}
			byLine := map[int]Claim{}
			for _, c := range pg.Claims {
				byLine[c.Line] = c
				if c.Disposition == NotTransfer && c.Reason == "no place" {
					t.Errorf("L%d %q dropped as no place", c.Line, c.Text)
				}
			}
			for _, line := range tc.items {
				c, ok := byLine[line]
				if !ok {
					t.Errorf("item L%d is no claim site (claims %v)", line, pg.Claims)
					continue
				}
				if c.Disposition != tc.disp {
					t.Errorf("item L%d %q: %s (%s), want %s", line, c.Text, c.Disposition, c.Reason, tc.disp)
				}
			}
			if tc.disp == StatedInRegion {
				for _, w := range pg.Warnings {
					if w.Kind == UnreadClaim {
						t.Errorf("warning: %s", w.Message)
					}
				}
			}
		})
	}
}
