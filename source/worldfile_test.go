package source

import (
	"regexp"
	"slices"
	"testing"
)

// TestWorldFile checks world.yaml itself: every country and territory of
// ISO 3166-1 once (249, and Kosovo), each in a continent through its
// regions (Antarctica is one), and every name matched whole, alone, by its
// own pattern and read back as itself by a profile of no locations of its
// own (longer names first at one start: "Guinea-Bissau", not "Guinea").
func TestWorldFile(t *testing.T) {
	w, err := theWorld()
	if err != nil {
		t.Fatal(err)
	}
	continents := []string{"Africa", "Americas", "Asia", "Europe", "Oceania"}
	iso := map[string]string{}
	countries := 0
	for _, p := range w.places {
		if p.country && len(p.ISO) == 3 {
			countries++
			if other, dup := iso[p.ISO]; dup {
				t.Errorf("%s and %s are both %s", other, p.Name, p.ISO)
			}
			iso[p.ISO] = p.Name
		}
		if p.country && p.Name != "Antarctica" && !slices.ContainsFunc(w.around(p), func(r string) bool { return slices.Contains(continents, r) }) {
			t.Errorf("%s lies in no continent: %q", p.Name, w.around(p))
		}
		if loc := regexp.MustCompile(p.Match).FindStringIndex(p.Name); loc == nil || loc[0] != 0 || loc[1] != len(p.Name) {
			t.Errorf("%s: its pattern %s matches %v of its name", p.Name, p.Match, loc)
		}
	}
	if countries != 249 {
		t.Errorf("%d ISO 3166-1 countries and territories, want 249", countries)
	}
	bare, err := Parse([]byte(`
name: bare
product: {name: Bare, id: bare}
pages: [{glob: "*.md", provenance: "made up"}]
spatial_words: [{name: outside, match: 'outside', provenance: "made up"}]
location_words: [{name: location, match: 'location', provenance: "made up"}]
data_verbs: [{name: stored, match: '\bstored\b', provenance: "made up"}]
negations: [{name: not, match: '\bnot\b', provenance: "made up"}]
advice_markers: [{name: see, reference: true, match: '\bsee\b', provenance: "made up"}]
`))
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range w.places {
		if got := bare.LocationsIn(p.Name); len(got) != 1 || got[0].Name != p.Name || got[0].Start != 0 || got[0].End != len(p.Name) {
			t.Errorf("%s is read as %v", p.Name, got)
		}
	}
}
