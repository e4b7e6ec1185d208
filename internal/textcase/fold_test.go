package textcase

import (
	"strings"
	"testing"

	"github.com/residiff/residiff/internal/corpustext"
)

// TestLowerIsToLower compares Lower with strings.ToLower on every text of
// both corpora, and on each with every byte value put at every offset of
// its first 20 bytes for one text in 40 (the letters and the bytes around
// them, a non-ASCII byte in the first word, in the tail, after the first
// letter to fold).
func TestLowerIsToLower(t *testing.T) {
	texts := []string{"", "A", "Z", "@", "[", "a", "z", "`", "{", "İstanbul", "ÀB", "AB\xff", "\xffAB",
		"ABCDEFGH", "ABCDEFGHI", "abcdefgh", "abcdefghI", "Stored In The U.S.", strings.Repeat("Ab", 40) + "’"}
	hand := len(texts)
	texts = append(texts, corpustext.Texts(t, "../..")...)
	n := 0
	for k, s := range texts {
		check(t, s)
		n++
		if k >= hand && k%40 != 0 && len(s) > 1 {
			continue
		}
		if len(s) > 20 {
			s = s[:20]
		}
		b := []byte(s)
		for i := range b {
			orig := b[i]
			for c := 0; c < 256; c++ {
				b[i] = byte(c)
				check(t, string(b))
				n++
			}
			b[i] = orig
		}
	}
	t.Logf("%d texts compared", n)
}

func check(t *testing.T, s string) {
	t.Helper()
	if got, want := Lower(s), strings.ToLower(s); got != want {
		t.Fatalf("Lower(%q) = %q, strings.ToLower gives %q", s, got, want)
	}
}

// TestLowerKeepsFoldedText checks that a text with nothing to fold is
// returned without a copy.
func TestLowerKeepsFoldedText(t *testing.T) {
	s := "stored in the european union datacenters"
	if allocs := testing.AllocsPerRun(100, func() { _ = Lower(s) }); allocs != 0 {
		t.Fatalf("Lower of a lower-case text allocated %v times", allocs)
	}
}

func FuzzLower(f *testing.F) {
	f.Add("Stored in the EU")
	f.Add("customer’s Data")
	f.Fuzz(func(t *testing.T, s string) { check(t, s) })
}

func BenchmarkLower(b *testing.B) {
	s := "Microsoft Entra ID stores Customer Data in the United States, as described in the Data Protection Addendum."
	b.Run("fold", func(b *testing.B) {
		for b.Loop() {
			_ = Lower(s)
		}
	})
	b.Run("strings", func(b *testing.B) {
		for b.Loop() {
			_ = strings.ToLower(s)
		}
	})
}
