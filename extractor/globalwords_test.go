package extractor

import (
	"testing"

	"github.com/residiff/residiff/source/entra"
	"github.com/residiff/residiff/source/m365"
)

// TestGlobalWords: a bare word the profile's places name Global by
// ("globally", "worldwide", "across the world"), after a data verb, is
// where the data is: the Global location at rest, or the processing of a
// verb of processing (issue 21: "Multifactor authentication stores
// customer data worldwide." was unread). A word inside a longer one, and
// the adjective before its noun, are not that word.
func TestGlobalWords(t *testing.T) {
	for _, prof := range []struct {
		name string
		read func(s string) statement
	}{
		{"entra", func(s string) statement {
			return readStatement(entra.Profile(), s, func(p string) bool { return p == "Europe" })
		}},
		{"m365", func(s string) statement {
			return readStatement(m365.Profile(), s, func(p string) bool { return p == "Local Region Geography" })
		}},
	} {
		for _, tc := range []struct {
			sentence      string
			rest, process string
		}{
			{"Multifactor authentication stores customer data globally.", "Global", ""},
			{"Multifactor authentication stores customer data worldwide.", "Global", ""},
			{"Multifactor authentication stores customer data across the world.", "Global", ""},
			{"Multifactor authentication keeps customer data across the globe.", "Global", ""},
			{"Multifactor authentication processes customer data globally.", "", "Global"},
			{"Multifactor authentication processes customer data across the world.", "", "Global"},
			{"Multifactor authentication processes customer data worldwide.", "", "Global"},
		} {
			st := prof.read(tc.sentence)
			rest, process := "", ""
			if len(st.atRest) > 0 {
				rest = st.atRest[0]
			}
			if len(st.process) > 0 {
				process = st.process[0]
			}
			// Data at rest everywhere is global; processed everywhere,
			// it leaves the region ("processes it globally").
			if rest != tc.rest || process != tc.process || st.global != (tc.rest != "") || !st.located() {
				t.Errorf("%s: %q: at rest %q, processing %q, global %v; want %q, %q", prof.name, tc.sentence, st.atRest, st.process, st.global, tc.rest, tc.process)
			}
		}
	}
	p := entra.Profile()
	for _, s := range []string{
		"See the o365-worldwide view of the data.",
		"Global Administrator is a highly privileged role.",
		// "around the world" says where people are more often than where
		// data is ("law enforcement agencies around the world"): no
		// place of the profiles.
		"We publish the number of legal demands for customer data that we receive from agencies around the world.",
	} {
		if loc := globalWordAt(p, s); loc != nil {
			t.Errorf("%q: global word %q", s, s[loc[0]:loc[1]])
		}
	}
}

// TestGlobalClauses: the global word right before the verb places the
// data ("is globally synced"); one in a later negated clause does not
// ("is stored in the European datacenters and can't be replicated
// globally"), so that sentence keeps its data inside and its data is not
// the global record's (AUDIT2 class J, EU 2018-04-23 L41).
func TestGlobalClauses(t *testing.T) {
	p := entra.Profile()
	inEurope := func(place string) bool { return place == "Europe" }
	for _, tc := range []struct {
		sentence string
		want     Category
	}{
		{"Azure RBAC data is globally synced and its entities include role assignments and role definitions.", Global},
		{"Role definitions are replicated globally.", Global},
		{"Personal data for the corresponding directory object is stored in the European datacenters and can't be replicated globally.", InRegion},
		{"Personal data is stored in the European datacenters and isn't replicated worldwide.", InRegion},
	} {
		if st := readStatement(p, tc.sentence, inEurope); st.category != tc.want {
			t.Errorf("%q: %q (at rest %q), want %q", tc.sentence, st.category, st.atRest, tc.want)
		}
	}
	src := "# Data storage for European customers\n\n## Exceptions\n\nThe following services store data outside of Europe:\n\n" +
		"- **Microsoft Azure role-based access control (RBAC).** Azure RBAC data is globally synced and its entities include role assignments and role definitions. " +
		"Personal data for the corresponding directory object is stored in the European datacenters and can't be replicated globally.\n"
	pg, err := Extract([]byte(src), Options{Page: "data-storage-eu", Profile: p, Aliases: entra.Register()})
	if err != nil {
		t.Fatal(err)
	}
	if len(pg.Records) != 1 || pg.Records[0].Category != Global || pg.Records[0].DataTypes != "Azure RBAC data: role assignments and role definitions" {
		t.Errorf("records %+v; want one global record of the RBAC data alone", pg.Records)
	}
}
