package serviceid

import (
	"strings"
	"testing"
)

// TestSquashASCII checks squash's ASCII path against the rune by rune one
// on every ASCII byte, alone and in names.
func TestSquashASCII(t *testing.T) {
	var all strings.Builder
	for c := 0; c < 0x80; c++ {
		all.WriteByte(byte(c))
	}
	for _, s := range []string{
		all.String(), "", "&", "Reporting & Audit Insights", "Azure AD Multi-Factor Authentication (MFA)",
		"Microsoft Entra ID", "self-service_group management 2.0", "A&B", "  ",
	} {
		if got, want := squash(s), squashRunes(s); got != want {
			t.Errorf("squash(%q) = %q, want %q", s, got, want)
		}
	}
}

// TestAbbreviationNeedsParen checks the guard base runs abbreviation
// behind: a trimmed name it matches ends with ")".
func TestAbbreviationNeedsParen(t *testing.T) {
	for _, name := range []string{
		"Azure AD Multi-Factor Authentication (MFA)", "X (MFA) ", "X (MFA)\t\n", "X (MFA)\u00a0", "X (MFA)\u2003\v",
		"X (MFA)\f\r ", "X (MFA).", "X (MFA)x", "(MFA)", "X (Azure AD B2C)  ", "X ()", "X (a) (b)", "",
	} {
		n := strings.TrimSpace(name)
		if abbreviation.FindStringSubmatch(n) != nil && !strings.HasSuffix(n, ")") {
			t.Errorf("%q: abbreviation matches %q, which does not end with \")\"", name, n)
		}
	}
}
