package litmatch

import (
	"reflect"
	"regexp"
	"regexp/syntax"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/residiff/residiff/internal/corpustext"
	"github.com/residiff/residiff/internal/racetest"
)

// edgeTexts hold what the assertions and rune decoding turn on: the text's
// edges, newlines, word and non-word bytes, non-ASCII and invalid UTF-8.
var edgeTexts = []string{"", "a", " ", "\n", "in Europe", "to  Japan.", "in\nEurope\n", "x\xffin Europe", "in \xe2\x80",
	"\xe2in\x80\xa6 Europe", "services don’t store data", "Service doesn't keep", "in the \u212aingdom", "ſtored in EU",
	"customers in the United States and Canada", "\x00\x7f\x80\xc0\xfe", "EU  Data\tBoundary; EUDB", "Microsoft Entra ID ",
	"see: https://x.com/a b", "While so, then", "2024-01-31 or 31 December 1999.", "é in Zürich"}

// dfaStarts checks a term's DFA against its anchored expressions at every
// byte offset of s that the Vocab may ask about (every offset: the
// automaton's hits can start within a rune of invalid text).
func dfaStarts(t *testing.T, expr string, d *startDFA, at0, after *regexp.Regexp, s string, every bool) int {
	t.Helper()
	n := 0
	for i := 0; i <= len(s); i++ {
		if !every && i > 0 && isWordByte(s[i-1]) {
			continue // within a word: the corpora ask at word starts, mostly
		}
		w := 0
		var loc []int
		if i == 0 {
			loc = at0.FindStringIndex(s)
		} else {
			_, w = utf8.DecodeLastRuneInString(s[:i])
			if loc = after.FindStringIndex(s[i-w:]); loc != nil {
				loc[1] += i - w
			}
		}
		want := -1
		if loc != nil && loc[1] > i {
			want = loc[1]
		}
		end, stop, v := d.match(s, i, w)
		switch {
		case v == undecided:
			continue
		case v == noMatch && want >= 0 || v == someMatch && end != want:
			t.Errorf("%q at %d of %q: %d (%d), want %d", expr, i, s, end, v, want)
			return n
		case stop < end || stop > len(s):
			t.Errorf("%q at %d of %q: stops at %d, the match ends at %d", expr, i, s, stop, end)
			return n
		}
		// The expression reads no further than stop: its submatches
		// there are those on the whole text.
		sub := func(s string) []int {
			if i == 0 {
				return at0.FindStringSubmatchIndex(s)
			}
			return after.FindStringSubmatchIndex(s[i-w:])
		}
		if got, want := sub(s[:stop]), sub(s); !reflect.DeepEqual(got, want) {
			t.Errorf("%q at %d of %q, read to %d: submatches %v, want %v", expr, i, s, stop, got, want)
			return n
		}
		n++
	}
	return n
}

// dfaExprs are the expressions checked: the extractor's, the fuzz
// targets' and the vocabulary tests' terms.
func dfaExprs(t *testing.T) []string {
	return append(append(extractorExprs(t), fuzzExprs...), joinedTerms...)
}

// TestStartDFAAgrees checks every expression's DFA against the expression
// anchored where a Vocab asks, on every corpus text at each word start
// and on edge texts at every byte.
func TestStartDFAAgrees(t *testing.T) {
	racetest.SkipHeavy(t)
	texts := corpustext.Texts(t, "../..")
	decided := 0
	for _, e := range dfaExprs(t) {
		re := regexp.MustCompile(e)
		d := newStartDFA(mustParse(t, e))
		if d == nil {
			t.Errorf("%q: no DFA", e)
			continue
		}
		at0 := regexp.MustCompile(`^(?:` + re.String() + `)`)
		after := regexp.MustCompile(`^(?s:.)(?:` + re.String() + `)`)
		for _, s := range edgeTexts {
			decided += dfaStarts(t, e, d, at0, after, s, true)
		}
		for _, s := range texts {
			decided += dfaStarts(t, e, d, at0, after, s, false)
		}
	}
	if decided < 100000 {
		t.Errorf("only %d starts decided by the DFAs", decided)
	}
}

// TestStartDFAFull: a term whose states outgrow dfaMaxStates is left to
// its expression (undecided), and the states built stay right.
func TestStartDFAFull(t *testing.T) {
	e := `(?:a|b)*a(?:a|b){12}c`
	re := regexp.MustCompile(e)
	d := newStartDFA(mustParse(t, e))
	at0 := regexp.MustCompile(`^(?:` + re.String() + `)`)
	after := regexp.MustCompile(`^(?s:.)(?:` + re.String() + `)`)
	var b strings.Builder
	x := uint32(1)
	for i := 0; i < 3000; i++ {
		x = x*1664525 + 1013904223
		b.WriteByte("ab"[x>>31])
	}
	s := b.String() + "c"
	dfaStarts(t, e, d, at0, after, s, true)
	if !d.full {
		t.Errorf("%q: %d states, never full", e, len(d.seeds))
	}
	if _, _, v := d.match(s, 0, 0); v != undecided {
		t.Errorf("full DFA: %d, want undecided", v)
	}
}

// FuzzStartDFA checks the DFAs of the fuzz targets' expressions against the
// anchored expressions at every byte of any text.
func FuzzStartDFA(f *testing.F) {
	for _, s := range edgeTexts {
		f.Add(s)
	}
	type term struct {
		e          string
		d          *startDFA
		at0, after *regexp.Regexp
	}
	var terms []term
	for _, e := range append(append([]string{}, fuzzExprs...), joinedTerms...) {
		tree, err := regexpTree(e)
		if err != nil {
			f.Fatal(err)
		}
		terms = append(terms, term{e, newStartDFA(tree), regexp.MustCompile(`^(?:` + e + `)`), regexp.MustCompile(`^(?s:.)(?:` + e + `)`)})
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, c := range terms {
			dfaStarts(t, c.e, c.d, c.at0, c.after, s, true)
		}
	})
}

func regexpTree(expr string) (*syntax.Regexp, error) {
	tree, err := syntax.Parse(expr, syntax.Perl)
	if err != nil {
		return nil, err
	}
	return tree.Simplify(), nil
}

// TestASCIISet checks each instruction's bytes against MatchRune, for
// the programs of every expression checked.
func TestASCIISet(t *testing.T) {
	for _, e := range append(dfaExprs(t), `(?i)k`, `(?i)[a-c]x`, `[^\n]`, `(?s).`, `.`) {
		d := newStartDFA(mustParse(t, e))
		for k := range d.inst {
			in := &d.inst[k]
			if in.Op != syntax.InstRune && in.Op != syntax.InstRune1 {
				continue
			}
			set := asciiSet(in)
			for r := range rune(utf8.RuneSelf) {
				if got, want := set[r/64]>>(r%64)&1 != 0, in.MatchRune(r); got != want {
					t.Errorf("%q, instruction %d, %q: %v, want %v", e, k, r, got, want)
				}
			}
		}
	}
}
