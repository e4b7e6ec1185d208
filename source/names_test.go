package source_test

import (
	"fmt"
	"slices"
	"testing"

	"github.com/residiff/residiff/source"
	"github.com/residiff/residiff/source/entra"
	"github.com/residiff/residiff/source/m365"
)

// TestNamesAt: services by their profile name wherever a text names
// them, the longest mention winning (a service over the product prefix it
// starts with), scopes, and the product's names run together as one.
func TestNamesAt(t *testing.T) {
	brief := func(s string, ns []source.Name) []string {
		var out []string
		for _, n := range ns {
			out = append(out, fmt.Sprintf("%s:%s=%s", n.Kind, s[n.Start:n.End], n.Name))
		}
		return out
	}
	for _, tc := range []struct {
		p    *source.Profile
		s    string
		want []string
	}{
		{m365.Profile(), "Exchange Online, SharePoint/OneDrive, Microsoft Teams, and Microsoft 365 Copilot and Copilot Chat",
			[]string{"service:Exchange Online=Exchange Online", "service:SharePoint/OneDrive=SharePoint and OneDrive", "service:Microsoft Teams=Microsoft Teams",
				"service:Microsoft 365 Copilot=Microsoft 365 Copilot", "service:Copilot=Microsoft 365 Copilot"}},
		{m365.Profile(), "under Advanced Data Residency in Microsoft 365",
			[]string{"scope:Advanced Data Residency=Advanced Data Residency", "product:Microsoft 365="}},
		{entra.Profile(), "For example, Microsoft Azure AD Multi-Factor Authentication stores data",
			[]string{"product:Microsoft Azure AD =", "service:Multi-Factor Authentication=Multifactor authentication"}},
		{m365.Profile(), "commitment for Information Protection - DLP and Insider Risk Management - Information Barriers",
			[]string{"service:Information Protection - DLP=Data Loss Prevention", "service:Insider Risk Management - Information Barriers=Information Barriers"}},
		{entra.Profile(), "no names here", nil},
	} {
		got := brief(tc.s, tc.p.NamesAt(tc.s))
		if !slices.Equal(got, tc.want) {
			t.Errorf("NamesAt(%q) = %q, want %q", tc.s, got, tc.want)
		}
	}
}

// TestMember: a name written as a family and a member is the member.
func TestMember(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"Risk & Compliance - Audit (Standard)", "Audit (Standard)"},
		{"Information Protection – Data Loss Prevention", "Data Loss Prevention"},
		{"Purview Audit (Standard)", "Purview Audit (Standard)"},
		{"Self-Service Password Reset", "Self-Service Password Reset"},
	} {
		if got := source.Member(tc.in); got != tc.want {
			t.Errorf("Member(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
