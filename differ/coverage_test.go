package differ

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/residiff/residiff/extractor"
	"github.com/residiff/residiff/serviceid"
	"github.com/residiff/residiff/source/m365"
)

// commitmentPage is a Microsoft 365 commitments page in the shape of
// m365-dr-commitments 2024-02-29: one section per workload, each a lead-in
// and the list of data it keeps in the region. A section is its heading,
// then its items.
func commitmentPage(intro string, sections ...[]string) string {
	var b strings.Builder
	b.WriteString("---\ntitle: Advanced Data Residency Commitments\nms.date: 02/29/2024\n---\n\n# Advanced Data Residency Commitments\n\n")
	if intro != "" {
		b.WriteString(intro + "\n\n")
	}
	b.WriteString("Microsoft makes commitments to store certain customer data at rest in the applicable _Local Region Geography_ for eligible customers that purchase ADR. The commitments are specified as follows.\n\n")
	for _, s := range sections {
		fmt.Fprintf(&b, "## %s\n\nThe following customer data is stored at rest in the _Local Region Geography_:\n\n", s[0])
		for _, it := range s[1:] {
			b.WriteString("- " + it + "\n")
		}
		b.WriteString("\n")
	}
	return b.String()
}

// The sections, as the real page words them.
var (
	exo     = []string{"Exchange Online", "Exchange Online mailbox content (e-mail body, calendar entries, and the content of e-mail attachments)"}
	teams   = []string{"Microsoft Teams", "Microsoft Teams chat messages (including private messages, channel messages, meeting messages and images used in chats)"}
	copilot = []string{"Microsoft 365 Copilot", "Any stored content of interactions with Microsoft 365 Copilot to the extent not included in the preceding commitments."}
	ome     = []string{"Office Message Encryption (OME)", "Encryption policies, admin settings and encrypted messages"}
	// retention lists, among its data, an item that names another
	// workload's words (m365-dr-commitments 2024-02-29.2 "Training
	// classifiers").
	retention = []string{"Data Retention", "Retention policy settings and retention label definitions", "Training classifiers"}
)

// classifiersBare is a workload section with a bare list of data and no
// lead-in, as m365-dr-commitments 2024-02-29.3 writes "#### Classifiers".
const classifiersBare = "## Classifiers\n\n- Sensitive information types, including Enhanced Data Match (EDM) and Trainable Classifiers, configured by customers\n"

// copilotTable is the Copilot section with its item in an HTML table.
const copilotTable = "## Microsoft 365 Copilot\n\n<table><tr><td>Any stored content of interactions with Microsoft 365 Copilot to the extent not included in the preceding commitments.</td></tr></table>\n"

// TestCoverage: a service entering or leaving a commitment's list is the
// news of a commitment page, held to the text like every other change.
func TestCoverage(t *testing.T) {
	prof, reg := m365.Profile(), m365.Register()
	const adr = "Advanced Data Residency"
	type want struct {
		kind    Kind
		service string
	}
	for _, tc := range []struct {
		name     string
		old, new string
		// want are the medium and high changes, in any order.
		want []want
	}{
		{"a workload section added: newly covered",
			commitmentPage("", exo, teams), commitmentPage("", exo, teams, copilot),
			[]want{{NewlyCompliant, "Microsoft 365 Copilot"}}},
		{"a workload section removed: no longer covered",
			commitmentPage("", exo, teams, copilot), commitmentPage("", exo, teams),
			[]want{{NewlyExcluded, "Microsoft 365 Copilot"}}},
		{"removed, with a note that names it: still no longer covered",
			commitmentPage("", exo, teams, copilot), commitmentPage("> [!NOTE]\n> Microsoft 365 Copilot is no longer a supported workload in ADR.", exo, teams),
			[]want{{NewlyExcluded, "Microsoft 365 Copilot"}}},
		{"added, but the older page already named it: a person must look",
			commitmentPage("> [!NOTE]\n> Microsoft 365 Copilot will join the commitments.", exo, teams), commitmentPage("> [!NOTE]\n> Microsoft 365 Copilot will join the commitments.", exo, teams, copilot),
			[]want{{ClaimChanged, "Microsoft 365 Copilot"}}},
		{"a section with a bare list under the page's commitment, its name only inside another workload's data before: newly covered",
			commitmentPage("", exo, retention), commitmentPage("", exo, retention) + classifiersBare,
			[]want{{NewlyCompliant, "Classifiers"}}},
		{"data moved from another workload's list to a section of its own: a person must look",
			commitmentPage("", exo, retention), commitmentPage("", exo, []string{retention[0], retention[1]}, []string{"Classifiers", "Training classifiers, custom classifier definitions"}),
			[]want{{FieldsChanged, "Data Retention"}, {ClaimChanged, "Classifiers"}}},
		{"the same sections reordered: nothing",
			commitmentPage("", exo, teams, copilot), commitmentPage("", copilot, teams, exo),
			nil},
		{"a heading that drops words: renamed, not left and entered",
			commitmentPage("", exo, []string{"Microsoft Teams Data Residency Commitments", teams[1]}), commitmentPage("", exo, teams),
			nil},
		{"a comma list split into one item a line: the same data",
			commitmentPage("", exo, ome), commitmentPage("", exo, []string{ome[0], "Encryption policies", "Admin settings", "Encrypted messages"}),
			nil},
		{"a data item replaced: what the commitment keeps changed",
			commitmentPage("", exo, ome), commitmentPage("", exo, []string{ome[0], "Encryption policies", "Segments configuration", "Encrypted messages"}),
			[]want{{FieldsChanged, "Office Message Encryption (OME)"}}},
		{"the section's list became an HTML table the extractor cannot read: a person must look, never no longer covered",
			commitmentPage("", exo, teams, copilot), commitmentPage("", exo, teams) + copilotTable,
			[]want{{ExtractionDrift, "Microsoft 365 Copilot"}}},
		{"an unreadable HTML table became a list: a first read, never newly covered",
			commitmentPage("", exo, teams) + copilotTable, commitmentPage("", exo, teams, copilot),
			nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			extract := func(src string) *extractor.Page {
				p, err := extractor.Extract([]byte(src), extractor.Options{Profile: prof, Aliases: reg, Page: "m365-dr-commitments", Path: "microsoft-365/enterprise/m365-dr-commitments.md"})
				if err != nil {
					t.Fatal(err)
				}
				return p
			}
			got := Compare(extract(tc.old), extract(tc.new), Options{Lineage: "m365-dr-commitments", Key: "1..2", OldSource: []byte(tc.old), NewSource: []byte(tc.new),
				Similar: serviceid.Similar, Profile: prof, Aliases: reg})
			var have []want
			for _, c := range got {
				if c.Severity < Medium {
					continue
				}
				if c.Kind != ClaimChanged && c.Scope != adr {
					t.Errorf("%s %q: scope %q, want %q", c.Kind, c.Service, c.Scope, adr)
				}
				have = append(have, want{c.Kind, c.Service})
			}
			sortWants := func(ws []want) {
				slices.SortFunc(ws, func(a, b want) int { return strings.Compare(string(a.kind)+a.service, string(b.kind)+b.service) })
			}
			sortWants(have)
			sortWants(tc.want)
			if !slices.Equal(have, tc.want) {
				t.Errorf("medium and high changes %v, want %v", have, tc.want)
				for _, c := range got {
					t.Logf("  %s %s %q %s %s: %s", c.Severity, c.Kind, c.Service, c.Scope, c.Category, c.Detail)
				}
			}
			for _, c := range got {
				if c.Covers() && c.Evidence == nil {
					t.Errorf("%s %q carries no evidence", c.Kind, c.Service)
				}
			}
		})
	}
}

// TestCoverageFirstVersion: a page's first list is its page_added, not a
// run of "newly covered" services.
func TestCoverageFirstVersion(t *testing.T) {
	prof, reg := m365.Profile(), m365.Register()
	src := commitmentPage("", exo, teams, copilot)
	p, err := extractor.Extract([]byte(src), extractor.Options{Profile: prof, Aliases: reg, Page: "m365-dr-commitments", Path: "microsoft-365/enterprise/m365-dr-commitments.md"})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range Compare(nil, p, Options{NewSource: []byte(src), Profile: prof, Aliases: reg}) {
		if c.Covers() {
			t.Errorf("first version: %s %q", c.Kind, c.Service)
		}
	}
}

func TestSameItems(t *testing.T) {
	for _, tc := range []struct {
		x, y string
		same bool
	}{
		{"Encryption policies, admin settings and encrypted messages", "Encryption policies; Admin settings; Encrypted messages", true},
		{"Policy settings, risk indicators and admin settings", "Policy settings; Risk indicators; Segments Configuration", false},
		{"A; B", "B; A", true},
		{"A; B", "A; B; C", false},
		{"", "", false},
	} {
		if got := sameItems(tc.x, tc.y); got != tc.same {
			t.Errorf("sameItems(%q, %q) = %v, want %v", tc.x, tc.y, got, tc.same)
		}
	}
}

// TestAttribute: a changed sentence the records do not explain is put
// under the service of the section it stands in and that service's scope,
// so it can be routed and matched.
func TestAttribute(t *testing.T) {
	prof, reg := m365.Profile(), m365.Register()
	old := commitmentPage("", exo, teams)
	note := "## Microsoft Teams\n\nMeeting recordings are migrated to the OneDrive storage of the user that initiates the recording, which may be in another geography.\n\n"
	cur := strings.Replace(old, "## Microsoft Teams\n\n", note, 1)
	if cur == old {
		t.Fatal("the note was not inserted")
	}
	extract := func(src string) *extractor.Page {
		p, err := extractor.Extract([]byte(src), extractor.Options{Profile: prof, Aliases: reg, Page: "m365-dr-commitments", Path: "microsoft-365/enterprise/m365-dr-commitments.md"})
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	got := Compare(extract(old), extract(cur), Options{Lineage: "m365-dr-commitments", Key: "1..2", OldSource: []byte(old), NewSource: []byte(cur),
		Similar: serviceid.Similar, Profile: prof, Aliases: reg})
	found := false
	for _, c := range got {
		t.Logf("%s %s %q %q", c.Severity, c.Kind, c.Service, c.Scope)
		if c.Kind == ClaimChanged && c.Evidence != nil && c.Evidence.New != nil && strings.Contains(c.Evidence.New.Text, "Meeting recordings") {
			found = true
			if c.Service != "Microsoft Teams" || c.Scope != "Advanced Data Residency" {
				t.Errorf("the note's claim_changed is under %q / %q, want Microsoft Teams / Advanced Data Residency", c.Service, c.Scope)
			}
		}
	}
	if !found {
		t.Error("no claim_changed shows the note")
	}
}

// countryTable is m365-dr-overview's table of geographies against
// workloads (Table 3), cut to a few rows, with its legend; rows are
// "| <geography> | <Exchange Online> | <MDO P1> |".
func countryTable(rows ...string) string {
	return "---\ntitle: Overview and Definitions\nms.date: 02/29/2024\n---\n\n# Overview and Definitions\n\n#### Table 2: Available Data Residency by Workload\n\n" +
		"| Service Name | Product Terms | Multi-Geo | ADR |\n|:-----|:-----|:-----|:-----|\n|Exchange Online |X |X |X |\n| Microsoft Defender for Office P1 |- |- |X |\n\n" +
		"#### Table 3: Available Data Residency by Country/Region\n\n| Country/Region | Exchange Online | MDO P1 |\n| --- | --- | --- |\n" +
		strings.Join(rows, "\n") + "\n\nP: Product Terms Data Residency<br>\nM: Multi-Geo Data Residency<br>\nA: Advanced Data Residency\n"
}

// TestCoverageRows: a commitment's rows per geography gaining or losing
// geographies is one scope change per service and scope; a row not in
// force yet ("(future)") is none; rows new to a scope the workload table
// already lists the service in are no news.
func TestCoverageRows(t *testing.T) {
	prof, reg := m365.Profile(), m365.Register()
	type want struct {
		kind    Kind
		service string
		scope   string
	}
	for _, tc := range []struct {
		name     string
		old, new string
		want     []want
	}{
		{"a future row comes into force: offered in one more geography",
			countryTable("| Australia | P-M-A | A |", "| Poland (future) | M-A | A |"), countryTable("| Australia | P-M-A | A |", "| Poland | M-A | A |"),
			[]want{{ScopeChanged, "Exchange Online", "Multi-Geo"}, {ScopeChanged, "Exchange Online", "Advanced Data Residency"}, {ScopeChanged, "MDO P1", "Advanced Data Residency"}}},
		{"a row dropped: offered in one geography less",
			countryTable("| Australia | P-M-A | A |", "| Poland | M-A | A |"), countryTable("| Australia | P-M-A | A |"),
			[]want{{ScopeChanged, "Exchange Online", "Multi-Geo"}, {ScopeChanged, "Exchange Online", "Advanced Data Residency"}, {ScopeChanged, "MDO P1", "Advanced Data Residency"}}},
		{"the same rows reordered, a future row still future: nothing",
			countryTable("| Australia | P-M-A | A |", "| Canada | P-M-A | A |", "| Poland (future) | M-A | A |"), countryTable("| Canada | P-M-A | A |", "| Poland (future) | M-A | A |", "| Australia | P-M-A | A |"),
			nil},
		{"the table's rows new to the page, the workload table already listing the service: nothing",
			countryTable(), countryTable("| Australia | P-M-A | A |"),
			nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			extract := func(src string) *extractor.Page {
				p, err := extractor.Extract([]byte(src), extractor.Options{Profile: prof, Aliases: reg, Page: "m365-dr-overview", Path: "microsoft-365/enterprise/m365-dr-overview.md"})
				if err != nil {
					t.Fatal(err)
				}
				return p
			}
			got := Compare(extract(tc.old), extract(tc.new), Options{Lineage: "m365-dr-overview", Key: "1..2", OldSource: []byte(tc.old), NewSource: []byte(tc.new),
				Similar: serviceid.Similar, Profile: prof, Aliases: reg})
			var have []want
			for _, c := range got {
				if c.Severity < Medium || c.Kind == ClaimChanged {
					continue
				}
				have = append(have, want{c.Kind, c.Service, c.Scope})
			}
			key := func(w want) string { return string(w.kind) + w.service + w.scope }
			slices.SortFunc(have, func(a, b want) int { return strings.Compare(key(a), key(b)) })
			slices.SortFunc(tc.want, func(a, b want) int { return strings.Compare(key(a), key(b)) })
			if !slices.Equal(have, tc.want) {
				t.Errorf("changes %v, want %v", have, tc.want)
				for _, c := range got {
					t.Logf("  %s %s %q %s %s: %s", c.Severity, c.Kind, c.Service, c.Scope, c.Category, c.Detail)
				}
			}
		})
	}
}
