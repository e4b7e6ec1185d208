// Package textcase lower-cases text as strings.ToLower does, faster on the
// ASCII text that most of a page is: eight bytes are checked and folded
// at a time, and a text with no upper-case letter is returned as it is.
package textcase

import (
	"strings"
	"unsafe"
)

const (
	ones = 0x0101010101010101
	high = 0x8080808080808080
)

// Lower returns strings.ToLower(s). ASCII text is folded here; a text
// holding any other byte is left to strings.ToLower, so that the answer
// is always its own.
func Lower(s string) string {
	i := 0
	for ; i+8 <= len(s); i += 8 {
		w := load(s, i)
		if w&high != 0 {
			return strings.ToLower(s)
		}
		if upper(w) != 0 {
			break
		}
	}
	for ; i < len(s); i++ {
		c := s[i]
		if c >= 0x80 {
			return strings.ToLower(s)
		}
		if 'A' <= c && c <= 'Z' {
			break
		}
	}
	if i == len(s) {
		return s // nothing to fold
	}
	i &^= 7 // the word the first letter to fold stands in
	b := make([]byte, len(s))
	copy(b, s[:i])
	for ; i+8 <= len(s); i += 8 {
		w := load(s, i)
		if w&high != 0 {
			return strings.ToLower(s)
		}
		store(b, i, w|upper(w)>>2) // 0x80 >> 2 is the 0x20 of lower case
	}
	for ; i < len(s); i++ {
		c := s[i]
		if c >= 0x80 {
			return strings.ToLower(s)
		}
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		b[i] = c
	}
	return unsafe.String(&b[0], len(b)) // b is not used after
}

// upper has the high bit set in each byte of the ASCII word w that is an
// upper-case letter: a byte above '@' and not above 'Z'. No byte carries
// into the next, as every byte of w is below 0x80.
func upper(w uint64) uint64 {
	above := w + (0x80-'A')*ones    // high bit: byte >= 'A'
	beyond := w + (0x80-'Z'-1)*ones // high bit: byte > 'Z'
	return above &^ beyond & high
}

// load reads the eight bytes of s at i as one little-endian word.
func load(s string, i int) uint64 {
	_ = s[i+7]
	return uint64(s[i]) | uint64(s[i+1])<<8 | uint64(s[i+2])<<16 | uint64(s[i+3])<<24 |
		uint64(s[i+4])<<32 | uint64(s[i+5])<<40 | uint64(s[i+6])<<48 | uint64(s[i+7])<<56
}

// store writes w into b at i, little-endian.
func store(b []byte, i int, w uint64) {
	_ = b[i+7]
	b[i], b[i+1], b[i+2], b[i+3] = byte(w), byte(w>>8), byte(w>>16), byte(w>>24)
	b[i+4], b[i+5], b[i+6], b[i+7] = byte(w>>32), byte(w>>40), byte(w>>48), byte(w>>56)
}
