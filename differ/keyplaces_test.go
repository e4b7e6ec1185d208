package differ

import (
	"slices"
	"testing"

	"github.com/residiff/residiff/source/entra"
)

// TestKeyPlacesMoved checks what a reworded row key says of the customers
// the row is about: a place added or dropped makes them others (placeadd's
// rows, MFA 2021-06-03 L110); a place written in another case or form, or
// a place of the cloud both keys name, does not.
func TestKeyPlacesMoved(t *testing.T) {
	p := entra.Profile()
	const tokens = "OATH software and hardware tokens; "
	for _, c := range []struct {
		from, to string
		want     []string
	}{
		{tokens + "Outside of Australia and New Zealand", tokens + "Outside of Australia and India and New Zealand", []string{"India added"}},
		{tokens + "Outside of Australia, India and New Zealand", tokens + "Outside of Australia and New Zealand", []string{"India dropped"}},
		{tokens + "Outside of Australia and New Zealand", tokens + "outside of australia and new zealand", nil},
		{"Customers in the US", "Customers in the U.S.", nil},
		{"Customers in Turkey", "Customers in Türkiye", nil},
		{"Azure China 21Vianet", "Microsoft Azure operated by 21Vianet", nil},
		{"Azure China 21Vianet", "Azure China 21Vianet and India", []string{"India added"}},
	} {
		got := keyPlacesMoved(p, scopeKey("Global", c.from), scopeKey("Global", c.to))
		if !slices.Equal(got, c.want) {
			t.Errorf("%q → %q: %q, want %q", c.from, c.to, got, c.want)
		}
	}
}
