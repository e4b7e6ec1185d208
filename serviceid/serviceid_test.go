package serviceid_test

import (
	"testing"

	"github.com/residiff/residiff/serviceid"
	"github.com/residiff/residiff/source/entra"
)

func TestSameService(t *testing.T) {
	r := entra.Register()
	for _, pair := range [][2]string{
		{"Azure Active Directory Connect", "Microsoft Entra Connect"},
		{"Azure AD Connect", "Microsoft Entra Connect"},
		{"Azure AD Connect Health", "Microsoft Entra Connect Health"},
		{"Azure Active Directory Sync Fabric", "Microsoft Entra ID Sync Fabric"},
		{"Multi-Factor Authentication", "multifactor Authentication"},
		{"Multi-Factor Authentication", "Microsoft Entra multifactor authentication"},
		{"MFA", "multifactor authentication"},
		{"Azure AD Multi-Factor Authentication (MFA)", "Microsoft Entra multifactor authentication"},
		{"Azure Active Directory", "Microsoft Entra ID"},
		{"Azure AD", "Microsoft Entra ID"},
		{"Microsoft Azure Active Directory B2C (Azure AD B2C)", "Azure AD B2C"},
		{"Self-Service Group Management", "self service group management"},
		{"Microsoft Entra Multi Tenant Collaboration", "Multitenant administration"},
		{"Azure role-based access control (Azure RBAC)", "Azure RBAC"},
		{"Office Message Encryption (OME)", "Office Message Encryption"},
		{"Application identifier (AppID)", "Application identifier"},
		// AUDIT2 class K: one service under two ids.
		{"Cloud MFA", "Azure AD multifactor authentication"},
		{"cloud-based MFA", "Azure AD multifactor authentication"},
		{"Microsoft Azure role-based access control (RBAC)", "Azure role-based access control (Azure RBAC)"},
	} {
		if a, b := r.ID(pair[0]), r.ID(pair[1]); a != b || a == "" {
			t.Errorf("ID(%q) = %q, ID(%q) = %q; want equal", pair[0], a, pair[1], b)
		}
	}
}

func TestDistinctServices(t *testing.T) {
	r := entra.Register()
	for _, pair := range [][2]string{
		{"Azure Customer Lockbox", "Azure Certificate Service"},
		// The 2022 EU page lists both in different blocks: the page
		// itself treats them as two entries, so residiff does too.
		{"Enterprise App Management", "Enterprise Application Management"},
		{"Microsoft Entra Connect", "Microsoft Entra Connect Health"},
		{"Microsoft Entra ID", "Microsoft Entra Connect"},
		{"MyApps", "MyAccount"},
		{"Sign-In", "MySign-Ins"},
		{"multifactor authentication", "multifactor authentication server"},
		{"Cloud MFA", "MFA server"},
		{"NPS extension", "AD FS adapter"},
		{"NPS extension", "multifactor authentication"},
		// A word in parentheses that is not a short form of the name
		// tells two services apart (m365-dr-commitments 2024-03-02
		// "### Audit (Standard)", "### Audit (Premium)").
		{"Audit (Standard)", "Audit (Premium)"},
		{"Audit (Standard)", "Audit"},
	} {
		if a, b := r.ID(pair[0]), r.ID(pair[1]); a == b {
			t.Errorf("ID(%q) = ID(%q) = %q; want different", pair[0], pair[1], a)
		}
	}
}

func TestAdd(t *testing.T) {
	r := entra.Register()
	if err := r.Add("Contoso Sync", "Microsoft Entra Connect"); err != nil {
		t.Fatal(err)
	}
	if r.ID("contoso-sync") != r.ID("Azure AD Connect") {
		t.Error("added alias not applied")
	}
	if err := r.Add("Old Name", "Middle Name"); err != nil {
		t.Fatal(err)
	}
	if err := r.Add("Middle Name", "New Name"); err != nil {
		t.Fatal(err)
	}
	if r.ID("Old Name") != r.ID("New Name") {
		t.Errorf("alias chain not resolved: %q vs %q", r.ID("Old Name"), r.ID("New Name"))
	}
	if err := r.Add("New Name", "Old Name"); err == nil {
		t.Error("cycle accepted")
	}
	if err := r.Add("---", "x"); err == nil {
		t.Error("empty alias accepted")
	}
	if entra.Register().ID("Contoso Sync") == entra.Register().ID("Azure AD Connect") {
		t.Error("Add changed another register: registers share state")
	}
}

func TestSimilar(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want bool
	}{
		{"Mulitenant administration", "Multitenant administration", true},
		{"Self-Service Group Managment", "Self-Service Group Management", true},
		{"Dynamic Group Service", "Dynamic Groups Service", true},
		{"MyApps", "MyAccount", false},
		{"Sign-In", "MySign-Ins", false},
		{"JIT", "JTI", false},
		{"Azure Customer Lockbox", "Azure Certificate Service", false},
		{"Microsoft Entra Connect", "Microsoft Entra Connect Health", false},
		{"Microsoft Defender for Office P1", "Microsoft Defender for Office P2", false},
		{"Federation in Exchange Server 2013", "Federation in Exchange Server 2016", false},
		{"", "", false},
	} {
		if got := serviceid.Similar(tc.a, tc.b); got != tc.want {
			t.Errorf("serviceid.Similar(%q, %q) = %v, want %v", tc.a, tc.b, got, tc.want)
		}
	}
}

// TestKnownAfterAdd checks that Known's memo does not outlive an Add: a
// name asked before it was added is known after.
func TestKnownAfterAdd(t *testing.T) {
	r := entra.Register()
	for _, c := range []struct {
		name string
		want bool
	}{
		{"Multi-Factor Authentication", true},
		{"MFA", true},
		{"Contoso Sync", false},
		{"phone numbers", false},
	} {
		for range 2 { // the second answer comes from the memo
			if got := r.Known(c.name); got != c.want {
				t.Errorf("Known(%q) = %v, want %v", c.name, got, c.want)
			}
		}
	}
	if err := r.Add("Contoso Sync", "Microsoft Entra Connect"); err != nil {
		t.Fatal(err)
	}
	if !r.Known("Contoso Sync") {
		t.Error("Known(\"Contoso Sync\") = false after Add")
	}
}
