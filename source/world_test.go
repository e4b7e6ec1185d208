package source_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/residiff/residiff/source"
	"github.com/residiff/residiff/source/entra"
	"github.com/residiff/residiff/source/m365"
)

// TestWorldPlaces checks that every profile reads the places of the world
// vocabulary (source/world.yaml) it was not written with — any country,
// continent or large region — by their canonical names, case-sensitively
// and on word boundaries: a common word or a person's name in lower case
// is no place, a longer name at the same start wins ("Guinea-Bissau"), an
// earlier start wins ("Northern Ireland" is the United Kingdom, "New
// Jersey" is no Jersey), and a profile's own entry keeps its name.
func TestWorldPlaces(t *testing.T) {
	nim, err := source.Parse([]byte(nimbus))
	if err != nil {
		t.Fatal(err)
	}
	profiles := map[string]*source.Profile{"entra": entra.Profile(), "m365": m365.Profile(), "nimbus": nim}
	all := []string{"entra", "m365", "nimbus"}
	cases := []struct {
		text string
		want []string
		in   []string // the profiles asked
	}{
		// placeadd's sentences (differ/metamorphic_test.go).
		{"Phone calls using custom greetings always originate from data centers in the United States and India", []string{"United States", "India"}, all},
		{"OATH Code logs are stored in Australia and India", []string{"Australia", "India"}, all},
		// Common words and names: only the capitalised word is a place.
		{"a jersey, a turkey, a guinea pig, chad and jordan", nil, all},
		{"Chad, Jordan, Georgia, Niger, Mali, Oman, Jamaica and Israel", []string{"Chad", "Jordan", "Georgia", "Niger", "Mali", "Oman", "Jamaica", "Israel"}, all},
		{"stored IN the cloud, NO copies, IT admins", nil, all},
		// Other forms of one country.
		{"Turkey, now Türkiye", []string{"Türkiye", "Türkiye"}, all},
		{"Korea, the Republic of Korea, North Korea", []string{"South Korea", "South Korea", "North Korea"}, all},
		{"the UK, Great Britain, Northern Ireland, the UAE", []string{"United Kingdom", "United Kingdom", "United Kingdom", "United Arab Emirates"}, all},
		{"the Czech Republic, Ivory Coast, Trinidad & Tobago", []string{"Czechia", "Côte d'Ivoire", "Trinidad and Tobago"}, all},
		// One name holding another.
		{"Guinea-Bissau, Equatorial Guinea, Papua New Guinea, Guinea", []string{"Guinea-Bissau", "Equatorial Guinea", "Papua New Guinea", "Guinea"}, all},
		{"Nigeria and Niger; Dominica and the Dominican Republic", []string{"Nigeria", "Niger", "Dominica", "Dominican Republic"}, all},
		{"New Jersey and Jersey, New Mexico and Mexico", []string{"New Jersey", "Jersey", "New Mexico", "Mexico"}, all},
		{"South Africa lies in Southern Africa, South Sudan in Eastern Africa", []string{"South Africa", "Southern Africa", "South Sudan", "Eastern Africa"}, all},
		// Continents and regions.
		{"Africa, Oceania, South America, Southeast Asia and the Middle East", []string{"Africa", "Oceania", "South America", "South-eastern Asia", "Middle East"}, all},
		// A profile's own entry keeps its name: Entra reads "Asia" and
		// "Europe" as its own locations, the world's Asia is no place of
		// its own there.
		{"Asia and Europe", []string{"Asia/Pacific", "Europe"}, []string{"entra"}},
		{"Asia and Europe", []string{"Asia Pacific", "Europe"}, []string{"m365"}},
		{"Asia and Europe", []string{"Asia", "Europe"}, []string{"nimbus"}},
		{"the European Union", []string{"Europe"}, []string{"entra"}},
		{"the European Union", []string{"European Union"}, []string{"m365", "nimbus"}},
	}
	for _, c := range cases {
		for _, name := range c.in {
			var got []string
			for _, l := range profiles[name].LocationsIn(c.text) {
				got = append(got, l.Name)
			}
			if !slices.Equal(got, c.want) {
				t.Errorf("%s: %q names %q, want %q", name, c.text, got, c.want)
			}
		}
	}
}

// TestWorldWithin checks where a world place lies for each profile: in the
// world's regions, and in a location of the profile's own only through its
// world_regions. A continent is no commitment: no country of the European
// continent outside the EU lies within a location an EU scope keeps data
// in, so a transfer there never reads as in the region.
func TestWorldWithin(t *testing.T) {
	nim, err := source.Parse([]byte(nimbus))
	if err != nil {
		t.Fatal(err)
	}
	type within struct {
		place, region string
		want          bool
	}
	for _, c := range []struct {
		p     *source.Profile
		cases []within
	}{
		{entra.Profile(), []within{
			{"France", "Europe", true}, {"Cyprus", "Europe", true}, {"Germany", "Europe", true},
			{"Switzerland", "Europe", false}, {"Norway", "Europe", false}, {"United Kingdom", "Europe", false}, {"Türkiye", "Europe", false},
			{"Singapore", "Asia/Pacific", true}, {"South Korea", "Asia/Pacific", true}, {"Japan", "Asia/Pacific", true},
			{"India", "Asia/Pacific", false}, {"Israel", "Asia/Pacific", false}, {"New Zealand", "Asia/Pacific", false},
			{"Canada", "North America", true}, {"Mexico", "North America", false},
			{"Kenya", "Africa", true}, {"India", "Southern Asia", true}, {"Switzerland", "Western Europe", true},
		}},
		{m365.Profile(), []within{
			{"France", "European Union", true}, {"Poland", "European Union", true}, {"Vienna", "European Union", true},
			{"Switzerland", "European Union", false}, {"Norway", "European Union", false}, {"United Kingdom", "European Union", false},
			{"Switzerland", "Europe", false}, {"Norway", "Europe", false}, {"Türkiye", "Europe", false},
			{"Switzerland", "EMEA", true}, {"Türkiye", "EMEA", true}, {"Kenya", "EMEA", true}, {"India", "EMEA", false},
			{"Taiwan", "Asia Pacific", true}, {"Brazil", "Americas", true}, {"Canada", "North America", true},
		}},
		{nim, []within{
			{"France", "European Union", true}, {"France", "Europe", true}, {"Switzerland", "Europe", true},
			{"Switzerland", "European Union", false}, {"Norway", "European Free Trade Association", true},
			{"Mexico", "North America", true}, {"Mexico", "Latin America and the Caribbean", true}, {"United States", "Latin America and the Caribbean", false},
		}},
	} {
		for _, w := range c.cases {
			if got := c.p.LiesWithin(w.place, w.region); got != w.want {
				t.Errorf("%s: %s within %s = %v, want %v (around: %q)", c.p.Name, w.place, w.region, got, w.want, c.p.RegionsAround(w.place))
			}
		}
	}
}

// TestWorldRegionsChecked checks that a profile's world_regions name a
// region of the world vocabulary and one of the profile's own locations,
// with a provenance.
func TestWorldRegionsChecked(t *testing.T) {
	for _, c := range []struct{ line, want string }{
		{`world_regions: [{world: Atlantis Basin, region: Lemuria, provenance: "made up"}]`, `"Atlantis Basin" is no region of the world vocabulary`},
		{`world_regions: [{world: Europe, region: Europe, provenance: "made up"}]`, "region must be one of the profile's locations"},
		{`world_regions: [{world: Europe, region: Lemuria}]`, "region must be one of the profile's locations, with a provenance"},
	} {
		_, err := source.Parse([]byte(nimbus + c.line + "\n"))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one saying %q", c.line, err, c.want)
		}
	}
	lemuria := nimbus + `locations: [{name: Lemuria, match: '\bLemuria\b', provenance: "made up"}]` + "\n"
	p, err := source.Parse([]byte(lemuria + `world_regions: [{world: Western Europe, region: Lemuria, provenance: "made up"}]` + "\n"))
	if err != nil {
		t.Fatalf("a world region named as an own location: %v", err)
	}
	if !p.LiesWithin("France", "Lemuria") || p.LiesWithin("Spain", "Lemuria") {
		t.Errorf("Western Europe is Lemuria: France within it %v, Spain %v (around France: %q)", p.LiesWithin("France", "Lemuria"), p.LiesWithin("Spain", "Lemuria"), p.RegionsAround("France"))
	}
}

// TestWorldPlaceNamed checks that every place the world gives a profile is
// marked as the world's, and that none of a profile's own is.
func TestWorldPlaceNamed(t *testing.T) {
	p := entra.Profile()
	for name, want := range map[string]bool{"India": true, "Western Asia": true, "United States": false, "Asia/Pacific": false, "Europe": false, "Japan": false} {
		if got := p.WorldPlace(name); got != want {
			t.Errorf("WorldPlace(%q) = %v, want %v", name, got, want)
		}
	}
}
