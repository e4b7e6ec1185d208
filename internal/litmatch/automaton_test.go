package litmatch

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/residiff/residiff/internal/corpustext"
)

// occurrence is one pattern found ending at end.
type occurrence struct{ id, end int }

// naiveOccurrences lists every occurrence of every pattern in s, ASCII
// letters folded, by end and then as the automaton reports them at one
// end (longest pattern first, the order out keeps).
func naiveOccurrences(patterns [][]byte, s string) []occurrence {
	low := []byte(s)
	for i, b := range low {
		if 'A' <= b && b <= 'Z' {
			low[i] = b + 'a' - 'A' // ASCII only, as the automaton folds
		}
	}
	var out []occurrence
	for end := 1; end <= len(low); end++ {
		var at []occurrence
		for id, p := range patterns {
			if len(p) <= end && bytes.Equal(low[end-len(p):end], p) {
				at = append(at, occurrence{id, end})
			}
		}
		slices.SortStableFunc(at, func(a, b occurrence) int { return len(patterns[b.id]) - len(patterns[a.id]) })
		out = append(out, at...)
	}
	return out
}

// TestAutomatonAgrees checks each and any against a naive search, for
// small automata and one of more than 32,767 states, on corpus texts and
// random ones.
func TestAutomatonAgrees(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	word := func(n int) []byte {
		b := make([]byte, n)
		for i := range b {
			b[i] = "abcdefghij -"[rng.IntN(12)]
		}
		return b
	}
	var large [][]byte
	for range 4000 {
		large = append(large, word(12)) // ~4000 × 11 states
	}
	texts := corpustext.Texts(t, "../..")
	if len(texts) > 300 {
		texts = texts[:300]
	}
	random := make([]string, 200)
	for i := range random {
		random[i] = string(word(200)) + "ÄbC\x00\xff" + string(large[rng.IntN(len(large))])
	}
	for _, tc := range []struct {
		name     string
		patterns [][]byte
		texts    []string
		large    bool
	}{
		{"words", [][]byte{[]byte("data"), []byte("at"), []byte("stor"), []byte("store"), []byte("ta"), []byte(" in "), []byte("a")}, texts, false},
		{"random", large[:50], random, false},
		{"more than 32,767 states", large, append(random, texts[:50]...), true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := newAutomaton(tc.patterns)
			states := len(a.ends) - 1
			if want := trieNodes(tc.patterns); states != want {
				t.Fatalf("%d states, want the trie's %d nodes (the tables are sized by them)", states, want)
			}
			if large := states > 32767; large != tc.large {
				t.Fatalf("%d states, want more than 32,767: %v", states, tc.large)
			}
			if small := a.small != nil; small == tc.large {
				t.Fatalf("%d states in the small table: %v, want %v", states, small, !tc.large)
			}
			for _, s := range tc.texts {
				var got []occurrence
				a.each(s, func(id, end int) bool {
					got = append(got, occurrence{id, end})
					return true
				})
				want := naiveOccurrences(tc.patterns, s)
				if !slices.Equal(got, want) {
					t.Fatalf("each(%q):\n got %v\nwant %v", clipped(s), got, want)
				}
				if a.any(s) != (len(want) > 0) {
					t.Fatalf("any(%q) = %v, want %v", clipped(s), a.any(s), len(want) > 0)
				}
			}
		})
	}
}

func clipped(s string) string {
	if len(s) > 120 {
		return fmt.Sprintf("%s… (%d bytes)", s[:120], len(s))
	}
	return s
}

// TestFoldsToASCII checks foldsToASCII against strings.Contains of the
// two runes on every corpus text and on texts holding either rune, its
// bytes apart or cut, at the first offsets.
func TestFoldsToASCII(t *testing.T) {
	texts := corpustext.Texts(t, "../..")
	for n := range 6 {
		pad := strings.Repeat("a’", n)
		for _, r := range []string{"\u212a", "\u017f", "\xe2\x84", "\x84\xaa", "\xaa", "\xc5", "\xc5\xbe", "ª", "Ū", "ſ’", "K"} {
			texts = append(texts, pad+r, r+pad, pad+r+pad, pad[:max(0, len(pad)-1)]+r)
		}
	}
	for _, s := range texts {
		want := strings.Contains(s, "\u212a") || strings.Contains(s, "\u017f")
		if got := foldsToASCII(s); got != want {
			t.Fatalf("foldsToASCII(%q) = %v, want %v", clipped(s), got, want)
		}
	}
}
