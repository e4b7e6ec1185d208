package differ

import (
	"fmt"
	"regexp/syntax"
	"slices"
	"strings"
	"unicode/utf8"
)

// Word scanners. The differ splits every claim into words, in every
// comparison of two versions, and a regular expression run for that
// (`\d+|[\p{L}']+`, whose classes give it no literal to search for)
// was a third of the differ's time. The scanners below find exactly
// the matches of their expressions (TestWordScannersMatchExpressions
// runs both on every line of the fixtures, FuzzWordScanners on any
// text), with the expressions' own character classes.

// runeClass is a regular expression's character class: a table for
// ASCII, the class's ranges beyond.
type runeClass struct {
	ascii  [utf8.RuneSelf]bool
	ranges []rune // pairs lo, hi, sorted
}

// mustClass compiles expr, a single character class ("[\p{L}']",
// "(?i)[\p{L}\d]"), as the regexp package reads it.
func mustClass(expr string) *runeClass {
	re, err := syntax.Parse(expr, syntax.Perl)
	if err != nil {
		panic(err)
	}
	re = re.Simplify()
	if re.Op != syntax.OpCharClass {
		panic(fmt.Sprintf("differ: %q is not a character class", expr))
	}
	c := &runeClass{ranges: slices.Clone(re.Rune)}
	for r := rune(0); r < utf8.RuneSelf; r++ {
		c.ascii[r] = c.within(r)
	}
	return c
}

func (c *runeClass) within(r rune) bool {
	// ranges are sorted and disjoint: the first pair ending at or
	// after r is the only one that can hold it.
	i, _ := slices.BinarySearch(c.ranges, r) // index of the first bound ≥ r
	if i == len(c.ranges) {
		return false
	}
	if i%2 == 1 {
		return true // r lies after a lo and at or before its hi
	}
	return c.ranges[i] == r // r is a lo
}

// has reports whether r is in the class.
func (c *runeClass) has(r rune) bool {
	if r < utf8.RuneSelf {
		return r >= 0 && c.ascii[r]
	}
	return c.within(r)
}

// runAt returns the end of the longest run of runes of c starting at i
// (i when s[i:] does not start with one).
func (c *runeClass) runAt(s string, i int) int {
	for i < len(s) {
		r, w := rune(s[i]), 1
		if r >= utf8.RuneSelf {
			r, w = utf8.DecodeRuneInString(s[i:])
		}
		if !c.has(r) {
			break
		}
		i += w
	}
	return i
}

var (
	digitClass    = mustClass(`\d`)
	factRuneClass = mustClass(`(?i)[\p{L}']`)
	letterClass   = mustClass(`\p{L}`)
	alnumClass    = mustClass(`[\p{L}\d]`)
	innerClass    = mustClass(`['’-]`)
	hyphenClass   = mustClass(`[-\x{2010}\x{2011}]`)
)

// factWordSpans returns the matches of `(?i)\d+|[\p{L}']+` in s, as
// regexp's FindAllStringIndex(s, -1) does: a run of ASCII digits, or of
// letters and apostrophes, leftmost first.
func factWordSpans(s string) [][]int {
	var out [][]int
	for i := 0; i < len(s); {
		end := digitClass.runAt(s, i)
		if end == i {
			end = factRuneClass.runAt(s, i)
		}
		if end > i {
			out = append(out, []int{i, end})
			i = end
			continue
		}
		_, w := utf8.DecodeRuneInString(s[i:])
		i += w
	}
	return out
}

// factWordsOf returns the words factWordSpans finds.
func factWordsOf(s string) []string {
	spans := factWordSpans(s)
	if spans == nil {
		return nil
	}
	out := make([]string, len(spans))
	for i, m := range spans {
		out[i] = s[m[0]:m[1]]
	}
	return out
}

// nameWordSpans returns the matches of
// `\p{L}[\p{L}\d]*(?:['’-][\p{L}\d]+)*` in s, as regexp's
// FindAllStringIndex(s, -1) does: a letter, letters and digits after
// it, and more of them after each inner apostrophe or hyphen.
func nameWordSpans(s string) [][]int {
	var out [][]int
	for i := 0; i < len(s); {
		r, w := utf8.DecodeRuneInString(s[i:])
		if !letterClass.has(r) {
			i += w
			continue
		}
		end := alnumClass.runAt(s, i+w)
		for end < len(s) {
			r, w := utf8.DecodeRuneInString(s[end:])
			if !innerClass.has(r) {
				break
			}
			next := alnumClass.runAt(s, end+w)
			if next == end+w {
				break // a hyphen or apostrophe with no letter or digit after it ends the word before it
			}
			end = next
		}
		out = append(out, []int{i, end})
		i = end
	}
	return out
}

// joinHyphenated drops each hyphen between two letters, as the
// expression `(\pL)[-\x{2010}\x{2011}](\pL)` replaced by "$1$2" does:
// matches do not overlap, so in "a-b-c" only the first hyphen goes.
func joinHyphenated(s string) string {
	var out strings.Builder
	copied := 0
	for i := 0; i < len(s); {
		r1, w1 := utf8.DecodeRuneInString(s[i:])
		if !letterClass.has(r1) || i+w1 >= len(s) {
			i += w1
			continue
		}
		r2, w2 := utf8.DecodeRuneInString(s[i+w1:])
		if !hyphenClass.has(r2) || i+w1+w2 >= len(s) {
			i += w1
			continue
		}
		r3, w3 := utf8.DecodeRuneInString(s[i+w1+w2:])
		if !letterClass.has(r3) {
			i += w1
			continue
		}
		out.WriteString(s[copied : i+w1])
		copied = i + w1 + w2
		i = copied + w3
	}
	if copied == 0 {
		return s
	}
	out.WriteString(s[copied:])
	return out.String()
}
