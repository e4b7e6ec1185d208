package render_test

import (
	"strings"
	"testing"

	"github.com/residiff/residiff/differ"
	"github.com/residiff/residiff/render"
)

// TestClaimChangedSaysWhatTheDifferFound: a claim_changed line carries the
// differ's own account of the change when it gives one, and quotes the
// sentences when no evidence line will.
func TestClaimChangedSaysWhatTheDifferFound(t *testing.T) {
	rekeyed := "the table's rows were keyed anew (1 key columns → 2), in the same categories and sending data to the same places (United States); check what the new keys mean for each customer"
	tests := []struct {
		name string
		ch   differ.Change
		want []string
	}{
		{"rekeyed rows",
			differ.Change{Kind: differ.ClaimChanged, Service: "MFA", Scope: "Global", Before: "Europe", After: "Voice calls; Europe", Detail: rekeyed},
			[]string{rekeyed, "“Europe” → “Voice calls; Europe”"}},
		{"no detail, no evidence",
			differ.Change{Kind: differ.ClaimChanged, Before: "Data is stored in the US."},
			[]string{"a sentence that said where data goes was removed: “Data is stored in the US.”"}},
		{"detail with evidence",
			differ.Change{Kind: differ.ClaimChanged, After: "Data is stored in the US.", Detail: "a sentence that says where data goes was added; residiff could not read it",
				Severity: differ.Medium, Evidence: &differ.Evidence{New: &differ.Site{Line: 4, Text: "Data is stored in the US."}}},
			[]string{"was added; residiff could not read it", "now L4 “Data is stored in the US.”"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := render.Sentence(tt.ch, render.MarkdownStyle())
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("got %q\nwant it to contain %q", got, w)
				}
			}
		})
	}
}
