package litmatch

import (
	"reflect"
	"regexp"
	"strings"
	"testing"
)

// joinedTerms are terms of the shapes the profiles use, overlapping.
var joinedTerms = []string{`\bUS\b|\bU\.S\.`, `(?i)\bunited states\b`, `(?i)^the\b`, `(?i)stor(?:e|ed)\b`,
	`(?i)\bstored in\b`, `EU\b`, `(?i)\bEU\s+data\s+boundary\b`, `(?i)\bdata ?cent(?:er|re)s?\b`,
	`(?i)\bfor (?:more )?info\b[^.]*\bsee\b`, `(?i)^\s*see\b`, `(?i)keep`}

// joinedVocab compiles joinedTerms both ways: as a vocabulary and as the
// alternation FindAll runs.
func joinedVocab(t testing.TB) (*Vocab, *regexp.Regexp) {
	var res []*regexp.Regexp
	var alts []string
	for _, s := range joinedTerms {
		res = append(res, regexp.MustCompile(s))
		alts = append(alts, "("+s+")")
	}
	v := CompileVocab(res)
	if v == nil {
		t.Fatal("not compiled")
	}
	return v, regexp.MustCompile(strings.Join(alts, "|"))
}

// checkJoined compares the vocabulary's leftmost-first matches with the
// alternation's on s.
func checkJoined(t *testing.T, v *Vocab, joined *regexp.Regexp, s string) {
	var want [][3]int
	for _, m := range joined.FindAllStringSubmatchIndex(s, -1) {
		for g := 1; 2*g < len(m); g++ {
			if m[2*g] >= 0 {
				want = append(want, [3]int{m[0], m[1], g - 1})
				break
			}
		}
	}
	hs, ok := v.Hits(s, nil)
	if !ok {
		if !foldsToASCII(s) {
			t.Errorf("%q: left to the expressions", s)
		}
		return
	}
	var got [][3]int
	for _, h := range LeftmostFirst(hs) {
		got = append(got, [3]int{h.Start, h.End, h.Term})
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%q:\ngot  %v\nwant %v", s, got, want)
	}
}

// TestVocabJoined checks the leftmost-first matches of a vocabulary against
// FindAll of the joined alternation on texts made to catch the edges:
// boundaries, anchors, case, overlapping terms, the Kelvin sign.
func TestVocabJoined(t *testing.T) {
	v, joined := joinedVocab(t)
	for _, s := range []string{
		"The data is stored in the US. U.S. datacenters, USA, US_x, xUS",
		"the EU  Data\tBoundary; EUDB; EU data center; EU's data centre",
		"  see the EU. For more info about it, see below. for info see",
		"stores STORED restored stored instore; the", "The", "the\u212aeep and \u212aEEP keep",
		"United States of the United Statesx", "",
	} {
		checkJoined(t, v, joined, s)
	}
}

// FuzzVocab checks a vocabulary's matches against the alternation's on any
// text.
func FuzzVocab(f *testing.F) {
	f.Add("The data is stored in the US. See the EU Data Boundary.")
	f.Add("for more info, see datacentres; \u212aeep")
	v, joined := joinedVocab(f)
	f.Fuzz(func(t *testing.T, s string) { checkJoined(t, v, joined, s) })
}

// TestVocabAnchored checks vocabularies whose strings all start at the
// text's start (a pass reads only the text's head) and prefixes whose
// assertions fail where they are found (the expression is not run there),
// against the alternation, on texts where the words stand later too.
func TestVocabAnchored(t *testing.T) {
	for _, terms := range [][]string{
		{`^(?:While|When|If)\b[^,]*,\s*`, `^\s+(?:not|no longer|no)\b`},
		{`(?i)^(?:for example|however)\s*,?\s*`},
		{`\b(?:in|to)\s+[A-Z][a-z]+`, `(?i)(?:^|\s)(?:data|logs?)$`},
		// Anchored terms without a literal prefix, tried at 0 only when
		// the text holds a literal every match holds.
		{`^(?:.+?\([^()]+\))\s+and\s+(?:.+\([^()]+\))$`, `^(?:[^:]{3,60}):`, `(?i)^\s*(?:see|keep)\b`},
	} {
		var res []*regexp.Regexp
		var alts []string
		for _, s := range terms {
			res = append(res, regexp.MustCompile(s))
			alts = append(alts, "("+s+")")
		}
		v := CompileVocab(res)
		if v == nil {
			t.Fatalf("%q: not compiled", terms)
		}
		joined := regexp.MustCompile(strings.Join(alts, "|"))
		for _, s := range []string{
			"While it is stored, it stays. When so, then", "It is stored. While so, x", " not here", "x not here", "  no longer, When ",
			"When", "If,", "For example, Azure", "however however,", "Data goes into Europe", "within Europe", "instore To Japan",
			"the logs", "logs", "the logsx", "catalogs", "In data", "the\tdata", "",
			"Azure AD (AAD) and Entra (E)", "Azure AD (AAD) or Entra (E)", "AAD and (E)", "Key: value", "No colon", "ab: c",
			"  SEE below", " \u212aeep", "\u212aEEP", "  see", "oversee",
		} {
			checkJoined(t, v, joined, s)
		}
	}
}

// TestWords: a finite set of case-sensitive words with word boundaries at
// their ends is listed, with its exact case; anything else is refused.
func TestWords(t *testing.T) {
	for _, tc := range []struct {
		expr string
		want []string
	}{
		{`\bstor(?:e|es|ed)\b`, []string{"store", "stored", "stores"}},
		{`\bat[- ]rest\b`, []string{"at rest", "at-rest"}},
		{`\bsync(?:s|ed)?\b`, []string{"syncs", "synced", "sync"}},
		{`Made`, []string{"Made"}},
		{`(?i)\bstored\b`, nil}, // any case: not a word list
		{`\bstor\w+\b`, nil},    // not finite
		{`^stored\b`, nil},      // anchored
		{`\bst\Bored\b`, nil},   // an assertion inside
		{`\bstored\b|x?`, nil},  // the empty string
	} {
		got, ok := Words(regexp.MustCompile(tc.expr))
		if ok != (tc.want != nil) || !reflect.DeepEqual(got, tc.want) {
			t.Errorf("Words(%q) = %q, %v; want %q", tc.expr, got, ok, tc.want)
		}
	}
}
