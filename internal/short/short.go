// Package short holds the small text helpers every output shares: short
// commit hashes and clipped texts.
package short

// Hash is the first seven characters of a commit hash, as git shows it.
func Hash(h string) string {
	if len(h) > 7 {
		return h[:7]
	}
	return h
}

// Clip shortens s to at most n characters (runes), ending in "…".
func Clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
