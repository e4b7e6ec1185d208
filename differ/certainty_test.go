package differ

import (
	"strings"
	"testing"

	"github.com/residiff/residiff/source/entra"
)

// TestUnrecordedChange: what two versions of a claim's sentences that
// name a place changed that no record's field holds. Quantifiers and the
// conditional "would" are no certainty; a sentence that names no place
// is not compared.
func TestUnrecordedChange(t *testing.T) {
	an := &anchorer{opts: Options{Profile: entra.Profile()}, facts: map[string][]string{}, b: &claimSet{}}
	for _, tc := range []struct {
		a, b string
		want string
	}{
		{"Requests are validated in the EU.", "Requests may be validated in the EU.", "certainty"},
		{"SMS is routed by global providers.", "SMS might be routed by global providers.", "certainty"},
		{"Logs are stored in the United States.", "Logs are not stored in the United States.", "certainty"},
		{"Logs are stored in the United States.", "Logs aren't stored in the United States.", "certainty"},
		{"Codes are always validated in the U.S.", "Codes are validated in the U.S.", "certainty"},
		{"Data is stored only in Europe.", "Data is stored in Europe.", "certainty"},
		{"From April 15, 2022, Microsoft began storing data within the Japanese datacenters.", "From April 15, 2024, Microsoft began storing data within the Japanese datacenters.", "dates"},
		{"From April 15, 2022, Microsoft began storing data within the Japanese datacenters.", "From May 15, 2022, Microsoft began storing data within the Japanese datacenters.", "dates"},
		{"Logs are stored in the US for 30 days.", "Logs are stored in the US for 90 days.", "dates"},
		{"Logs may be stored in the US.", "Logs might be stored in the US.", ""},
		{"Texts outside Europe will not be delivered.", "Texts outside Europe would not be delivered.", ""},
		{"It stores all data in Europe.", "It stores some data in Europe.", ""},
		{"Keys are stored in the secrets storage.", "Keys are not stored in the secrets storage.", ""},
		{"Keys rotate every 180 days. Data is stored in Europe.", "Keys rotate every 540 days. Data is stored in Europe.", ""},
		{"Data is stored in Europe.", "Data is stored in European datacenters.", ""},
		{"Data at rest - 13 in AS (Asia/Pacific), 50 in US.", "Data at rest - US and Asia/Pacific.", ""},
	} {
		if got := an.unrecordedChange(tc.a, tc.b); got != tc.want {
			t.Errorf("unrecordedChange(%q, %q) = %q, want %q (facts %v → %v)", tc.a, tc.b, got, tc.want,
				unrecordedFacts(an.opts.Profile, tc.a), unrecordedFacts(an.opts.Profile, tc.b))
		}
	}
}

// TestCertaintyOfRecordedClaim: a record's claim sentence hedged,
// denied or re-dated while the record's fields read the same is a
// claim_changed that shows both sentences, not editorial (EU 2022-08-17's
// push-notification and SMS items, metamorphic relations negate, hedge
// and number).
func TestCertaintyOfRecordedClaim(t *testing.T) {
	const head = "# Identity data storage for European customers\n\n## Multifactor authentication\n\n"
	const item = "* Multi-factor authentication requests using OATH codes that originate from EU datacenters %s validated in the EU.\n"
	for _, tc := range []struct{ name, old, new string }{
		{"hedged", "are", "may be"},
		{"denied", "are", "are not"},
		{"re-dated", "are", "are, since 2024,"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			oldSrc := head + strings.Replace(item, "%s", tc.old, 1)
			newSrc := head + strings.Replace(item, "%s", tc.new, 1)
			cs := comparePages(t, oldSrc, newSrc)
			for _, c := range cs {
				if c.Severity >= Medium && c.Evidence != nil && c.Evidence.Old != nil && c.Evidence.New != nil &&
					strings.Contains(c.Evidence.New.Text, tc.new+" validated") {
					return
				}
			}
			t.Errorf("no medium or high change shows %q → %q; got %s", tc.old, tc.new, briefList(cs))
		})
	}
}
