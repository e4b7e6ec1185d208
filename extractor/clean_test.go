package extractor

import (
	"strings"
	"testing"

	"github.com/residiff/residiff/internal/corpustext"
)

// TestIsClean checks isClean (eight bytes at a time) against its
// definition, clean's own answer, on every corpus text, each also cut
// at every offset below 24 (so that spaces and other bytes fall on
// each side of a word's edge), and on texts built to catch the edges.
func TestIsClean(t *testing.T) {
	texts := corpustext.Texts(t, "..")
	for _, base := range []string{"abcdefg  hijklmn", "abcdefgh  ijklmnop", "abcdefg hijklmno pqrstuv", "a\tb", "a\nb", "a\u00a0b",
		"abcdefgh\u00a0ijk", "abcdefg\x7f hij", "é  é", "abcdefgé  é", "x \x85 y", "\xff \xff", "abcdefgh abcdefgh  x"} {
		for i := 0; i <= 9; i++ {
			texts = append(texts, strings.Repeat("x", i)+base, strings.Repeat("y ", i)+base+" z")
		}
	}
	n := 0
	for _, s := range texts {
		for cut := 0; cut < 24 && cut <= len(s); cut++ {
			for _, v := range []string{s[cut:], s[:len(s)-cut]} {
				if got, want := isClean(v), strings.Join(strings.Fields(v), " ") == v; got != want {
					t.Fatalf("isClean(%q) = %v, want %v", v, got, want)
				}
				n++
			}
		}
	}
	if n < 10000 {
		t.Errorf("only %d texts", n)
	}
}

// FuzzIsClean checks isClean against its definition on any text.
func FuzzIsClean(f *testing.F) {
	f.Add("abcdefg  hijklmn")
	f.Add("a b c d e f g h i j")
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := isClean(s), strings.Join(strings.Fields(s), " ") == s; got != want {
			t.Errorf("isClean(%q) = %v, want %v", s, got, want)
		}
	})
}
