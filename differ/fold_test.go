package differ

import (
	"testing"

	"github.com/residiff/residiff/extractor"
	"github.com/residiff/residiff/serviceid"
	"github.com/residiff/residiff/source/entra"
)

// TestFoldAcrossHeadings: the extractor folds an in_region statement into
// the transfer of its own section and keeps one under another heading
// apart (extractor/onekey.go). A heading added or removed between the two
// statements moves the places between the records: no place changed, and
// nothing medium or high may say so (BLIND3 class 18). Deleting the
// transfer stays a high change quoting its sentence, whichever way the
// older version read it: the in_region statement never stands in for it.
func TestFoldAcrossHeadings(t *testing.T) {
	const (
		head  = "# Customer data storage for European customers\n\n## Multifactor authentication\n\n"
		push  = "Multifactor authentication stores push notification data in EU datacenters.\n\n"
		phone = "Multifactor authentication phone calls originate from United States datacenters" // as a claim site quotes it
		sub   = "### Phone calls\n\n"
	)
	apart := head + push + sub + phone + ".\n"
	folded := head + push + phone + ".\n"
	gone := head + push + sub + "Phone calls are made by the service.\n"
	unread := head + push + sub + "Multifactor authentication phone calls can originate from other locations.\n"
	for _, tc := range []struct {
		name, old, new string
		high           bool // a high change must quote the transfer's sentence
		medium         bool // a medium change may say the text changed
	}{
		{"a heading put between them", folded, apart, false, false},
		{"the heading between them removed", apart, folded, false, false},
		{"the transfer deleted, read apart", apart, gone, true, false},
		{"the transfer deleted, read folded", folded, gone, true, false},
		// The transfer reworded past reading, its service still named:
		// the in-region statement beside it (read apart, as before) is
		// no news; the change must not say the service became compliant.
		{"the transfer reworded past reading, read apart", apart, unread, false, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			opts := extractor.Options{Profile: entra.Profile()}
			a, err := extractor.Extract([]byte(tc.old), opts)
			if err != nil {
				t.Fatal(err)
			}
			b, err := extractor.Extract([]byte(tc.new), opts)
			if err != nil {
				t.Fatal(err)
			}
			cs := Compare(a, b, Options{Lineage: "p", Key: "1..2", OldSource: []byte(tc.old), NewSource: []byte(tc.new),
				Similar: serviceid.Similar, Profile: entra.Profile(), Aliases: entra.Register()})
			quoted := false
			for _, c := range cs {
				if c.Severity >= Medium && !tc.high && !tc.medium || c.Severity >= High && !tc.high {
					t.Errorf("%s %s (%s): %+v", c.Severity, c.Kind, c.Category, c.Fields)
				}
				if c.Kind == NewlyCompliant && c.Evidence != nil && c.Evidence.Old != nil && c.Evidence.Old.Text != phone {
					t.Errorf("newly compliant quoting %q, not the deleted transfer", c.Evidence.Old.Text)
				}
				quoted = quoted || c.Severity == High && c.Evidence != nil && c.Evidence.Old != nil && c.Evidence.Old.Text == phone
			}
			if tc.high && !quoted {
				t.Errorf("no high change quotes the deleted transfer: %+v", briefs(cs))
			}
		})
	}
}

// TestFoldedPlaces: only places the other version keeps in the region
// under the key may come into or leave a transfer's place field.
func TestFoldedPlaces(t *testing.T) {
	in := func(v string) *facts {
		if v == "" {
			return nil
		}
		return &facts{fields: map[string]string{"location_at_rest": v, "processing": v}}
	}
	for _, tc := range []struct {
		field, before, after, inOld, inNew string
		want                               bool
	}{
		{"location_at_rest", "United States", "United States; Europe", "Europe", "", true},
		{"location_at_rest", "United States; Europe", "United States", "", "Europe", true},
		{"processing", "Satellite Geography, Macro Region Geography", "Macro Region Geography", "", "Satellite Geography", true},
		{"location_at_rest", "United States", "United States; Asia", "Europe", "", false},                  // Asia came from nowhere
		{"location_at_rest", "United States", "Europe", "Europe", "", false},                               // the United States went, kept nowhere
		{"location_at_rest", "United States", "United States; Europe", "", "Europe", false},                // Europe was not kept before
		{"data_types", "phone numbers", "phone numbers; push data", "phone numbers; push data", "", false}, // places only
	} {
		f := FieldChange{Field: tc.field, Before: tc.before, After: tc.after}
		if got := foldedPlaces(f, in(tc.inOld), in(tc.inNew)); got != tc.want {
			t.Errorf("foldedPlaces(%s %q → %q, kept %q / %q) = %v, want %v", tc.field, tc.before, tc.after, tc.inOld, tc.inNew, got, tc.want)
		}
	}
}
