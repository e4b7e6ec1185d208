package source_test

import (
	"strings"
	"testing"

	"github.com/residiff/residiff/differ"
	"github.com/residiff/residiff/extractor"
	"github.com/residiff/residiff/serviceid"
	"github.com/residiff/residiff/source"
	"github.com/residiff/residiff/source/entra"
	"github.com/residiff/residiff/source/m365"
)

// nimbus is a made-up provider with its own region, scope, vendor prefix
// and page glob: a new docs source is only this file.
const nimbus = `
name: nimbus
repo_url: https://example.com/nimbus-docs.git
product: {name: Nimbus Cloud Identity, id: nimbusidentity}
pages:
  - {glob: "pages/**/residency-*.md", provenance: "made up for the test"}
regions:
  - {name: Atlantis, match: 'atlantis', provenance: "made up"}
scopes:
  - {name: Atlantis Data Zone, family: Atlantis, match: '\bAtlantis\s+(?:Customer\s+)?Data\s+Zone\b', provenance: "made up"}
scope_synonyms:
  - {from: customer data zone, to: data zone, provenance: "made up"}
places:
  - {name: Lemuria, match: 'Lemuria', provenance: "made up"}
outside_phrases:
  - {name: Lemuria, match: '\bLemuria', provenance: "made up"}
spatial_words:
  - {name: outside, match: '\boutside\b', provenance: "made up"}
  - {name: datacenter, match: '\bdata ?cent(?:er|re)s?\b', provenance: "made up"}
location_words:
  - {name: location, match: 'location|located', provenance: "made up"}
  - {name: outside, match: 'outside', provenance: "made up"}
data_verbs:
  - {name: stored, match: '\bstor(?:e|es|ed)\b', provenance: "made up"}
  - {name: processed, process: true, match: '\bprocess(?:es|ed)?\b', provenance: "made up"}
  - {name: transferred, match: '\btransfer(?:s|red)?\b', provenance: "made up"}
negations:
  - {name: not, match: '\bnot\b', provenance: "made up"}
  - {name: n't, match: 'n[''’]t\b', provenance: "made up"}
  - {name: instead of, contrast: true, match: '\binstead of\b', provenance: "made up"}
advice_markers:
  - {name: see, reference: true, navigation: true, match: '\bsee\b', provenance: "made up"}
company_prefix: Nimbus
vendor_prefixes:
  - {name: Cloud Identity, match: 'cloud\s+identity', provenance: "made up"}
generic_headings:
  - {name: Next steps, match: '^next steps', provenance: "made up"}
aliases:
  - {alias: TFA, canonical: two-factor sign-in, provenance: "made up"}
grammar:
  fact_labels:
    - {name: services, match: '^services$', provenance: "made up"}
    - {name: reason, match: '^reason\b', provenance: "made up"}
    - {name: data_types, match: '^types of\b', provenance: "made up"}
    - {name: processing, match: '^customer data processing$', provenance: "made up"}
    - {name: location_at_rest, match: '\bat rest$', provenance: "made up"}
`

const nimbusOld = `# Customer data storage for Atlantis customers

## Services that temporarily transfer data out of the Atlantis Customer Data Zone

- **Reason for customer data egress** - Replication is being built.
- **Types of customer data being egressed** - Sign-in names.
- **Customer data location at rest** - Lemuria.
- **Customer data processing** - Lemuria.
- **Services** - Nimbus Cloud Identity Directory Sync, TFA

## Next steps

- Read more.
`

const nimbusNew = `# Customer data storage for Atlantis customers

## Services that permanently transfer data out of the Atlantis Data Zone

- **Reason for customer data egress** - Replication is not planned.
- **Types of customer data being egressed** - Sign-in names.
- **Customer data location at rest** - Lemuria.
- **Customer data processing** - Lemuria.
- **Services** - Directory Sync, Two-factor sign-in
`

// TestNewSourceNeedsOnlyAProfile extracts and diffs two versions of a page
// of a provider residiff was never built for, with nothing but its profile.
func TestNewSourceNeedsOnlyAProfile(t *testing.T) {
	p, err := source.Parse([]byte(nimbus))
	if err != nil {
		t.Fatal(err)
	}
	reg, err := serviceid.New(p)
	if err != nil {
		t.Fatal(err)
	}
	extract := func(src string) *extractor.Page {
		pg, err := extractor.Extract([]byte(src), extractor.Options{Profile: p, Aliases: reg, Path: "pages/data/residency-atlantis.md"})
		if err != nil {
			t.Fatal(err)
		}
		return pg
	}
	old, cur := extract(nimbusOld), extract(nimbusNew)
	if old.Region != "Atlantis" {
		t.Errorf("region = %q, want Atlantis", old.Region)
	}
	var got []string
	for _, r := range old.Records {
		got = append(got, r.ServiceID+"/"+r.Scope+"/"+string(r.Category)+"/"+r.LocationAtRest)
	}
	want := "directorysync/Atlantis Data Zone/temporary/Lemuria. twofactorsignin/Atlantis Data Zone/temporary/Lemuria."
	if strings.Join(got, " ") != want {
		t.Errorf("old records = %v, want %s", got, want)
	}
	changes := differ.Compare(old, cur, differ.Options{Lineage: "residency-atlantis", Key: "1..2", Profile: p, Similar: serviceid.Similar,
		OldSource: []byte(nimbusOld), NewSource: []byte(nimbusNew)})
	var kinds []string
	for _, c := range changes {
		kinds = append(kinds, string(c.Kind)+":"+c.ServiceID)
	}
	// The vendor prefix and the alias keep both services one identity:
	// the category changed and the reason, never a leave and an entry.
	wantKinds := "category_changed:directorysync category_changed:twofactorsignin fields_changed:directorysync fields_changed:twofactorsignin renamed:directorysync renamed:twofactorsignin"
	if strings.Join(kinds, " ") != wantKinds {
		t.Errorf("changes = %v, want %s", kinds, wantKinds)
	}
}

func TestParseRejects(t *testing.T) {
	for name, data := range map[string]string{
		"unknown key":      "name: x\nproduct: {name: X, id: x}\npages: [{glob: a, provenance: b}]\ncolour: red\n",
		"no provenance":    "name: x\nproduct: {name: X, id: x}\npages: [{glob: a}]\n",
		"bad pattern":      "name: x\nproduct: {name: X, id: x}\npages: [{glob: a, provenance: b}]\nregions: [{name: R, match: '(', provenance: c}]\n",
		"no product":       "name: x\npages: [{glob: a, provenance: b}]\n",
		"no spatial words": "name: x\nproduct: {name: X, id: x}\npages: [{glob: a, provenance: b}]\nlocation_words: [{name: l, match: 'location', provenance: c}]\n",
	} {
		if _, err := source.Parse([]byte(data)); err == nil {
			t.Errorf("%s: Parse accepted it", name)
		}
	}
}

// TestEntraProfile checks the shipped profile loads and says where every
// entry comes from.
func TestEntraProfile(t *testing.T) {
	p := entra.Profile()
	if p.Name != entra.Name || len(p.PageGlobs()) == 0 || p.RepoURL == "" {
		t.Fatalf("profile = %+v", p)
	}
	for _, tc := range []struct{ text, region string }{
		{"Customer data storage for Australian and New Zealand customers", "Australia and New Zealand"},
		{"Customer data storage for Japan customers", "Japan"},
		{"docs/fundamentals/data-storage-eu.md", "Europe"},
		{"Data residency overview", ""},
	} {
		if got := p.RegionOf(tc.text); got != tc.region {
			t.Errorf("RegionOf(%q) = %q, want %q", tc.text, got, tc.region)
		}
	}
	if got := p.ScopesIn("transfer out of the EU Data Residency and the EU Customer Data Boundary"); strings.Join(got, ",") != "EU Data Residency,EU Data Boundary" {
		t.Errorf("ScopesIn = %v", got)
	}
	if p.Family("EU Data Boundary") != p.Family("Europe") || p.Family("Australia") != p.Family("Australia and New Zealand") {
		t.Error("scope families: Europe and the EU scopes, Australia and Australia and New Zealand, should each be one family")
	}
}

// TestSpatialWords: a spatial word says where without naming a place; "at
// rest" is a state word, spatial but not where; words inside others
// ("geolocation", "regionally") or without one are none; both profiles
// read them alike.
func TestSpatialWords(t *testing.T) {
	for name, p := range map[string]*source.Profile{"entra": entra.Profile(), "m365": m365.Profile()} {
		for _, tc := range []struct {
			text           string
			spatial, where bool
		}{
			{"Data is stored outside of Europe.", true, true},
			{"Replicated GLOBALLY", true, true},
			{"stored worldwide", true, true},
			{"in the closest data centre", true, true},
			{"stays in-geo", true, true},
			{"other regions", true, true},
			{"the geographies listed", true, true},
			{"All locations", true, true},
			{"Country/Region", true, true},
			{"Customer data at rest", true, false},
			{"at-rest customer data", true, false},
			{"the geolocation of the user, regionally", false, false},
			{"Log data is kept for 30 days.", false, false},
		} {
			if got := p.Spatial(tc.text); got != tc.spatial {
				t.Errorf("%s: Spatial(%q) = %v, want %v", name, tc.text, got, tc.spatial)
			}
			if got := p.SaysWhere(tc.text); got != tc.where {
				t.Errorf("%s: SaysWhere(%q) = %v, want %v", name, tc.text, got, tc.where)
			}
		}
	}
}

// TestLocationWords: a location word is found anywhere in a word and in
// any case; a text without one does not speak of location.
func TestLocationWords(t *testing.T) {
	for name, p := range map[string]*source.Profile{"entra": entra.Profile(), "m365": m365.Profile()} {
		for _, tc := range []struct {
			text string
			want bool
		}{
			{"European DATACENTERS", true},
			{"in the closest data centre", true},
			{"one of the following geo-locations", true},
			{"where your data is located", true},
			{"Data residency", true},
			{"at-rest customer data", true},
			{"stays in-geo", true},
			{"regional", true},
			{"stored outside of Europe", true},
			{"Globally", true},
			{"Log data is kept for 30 days in the countries listed.", false},
			{"", false},
		} {
			if got := p.SpeaksOfLocation(tc.text); got != tc.want {
				t.Errorf("%s: SpeaksOfLocation(%q) = %v, want %v", name, tc.text, got, tc.want)
			}
		}
	}
}

// TestPlaceAcronymsMatchInCapitals: "US" and "EU" are places, the words
// that end in "us" ("status", "various") or the pronoun "us" ("send us
// your feedback") are not.
func TestPlaceAcronymsMatchInCapitals(t *testing.T) {
	for _, p := range []*source.Profile{entra.Profile(), m365.Profile()} {
		for _, tc := range []struct{ text, want string }{
			{"Logs are stored in the US.", "United States"},
			{"Logs are stored in U.S. datacenters.", "United States"},
			{"Data stays in the EU.", "EU"},
			{"Send us your feedback with the button at the top of the page.", ""},
			{"Various status values are kept for 30 days.", ""},
			{"The campus network is slow.", ""},
		} {
			got := strings.Join(p.PlacesIn(tc.text), ",")
			if tc.want == "EU" && got != "" {
				continue // Europe (entra) or European Union (m365)
			}
			if got != tc.want {
				t.Errorf("%s: PlacesIn(%q) = %q, want %q", p.Name, tc.text, got, tc.want)
			}
		}
	}
}

// withoutKey is the profile text s without the list under key.
func withoutKey(s, key string) string {
	var out []string
	skip := false
	for _, line := range strings.Split(s, "\n") {
		if strings.HasPrefix(line, key+":") {
			skip = true
			continue
		}
		if skip && strings.HasPrefix(line, "  ") {
			continue
		}
		skip = false
		out = append(out, line)
	}
	return strings.Join(out, "\n")
}

// TestProfileRequiresVocabularies: a profile without one of the
// vocabularies the extractor reads every sentence with is refused with an
// error naming the key, after an entry's own error; a data verb that is
// no list of words and an advice marker of no kind are refused too.
func TestProfileRequiresVocabularies(t *testing.T) {
	if _, err := source.Parse([]byte(nimbus)); err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{"spatial_words", "location_words", "data_verbs", "negations", "advice_markers"} {
		text := withoutKey(nimbus, key)
		if text == nimbus {
			t.Fatalf("%s: not in the test profile", key)
		}
		if _, err := source.Parse([]byte(text)); err == nil || !strings.Contains(err.Error(), key+": none given") {
			t.Errorf("without %s: %v", key, err)
		}
		broken := strings.Replace(text, `provenance: "made up for the test"`, `provenance: ""`, 1)
		if _, err := source.Parse([]byte(broken)); err == nil || !strings.Contains(err.Error(), "pages[0]") {
			t.Errorf("without %s, with a page glob without provenance: %v, want the glob's error first", key, err)
		}
	}
	for name, edit := range map[string][2]string{
		"a verb of any case":  {`match: '\bstor(?:e|es|ed)\b'`, `match: '(?i)\bstor(?:e|es|ed)\b'`},
		"a verb of any form":  {`match: '\bstor(?:e|es|ed)\b'`, `match: '\bstor\w+'`},
		"a verb with a digit": {`match: '\bstor(?:e|es|ed)\b'`, `match: '\bstor(?:e|es|ed)2\b'`},
		"a marker of no kind": {`{name: see, reference: true, navigation: true,`, `{name: see,`},
	} {
		text := strings.Replace(nimbus, edit[0], edit[1], 1)
		if text == nimbus {
			t.Fatalf("%s: the edit changed nothing", name)
		}
		if _, err := source.Parse([]byte(text)); err == nil {
			t.Errorf("%s: Parse accepted it", name)
		}
	}
}

// TestAdviceMarkers: each marker answers the questions its kinds say, in
// any case; a text without one answers neither.
func TestAdviceMarkers(t *testing.T) {
	for name, p := range map[string]*source.Profile{"entra": entra.Profile(), "m365": m365.Profile()} {
		for _, tc := range []struct {
			text                string
			reference, navigate bool
		}{
			{"For more information, SEE [the map](x).", true, true},
			{"The services are listed\nin [the list](x).", true, true},
			{"Go to [the list](x).", false, true},
			{"The list has moved to [the docs](x).", false, true},
			{"The list is maintained by Microsoft.", true, false},
			{"The list is maintained in [the docs](x).", true, true},
			{"More details are in the [Trust Center](x).", true, false},
			{"Data is stored in the United States.", false, false},
		} {
			if got := p.RefersElsewhere(tc.text); got != tc.reference {
				t.Errorf("%s: RefersElsewhere(%q) = %v", name, tc.text, got)
			}
			if got := p.Navigates(tc.text); got != tc.navigate {
				t.Errorf("%s: Navigates(%q) = %v", name, tc.text, got)
			}
		}
	}
}

// TestNegations: a negation before a verb is one of not, never, no longer
// and n't; after it "no" too; a contrast phrase negates no verb but sets
// off a place.
func TestNegations(t *testing.T) {
	for name, p := range map[string]*source.Profile{"entra": entra.Profile(), "m365": m365.Profile()} {
		for _, tc := range []struct {
			text           string
			negated, after bool
			contrasts      int
		}{
			{"isn’t", true, false, 1},
			{"is NEVER", true, false, 1},
			{" no longer in Europe", true, true, 1},
			{" no other region", false, true, 1},
			{"in Canada instead of the US", false, false, 1},
			{"in Canada, not only", true, false, 1},
			{"not in the US rather than in Japan", true, false, 2},
			{"in nothing", false, false, 0},
		} {
			if got := p.Negated(tc.text); got != tc.negated {
				t.Errorf("%s: Negated(%q) = %v", name, tc.text, got)
			}
			if got := p.NegatedAfter(tc.text); got != tc.after {
				t.Errorf("%s: NegatedAfter(%q) = %v", name, tc.text, got)
			}
			if got := len(p.Contrasts(tc.text)); got != tc.contrasts {
				t.Errorf("%s: Contrasts(%q) = %d", name, tc.text, got)
			}
		}
	}
}
