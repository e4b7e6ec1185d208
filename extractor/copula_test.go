package extractor

import (
	"slices"
	"testing"

	"github.com/residiff/residiff/source/entra"
)

// TestCopulaPlacesItsSubject: "X is (might be) outside Y" says where data
// rests when X names data, and where the party X handles it otherwise
// (corpus: data-storage-eu 2022-08-17 L31, concept-mfa-data-residency L28).
func TestCopulaPlacesItsSubject(t *testing.T) {
	p := entra.Profile()
	inEurope := func(place string) bool { return place == "Europe" }
	for _, tc := range []struct {
		sentence      string
		rest, process []string
	}{
		{"Device vendor-specific services, such as Apple Push Notifications, may be outside Europe", nil, []string{"outside Europe"}},
		{"Vendor-specific device services, such as Apple Push Notification Service, might be outside the user's location", nil, []string{"outside the user's location"}},
		{"Push notifications require notifications from the manufacturer's notification service (Apple or Google), which might be outside Europe", nil, []string{"outside Europe"}},
		{"Some of the customer data might be outside Europe", []string{"outside Europe"}, nil},
		{"The sign-in logs are outside Europe", []string{"outside Europe"}, nil},
	} {
		st := readStatement(p, tc.sentence, inEurope)
		if !slices.Equal(st.atRest, tc.rest) || !slices.Equal(st.process, tc.process) || !st.outside {
			t.Errorf("%q: at rest %q, processing %q, outside %v; want at rest %q, processing %q, outside", tc.sentence, st.atRest, st.process, st.outside, tc.rest, tc.process)
		}
	}
}
