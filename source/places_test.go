package source_test

import (
	"slices"
	"testing"

	"github.com/residiff/residiff/source"
	"github.com/residiff/residiff/source/entra"
	"github.com/residiff/residiff/source/m365"
)

// TestPlaceNames: a place phrase read from a claim is written by the
// canonical names of the places it names, each once; a relative place
// (one no known place covers) is kept as written; a phrase that names no
// place is no value (AUDIT.md class A).
func TestPlaceNames(t *testing.T) {
	e, m := entra.Profile(), m365.Profile()
	for _, tc := range []struct {
		p      *source.Profile
		phrase string
		want   []string
	}{
		// One place, many spellings.
		{e, "US datacenters", []string{"United States"}},
		{e, "U.S. datacenters", []string{"United States"}},
		{e, "U.S.", []string{"United States"}},
		{e, "continental United States", []string{"United States"}},
		{e, "United States datacenters", []string{"United States"}},
		{e, "European datacenters", []string{"Europe"}},
		{e, "EU datacenters", []string{"Europe"}},
		{e, "Australian datacenters", []string{"Australia"}},
		{e, "Japanese datacenters", []string{"Japan"}},
		{e, "Asia Pacific", []string{"Asia/Pacific"}},
		{e, "datacenters in Australia", []string{"Australia"}},
		// Each once, in order.
		{e, "US and U.S. datacenters", []string{"United States"}},
		{e, "Asia and Japanese datacenters", []string{"Asia/Pacific", "Japan"}},
		// The global place.
		{e, "globally", []string{"Global"}},
		{e, "global providers", []string{"Global"}},
		{e, "Global", []string{"Global"}},
		// Outside a known place.
		{e, "outside of Europe", []string{"outside Europe"}},
		{e, "outside Europe", []string{"outside Europe"}},
		{e, "outside of the European datacenters", []string{"outside Europe"}},
		{e, "outside of Australia", []string{"outside Australia"}},
		// A scope by its name.
		{e, "the EU Customer Data Boundary", []string{"EU Data Boundary"}},
		// Relative places: kept as written.
		{e, "outside the user's location", []string{"outside the user's location"}},
		{e, "in the customer's region", []string{"in the customer's region"}},
		{e, "based on the user's location", []string{"based on the user's location"}},
		{e, "regional datacenters", []string{"regional datacenters"}},
		{e, "customer-selected", []string{"customer-selected"}},
		{e, "in-region", []string{"in-region"}},
		{e, "the location of the collaborating tenant", []string{"the location of the collaborating tenant"}},
		// A place the profile does not know: kept as written (and warned
		// about by the extractor).
		{e, "Brazil", []string{"Brazil"}},
		// No place at all.
		{e, "geo-location", nil},
		{e, "datacenters", nil},
		{e, "", nil},
		// M365: Markdown emphasis and short forms are the canonical place.
		{m, "_Local Region Geography", []string{"Local Region Geography"}},
		{m, "Local Geography", []string{"Local Region Geography"}},
		{m, "EU", []string{"European Union"}},
		// A canonical name the profile does not read back as itself
		// ("Tenant Geography" is matched only as "that Geo"): as written.
		{m, "that Geography", []string{"that Geography"}},
	} {
		if got := tc.p.PlaceNames(tc.phrase); !slices.Equal(got, tc.want) {
			t.Errorf("%s: PlaceNames(%q) = %q, want %q", tc.p.Name, tc.phrase, got, tc.want)
		}
	}
}

// TestPlaceNamesStable: what PlaceNames writes, read again, is written the
// same (a record's place field read by the differ or a later version names
// the same place), for every location and place of every shipped profile.
func TestPlaceNamesStable(t *testing.T) {
	for _, p := range []*source.Profile{entra.Profile(), m365.Profile()} {
		var terms []string
		for _, l := range p.Locations {
			terms = append(terms, l.Name)
		}
		for _, l := range p.Places {
			terms = append(terms, l.Name)
		}
		for _, name := range terms {
			once := p.PlaceNames(name)
			for _, n := range once {
				if again := p.PlaceNames(n); !slices.Equal(again, []string{n}) {
					t.Errorf("%s: %q is written %q, which is written %q", p.Name, name, n, again)
				}
			}
		}
	}
}
