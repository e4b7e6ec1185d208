// Package serviceid gives services a canonical identity that survives
// renames: "Azure AD Connect", "Azure Active Directory Connect" and
// "Microsoft Entra Connect" are one service, and so are "Multi-Factor
// Authentication", "multifactor authentication" and "MFA".
//
// An identity is the service's name with the docs source's vendor prefix
// (for Entra: Azure Active Directory, Azure AD, Microsoft Entra [ID]) and
// abbreviations in parentheses removed, synonyms resolved through the alias
// register, and then case, spaces, hyphens and punctuation dropped:
// "connect", "multifactorauthentication". The bare product name is the
// profile's product id ("entraid"). The vendor prefixes and built-in
// aliases come from the source.Profile the register is built from.
package serviceid

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/residiff/residiff/internal/textcase"
	"github.com/residiff/residiff/source"
)

// Register maps names to canonical identities. Build one with New; a
// Register is not safe for concurrent Add.
type Register struct {
	profile *source.Profile
	// fuzzyPrefixes are the vendor prefixes a misspelt name may start
	// with (see fuzzyVendor), squashed once.
	fuzzyPrefixes []fuzzyPrefix
	aliases       map[string]string // squashed alias -> squashed canonical
	names         map[string]string // squashed alias or canonical -> a name as written

	mu    sync.Mutex
	ids   map[string]string // name -> identity, memoised
	known map[string]bool   // name -> Known(name), memoised (at most maxKnown)
}

// maxKnown bounds the memo of Known: the extractor asks it of every run of
// words in a subject phrase, so a long history would otherwise grow it
// without end. When full it starts again.
const maxKnown = 1 << 16

// MustNew is New for a profile embedded in the binary, whose aliases are
// fixed: a bad entry is a bug (each profile package's test catches it), so
// it panics.
func MustNew(p *source.Profile) *Register {
	r, err := New(p)
	if err != nil {
		panic(err)
	}
	return r
}

// New returns a register holding the aliases of profile p, stripping p's
// vendor prefixes from names.
func New(p *source.Profile) (*Register, error) {
	r := &Register{profile: p, aliases: map[string]string{}, names: map[string]string{}, fuzzyPrefixes: fuzzyPrefixes(p)}
	for _, a := range p.Aliases {
		if err := r.Add(a.Alias, a.Canonical); err != nil {
			return nil, fmt.Errorf("profile %s: %w", p.Name, err)
		}
	}
	return r, nil
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
	r.names[a], r.names[c] = alias, canonical
	r.mu.Lock()
	r.ids = nil // identities may have changed
	r.known = nil
	r.mu.Unlock()
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
	r.mu.Lock()
	defer r.mu.Unlock()
	if id, ok := r.ids[name]; ok {
		return id
	}
	id := r.resolve(name)
	if r.ids == nil {
		r.ids = map[string]string{}
	}
	r.ids[name] = id
	return id
}

// resolve computes the identity ID memoises.
func (r *Register) resolve(name string) string {
	b := r.base(name)
	if c, ok := r.aliases[b]; ok {
		return c
	}
	// A misspelt alias still resolves: the same bounded edit distance
	// that pairs typo fixes.
	if len(b) >= 8 {
		for a, c := range r.aliases {
			if len(a) >= 8 && distance(a, b, 1) <= 1 {
				return c
			}
		}
	}
	return b
}

// Names lists the names the register knows for the service with identity
// id (its aliases and canonical name as written), for finding the service
// in a text.
func (r *Register) Names(id string) []string {
	var out []string
	for a, c := range r.aliases {
		if c == id {
			out = append(out, r.names[a])
		}
	}
	if n, ok := r.names[id]; ok {
		out = append(out, n)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// Known reports whether name is one the register holds: an alias or the
// canonical name of one.
func (r *Register) Known(name string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	if k, ok := r.known[name]; ok {
		return k
	}
	k := r.isKnown(name)
	if r.known == nil || len(r.known) >= maxKnown {
		r.known = map[string]bool{}
	}
	r.known[strings.Clone(name)] = k // not a slice of the page it came from
	return k
}

// isKnown computes what Known memoises.
func (r *Register) isKnown(name string) bool {
	b := r.base(name)
	if b == "" {
		return false
	}
	if _, ok := r.aliases[b]; ok {
		return true
	}
	for _, c := range r.aliases {
		if c == b {
			return true
		}
	}
	return b == r.profile.Product.ID
}

// abbreviation matches a trailing parenthesised abbreviation such as
// "(Azure AD B2C)" or "(MFA)".
var abbreviation = regexp.MustCompile(`\s*\(([^()]{1,24})\)\s*$`)

// shortForm reports whether paren, written in parentheses after name, is
// another way of writing it ("MFA", "Azure AD B2C", "Azure RBAC") rather
// than a word that tells two services apart ("Audit (Standard)" and
// "Audit (Premium)"): each of its words is a word of name or is written
// as an abbreviation is (capitals or digits after its first letter).
func shortForm(name, paren string) bool {
	have := map[string]bool{}
	for _, w := range strings.FieldsFunc(textcase.Lower(name), notWordRune) {
		have[w] = true
	}
	for _, w := range strings.FieldsFunc(paren, notWordRune) {
		if have[textcase.Lower(w)] || abbreviated(w) {
			continue
		}
		return false
	}
	return true
}

func notWordRune(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }

// abbreviated reports whether a word is written as an abbreviation: a
// capital or digit after its first letter ("MFA", "AD", "B2C", "AppID").
func abbreviated(w string) bool {
	for i, r := range w {
		if i > 0 && (unicode.IsUpper(r) || unicode.IsDigit(r)) {
			return true
		}
	}
	return false
}

// base normalises a name without applying aliases.
func (r *Register) base(name string) string {
	n := strings.TrimSpace(name)
	// A trimmed name abbreviation matches ends with ")" (TrimSpace removes
	// every \s): the expression runs only on those.
	if strings.HasSuffix(n, ")") {
		if m := abbreviation.FindStringSubmatch(n); m != nil && strings.TrimSpace(n[:len(n)-len(m[0])]) != "" && shortForm(n[:len(n)-len(m[0])], m[1]) {
			n = n[:len(n)-len(m[0])]
		}
	}
	rest, ok := r.profile.StripVendor(n)
	if !ok {
		rest, ok = r.fuzzyVendor(n)
	}
	if ok {
		if squash(rest) == "" {
			return r.profile.Product.ID
		}
		n = rest
	}
	if strings.EqualFold(strings.TrimSpace(n), r.profile.Product.Name) {
		return r.profile.Product.ID
	}
	return squash(n)
}

// fuzzyVendor strips a vendor prefix written with a typo ("Azure Active
// Directroy Connect"): the name's first words within one edit of a prefix
// of ten letters or more.
func (r *Register) fuzzyVendor(name string) (string, bool) {
	words := strings.Fields(name)
	for _, p := range r.fuzzyPrefixes {
		if len(words) <= p.words {
			continue
		}
		if distance(squash(strings.Join(words[:p.words], " ")), p.squashed, 1) <= 1 {
			return strings.Join(words[p.words:], " "), true
		}
	}
	return name, false
}

// fuzzyPrefix is a vendor prefix fuzzyVendor tries: its number of words
// and its squashed form.
type fuzzyPrefix struct {
	words    int
	squashed string
}

// fuzzyPrefixes are the prefixes of p that fuzzyVendor tries, in its
// order: each vendor prefix, bare and after the company's name, of ten
// letters or more.
func fuzzyPrefixes(p *source.Profile) []fuzzyPrefix {
	var out []fuzzyPrefix
	for _, v := range p.VendorPrefixes {
		for _, prefix := range []string{v.Name, p.CompanyPrefix + " " + v.Name} {
			if sp := squash(prefix); len(sp) >= 10 {
				out = append(out, fuzzyPrefix{len(strings.Fields(prefix)), sp})
			}
		}
	}
	return out
}

// squash lower-cases s and keeps only its letters and digits ("&" is
// "and": "Reporting & Audit Insights" is "Reporting and Audit Insights").
func squash(s string) string {
	if isASCII(s) {
		b := make([]byte, 0, len(s)+2)
		for i := 0; i < len(s); i++ {
			switch c := s[i]; {
			case 'a' <= c && c <= 'z', '0' <= c && c <= '9':
				b = append(b, c)
			case 'A' <= c && c <= 'Z':
				b = append(b, c+'a'-'A')
			case c == '&':
				b = append(b, "and"...)
			}
		}
		return string(b)
	}
	return squashRunes(s)
}

// squashRunes is squash for any text.
func squashRunes(s string) string {
	var b strings.Builder
	for _, c := range textcase.Lower(strings.ReplaceAll(s, "&", " and ")) {
		if unicode.IsLetter(c) || unicode.IsDigit(c) {
			b.WriteRune(c)
		}
	}
	return b.String()
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// Similar reports whether two service names are near-identical: the same
// name with a typo fixed ("Mulitenant" and "Multitenant"), not two
// services. It compares the squashed names by edit distance, allowing one
// edit (a swap of neighbours counts as one) per eight letters, at most two,
// and none for names shorter than six letters.
func Similar(a, b string) bool {
	if Expands(a, b) || Expands(b, a) {
		return true
	}
	sa, sb := squash(a), squash(b)
	if sa == sb {
		return sa != ""
	}
	n := min(len([]rune(sa)), len([]rune(sb)))
	if n < 6 || digitsOf(sa) != digitsOf(sb) {
		// A typo does not change a number: "… P1" and "… P2", "Exchange
		// Server 2013" and "2016" are two services (or two plans).
		return false
	}
	limit := min(2, max(1, n/8))
	return distance(sa, sb, limit) <= limit
}

// digitsOf is the digits of s, in order.
func digitsOf(s string) string {
	return strings.Map(func(r rune) rune {
		if '0' <= r && r <= '9' {
			return r
		}
		return -1
	}, s)
}

// abbreviatedRe is a name that ends with its abbreviation in parentheses.
var abbreviatedRe = regexp.MustCompile(`^(.+?)\s*\(([A-Za-z][A-Za-z0-9-]{1,11})\)\s*$`)

// Expands reports whether long is short with an abbreviation spelled out,
// the abbreviation given after it in parentheses: "Cloud MFA" and "Cloud
// multifactor authentication (MFA)" are one service. The words around the
// abbreviation must be the same in both names.
func Expands(short, long string) bool {
	long = strings.TrimSpace(long)
	if !strings.HasSuffix(long, ")") {
		return false // a trimmed name abbreviatedRe matches ends with ")" (TrimSpace removes every \s)
	}
	m := abbreviatedRe.FindStringSubmatch(long)
	if m == nil {
		return false
	}
	full, abbr := strings.Fields(m[1]), m[2]
	words := strings.Fields(strings.TrimSpace(short))
	for i, w := range words {
		if !strings.EqualFold(strings.Trim(w, ".,;:"), abbr) {
			continue
		}
		before, after := words[:i], words[i+1:]
		if len(full) <= len(before)+len(after) {
			return false
		}
		if sameWords(full[:len(before)], before) && sameWords(full[len(full)-len(after):], after) {
			return true
		}
	}
	return false
}

func sameWords(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if squash(a[i]) != squash(b[i]) {
			return false
		}
	}
	return true
}

// Squash is a name's letters and digits, case folded, "&" read as "and":
// the form names are compared in.
func Squash(s string) string { return squash(s) }

// Core is a name without vendor, company and platform prefixes, squashed:
// what is left to compare of two names ("Azure Customer Lockbox" and
// "Azure Key Vault" share nothing).
func (r *Register) Core(name string) string {
	n := strings.TrimSpace(name)
	if rest, ok := r.profile.StripVendor(n); ok {
		n = rest
	} else if rest, ok := r.profile.StripPlatform(n); ok {
		n = rest
	}
	if r.profile.StartsWithCompany(n) {
		n = strings.TrimSpace(n[len(r.profile.CompanyPrefix):])
	}
	return squash(n)
}

// Near reports whether two texts are within limit edits of each other
// (letters and digits only, case folded): a typo, not another word.
func Near(a, b string, limit int) bool {
	return distance(squash(a), squash(b), limit) <= limit
}

// distance is the optimal-string-alignment edit distance of a and b; it
// returns limit+1 early once the distance must exceed limit.
func distance(a, b string, limit int) int {
	// Lengths first, without converting (most names differ by more).
	if d := utf8.RuneCountInString(a) - utf8.RuneCountInString(b); d > limit || -d > limit {
		return limit + 1
	}
	ra, rb := []rune(a), []rune(b)
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
