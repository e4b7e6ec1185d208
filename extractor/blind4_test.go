package extractor

import (
	"fmt"
	"strings"
	"testing"

	"github.com/residiff/residiff/source/entra"
	"github.com/residiff/residiff/source/m365"
)

// blind4Read extracts src as the M365 Exchange Online page (or, with
// entraPage, as the Entra EU page) and lists its records as "scope |
// category | at rest" and the claims at line as "disposition reason".
func blind4Read(t *testing.T, src string, entraPage bool, line int) (records, claims string) {
	t.Helper()
	opts := Options{Profile: m365.Profile(), Aliases: m365.Register(), Path: "microsoft-365/enterprise/m365-dr-workload-exo.md"}
	if entraPage {
		opts = Options{Profile: entra.Profile()}
	}
	pg, err := Extract([]byte(src), opts)
	if err != nil {
		t.Fatal(err)
	}
	var rs, cs []string
	for _, r := range pg.Records {
		rs = append(rs, r.Scope+" | "+string(r.Category)+" | "+r.LocationAtRest)
	}
	for _, c := range pg.Claims {
		if c.Line == line {
			cs = append(cs, strings.TrimSpace(fmt.Sprintf("%s %s", c.Disposition, c.Reason)))
		}
	}
	return strings.Join(rs, "\n"), strings.Join(cs, "\n")
}

// checkSite reads src as an Exchange Online page and checks its records
// and the claim at line.
func checkSite(t *testing.T, src string, line int, records, claim string) {
	t.Helper()
	gotRecords, gotClaim := blind4Read(t, src, false, line)
	if gotRecords != records {
		t.Errorf("records:\n%s\nwant:\n%s", gotRecords, records)
	}
	if gotClaim != claim {
		t.Errorf("claim at line %d: %q, want %q", line, gotClaim, claim)
	}
}

// TestIllustrationIsNoTransfer: an illustration ("For example, …", "For
// instance, …", "e.g.") of what a person can or cannot do, whose data verb
// stands in that person's object, states no place of the service's data:
// no record, a not_transfer "example" claim (BLIND4 class 1: Exchange
// Online's "For example, a user in the European Union can't use Outlook
// on the web to open a shared folder in a mailbox located in the United
// States" was a Multi-Geo outside record at rest in the United States,
// and the in-region statement of the next item was folded into it). An
// illustration whose own verb places data, or whose subject is data or a
// service, is read as any sentence.
func TestIllustrationIsNoTransfer(t *testing.T) {
	const m365Head = "# Data Residency for Exchange Online\n\n## Multi-Geo add-on\n\n### Feature limitations for Multi-Geo in Exchange Online\n\n"
	const entraHead = "# Customer data storage for European customers\n\n## Microsoft Entra ID\n\n"
	for _, tc := range []struct {
		name, sentence    string
		entra             bool
		records, disposal string
	}{
		{"a user who can't open a mailbox elsewhere (exo 2024-12-10 l.92)",
			"For example, a user in the European Union can't use Outlook on the web to open a shared folder in a mailbox located in the United States.",
			false, "", ""}, // alone, no claim site: the page's item is one (TestIllustrationFoldsNothing)
		{"for instance, what users can do", "For instance, users can open a shared mailbox whose data is stored in the United States.",
			false, "", "not_transfer example"},
		{"e.g., in the Entra profile", "E.g., an administrator can view sign-in logs stored in the United States.",
			true, "", "not_transfer example"},
		{"the person's own verb places data", "For example, users can store mailboxes in the United States.",
			false, "Multi-Geo | outside | United States", "record"},
		{"the person's choice places data", "For example, customers can choose to store mailboxes in the United States.",
			false, "Multi-Geo | outside | United States", "record"},
		{"the person has data placed", "For example, users can have their mailboxes stored in the United States.",
			false, "Multi-Geo | outside | United States", "record"},
		{"the service is the subject", "For example, Exchange Online stores mailbox data in the United States.",
			false, "Multi-Geo | outside | United States", "record"},
		{"no illustration", "A user in the European Union can't use Outlook on the web to open a shared folder in a mailbox located in the United States.",
			false, "Multi-Geo | outside | United States", "record"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			head := m365Head
			if tc.entra {
				head = entraHead
			}
			line := strings.Count(head, "\n") + 1
			records, claims := blind4Read(t, head+tc.sentence+"\n", tc.entra, line)
			if tc.entra && tc.records == "" && records != "" || !tc.entra && records != tc.records {
				t.Errorf("records:\n%s\nwant:\n%s", records, tc.records)
			}
			if claims != tc.disposal {
				t.Errorf("claim at line %d: %q, want %q", line, claims, tc.disposal)
			}
		})
	}
}

// TestIllustrationFoldsNothing: the Exchange Online limitation list
// (2024-12-10 l.92 and 97): with the illustration read as no transfer,
// the public folders' statement is its own in-region record of the
// Primary Provisioned Geography, not a place of an outside record.
func TestIllustrationFoldsNothing(t *testing.T) {
	src := "# Data Residency for Exchange Online\n\n## Multi-Geo Capabilities in Exchange Online\n\n### Feature limitations for Multi-Geo in Exchange Online\n\n" +
		"- Users can't share mailbox folders across _Geography_ locations in Outlook on the web. For example, a user in the European Union can't use Outlook on the web to open a shared folder in a mailbox located in the United States.\n\n" +
		"- Public folders are supported in Multi-Geo organizations. However, the public folders must remain in the _Primary Provisioned Geography_ location. You can't move public folders to satellite geo locations.\n"
	records, _ := blind4Read(t, src, false, 0)
	if want := "Multi-Geo | in_region | Primary Provisioned Geography"; records != want {
		t.Errorf("records:\n%s\nwant:\n%s", records, want)
	}
}

// TestNotYetThereIsNotInRegion: a site that says the data is in the
// region only once a move of data has happened ("once … has been
// migrated", "until … is migrated", "not yet moved") says it may not be
// there now: it is never disposed in_region (BLIND4 class 2: the Data
// Location Card's tenant outside the Legacy Move Program, whose data "may"
// not be in its Local Region Geography, was in_region). It stays unread,
// and warned; the same site without the wait stays in_region.
func TestNotYetThereIsNotInRegion(t *testing.T) {
	const head = "# Learn More about The Data Location Card\n\n## Understanding Mismatches\n\nA discrepancy may appear in certain circumstances, including the following scenarios:\n\n"
	for _, tc := range []struct {
		name, item, want string
	}{
		{"once migrated (data-location 2025-02-24 l.69–71)",
			"1. **A customer’s _Tenant_ is eligible for data residency based on _Product Terms_, but the customer didn't elect to take part in the _Legacy Move Program_**. The _Data Location Card_ may display a mismatch.\n\n" +
				"    _Tenants_ remain eligible for a data residency commitment for in scope customer data in their respective _Local Region Geography_—once their in scope customer data has been migrated to that location.\n",
			"unread no reader of residiff understood it"},
		{"until migrated",
			"1. **A customer bought ADR**. Tenants remain eligible for a commitment in their respective _Local Region Geography_ until their customer data is migrated to another location.\n",
			"unread no reader of residiff understood it"},
		{"yet to be moved",
			"1. **A customer bought ADR**. Tenants remain eligible for a commitment in their respective _Local Region Geography_, whose customer data is yet to be moved there.\n",
			"unread no reader of residiff understood it"},
		{"no wait",
			"1. **A customer’s _Tenant_ is eligible for data residency based on _Product Terms_**. _Tenants_ remain eligible for a data residency commitment for in scope customer data in their respective _Local Region Geography_.\n",
			"in_region"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			line := strings.Count(head, "\n") + 1
			pg, err := Extract([]byte(head+tc.item), Options{Profile: m365.Profile(), Aliases: m365.Register(), Path: "microsoft-365/enterprise/m365-dr-data-location.md"})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, c := range pg.Claims {
				if c.Line == line {
					got = append(got, strings.TrimSpace(fmt.Sprintf("%s %s", c.Disposition, c.Reason)))
				}
			}
			if strings.Join(got, "\n") != tc.want {
				t.Errorf("claim at line %d: %q, want %q", line, got, tc.want)
			}
			if strings.HasPrefix(tc.want, "unread") {
				warned := false
				for _, w := range pg.Warnings {
					warned = warned || w.Line == line && w.Kind == UnreadClaim
				}
				if !warned {
					t.Errorf("no unread_claim warning at line %d: %v", line, pg.Warnings)
				}
			}
		})
	}
}

// TestQualifierDoesNotRescope: a scope named only inside a qualifying
// phrase ("as defined by the product terms", "as described in",
// "under the terms of") says whose words the data is named in, not which
// commitment the sentence states: the section's scope stands (BLIND4
// class 3: Exchange Online's Multi-Geo commitment, "The Data at Rest for
// Office 365 Services for the mailbox as defined by the product terms
// shall be stored in the assigned Satellite Geography", was a Product
// Terms record). A scope the sentence states stays its scope.
func TestQualifierDoesNotRescope(t *testing.T) {
	const head = "# Data Residency for Exchange Online\n\n## Data Residency Commitments Available\n\n### Multi-Geo add-on\n\n**Commitment:**\n\n"
	for _, tc := range []struct {
		name, sentence, want string
	}{
		{"as defined by (exo 2024-12-10 l.63)",
			"The Data at Rest for Office 365 Services for the mailbox as defined by the product terms shall be stored in the assigned Satellite Geography.",
			"Multi-Geo | in_region | Satellite Geography"},
		{"as described in",
			"Customer data as described in the Product Terms is stored in the assigned Satellite Geography.",
			"Multi-Geo | in_region | Satellite Geography"},
		{"under the terms of",
			"Mailbox content under the terms of the Product Terms is stored in the assigned Satellite Geography.",
			"Multi-Geo | in_region | Satellite Geography"},
		{"a scope the sentence states",
			"Under the Product Terms, mailbox content is stored in the assigned Satellite Geography.",
			"Product Terms | in_region | Satellite Geography"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := m365Records(t, "microsoft-365/enterprise/m365-dr-workload-exo.md", head+tc.sentence+"\n"); got != tc.want {
				t.Errorf("records:\n%s\nwant:\n%s", got, tc.want)
			}
		})
	}
}

// TestSentenceReasonIsItsOwn: the profile's reason a sentence states no
// transfer (a pointer is advice, "no longer" the past) is that sentence's:
// a list item whose other sentence says where data goes is not disposed
// by it as a whole (BLIND4 class 12: Exchange Online's l.98 item, ending
// "For more information, see Manage mailbox auditing.", was advice,
// silently; class 11: the Data Location Card's l.75 item, whose example
// says a customer "no longer meets" the licence count, was the past). A
// site whose every sentence has a reason keeps the first.
func TestSentenceReasonIsItsOwn(t *testing.T) {
	const exo = "# Data Residency for Exchange Online\n\n## Multi-Geo Capabilities in Exchange Online\n\n### Feature limitations for Multi-Geo in Exchange Online\n\n"
	const dlc = "# Learn More about The Data Location Card\n\n## Understanding Mismatches\n\nA discrepancy may appear in certain circumstances, including the following scenarios:\n\n"
	for _, tc := range []struct {
		name, head, item, want string
	}{
		{"a pointer after a limitation (exo 2024-12-10 l.98)", exo,
			"- In a Multi-Geo environment, cross-geo mailbox auditing isn't supported. For example, if a user is assigned permissions to access a shared mailbox in a different _Geography_ location, mailbox actions performed by that user aren't logged in the mailbox audit log of the shared mailbox. Exchange admin audit events are also only available for the default location. For more information, see Manage mailbox auditing.\n",
			"unread no reader of residiff understood it"},
		{"an example's 'no longer' (data-location 2025-02-24 l.75–77)", dlc,
			"1. **_ADR_ [licensing requirements](advanced-data-residency.md#licensing-requirements) are not met**. If a _Tenant_ was once covered by an _ADR_ commitment, and fails to meet the [licensing requirements](advanced-data-residency.md#licensing-requirements) – the _Tenant’s Data Location Card_ will reflect this change in the _Committed Geography_.\n\n" +
				"    **Example**: If an Indonesian customer no longer meets the required number of _ADR_ licenses needed to retain in scope customer data in Indonesia, the _Tenant’s Committed Geography_ will change from \"**Indonesia**\" to \"**No Commitment**\" in their _Data Location Card_.\n",
			"unread no reader of residiff understood it"},
		{"a pointer alone", exo,
			"- For more information about where mailbox data is stored, see Manage mailbox auditing.\n",
			"not_transfer advice"},
		{"every sentence a pointer", exo,
			"- For more information about where mailbox data is stored, see Manage mailbox auditing. To learn where audit data is stored, see Search the audit log.\n",
			"not_transfer advice"},
		{"the past in one sentence", exo,
			"- Exchange Online previously stored admin audit data in the United States.\n",
			"not_transfer past"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			line := strings.Count(tc.head, "\n") + 1
			pg, err := Extract([]byte(tc.head+tc.item), Options{Profile: m365.Profile(), Aliases: m365.Register(), Path: "microsoft-365/enterprise/m365-dr-workload-exo.md"})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, c := range pg.Claims {
				if c.Line == line {
					got = append(got, strings.TrimSpace(fmt.Sprintf("%s %s", c.Disposition, c.Reason)))
				}
			}
			if strings.Join(got, "\n") != tc.want {
				t.Errorf("claim at line %d: %q, want %q", line, got, tc.want)
			}
		})
	}
}

// TestDeniedMoveLeavesDataBehind: a denied move of data to where a move
// brings it ("The cache for documents are not migrated to the new
// Geography") says the data stays where it was, not that it stays in the
// region: never a silent `negated`, an unread warning (BLIND4 class 7:
// Office for the Web 2022-09-20 l.44 was `negated`, silently, while
// 2025's "isn't migrated" was warned). A denied move out of the region,
// or a denied store, stays a denial.
func TestDeniedMoveLeavesDataBehind(t *testing.T) {
	const head = "# Data Residency for Exchange Online\n\n## Migration\n\n"
	for _, tc := range []struct {
		name, sentence, records, want string
	}{
		{"are not migrated (office-for-web 2022-09-20 l.44)",
			"The cache for documents are not migrated to the new _Geography_, and will be reestablished as users work on documents.",
			"", "unread no reader of residiff understood it"},
		{"isn't migrated (office-for-web 2025-02-11 l.46)",
			"The cache for documents isn't migrated to the new _Geography_, and will be reestablished as users work on documents.",
			"", "unread no reader of residiff understood it"},
		{"not moved into the region's place",
			"Existing mailbox content is not moved into the _Local Region Geography_.",
			"", "unread no reader of residiff understood it"},
		{"not moved to the region's place",
			"Existing mailbox content is not moved to the _Local Region Geography_.",
			"", "unread no reader of residiff understood it"},
		{"a denied move out of the region",
			"Existing mailbox content is not moved outside the _Local Region Geography_.",
			"Local Region Geography | in_region | Local Region Geography", "in_region"},
		{"a denied store out of the region",
			"Exchange Online mailbox content is not stored outside the _Local Region Geography_.",
			"Local Region Geography | in_region | Local Region Geography", "in_region"},
		{"a denied store (BLIND5 class 2: data not in the region, never a silent negated)",
			"Exchange Online mailbox content is not stored in the new _Geography_.",
			"", "unread no reader of residiff understood it"},
		{"a denied move to another place",
			"Existing mailbox content is not moved to another _Geography_.",
			"", "not_transfer negated"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			line := strings.Count(head, "\n") + 1
			checkSite(t, head+tc.sentence+"\n", line, tc.records, tc.want)
		})
	}
}

// TestPlacingHeadingNamesNoService: a heading that places a group of
// services it does not name ("Microsoft 365 Services stored in
// "Europe"": a data verb and a preposition of place after its first
// word) is no service's name, and the page's product does not stand in
// for the group: a sentence about tenants under it makes no record and
// is warned (BLIND4 class 5: the Data Location Card's l.111 was a record
// of service "Microsoft 365 Services stored in "Europe""). A heading
// that names a service keeps it.
func TestPlacingHeadingNamesNoService(t *testing.T) {
	const sentence = "Certain _Tenants_ may have their in scope customer data stored in \"**Europe**\" but may not be provided with the _EUDB_ commitment based on the _Tenant’s Default Geography_.\n"
	for _, tc := range []struct {
		name, heading, sentence, records, want string
	}{
		{"stored in (data-location 2025-02-24 l.109–111)", "Microsoft 365 Services stored in \"Europe\"", sentence,
			"", "unread no reader of residiff understood it"},
		{"kept outside", "Services kept outside the Local Region Geography",
			"Certain _Tenants_ may have their customer data kept in Europe.\n",
			"", "unread no reader of residiff understood it"},
		{"a service's heading", "Exchange Online",
			"Exchange Online stores mailbox content in the United States.\n",
			"Exchange Online | outside | United States", "record"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			head := "# Learn More about The Data Location Card\n\n## " + tc.heading + "\n\n"
			line := strings.Count(head, "\n") + 1
			pg, err := Extract([]byte(head+tc.sentence), Options{Profile: m365.Profile(), Aliases: m365.Register(), Path: "microsoft-365/enterprise/m365-dr-data-location.md"})
			if err != nil {
				t.Fatal(err)
			}
			var recs, got []string
			for _, r := range pg.Records {
				recs = append(recs, r.Service+" | "+string(r.Category)+" | "+r.LocationAtRest)
			}
			for _, c := range pg.Claims {
				if c.Line == line {
					got = append(got, strings.TrimSpace(fmt.Sprintf("%s %s", c.Disposition, c.Reason)))
				}
			}
			if strings.Join(recs, "\n") != tc.records {
				t.Errorf("records:\n%s\nwant:\n%s", strings.Join(recs, "\n"), tc.records)
			}
			if strings.Join(got, "\n") != tc.want {
				t.Errorf("claim at line %d: %q, want %q", line, got, tc.want)
			}
		})
	}
}

// TestStatementEndsConditions: the paragraphs after "Required
// Conditions:" are its conditions up to one that is a statement of its
// own: a sentence whose own data verb places data and that requires
// nothing ("Microsoft stores Exchange Online mailbox content at rest in
// the Local Region Geography.") is read as any sentence, a record, not
// `not_transfer: conditional` (the risk left by BLIND4 class 9's fix).
// A condition that names a place without a data verb (exo 2024-12-10
// l.32), or one that requires data to be placed, stays a condition.
func TestStatementEndsConditions(t *testing.T) {
	const head = "# Data Residency for Exchange Online\n\n## Data Residency Commitments Available\n\n### Product Terms\n\nRequired Conditions:\n\n" +
		"Tenant has a sign-up country/region included in Local Region Geography, the European Union or the United States.\n\n"
	for _, tc := range []struct {
		name, after, records, want string
	}{
		{"the condition itself (exo 2024-12-10 l.32)", "",
			"", "not_transfer conditional"},
		{"a statement after it", "Microsoft stores Exchange Online mailbox content at rest in the Local Region Geography.\n",
			"Product Terms | in_region | Local Region Geography", "in_region"},
		{"a statement with a future verb", "Exchange Online mailbox content will be stored at rest in the Local Region Geography.\n",
			"Product Terms | in_region | Local Region Geography", "in_region"},
		{"a second condition (exo 2025-05-09 l.58)", "Customers purchasing Multi‑Geo through the Enterprise Agreement (EA) licensing program must maintain an active Enterprise Agreement.\n",
			"", "not_transfer conditional"},
		{"a condition that requires data placed", "Exchange Online mailbox content must be stored in the Local Region Geography.\n",
			"", "not_transfer conditional"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src, line := head, strings.Count(head, "\n")-1
			if tc.after != "" {
				src, line = head+tc.after, strings.Count(head, "\n")+1
			}
			checkSite(t, src, line, tc.records, tc.want)
		})
	}
}

// TestPlaceNamedBack: a place that points back ("that Geo") is the
// places the sentence named before its verb, where the customer's tenant
// is (BLIND4 class 4: Exchange Online's Product Terms commitment was at
// rest "that Geo", its 17 geos only in the reason). A list with a place
// the profile does not know keeps the place as written (none of its
// items is dropped), and so does a sentence that names no place before
// its verb.
func TestPlaceNamedBack(t *testing.T) {
	const head = "# Data Residency for Exchange Online\n\n## Data Residency Commitments Available\n\n### Product Terms\n\n**Commitment:**\n\n> [!NOTE]\n> "
	for _, tc := range []struct {
		name, sentence, want string
	}{
		{"exo 2024-12-10 l.38",
			"If Customer provisions its tenant in Australia, Brazil, Canada, the European Union, France, Germany, India, Japan, Norway, Qatar, South Africa, South Korea, Sweden, Switzerland, United Arab Emirates, United Kingdom, or United States, Microsoft will store the following Customer Data at rest only within that Geo: Exchange Online mailbox content (e-mail body, calendar entries, and the content of e-mail attachments)",
			"Product Terms | in_region | Australia, Brazil, Canada, European Union, France, Germany, India, Japan, Norway, Qatar, South Africa, South Korea, Sweden, Switzerland, United Arab Emirates, United Kingdom, United States"},
		{"two places",
			"If Customer provisions its tenant in Japan or Australia, Microsoft stores mailbox content at rest only within that Geo.",
			"Product Terms | in_region | Japan, Australia"},
		{"a place the profile does not know",
			"If Customer provisions its tenant in Japan, Atlantis or Australia, Microsoft stores mailbox content at rest only within that Geo.",
			"Product Terms | in_region | that Geo"},
		{"nothing named before",
			"Microsoft stores Exchange Online mailbox content at rest only within that Geo.",
			"Product Terms | in_region | that Geo"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			pg, err := Extract([]byte(head+tc.sentence+"\n"), Options{Profile: m365.Profile(), Aliases: m365.Register(), Path: "microsoft-365/enterprise/m365-dr-workload-exo.md"})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, r := range pg.Records {
				got = append(got, r.Scope+" | "+string(r.Category)+" | "+r.LocationAtRest)
			}
			if strings.Join(got, "\n") != tc.want {
				t.Errorf("records:\n%s\nwant:\n%s", strings.Join(got, "\n"), tc.want)
			}
		})
	}
}

// TestHTMLLinkIsPointer: a pointer to a commitment's terms is one whether
// its link is written in Markdown or as inline HTML ("<a href=…>"), and
// whether the link's text names the terms or only ends the phrase that
// does ("the Privacy and Security Product Terms <a …>webpage</a>") (BLIND4
// class 13: Exchange Online's l.34 was an unread claim where the
// SharePoint page's Markdown link was a reference). A link to a page that
// is no commitment's, and a link whose address is no web address, are no
// pointer.
func TestHTMLLinkIsPointer(t *testing.T) {
	const head = "# Data Residency for Exchange Online\n\n## Data Residency Commitments Available\n\n### Product Terms\n\n"
	const terms = "https://www.microsoft.com/licensing/terms/product/PrivacyandSecurityTerms/all"
	for _, tc := range []struct {
		name, paragraph, want string
	}{
		{"an HTML anchor ending the phrase (exo 2024-12-10 l.34)",
			`_For current language, please refer to the Privacy and Security Product Terms <a href="` + terms + `" target="_blank">**webpage**</a> and view the section titled "Location of Customer Data at Rest for Core Online Services"._`,
			"Product Terms Exchange Online " + terms},
		{"a Markdown link (blind3 spo 2024-02-29 l.34)",
			`_For current language, refer to the [Privacy and Security Product Terms](` + terms + `) and view the section titled "Location of Customer Data at Rest for Core Online Services."_`,
			"Product Terms Exchange Online " + terms},
		{"a Markdown link ending the phrase",
			`For current language, refer to the Privacy and Security Product Terms [webpage](` + terms + `).`,
			"Product Terms Exchange Online " + terms},
		{"an HTML anchor to another page",
			`For current language, please refer to the Microsoft Trust Center <a href="https://www.microsoft.com/trust-center">webpage</a>.`,
			""},
		{"an HTML anchor with no web address",
			`For current language, please refer to the Privacy and Security Product Terms <a href="javascript:alert(1)">webpage</a>.`,
			""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			pg, err := Extract([]byte(head+tc.paragraph+"\n"), Options{Profile: m365.Profile(), Aliases: m365.Register(), Path: "microsoft-365/enterprise/m365-dr-workload-exo.md"})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, r := range pg.References {
				got = append(got, r.Scope+" "+r.Service+" "+r.URL)
			}
			if strings.Join(got, "\n") != tc.want {
				t.Errorf("references:\n%s\nwant:\n%s", strings.Join(got, "\n"), tc.want)
			}
		})
	}
}
