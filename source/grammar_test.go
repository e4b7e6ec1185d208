package source_test

import (
	"slices"
	"testing"

	"github.com/residiff/residiff/source/entra"
	"github.com/residiff/residiff/source/m365"
)

func TestSplitCallouts(t *testing.T) {
	for _, tc := range []struct {
		name, text string
		want       []string
	}{
		{"one box", "[!NOTE] Data stays in Europe.", []string{"Data stays in Europe."}},
		{"two boxes in one paragraph", "[!NOTE] Data stays in Europe. [!IMPORTANT] Logs are kept in the US.", []string{"Data stays in Europe.", "Logs are kept in the US."}},
		{"no marker", "Data stays in Europe.", []string{"Data stays in Europe."}},
		{"a marker's words in prose are no marker", "See the NOTE above.", []string{"See the NOTE above."}},
		{"empty", "", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, p := range []string{"entra", "m365"} {
				prof := entra.Profile()
				if p == "m365" {
					prof = m365.Profile()
				}
				if got := prof.SplitCallouts(tc.text); !slices.Equal(got, tc.want) {
					t.Errorf("%s: SplitCallouts(%q) = %q, want %q", p, tc.text, got, tc.want)
				}
			}
		})
	}
	// The m365 pages also write "[!Note]".
	if got := m365.Profile().SplitCallouts("[!Note] A. [!Note] B."); !slices.Equal(got, []string{"A.", "B."}) {
		t.Errorf("m365 mixed-case markers: %q", got)
	}
}

func TestActionsIn(t *testing.T) {
	p := entra.Profile()
	for _, tc := range []struct {
		text string
		want []string
	}{
		{"Customer data is stored and processed in Europe.", []string{"stored", "processed"}},
		{"Logs stay in the US for 30 days.", []string{"at rest", "retained"}},
		{"The customer data location is the United States.", nil}, // place and data words, no action
	} {
		if got := p.ActionsIn(tc.text); !slices.Equal(got, tc.want) {
			t.Errorf("ActionsIn(%q) = %q, want %q", tc.text, got, tc.want)
		}
	}
}
