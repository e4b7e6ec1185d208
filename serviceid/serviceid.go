// Package serviceid gives services a canonical identity that survives
// renames: "Azure AD Connect", "Azure Active Directory Connect" and
// "Microsoft Entra Connect" are one service, and so are "Multi-Factor
// Authentication", "multifactor authentication" and "MFA".
//
// An identity is the service's name with the vendor prefix (Azure Active
// Directory, Azure AD, Microsoft Entra [ID]) and abbreviations in
// parentheses removed, synonyms resolved through the alias register, and
// then case, spaces, hyphens and punctuation dropped: "connect",
// "multifactorauthentication". The bare product name is "entraid".
package serviceid

import (
	"fmt"
	"regexp"
	"strings"
	"unicode"
)

// Register maps names to canonical identities. The zero value is not
// usable; call Default. A Register is not safe for concurrent Add.
type Register struct {
	aliases map[string]string // squashed alias -> squashed canonical
}

// builtin are the aliases every register starts with: alias, canonical.
var builtin = [][2]string{
	{"MFA", "multifactor authentication"},
	{"Multi-Factor Authentication", "multifactor authentication"},
	{"MFA Server", "multifactor authentication server"},
	{"Azure Multi-Factor Authentication Server", "multifactor authentication server"},
	{"Microsoft Azure multi-factor authentication", "multifactor authentication"},
	{"AAD", "Microsoft Entra ID"},
	{"Azure AD DS", "Domain Services"},
	{"Microsoft Entra Domain Services", "Domain Services"},
	{"Device Registration Service", "Device Registration"},
	{"Identity Protection", "ID Protection"},
	{"Azure RBAC", "Azure role-based access control"},
	{"role-based access control", "Azure role-based access control"},
	{"Multi Tenant Collaboration", "multitenant collaboration"},
	// The EU page renamed the capability in 2024 with the same description.
	{"Multitenant administration", "multitenant collaboration"},
}

// Default returns a new register holding the built-in aliases.
func Default() *Register {
	r := &Register{aliases: map[string]string{}}
	for _, a := range builtin {
		if err := r.Add(a[0], a[1]); err != nil {
			panic(err) // the built-in table is fixed; a bad entry is a bug caught by tests
		}
	}
	return r
}

// Add records that alias names the same service as canonical. Both sides
// are normalised as IDs are, so case, spacing and vendor prefixes do not
// matter.
func (r *Register) Add(alias, canonical string) error {
	a, c := r.base(alias), r.base(canonical)
	if a == "" || c == "" {
		return fmt.Errorf("alias %q = %q: both names must have letters or digits", alias, canonical)
	}
	if a == c {
		return nil
	}
	// Resolve chains now so ID needs a single look-up.
	if cc, ok := r.aliases[c]; ok {
		c = cc
	}
	if c == a {
		return fmt.Errorf("alias %q = %q: would make a cycle", alias, canonical)
	}
	r.aliases[a] = c
	for k, v := range r.aliases {
		if v == a {
			r.aliases[k] = c
		}
	}
	return nil
}

// ID returns the canonical identity of the service named name, or "" when
// the name has no letters or digits.
func (r *Register) ID(name string) string {
	b := r.base(name)
	if c, ok := r.aliases[b]; ok {
		return c
	}
	return b
}

// vendorPrefix matches the product names Entra services have been prefixed
// with over the years.
var vendorPrefix = regexp.MustCompile(`(?i)^(microsoft\s+)?(azure\s+active\s+directory|azure\s+ad|entra\s+id|entra|aad)\b\s*`)

// abbreviation matches a trailing parenthesised abbreviation such as
// "(Azure AD B2C)" or "(MFA)".
var abbreviation = regexp.MustCompile(`\s*\(([^()]{1,24})\)\s*$`)

// base normalises a name without applying aliases.
func (r *Register) base(name string) string {
	n := strings.TrimSpace(name)
	if m := abbreviation.FindStringSubmatch(n); m != nil && strings.TrimSpace(n[:len(n)-len(m[0])]) != "" {
		n = n[:len(n)-len(m[0])]
	}
	if loc := vendorPrefix.FindStringIndex(n); loc != nil {
		if rest := strings.TrimSpace(n[loc[1]:]); squash(rest) != "" {
			n = rest
		} else {
			return "entraid"
		}
	}
	if strings.EqualFold(strings.TrimSpace(n), "microsoft entra id") {
		return "entraid"
	}
	return squash(n)
}

// squash lower-cases s and keeps only its letters and digits.
func squash(s string) string {
	var b strings.Builder
	for _, c := range strings.ToLower(s) {
		if unicode.IsLetter(c) || unicode.IsDigit(c) {
			b.WriteRune(c)
		}
	}
	return b.String()
}

// Similar reports whether two service names are near-identical: the same
// name with a typo fixed ("Mulitenant" and "Multitenant"), not two
// services. It compares the squashed names by edit distance, allowing one
// edit (a swap of neighbours counts as one) per eight letters, at most two,
// and none for names shorter than six letters.
func Similar(a, b string) bool {
	sa, sb := squash(a), squash(b)
	if sa == sb {
		return sa != ""
	}
	n := min(len([]rune(sa)), len([]rune(sb)))
	if n < 6 {
		return false
	}
	limit := min(2, max(1, n/8))
	return distance(sa, sb, limit) <= limit
}

// distance is the optimal-string-alignment edit distance of a and b; it
// returns limit+1 early once the distance must exceed limit.
func distance(a, b string, limit int) int {
	ra, rb := []rune(a), []rune(b)
	if d := len(ra) - len(rb); d > limit || -d > limit {
		return limit + 1
	}
	prev2 := make([]int, len(rb)+1)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		best := cur[0]
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
			best = min(best, cur[j])
		}
		if best > limit {
			return limit + 1
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(rb)]
}
