package source

import (
	"fmt"
	"testing"
)

// overlapping is a made-up profile whose places overlap one another and
// its locations, at the same and at different starts: PlacesAt keeps the
// earlier place of the profile where two overlap, whichever starts first,
// and a location over any place.
const overlapping = `
name: overlap
repo_url: https://example.com/overlap-docs.git
product: {name: Overlap Cloud, id: overlapcloud}
pages:
  - {glob: "pages/*.md", provenance: "made up for the test"}
regions:
  - {name: Atlantis, match: 'atlantis', provenance: "made up"}
places:
  - {name: South Wales, match: 'South Wales', provenance: "made up"}
  - {name: Wales, match: 'Wales|New South|Wales and', provenance: "made up"}
  - {name: Lemuria, match: 'Lemuria(?: Deep)?|Deep', provenance: "made up"}
  - {name: Global, match: 'global', provenance: "made up"}
locations:
  - {name: Mu, match: '\bMu\b|Lemuria Deep Mu', provenance: "made up"}
outside_phrases:
  - {name: Lemuria, match: '\bLemuria', provenance: "made up"}
spatial_words:
  - {name: outside, match: '\boutside\b', provenance: "made up"}
location_words:
  - {name: outside, match: 'outside', provenance: "made up"}
data_verbs:
  - {name: stored, match: '\bstored\b', provenance: "made up"}
negations:
  - {name: not, match: '\bnot\b', provenance: "made up"}
advice_markers:
  - {name: see, reference: true, match: '\bsee\b', provenance: "made up"}
`

// TestPlacesAtOverlaps checks PlacesAt through the places' vocabulary
// against the same profile matched by its expressions alone, where terms
// overlap (the corpus's profiles have no two places that do).
func TestPlacesAtOverlaps(t *testing.T) {
	p, err := Parse([]byte(overlapping))
	if err != nil {
		t.Fatal(err)
	}
	if p.matchers().places == nil {
		t.Fatal("the places are left to their expressions")
	}
	ref := reference(p)
	for _, s := range []string{
		"New South Wales and Wales",
		"South Wales and New South Wales",
		"Wales and South Wales",
		"Lemuria Deep, Deep Lemuria and Lemuria Deep Mu",
		"Mu of New South Wales, Global and global",
		"Wales Wales andWales and South Wales",
		"nothing here",
		"Ünïcode New South Wales in Lemuria Deep",
	} {
		got, want := fmt.Sprint(p.PlacesAt(s)), fmt.Sprint(ref.PlacesAt(s))
		if got != want {
			t.Errorf("PlacesAt(%q)\n got %s\nwant %s", s, got, want)
		}
		if got, want := fmt.Sprint(p.PlaceNames(s)), fmt.Sprint(ref.PlaceNames(s)); got != want {
			t.Errorf("PlaceNames(%q) = %s, want %s", s, got, want)
		}
	}
	if len(p.matchers().placesAt.m) == 0 {
		t.Error("nothing memoised: the vocabulary was not asked")
	}
}
