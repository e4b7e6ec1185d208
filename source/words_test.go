package source_test

import (
	"os"
	"strings"
	"testing"

	"github.com/residiff/residiff/extractor"
	"github.com/residiff/residiff/serviceid"
	"github.com/residiff/residiff/source"
)

// TestProfileWordsRead: the extractor reads a statement's verbs and
// negations with the profile's words, not a list of its own: a profile
// whose data_verbs or negations differ reads the same sentence
// differently.
func TestProfileWordsRead(t *testing.T) {
	data, err := os.ReadFile("m365/profile.yaml")
	if err != nil {
		t.Fatal(err)
	}
	const (
		head      = "# Data Residency for Other Microsoft 365 Services\n\n## Viva Goals\n\n### Data Residency Available\n\n"
		usOutside = "Local Region Geography | outside | United States | "
		canada    = "Local Region Geography | outside | Canada | "
	)
	tests := []struct {
		name, text string
		edit       func(string) string // the profile's text
		want       string
	}{
		{"a verb of the profile", "Viva Goals Customer Data will be kept in the United States.", nil, usOutside},
		{"a verb the profile does not list", "Viva Goals Customer Data will be parked in the United States.", nil, ""},
		{"a verb the profile adds", "Viva Goals Customer Data will be parked in the United States.", addTerm("data_verbs", `{name: parked, match: '\bparked\b', provenance: "made up"}`), usOutside},
		{"a verb the profile drops", "Viva Goals Customer Data will be kept in the United States.", func(s string) string {
			return strings.Replace(s, `match: '\bkeeps?\b|\bkept\b'`, `match: '\bkeeps?\b'`, 1)
		}, ""},
		{"a processing verb", "Viva Goals Customer Data will be stored in the United States.", func(s string) string {
			return strings.Replace(s, `{name: stored, match:`, `{name: stored, process: true, match:`, 1)
		}, "Local Region Geography | outside |  | United States"},
		{"a contrast of the profile", "Viva Goals Customer Data will be stored in Canada instead of the United States.", nil, canada},
		{"a contrast the profile adds", "Viva Goals Customer Data will be stored in Canada in lieu of the United States.", addTerm("negations", `{name: in lieu of, contrast: true, match: '\bin lieu of\b', provenance: "made up"}`), canada},
		{"a contrast the profile does not list", "Viva Goals Customer Data will be stored in Canada in lieu of the United States.", nil, "Local Region Geography | outside | Canada, United States | "},
		{"a negation of the profile", "Viva Goals Customer Data will be stored not in the United States.", nil, ""},
		{"a negation the profile adds", "Viva Goals Customer Data will be stored nimmer in the United States.", addTerm("negations", `{name: nimmer, match: '\bnimmer\b', provenance: "made up"}`), ""},
		{"a negation the profile does not list", "Viva Goals Customer Data will be stored nimmer in the United States.", nil, usOutside},
		{"an access verb of the profile", "Viva Goals Customer Data will be stored in Canada, though it can be shared with users in the United States.", nil, canada},
		{"an access verb the profile adds", "Viva Goals Customer Data will be stored in Canada, though it can be lent to users in the United States.", addTerm("access_verbs", `{name: lent to, match: '\blent to\b', provenance: "made up"}`), canada},
		{"an access verb the profile does not list", "Viva Goals Customer Data will be stored in Canada, though it can be lent to users in the United States.", nil, "Local Region Geography | outside | Canada, United States | "},
		{"no access verbs", "Viva Goals Customer Data will be stored in Canada, though it can be shared with users in the United States.", emptyList("access_verbs"), "Local Region Geography | outside | Canada, United States | "},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			pg := extractEdited(t, data, tc.edit, head+tc.text+"\n", "microsoft-365/enterprise/m365-dr-workload-other.md")
			var got []string
			for _, r := range pg.Records {
				got = append(got, r.Scope+" | "+string(r.Category)+" | "+r.LocationAtRest+" | "+r.Processing)
			}
			if strings.Join(got, "\n") != tc.want {
				t.Errorf("records\n%s\nwant\n%s", strings.Join(got, "\n"), tc.want)
			}
		})
	}
}

// addTerm is an edit of a profile's text that adds the term to the
// vocabulary key, first.
// emptyList is an edit of a profile's text that empties the list under
// key.
func emptyList(key string) func(string) string {
	return func(s string) string {
		head, rest, _ := strings.Cut(s, "\n"+key+":\n")
		for strings.HasPrefix(rest, "  - ") {
			_, rest, _ = strings.Cut(rest, "\n")
		}
		return head + "\n" + key + ": []\n" + rest
	}
}

// extractEdited extracts page, at path, with the profile whose text is
// data after edit (none when nil; an edit that changes nothing fails).
func extractEdited(t *testing.T, data []byte, edit func(string) string, page, path string) *extractor.Page {
	t.Helper()
	text := string(data)
	if edit != nil {
		if text = edit(text); text == string(data) {
			t.Fatal("the edit changed nothing")
		}
	}
	p, err := source.Parse([]byte(text))
	if err != nil {
		t.Fatal(err)
	}
	pg, err := extractor.Extract([]byte(page), extractor.Options{Profile: p, Aliases: serviceid.MustNew(p), Path: path})
	if err != nil {
		t.Fatal(err)
	}
	return pg
}

func addTerm(key, term string) func(string) string {
	return func(s string) string {
		return strings.Replace(s, "\n"+key+":\n", "\n"+key+":\n  - "+term+"\n", 1)
	}
}

// TestProfileMoveTimesRead: which words tie a place to the time before
// or during a move of data is the profile's move_times, not a list of the
// extractor's: a site that places data in the region while a move is
// under way is in region for a profile with no such words, and not for
// one that lists the word its clause opens with (BLIND5 class 3).
func TestProfileMoveTimesRead(t *testing.T) {
	data, err := os.ReadFile("m365/profile.yaml")
	if err != nil {
		t.Fatal(err)
	}
	const head = "# Multi-Geo Capabilities in Exchange Online\n\n## Feature limitations for multi-geo in Exchange Online\n\n"
	tests := []struct {
		name, text string
		edit       func(string) string // the profile's text
		inRegion   bool
	}{
		{"a word of the profile", "- While you move a mailbox to a new geo location, its primary and archive mailboxes are in different geo locations.", nil, false},
		{"no move times", "- While you move a mailbox to a new geo location, its primary and archive mailboxes are in different geo locations.", emptyList("move_times"), true},
		{"a word the profile does not list", "- Amid a move of the mailbox to a new geo location, its primary and archive mailboxes are in different geo locations.", nil, true},
		{"a word the profile adds", "- Amid a move of the mailbox to a new geo location, its primary and archive mailboxes are in different geo locations.",
			addTerm("move_times", `{name: during, match: '\bamid\b', provenance: "made up"}`), false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			pg := extractEdited(t, data, tc.edit, head+tc.text+"\n", "microsoft-365/enterprise/m365-dr-workload-exo.md")
			var got []string
			for _, c := range pg.Claims {
				if c.Line == 5 {
					got = append(got, string(c.Disposition))
				}
			}
			if in := len(got) == 1 && got[0] == string(extractor.StatedInRegion); in != tc.inRegion {
				t.Errorf("claims %v at line 5, in region %v, want %v", got, in, tc.inRegion)
			}
		})
	}
}
