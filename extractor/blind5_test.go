package extractor

import (
	"strings"
	"testing"

	"github.com/residiff/residiff/source/m365"
)

// TestCommitmentBoundIsWarned: a sentence that bounds a commitment — a
// service leaving a scope ("will no longer be a supported workload in
// ADR", "was removed from the supported workloads in ADR") or a guarantee
// denied about where data goes ("doesn't guarantee email routing through
// a dedicated geo-specific region") — is a claim site, never silent and
// never in region: it stays unread, with a warning at its line (BLIND5
// classes 1 and 5: Viva Topics 2024-02-29 l.33 and 2024-02-29.2 l.27 and
// Exchange Multi-Geo 2023-06-20 l.29 were no claim sites, so the page's
// ADR pointer still read as the whole truth). A sentence that denies a
// guarantee of nothing residency speaks of stays no site.
func TestCommitmentBoundIsWarned(t *testing.T) {
	const head = "# Data Residency for Viva Topics\n\n## Data Residency Commitments Available\n\n### Advanced Data Residency add-on\n\n"
	for _, tc := range []struct {
		name, sentence string
		want           string // the claim's disposition prefix at line 7; "" no site
	}{
		{"withdrawn, future (viva-topics 2024-02-29 l.33)",
			"Therefore, as of October 31, 2024, Viva Topics will no longer be a supported workload in ADR.", "unread"},
		{"withdrawn, past (viva-topics 2024-02-29.2 l.27)",
			"Viva Topics was retired on February 22, 2025 and was removed from the supported workloads in ADR on October 31, 2024.", "unread"},
		{"withdrawn, present, covered by",
			"Viva Engage is no longer covered by the Advanced Data Residency commitment.", "unread"},
		{"withdrawn, included in Multi-Geo",
			"As of March 1, 2025, Viva Engage is no longer included in the Multi-Geo add-on.", "unread"},
		{"no guarantee, contracted (exchange multi-geo 2023-06-20 l.29)",
			"This feature doesn't guarantee email routing through a dedicated geo-specific region (data in transit).", "unread"},
		{"no guarantee, full (exchange multi-geo 2020-08-10 l.31)",
			"This feature does not guarantee email routing through a dedicated geo-specific region (data in transit).", "unread"},
		{"no guarantee of staying in the region",
			"Microsoft doesn't guarantee that mail in transit is routed through the same geo location.", "unread"},
		{"no guarantee that data stays in the scope's region",
			"Microsoft doesn't guarantee that data in transit stays in the _Local Region Geography_.", "unread"},
		{"no guarantee of anything residency names",
			"This feature doesn't guarantee that every message arrives.", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, claims := blind4Read(t, head+tc.sentence+"\n", false, 7)
			if tc.want == "" {
				if claims != "" {
					t.Errorf("%q: claim %q, want no claim site", tc.sentence, claims)
				}
				return
			}
			if !strings.HasPrefix(claims, tc.want) {
				t.Errorf("%q: claim %q, want %s", tc.sentence, claims, tc.want)
			}
		})
	}
}

// TestStateDuringMoveIsNotInRegion: a site that says where data is only
// while a move of it is under way (or before it is done) never states the
// data in region: BLIND5 class 3 (Exchange Multi-Geo 2020-08-10 l.53 "…
// while you move their mailbox to a new geo location. This condition
// occurs when the user's the primary and archive mailboxes are in
// different geo locations" was disposed in_region), the residue of BLIND4
// class 2's once / until / not yet. Which words tell that time is the
// profile's move_times (a phrase of time, or a move's aspect: "being
// moved"). What holds after the move stays read.
func TestStateDuringMoveIsNotInRegion(t *testing.T) {
	const head = "# Multi-Geo Capabilities in Exchange Online\n\n## Feature limitations for multi-geo in Exchange Online\n\n"
	for _, tc := range []struct {
		name, text string
		inRegion   bool
	}{
		{"while a move (exchange multi-geo 2020-08-10 l.53)",
			"- Outlook for Mac users may experience a temporary loss of access to their Online Archive folder while you move their mailbox to a new geo location. This condition occurs when the user's the primary and archive mailboxes are in different geo locations, because cross-geo mailbox moves may complete at different times.", false},
		{"during a migration",
			"- During the migration of their mailbox to a new geo location, the user's primary and archive mailboxes are in different geo locations.", false},
		{"before a move is done",
			"- Before the mailbox is moved to a new geo location, its primary and archive mailboxes are in different geo locations.", false},
		{"once moved (blind4's rule, kept)",
			"- The primary and archive mailboxes are in different geo locations until both have been moved to the new geo location.", false},
		// The time told otherwise than by main's first words (the
		// profile's move_times: a phrase, a verb's aspect).
		{"for the duration of a move",
			"- For the duration of the move of a mailbox to a new geo location, its primary and archive mailboxes are in different geo locations.", false},
		{"prior to a move",
			"- Prior to the move of the archive to a new geo location, the primary and archive mailboxes are in different geo locations.", false},
		{"a move under way, no word of time",
			"- Mailboxes that are being moved to a new geo location have their primary and archive parts in different geo locations.", false},
		{"after the move, where it stays",
			"- After the move completes, the primary and archive mailboxes are in the same geo location.", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, claims := blind4Read(t, head+tc.text+"\n", false, 5)
			if got := strings.HasPrefix(claims, "in_region"); got != tc.inRegion {
				t.Errorf("%q: claim %q, in region %v, want %v", tc.text, claims, got, tc.inRegion)
			}
			if !tc.inRegion && claims == "" {
				t.Errorf("%q: no claim site, want one (unread at least)", tc.text)
			}
		})
	}
}

// TestNegationPointsInOrOut: which way a negated sentence points decides
// what it says. Denying that data is in the region, or is brought into
// it ("is not stored in the new Geography", "won't be stored in the Local
// Region Geography", "is no longer stored in …", "is not stored in the EU
// Data Boundary" on the EU page), says the data is not where the
// commitment puts it: never a silent `negated` (nor the `past` of "no
// longer"), it stays unread, with a warning (BLIND5 class 2: Viva
// Topics' "nor will new customers have Viva Topics stored in existing
// local regions"; BLIND4 class 7). Denying that data leaves the region
// ("is not transferred from", "is not moved out of", "is not stored in
// other regions", "is not moved to another geography") is no transfer, and
// a negation of no place ("is not stored in plain text") says nothing of
// where.
func TestNegationPointsInOrOut(t *testing.T) {
	const m365Head = "# Data Residency for Exchange Online\n\n## Migration\n\n"
	const euHead = "# Data storage and processing for EU customers in Microsoft Entra ID\n\n## Services\n\n"
	for _, tc := range []struct {
		name     string
		entra    bool
		sentence string
		want     string
	}{
		{"not stored in the region's place", false, "Exchange Online mailbox content is not stored in the new _Geography_.", "unread"},
		{"not stored at rest within (advanced-data-residency 2024-09-05 l.95)", false,
			"If any customer tenant data covered by the Advanced Data Residency feature is not stored at rest within the customer's eligible _Local Region Geography_, then a data migration is needed.", "unread"},
		{"won't be stored in", false, "Exchange Online mailbox content won't be stored in the _Local Region Geography_.", "unread"},
		{"no longer stored in", false, "Exchange Online mailbox content is no longer stored in the _Local Region Geography_.", "unread"},
		{"not stored in the customer's region", false, "Exchange Online mailbox content is not stored in the customer's region.", "unread"},
		{"not migrated to new local regions (viva-topics 2024-02-29 l.33)", false,
			"Starting with the upcoming local region launches in Taiwan and New Zealand, Viva Topics customer data will not be migrated to new local regions, nor will new customers have Viva Topics stored in existing local regions.", "unread"},
		{"not transferred from", false, "Exchange Online mailbox content is not transferred from the _Local Region Geography_.", "not_transfer negated"},
		{"not moved out of", false, "Exchange Online mailbox content is not moved out of the _Local Region Geography_.", "in_region"},
		{"not stored in other regions", false, "Exchange Online mailbox content is not stored in other regions.", "not_transfer negated"},
		{"not moved to another geography", false, "Exchange Online mailbox content is not moved to another geography.", "not_transfer negated"},
		{"not stored in plain text", false, "Exchange Online mailbox content is not stored in plain text.", "not_transfer negated"},
		{"the past", false, "Exchange Online mailbox content was previously stored in the _Local Region Geography_.", "not_transfer past"},
		{"EU: not stored in the EU Data Boundary", true, "Multifactor authentication data is not stored in the EU Data Boundary.", "unread"},
		{"EU: not kept in European datacenters", true, "Multifactor authentication logs are not kept in European datacenters.", "unread"},
		{"EU: not stored outside", true, "Multifactor authentication data is not stored outside the EU Data Boundary.", "in_region"},
		{"EU: not stored", true, "Multifactor authentication data is not stored.", "not_transfer negated"},
		// A contraction denies as its full form does: "isn't stored in"
		// the region was an in_region record, a false compliant.
		{"EU: isn't stored in the EU Data Boundary", true, "Multifactor authentication data isn't stored in the EU Data Boundary.", "unread"},
		{"EU: aren't kept in European datacenters", true, "Multifactor authentication logs aren’t kept in European datacenters.", "unread"},
		{"EU: isn't stored outside", true, "Multifactor authentication data isn't stored outside the EU Data Boundary.", "in_region"},
		{"EU: was not replicated to the United States", true, "Multifactor authentication data was not replicated to the United States.", "unread"},
		{"EU: wasn't replicated to the United States", true, "Multifactor authentication data wasn't replicated to the United States.", "unread"},
		{"weren't migrated to the new Geography", false, "Exchange Online mailboxes weren't migrated to the new _Geography_.", "unread"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			head := m365Head
			if tc.entra {
				head = euHead
			}
			line := strings.Count(head, "\n") + 1
			_, claims := blind4Read(t, head+tc.sentence+"\n", tc.entra, line)
			if !strings.HasPrefix(claims, tc.want) {
				t.Errorf("%q: claim %q, want %s", tc.sentence, claims, tc.want)
			}
		})
	}
}

// TestItemAdviceBySentence: an item under a lead-in that places nothing
// itself is advice when one of its sentences is ("Check how each service
// …" opening its second sentence) and no other sentence stores or moves
// data, whatever the lead-in says; an item whose own sentence stores data
// stays the lead-in's exclusion though a reference follows it.
func TestItemAdviceBySentence(t *testing.T) {
	const head = "# Where Azure AD stores identity data for European customers\n\n## Data stored outside of European datacenters\n\n" +
		"Azure AD data that isn't kept in European datacenters includes:\n\n"
	for _, tc := range []struct {
		name, item string
		want       string // the item's claim disposition at line 7
	}{
		{"advice in the second sentence", "- **Services and apps integrated with Azure AD**: Any service or app that integrates with Azure AD can read identity data. Check how each service and app processes identity data.", "not_transfer"},
		{"advice alone: no claim site", "- **Services and apps integrated with Azure AD**: Evaluate each service and app that integrates with Azure AD.", ""},
		{"data stored, then a reference", "- **Azure AD B2B**: B2B stores its non-personal metadata in tables. See the B2B overview for the fields.", "record"},
		{"nothing but the name", "- **Azure AD B2B**", "record"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, claims := blind4Read(t, head+tc.item+"\n", true, 7)
			if tc.want == "" && claims != "" || !strings.HasPrefix(claims, tc.want) {
				t.Errorf("%q: claim %q, want %s", tc.item, claims, tc.want)
			}
		})
	}
}

// TestDataWithinOtherServicesIsWarned: a sentence that says where data is
// by naming the services it lives in ("Data is stored within Exchange
// Online, SharePoint Online and Microsoft Teams") states a location, one
// residiff does not resolve: it is unread, with a warning of its own that
// names the service, never a silent "no place" (BLIND5 class 6: Viva
// Topics and Viva Connections l.44–49, five versions). Data stored within
// the page's own service is where the page says that service keeps it,
// and a service named far from the data verb is not where data is put.
func TestDataWithinOtherServicesIsWarned(t *testing.T) {
	for _, tc := range []struct {
		name, head, sentence string
		want                 string // the claim's disposition prefix at line 5
		warned               string // the service the warning names; "" none
	}{
		{"stored within three services (viva-connections 2022-09-20 l.44)", "# Data Residency for Viva Connections\n\n## Migration\n\n",
			"Data is stored within Exchange Online, SharePoint Online and Microsoft Teams. Migration processes are handled by the applicable/relevant workloads.",
			"unread", "Exchange Online"},
		{"maintained within (viva-topics 2024-02-29 l.49)", "# Data Residency for Viva Topics\n\n## Migration\n\n",
			"Data stored is maintained within Exchange Online, SharePoint, and Microsoft Teams.", "unread", "Exchange Online"},
		{"stores its data in another service (workload-other OneNote)", "# Data Residency for Other Microsoft 365 Services\n\n## OneNote Services\n\n",
			"OneNote stores customer data in OneDrive.", "unread", "OneDrive"},
		{"kept in the page's own service", "# Data Residency for SharePoint Online\n\n## Data movement\n\n",
			"The metadata associated with sites and their files is stored within SharePoint.", "not_transfer", ""},
		{"a service far from the data verb", "# Data Residency for Microsoft 365 Copilot\n\n## Copilot\n\n",
			"For example, this stored data provides users with Copilot interaction history in Microsoft Teams.", "not_transfer", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src := tc.head + tc.sentence + "\n"
			_, claims := blind4Read(t, src, false, 5)
			if !strings.HasPrefix(claims, tc.want) {
				t.Errorf("%q: claim %q, want %s", tc.sentence, claims, tc.want)
			}
			pg, err := Extract([]byte(src), Options{Profile: m365.Profile(), Aliases: m365.Register()})
			if err != nil {
				t.Fatal(err)
			}
			got := ""
			for _, w := range pg.Warnings {
				if w.Line == 5 && strings.Contains(w.Message, "within other services") {
					got = w.Message
				}
			}
			if tc.warned == "" && got != "" {
				t.Errorf("%q: warned %q, want no such warning", tc.sentence, got)
			}
			if tc.warned != "" && !strings.Contains(got, "("+tc.warned+")") {
				t.Errorf("%q: warning %q, want one naming %s", tc.sentence, got, tc.warned)
			}
		})
	}
}

// TestMovedDataIsItsServicesAtItsSetting: the service of a sentence that
// moves data is whose data it moves — on a page whose title names one
// service, that service ("the mailbox for those users" on "Multi-Geo
// Capabilities in Exchange Online"), never the product because a scope or
// the product is named in a clause of time ("after multi-geo is enabled
// on the Microsoft 365 tenant") — and a place a setting gives ("the
// specified geo location", the tenant's "central geo location") is the
// record's place as written, never an in-region record with no place
// (BLIND5 class 4: Exchange Multi-Geo l.43 was a record of Microsoft 365,
// at rest ""). A page whose title names no one service keeps the product.
func TestMovedDataIsItsServicesAtItsSetting(t *testing.T) {
	const note = "> [!NOTE]\n> If you configure **PreferredDataLocation** values on user objects for regionally hosted meetings, the mailbox for those users will be automatically moved to the specified geo location after multi-geo is enabled on the Microsoft 365 tenant.\n"
	for _, tc := range []struct {
		name, src string
		want      string // service | category | at rest, one record
	}{
		{"the page's one service (exchange multi-geo 2023-06-20 l.43)",
			"# Multi-Geo Capabilities in Exchange Online\n\n## Mailbox placement and moves\n\n" + note,
			"Exchange Online | in_region | specified geo location"},
		{"the service named first",
			"# Exchange Online mailboxes in a multi-geo tenant\n\n## Mailbox placement and moves\n\n" + note,
			"Exchange Online | in_region | specified geo location"},
		{"the tenant's central geo location (exchange multi-geo 2023-06-20 l.53)",
			"# Multi-Geo Capabilities in Exchange Online\n\n## Feature limitations for multi-geo in Exchange Online\n\n- Public folders are supported in multi-geo organizations. However, the public folders must remain in the central geo location.\n",
			"Exchange Online | in_region | central geo location"},
		{"a title of two services: the product",
			"# Multi-Geo Capabilities in Exchange Online and Microsoft Teams\n\n## Mailbox placement and moves\n\n" + note,
			"Microsoft 365 | in_region | specified geo location"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			pg, err := Extract([]byte(tc.src), Options{Profile: m365.Profile(), Aliases: m365.Register()})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, r := range pg.Records {
				got = append(got, r.Service+" | "+string(r.Category)+" | "+r.LocationAtRest)
			}
			if strings.Join(got, "\n") != tc.want {
				t.Errorf("records\n%s\nwant\n%s", strings.Join(got, "\n"), tc.want)
			}
		})
	}
}
