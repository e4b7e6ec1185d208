package extractor

import (
	"slices"
	"testing"

	"github.com/residiff/residiff/serviceid"
	"github.com/residiff/residiff/source/entra"
)

// TestLabelNamingServices: a bold label that names several services of
// the profile gives a record for each, whether or not each carries its
// abbreviation ("Directory Core Store and Azure AD self-service password
// reset (SSPR)"); a label whose parts are not all services is one name.
func TestLabelNamingServices(t *testing.T) {
	const head = "# Identity data storage for European customers\n\nThe following services store data outside of Europe:\n\n"
	const tail = "** Some of its logs are stored in the United States for 30 days.\n"
	for _, tc := range []struct {
		label string
		want  []string
	}{
		{"Microsoft Azure multi-factor authentication (MFA) and Azure AD self-service password reset (SSPR).", []string{"Microsoft Azure multi-factor authentication (MFA)", "Azure AD self-service password reset (SSPR)"}},
		{"Directory Core Store and Azure AD self-service password reset (SSPR).", []string{"Directory Core Store", "Azure AD self-service password reset (SSPR)"}},
		{"Directory Core Store, Azure AD Connect Health and Azure AD Application Proxy.", []string{"Directory Core Store", "Azure AD Connect Health", "Azure AD Application Proxy"}},
	} {
		t.Run(tc.label, func(t *testing.T) {
			prof := entra.Profile()
			pg, err := Extract([]byte(head+"- **"+tc.label+tail), Options{Profile: prof, Aliases: serviceid.MustNew(prof), Path: "data-storage-eu.md"})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, r := range pg.Records {
				if r.Category == Outside && !slices.Contains(got, r.Service) {
					got = append(got, r.Service)
				}
			}
			slices.Sort(got)
			want := slices.Sorted(slices.Values(tc.want))
			if !slices.Equal(got, want) {
				t.Errorf("outside records %q, want %q", got, want)
			}
		})
	}
}
