package differ

import (
	"testing"

	"github.com/residiff/residiff/source/entra"
)

func TestAbbrevEqual(t *testing.T) {
	for _, tc := range []struct {
		x, y string
		want bool
	}{
		{"Cloud MFA", "Cloud multifactor authentication", true},
		{"Cloud MFA", "Cloud multifactor authentication (MFA)", true},
		{"MFA server", "multifactor authentication (MFA) server", true},
		{"Azure AD", "Azure Active Directory", true},
		{"SSPR", "self-service password reset", true},
		{"OATH software and hardware tokens", "Oath software and hardware tokens", true},
		{"Azure AD", "Azure Active Directory B2C", false}, // B2C is no letter of AD
		{"Azure AD B2B", "Azure AD B2C", false},
		{"MFA server", "Cloud MFA", false},
		{"Cloud MFA", "Cloud management", false},
	} {
		if got := abbrevEqual(tc.x, tc.y); got != tc.want {
			t.Errorf("abbrevEqual(%q, %q) = %v, want %v", tc.x, tc.y, got, tc.want)
		}
		if got := abbrevEqual(tc.y, tc.x); got != tc.want {
			t.Errorf("abbrevEqual(%q, %q) = %v, want %v", tc.y, tc.x, got, tc.want)
		}
	}
}

func TestFoldClaimRendered(t *testing.T) {
	for _, tc := range []struct{ a, b string }{
		{"Go to the [map](https://datacenters.microsoft.com/globe) for more", "Go to the [map](https://data centers.microsoft.com/globe) for more"},
		{"<tr><td>Application identifier</td></tr>", "Application identifier"},
		{"**Services** - MFA", "Services - MFA"},
	} {
		if foldClaim(tc.a) != foldClaim(tc.b) {
			t.Errorf("foldClaim(%q) = %q, foldClaim(%q) = %q: want equal", tc.a, foldClaim(tc.a), tc.b, foldClaim(tc.b))
		}
	}
}

func TestWordingApposition(t *testing.T) {
	p := entra.Profile()
	for _, tc := range []struct {
		a, b string
		want bool
	}{
		{"info is replicated to the United States (US).", "info is replicated to the United States (the United States).", true},
		{"data is stored in multiple datacenters in the region", "data is stored in multiple data centers in the region", true},
		{"info is replicated to the United States (US).", "info is replicated to the United States and Europe.", false},
	} {
		if got := Wording(p, "Europe", tc.a, tc.b); got != tc.want {
			t.Errorf("Wording(%q, %q) = %v, want %v", tc.a, tc.b, got, tc.want)
		}
	}
}
