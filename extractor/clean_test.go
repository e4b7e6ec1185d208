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
	texts := cleanTexts(t)
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

// TestCollapse checks collapse (clean's one-pass copy) against what it
// replaces, strings.Join(strings.Fields(s), " "), and wordsAtLeast against
// len(strings.Fields(s)) >= n, on the texts of
// TestIsClean cut the same way, and on white space of every kind
// (Unicode's, invalid bytes, at either end).
func TestCollapse(t *testing.T) {
	texts := cleanTexts(t)
	for _, sp := range []string{" ", "\t", "\n", "\r\n", "\v", "\f", "\u0085", "\u00a0", "\u2003", "\u3000", "\u2028"} {
		for _, w := range []string{"a", "é", "\xff", "\u00a0x", "日本"} {
			texts = append(texts, sp+w+sp+sp+w+sp, w+sp+w, sp, sp+sp, w+sp+"\xe2\x80"+sp+w)
		}
	}
	texts = append(texts, "")
	n := 0
	for _, s := range texts {
		for cut := 0; cut < 24 && cut <= len(s); cut++ {
			for _, v := range []string{s[cut:], s[:len(s)-cut]} {
				if got, want := collapse(v), strings.Join(strings.Fields(v), " "); got != want {
					t.Fatalf("collapse(%q) = %q, want %q", v, got, want)
				}
				for k := range 15 {
					if got, want := wordsAtLeast(v, k), len(strings.Fields(v)) >= k; got != want {
						t.Fatalf("wordsAtLeast(%q, %d) = %v, want %v", v, k, got, want)
					}
				}
				n++
			}
		}
	}
	if n < 10000 {
		t.Errorf("only %d texts", n)
	}
}

// cleanTexts are the corpus's texts and texts built to catch the edges
// of isClean's eight-byte words.
func cleanTexts(t *testing.T) []string {
	texts := corpustext.Texts(t, "..")
	for _, base := range []string{"abcdefg  hijklmn", "abcdefgh  ijklmnop", "abcdefg hijklmno pqrstuv", "a\tb", "a\nb", "a\u00a0b",
		"abcdefgh\u00a0ijk", "abcdefg\x7f hij", "é  é", "abcdefgé  é", "x \x85 y", "\xff \xff", "abcdefgh abcdefgh  x"} {
		for i := 0; i <= 9; i++ {
			texts = append(texts, strings.Repeat("x", i)+base, strings.Repeat("y ", i)+base+" z")
		}
	}
	return texts
}

// FuzzIsClean checks isClean against its definition, and collapse against
// what it replaces, and wordsAtLeast against the count of fields, on any
// text.
func FuzzIsClean(f *testing.F) {
	f.Add("abcdefg  hijklmn")
	f.Add("a b c d e f g h i j")
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := isClean(s), strings.Join(strings.Fields(s), " ") == s; got != want {
			t.Errorf("isClean(%q) = %v, want %v", s, got, want)
		}
		if got, want := collapse(s), strings.Join(strings.Fields(s), " "); got != want {
			t.Errorf("collapse(%q) = %q, want %q", s, got, want)
		}
		for k := range 15 {
			if got, want := wordsAtLeast(s, k), len(strings.Fields(s)) >= k; got != want {
				t.Errorf("wordsAtLeast(%q, %d) = %v, want %v", s, k, got, want)
			}
		}
	})
}

// TestSiteTextSlashGuard checks that siteText, which runs urlRe only on
// texts holding a slash, reads every corpus text, and texts with
// addresses of each kind urlRe knows, as urlRe run on every text does.
func TestSiteTextSlashGuard(t *testing.T) {
	texts := append(cleanTexts(t), "see https://example.com/x now", "go to aka.ms/mfa", "docs.microsoft.com/ and http://a",
		"no address at all", "a/b", "")
	addresses := 0
	for _, s := range texts {
		for _, kind := range []string{"item", "row"} {
			st := &site{Claim: Claim{Kind: kind, Text: s, Context: "Heading ‖ Region | Data"}}
			want := urlRe.ReplaceAllString(s, " ")
			if kind == "row" {
				want += " Region | Data"
			}
			if got := siteText(st); got != want {
				t.Fatalf("siteText(%s %q) = %q, want %q", kind, s, got, want)
			}
		}
		if urlRe.MatchString(s) {
			addresses++
		}
	}
	if addresses < 4 {
		t.Errorf("only %d texts with an address", addresses)
	}
}
