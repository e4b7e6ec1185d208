package source

import (
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/residiff/residiff/internal/corpustext"
	"github.com/residiff/residiff/internal/litmatch"
	"github.com/residiff/residiff/internal/racetest"
)

// profiles are the embedded profiles, read from their data files.
func testProfiles(t testing.TB) map[string]*Profile {
	t.Helper()
	out := map[string]*Profile{}
	for _, name := range []string{"entra", "m365"} {
		data, err := os.ReadFile(filepath.Join(name, "profile.yaml"))
		if err != nil {
			t.Fatal(err)
		}
		p, err := Parse(data)
		if err != nil {
			t.Fatal(err)
		}
		out[name] = p
	}
	return out
}

// reference is p matched by its expressions alone, as before the one-pass
// matchers.
func reference(p *Profile) *Profile {
	r := *p
	r.vocabs = nil
	return &r
}

// vocabAnswers are the answers of every vocabulary matcher for s.
func vocabAnswers(p *Profile, s string) string {
	cols := ""
	for _, role := range slices.Sorted(maps.Keys(columnRoles)) {
		cols += fmt.Sprintf(" %s=%v", role, p.IsColumn(role, s))
	}
	return fmt.Sprintf("claim words %d\nnot transfer %q\ncustomer region %v\nplaces %q\nlocations %v\nscopes %q\n"+
		"region %q\ngeneric %v\nchrome %v\nservice %v\nfact field %q\ncolumns%s\ngeneric label %v\nresidency site %v\n"+
		"scope label %q\ntitle subject %q\nplaces at %v\nplace names %q\ncloud %q\nsignalled %v\nspatial %v\nsays where %v\nspeaks of location %v\n"+
		"data verb %v\nnegated %v\nnegated after %v\ncontrasts %v\nrefers elsewhere %v\nnavigates %v",
		p.ClaimWordsIn(s), p.NotTransfer(s), p.InCustomerRegion(s), p.PlacesIn(s), p.LocationsIn(s), p.ScopesIn(s),
		p.RegionOf(s), p.IsGenericHeading(s), p.IsChromeHeading(s), p.IsService(s), p.FactField(s), cols,
		p.IsGenericLabel(s), p.IsResidencySite(s), p.ScopeLabel(s), p.TitleSubject(s), p.PlacesAt(s), p.PlaceNames(s), p.CloudOf(s), p.Signalled(s), p.Spatial(s), p.SaysWhere(s), p.SpeaksOfLocation(s),
		p.HasDataVerb(s), p.Negated(s), p.NegatedAfter(s), p.Contrasts(s), p.RefersElsewhere(s), p.Navigates(s))
}

// TestVocabMatchesExpressions checks the one-pass matchers against the
// expressions they replace on every line, sentence, paragraph and page of
// both corpora, for both profiles; and that every vocabulary compiles to
// one pass: a single term with no literal prefix ("\b[A-Za-z]{2,}s store")
// leaves its whole vocabulary to the expressions, which halved the
// extractor's throughput once.
func TestVocabMatchesExpressions(t *testing.T) {
	racetest.SkipHeavy(t)
	texts := corpustext.Texts(t, "..")
	for name, p := range testProfiles(t) {
		m := p.matchers()
		for kind, v := range map[string]*litmatch.Vocab{"locations": m.locations, "places": m.places, "scopes": m.scopes,
			"claim_words": m.claimWords, "not_transfers": m.notTransfers, "customer_region": m.customerRg,
			"regions": m.regions, "generic_headings": m.generic, "chrome_headings": m.chrome, "fact_labels": m.factLabels,
			"signals": m.signals, "spatial_words": m.spatial, "location_words": m.locationWords,
			"data_verbs": m.dataVerbs, "negations": m.negations, "advice_markers": m.advice, "services": m.services, "labels": m.labels, "residency_sites": m.residencySites} {
			if v == nil {
				t.Errorf("%s: %s are left to the expressions", name, kind)
			}
		}
		if len(p.clouds) > 0 && m.clouds == nil {
			t.Errorf("%s: clouds are left to the expressions", name)
		}
		ref := reference(p)
		bad := 0
		for _, s := range texts {
			if got, want := vocabAnswers(p, s), vocabAnswers(ref, s); got != want && bad < 5 {
				bad++
				t.Errorf("%s: %q\ngot:\n%s\nwant:\n%s", name, clip(s), got, want)
			}
		}
		t.Logf("%s: %d texts", name, len(texts))
	}
}

func clip(s string) string {
	if len(s) > 300 {
		return s[:300] + "…"
	}
	return s
}

// TestVendorAsExpression checks the vendor prefix matcher, run only where
// a prefix's letters start a name, against its expression alone, on every
// corpus text and every one of its tails that starts a word (the names
// StripVendor is asked about).
func TestVendorAsExpression(t *testing.T) {
	texts := corpustext.Texts(t, "..")
	for name, p := range testProfiles(t) {
		if p.vendor == nil {
			t.Fatalf("%s: no vendor prefixes", name)
		}
		found, bad := 0, 0
		for _, s := range texts {
			for i := 0; i < len(s) && bad < 5; i++ {
				if i > 0 && s[i-1] != ' ' {
					continue
				}
				got, want := p.vendor.FindStringIndex(s[i:]), p.vendor.Regexp.FindStringIndex(s[i:])
				if !slices.Equal(got, want) {
					bad++
					t.Errorf("%s: %q: %v, want %v", name, s[i:], got, want)
				}
				if want != nil {
					found++
				}
			}
		}
		if found == 0 {
			t.Errorf("%s: no text starts with a vendor prefix", name)
		}
	}
}
