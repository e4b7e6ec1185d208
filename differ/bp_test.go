package differ

import (
	"strings"
	"testing"

	"github.com/residiff/residiff/extractor"
	"github.com/residiff/residiff/serviceid"
	"github.com/residiff/residiff/source/entra"
)

// comparePages extracts two Markdown versions of a page with the Entra
// profile and compares them as the pipeline does.
func comparePages(t *testing.T, oldSrc, newSrc string) []Change {
	t.Helper()
	var ps [2]*extractor.Page
	for i, src := range []string{oldSrc, newSrc} {
		p, err := extractor.Extract([]byte(src), extractor.Options{Page: "data-storage-eu", Profile: entra.Profile(), Aliases: entra.Register()})
		if err != nil {
			t.Fatal(err)
		}
		ps[i] = p
	}
	return Compare(ps[0], ps[1], Options{Lineage: "data-storage-eu", Key: "1..2", OldSource: []byte(oldSrc), NewSource: []byte(newSrc),
		Similar: serviceid.Similar, Profile: entra.Profile(), Aliases: entra.Register()})
}

// TestAdmittedException: a version that said only most of the product's
// data stays in the region admitted exceptions; the next version naming
// some data that does not stay is a claim_changed, not the product newly
// excluded (real history, EU 2018-04-23 → 2018-05-01). Data not named as
// a part stays newly excluded, and the rule is one way: the named
// exception deleted is newly compliant.
func TestAdmittedException(t *testing.T) {
	const (
		head     = "# Where does Azure AD store identity data for European customers\n\n"
		most     = "Most European identity-related data stays in Europe and isn't replicated outside of Europe.\n"
		some     = "\nAdditionally, there is some operational, service-specific data that's required for normal Azure AD operation, which is stored in the U.S. and doesn't include any personal data.\n"
		all      = "\nAdditionally, Azure AD stores the directory data in the U.S.\n"
		allMost  = "European identity-related data stays in Europe.\n"
		excluded = NewlyExcluded
	)
	kinds := func(cs []Change) map[Kind]bool {
		out := map[Kind]bool{}
		for _, c := range cs {
			if c.ServiceID == "entraid" && c.Severity >= Medium {
				out[c.Kind] = true
			}
		}
		return out
	}
	for _, tc := range []struct {
		name      string
		old, new  string
		want, not Kind
	}{
		{"some data named after most stays", head + most, head + most + some, ClaimChanged, excluded},
		{"data not named as a part", head + most, head + most + all, excluded, ""},
		{"all of it stayed before", head + allMost, head + allMost + some, excluded, ""},
		{"the named exception deleted", head + most + some, head + most, NewlyCompliant, ClaimChanged},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := kinds(comparePages(t, tc.old, tc.new))
			if !got[tc.want] || tc.not != "" && got[tc.not] {
				t.Errorf("changes of the product %v; want %s and no %s", got, tc.want, tc.not)
			}
		})
	}
}

// TestConcessiveReason: a reason that gains or loses a leading "While
// most … stays in …," clause keeps the record's facts: not a
// fields_changed (real history, EU 2018-05-17 → 2019-03-04).
func TestConcessiveReason(t *testing.T) {
	an := &anchorer{a: &claimSet{}, b: &claimSet{page: &extractor.Page{Region: "Europe"}}, opts: Options{Profile: entra.Profile()}, facts: map[string][]string{}}
	same := FieldChange{Field: "reason",
		Before: "Additionally, there is some operational data that's required for normal Azure AD operation, which is stored in the U.S.",
		After:  "While most Azure AD-related European identity data stays in European datacenters, there is some operational data that's required for normal Azure AD operation, which is stored in the U.S."}
	if !an.reworded([]FieldChange{same}, func(FieldChange) bool { return false }) {
		t.Errorf("a concessive clause added reads as new facts: %q → %q", same.Before, same.After)
	}
	other := same
	other.After = "While most Azure AD-related European identity data stays in European datacenters, there is some operational data that's required for normal Azure AD operation, which is stored in Asia."
	if an.reworded([]FieldChange{other}, func(FieldChange) bool { return false }) {
		t.Errorf("the main clause's place changed and reads as reworded: %q → %q", other.Before, other.After)
	}
}

// TestSilencedByDeletion: a section that went unread because its read
// sentences were deleted, keeping only lines the older version holds, does
// not blind the comparison; a section with a line of its own does.
func TestSilencedByDeletion(t *testing.T) {
	old := "# Page\n\n## Service\n\nDatacenters exist in North America and Europe.\n\n* Item one is stored in the US.\n* Item two is stored in Europe.\n\n## Next\n\nText.\n"
	w := extractor.Warning{Kind: extractor.UnrecognisedSection, Line: 3, Section: "Service"}
	for _, tc := range []struct {
		name, new string
		want      bool
	}{
		{"the list deleted", "# Page\n\n## Service\n\nDatacenters exist in North America and Europe.\n\n## Next\n\nText.\n", true},
		{"the list deleted, CRLF", strings.ReplaceAll("# Page\n\n## Service\n\nDatacenters exist in North America and Europe.\n\n## Next\n\nText.\n", "\n", "\r\n"), true},
		{"the list made a table", "# Page\n\n## Service\n\nDatacenters exist in North America and Europe.\n\n<table><tr><td>Item one</td><td>US</td></tr></table>\n\n## Next\n\nText.\n", false},
		{"a sentence rewritten", "# Page\n\n## Service\n\nDatacenters exist in North America, Europe and Asia.\n\n## Next\n\nText.\n", false},
	} {
		if got := silencedByDeletion(w, []byte(old), []byte(tc.new)); got != tc.want {
			t.Errorf("%s: silencedByDeletion = %v, want %v", tc.name, got, tc.want)
		}
	}
	if silencedByDeletion(extractor.Warning{Kind: extractor.UnrecognisedPage, Line: 1}, []byte(old), []byte(old)) {
		t.Error("a page-wide warning is silenced")
	}
}

// TestAboutMost: a sentence about most of its data admits exceptions; one
// about "the most" of something does not.
func TestAboutMost(t *testing.T) {
	for _, tc := range []struct {
		s    string
		want bool
	}{
		{"Most European identity-related data stays in European datacenters", true},
		{"While most Azure AD-related European identity data stays in European datacenters, …", true},
		{"Azure AD keeps most of the identity data within European datacenters", true},
		{"The majority of customer data stays in Europe", true},
		{"The most sensitive data stays in European datacenters", false},
		{"For the most part, data stays in Europe", false},
		{"All customer data stays in Europe", false},
	} {
		if got := aboutMost(tc.s); got != tc.want {
			t.Errorf("aboutMost(%q) = %v, want %v", tc.s, got, tc.want)
		}
	}
}
