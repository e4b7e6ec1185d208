// Package litmatch matches regular expressions through their literals:
// a vocabulary of expressions (Vocab) is matched in one Aho–Corasick pass
// over the text, and a single expression (Regexp) is run only at the
// starts its literal prefixes allow, or only on texts holding one of the
// literals every match of it holds. Both give exactly the answers of the
// standard regexp package, without its backtracking where nothing can
// match.
package litmatch

import (
	"regexp"
	"regexp/syntax"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Vocabulary matching without backtracking.
//
// A vocabulary (the claim words, the places, the locations …) is a list of
// terms, each a regular expression. Run one by one, or joined into one
// alternation, the expressions cost a regexp run per term and text, and
// most of a page's extraction went there. A Vocab instead finds every
// term's possible starts in one pass of an Aho–Corasick automaton over the
// text, and confirms each:
//
//   - a term whose matches are a small finite set of strings (most are:
//     `\bstor(?:e|es|ed|ing|age)\b`) is expanded into those strings, in the
//     order the regexp engine tries them, each with the word boundaries and
//     anchors it asserts and where; a hit is confirmed by those assertions
//     (and by the exact case of the letters matched case-sensitively);
//   - any other term is searched by the literal prefixes every match of it
//     starts with, and a hit is confirmed by running the term's expression
//     anchored at the hit, with the rune before it as its context.
//
// Leftmost-first, non-overlapping matches of the joined alternation are
// then the earliest confirmed start, the first term (and first string) in
// priority order there, and so on from its end: the semantics of
// regexp.FindAllStringSubmatchIndex on the joined expression, which the
// tests check on every sentence of the corpora.

// Vocab is one vocabulary compiled for one-pass matching.
type Vocab struct {
	ac    *automaton
	paths []vpath // every automaton pattern, by id
	// res are the terms' expressions, anchored at a hit: at the text's
	// start (res[t][0]) and after one rune of context (res[t][1]); nil
	// for a term that expands to strings.
	res [][2]*regexp.Regexp
	// dfas find, for the terms run by their expressions, the end of the
	// match starting at a hit, in place of the expressions (nil: run
	// them).
	dfas []*startDFA
	// anchored marks the terms with an alternative anchored at the
	// text's start and without a literal prefix: they are tried at 0,
	// when the text holds one of the literals every match of the term
	// holds (guards[t], nil when there are none to look for).
	anchored []bool
	guards   []*automaton
	fold     bool // some term matches letters case-insensitively
	// head, when above 0, is the longest string of the automaton, all of
	// whose strings assert the text's start before them: a pass reads
	// only the text's first head bytes, where they can be found.
	head int
}

// vpath is one string a term matches (or, for a term run by its
// expression, one prefix its matches start with).
type vpath struct {
	term, order int
	lit         []byte // lower-cased bytes, as the automaton knows them
	// exact holds, at the offsets of letters matched case-sensitively,
	// the byte the text must have there (0 elsewhere); nil when none.
	exact   []byte
	asserts []assertAt
	prefix  bool // only a prefix: confirm with the term's expression
}

type assertAt struct {
	off int
	op  syntax.EmptyOp
}

// maxPaths bounds how many strings one term may expand to.
const maxPaths = 1024

// CompileVocab builds the matcher for the expressions res (one per term,
// in priority order, each compiled with the flags the caller matches it
// with). It returns nil when some term cannot be matched this way (a term
// that can match the empty string, or an alternative with neither a
// finite expansion, a literal prefix nor a leading ^): the caller keeps
// its expressions.
func CompileVocab(res []*regexp.Regexp) *Vocab {
	v := &Vocab{res: make([][2]*regexp.Regexp, len(res)), dfas: make([]*startDFA, len(res)),
		anchored: make([]bool, len(res)), guards: make([]*automaton, len(res))}
	var lits [][]byte
	for t, re := range res {
		tree, err := syntax.Parse(re.String(), syntax.Perl)
		if err != nil {
			return nil
		}
		tree = tree.Simplify()
		if minLen(tree) == 0 {
			return nil // it can match the empty string
		}
		ps, complete, ok := expand(tree)
		if !ok {
			return nil
		}
		kept := ps[:0]
		for _, p := range ps {
			switch {
			case len(p.lit) > 0:
				kept = append(kept, p)
			case complete:
				return nil // the term matches the empty string
			case atBegin(p):
				v.anchored[t] = true // tried at the text's start
			default:
				return nil // a prefix that rules nothing out
			}
		}
		ps = kept
		if v.anchored[t] {
			if lits, fold, ok := required(tree); ok && !hasEmpty(lits) {
				v.guards[t] = newAutomaton(lits)
				v.fold = v.fold || fold // a text the guard cannot fold is left to the expressions
			}
		}
		if !complete {
			src := re.String()
			at0, err0 := regexp.Compile(`^(?:` + src + `)`)
			after, err1 := regexp.Compile(`^(?s:.)(?:` + src + `)`)
			if err0 != nil || err1 != nil {
				return nil
			}
			v.res[t] = [2]*regexp.Regexp{at0, after}
			v.dfas[t] = newStartDFA(tree)
		}
		for i, p := range ps {
			p.term, p.order, p.prefix = t, i, !complete
			if p.fold {
				v.fold = true
			}
			v.paths = append(v.paths, p.vpath)
			lits = append(lits, p.lit)
		}
	}
	v.ac = newAutomaton(lits)
	for _, p := range v.paths {
		if !atBegin(xpath{vpath: p}) {
			v.head = 0
			break
		}
		v.head = max(v.head, len(p.lit))
	}
	return v
}

// xpath is a path being expanded.
type xpath struct {
	vpath
	fold bool
}

func (p xpath) join(q xpath) xpath {
	r := xpath{fold: p.fold || q.fold}
	r.lit = append(slices.Clip(p.lit), q.lit...)
	if p.exact != nil || q.exact != nil {
		r.exact = append(padded(p.exact, len(p.lit)), padded(q.exact, len(q.lit))...)
	}
	r.asserts = slices.Clip(p.asserts)
	for _, a := range q.asserts {
		r.asserts = append(r.asserts, assertAt{a.off + len(p.lit), a.op})
	}
	return r
}

func padded(b []byte, n int) []byte {
	if b == nil {
		return make([]byte, n)
	}
	return slices.Clip(b)
}

// expand lists the strings t matches, in the order a backtracking engine
// tries them (complete), or the literal prefixes its matches start with
// (not complete); ok is false when it can do neither within maxPaths.
func expand(t *syntax.Regexp) (ps []xpath, complete, ok bool) {
	switch t.Op {
	case syntax.OpEmptyMatch:
		return []xpath{{}}, true, true
	case syntax.OpLiteral:
		p := xpath{}
		fold := t.Flags&syntax.FoldCase != 0
		for _, r := range t.Rune {
			if !runeInto(&p, r, fold) {
				return nil, false, false
			}
		}
		return []xpath{p}, true, true
	case syntax.OpCharClass:
		var out []xpath
		n := 0
		for i := 0; i+1 < len(t.Rune); i += 2 {
			n += int(t.Rune[i+1]-t.Rune[i]) + 1
			if n > 16 {
				return nil, false, false
			}
		}
		in := func(r rune) bool {
			for i := 0; i+1 < len(t.Rune); i += 2 {
				if t.Rune[i] <= r && r <= t.Rune[i+1] {
					return true
				}
			}
			return false
		}
		for i := 0; i+1 < len(t.Rune); i += 2 {
			for r := t.Rune[i]; r <= t.Rune[i+1]; r++ {
				p := xpath{}
				switch {
				case 'A' <= r && r <= 'Z' && in(r+'a'-'A'):
					continue // its lower-case twin stands for both
				case 'a' <= r && r <= 'z' && in(r-'a'+'A'):
					if !runeInto(&p, r, true) {
						return nil, false, false
					}
				default:
					if !runeInto(&p, r, false) {
						return nil, false, false
					}
				}
				out = append(out, p)
			}
		}
		if len(out) == 0 {
			return nil, false, false
		}
		return out, true, true
	case syntax.OpBeginText, syntax.OpEndText, syntax.OpBeginLine, syntax.OpEndLine, syntax.OpWordBoundary, syntax.OpNoWordBoundary:
		return []xpath{{vpath: vpath{asserts: []assertAt{{0, emptyOp(t.Op)}}}}}, true, true
	case syntax.OpCapture:
		return expand(t.Sub[0])
	case syntax.OpAlternate:
		complete = true
		for _, s := range t.Sub {
			sub, c, ok := expand(s)
			if !ok {
				return nil, false, false
			}
			complete = complete && c
			ps = append(ps, sub...)
			if len(ps) > maxPaths {
				return nil, false, false
			}
		}
		return ps, complete, true
	case syntax.OpQuest:
		sub, c, ok := expand(t.Sub[0])
		if !ok || !c {
			return nil, false, false
		}
		if t.Flags&syntax.NonGreedy != 0 {
			return append([]xpath{{}}, sub...), true, true
		}
		return append(sub, xpath{}), true, true
	case syntax.OpPlus:
		sub, _, ok := expand(t.Sub[0])
		if !ok {
			return nil, false, false
		}
		return sub, false, true
	case syntax.OpConcat:
		return expandConcat([]xpath{{}}, t.Sub)
	}
	return nil, false, false
}

// expandConcat is expand of the concatenation of subs after the paths ps.
func expandConcat(ps []xpath, subs []*syntax.Regexp) ([]xpath, bool, bool) {
	if len(subs) == 0 {
		return ps, true, true
	}
	sub, c, ok := expand(subs[0])
	if !ok || len(ps)*len(sub) > maxPaths {
		if q := subs[0]; q.Op == syntax.OpQuest {
			// An optional part without a finite expansion: the matches
			// start with its prefixes or with what follows it.
			with, _, ok1 := expandConcat(ps, []*syntax.Regexp{q.Sub[0]})
			without, _, ok2 := expandConcat(ps, subs[1:])
			if ok1 && ok2 && len(with)+len(without) <= maxPaths {
				return append(with, without...), false, true
			}
		}
		return ps, false, hasChars(ps)
	}
	next := make([]xpath, 0, len(ps)*len(sub))
	for _, p := range ps {
		for _, q := range sub {
			next = append(next, p.join(q))
		}
	}
	if !c {
		return next, false, hasChars(next)
	}
	return expandConcat(next, subs[1:])
}

// minLen is the fewest bytes a match of t holds.
func minLen(t *syntax.Regexp) int {
	switch t.Op {
	case syntax.OpLiteral:
		n := 0
		for _, r := range t.Rune {
			n += utf8.RuneLen(r)
		}
		return n
	case syntax.OpCharClass, syntax.OpAnyChar, syntax.OpAnyCharNotNL:
		return 1
	case syntax.OpCapture, syntax.OpPlus:
		return minLen(t.Sub[0])
	case syntax.OpRepeat:
		return t.Min * minLen(t.Sub[0])
	case syntax.OpConcat:
		n := 0
		for _, s := range t.Sub {
			n += minLen(s)
		}
		return n
	case syntax.OpAlternate:
		n := -1
		for _, s := range t.Sub {
			if m := minLen(s); n < 0 || m < n {
				n = m
			}
		}
		return max(n, 0)
	}
	return 0
}

// hasChars reports whether every prefix holds a character or is anchored
// at the text's start: a prefix set with an empty prefix rules nothing
// out.
func hasChars(ps []xpath) bool {
	for _, p := range ps {
		if len(p.lit) == 0 && !atBegin(p) {
			return false
		}
	}
	return true
}

// atBegin reports whether p asserts the text's start before any
// character.
func atBegin(p xpath) bool {
	for _, a := range p.asserts {
		if a.off == 0 && a.op == syntax.EmptyBeginText {
			return true
		}
	}
	return false
}

func emptyOp(op syntax.Op) syntax.EmptyOp {
	switch op {
	case syntax.OpBeginText:
		return syntax.EmptyBeginText
	case syntax.OpEndText:
		return syntax.EmptyEndText
	case syntax.OpBeginLine:
		return syntax.EmptyBeginLine
	case syntax.OpEndLine:
		return syntax.EmptyEndLine
	case syntax.OpWordBoundary:
		return syntax.EmptyWordBoundary
	}
	return syntax.EmptyNoWordBoundary
}

// runeInto appends r to p: an ASCII letter lower-cased, with its exact
// byte when it is matched case-sensitively; any other rune as its UTF-8
// bytes. A rune matched case-insensitively whose case cannot be folded
// byte for byte is refused.
func runeInto(p *xpath, r rune, fold bool) bool {
	switch {
	case 'A' <= r && r <= 'Z' || 'a' <= r && r <= 'z':
		low := byte(r) | 0x20
		if fold {
			p.fold = true
		} else {
			p.exact = append(padded(p.exact, len(p.lit)), byte(r))
		}
		p.lit = append(p.lit, low)
		if p.exact != nil && fold {
			p.exact = append(p.exact, 0)
		}
		return true
	case fold && unicode.SimpleFold(r) != r:
		return false
	}
	var buf [utf8.UTFMax]byte
	n := utf8.EncodeRune(buf[:], r)
	if p.exact != nil {
		p.exact = append(p.exact, make([]byte, n)...)
	}
	p.lit = append(p.lit, buf[:n]...)
	return true
}

// isWordByte is regexp's \w, byte for byte (a non-ASCII byte is not a
// word character).
func isWordByte(b byte) bool {
	return 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z' || '0' <= b && b <= '9' || b == '_'
}

// holds reports whether the empty-width assertion op holds at i of s.
func holds(op syntax.EmptyOp, s string, i int) bool {
	switch op {
	case syntax.EmptyBeginText:
		return i == 0
	case syntax.EmptyEndText:
		return i == len(s)
	case syntax.EmptyBeginLine:
		return i == 0 || s[i-1] == '\n'
	case syntax.EmptyEndLine:
		return i == len(s) || s[i] == '\n'
	}
	wb := (i > 0 && isWordByte(s[i-1])) != (i < len(s) && isWordByte(s[i]))
	if op == syntax.EmptyWordBoundary {
		return wb
	}
	return !wb
}

// foldsToASCII reports whether s holds a rune that a case-insensitive
// expression matches to an ASCII letter (the Kelvin sign, the long s):
// the automaton folds ASCII only, so such texts are left to the
// expressions. Every vocabulary and guard asks it of its whole text, so it
// looks for the runes' rarest bytes with strings.IndexByte, many bytes at
// a time: the Kelvin sign's last byte (e2 84 aa; "’" and the other
// punctuation begin with e2 too) and the long s's first (c5 bf).
func foldsToASCII(s string) bool {
	return holdsRune(s, "\u212a", 2) || holdsRune(s, "\u017f", 0)
}

// holdsRune reports whether s holds the encoded rune r, found by its byte
// at offset k.
func holdsRune(s, r string, k int) bool {
	for i := 0; i < len(s); {
		j := strings.IndexByte(s[i:], r[k])
		if j < 0 {
			return false
		}
		at := i + j - k
		if at >= 0 && strings.HasPrefix(s[at:], r) {
			return true
		}
		i += j + 1
	}
	return false
}

// Hit is a confirmed match of a term: its span in the text, the index of
// the term and the order, within the term, of the string it matched.
type Hit struct {
	Start, End  int
	Term, Order int
	// stop, when above 0, is as far as the term's expression reads s
	// from Start: it finds the same match in s[:stop].
	stop int
}

// Hits lists the confirmed matches of every term at every start of s,
// ordered by start, then priority. ok is false when s must be left to
// the expressions.
func (v *Vocab) Hits(s string, out []Hit) ([]Hit, bool) {
	return v.hits(s, out, false)
}

// Any reports whether any term matches s; ok is false when s must be left
// to the expressions.
func (v *Vocab) Any(s string) (found, ok bool) {
	var buf [1]Hit
	hs, ok := v.hits(s, buf[:0], true)
	return len(hs) > 0, ok
}

// hits is Hits, stopping at the first confirmed match when first.
func (v *Vocab) hits(s string, out []Hit, first bool) ([]Hit, bool) {
	if v.fold && foldsToASCII(s) {
		return nil, false
	}
	out = out[:0]
	var triedBuf [16][2]int
	tried := triedBuf[:0]
	// try confirms a start of a term; guard, when not nil, is an
	// automaton of literals one of which every match of the term holds,
	// looked for before the expression is run.
	try := func(term, at int, guard *automaton) {
		// A term run by its expression is run once per start.
		k := [2]int{term, at}
		if slices.Contains(tried, k) {
			return
		}
		tried = append(tried, k)
		w := 0
		if at > 0 {
			_, w = utf8.DecodeLastRuneInString(s[:at])
		}
		if d := v.dfas[term]; d != nil {
			switch end, stop, verdict := d.match(s, at, w); verdict {
			case noMatch:
				return
			case someMatch:
				out = append(out, Hit{Start: at, End: end, Term: term, stop: stop})
				return
			}
		}
		if guard != nil && !guard.any(s) {
			return // the term matches nowhere in s
		}
		var loc []int
		if at == 0 {
			loc = v.res[term][0].FindStringIndex(s)
		} else if loc = v.res[term][1].FindStringIndex(s[at-w:]); loc != nil {
			loc[1] += at - w
		}
		if loc != nil && loc[1] > at {
			out = append(out, Hit{Start: at, End: loc[1], Term: term})
		}
	}
	for t, a := range v.anchored {
		// A match is a part of s: it holds one of the term's literals
		// (the automaton folds ASCII case; s with a rune folding to ASCII
		// left the pass above). The term's DFA, which reads s only as
		// far as a match can go (a few bytes, mostly), answers before
		// the guard's pass over all of s; the guard is looked at only
		// before the expression is run.
		if a {
			try(t, 0, v.guards[t])
		}
	}
	if first && len(out) > 0 {
		return out, true
	}
	scan := s
	if v.head > 0 && len(scan) > v.head {
		scan = scan[:v.head] // the strings can only start at 0
	}
	v.ac.each(scan, func(id, end int) bool {
		p := &v.paths[id]
		start := end - len(p.lit)
		// The letters matched case-sensitively and the assertions within
		// the string hold for every match through it, a prefix's too:
		// where they fail, the expression need not be run.
		for i, e := range p.exact {
			if e != 0 && s[start+i] != e {
				return true
			}
		}
		for _, a := range p.asserts {
			if !holds(a.op, s, start+a.off) {
				return true
			}
		}
		if p.prefix {
			try(p.term, start, nil)
			return !first || len(out) == 0
		}
		out = append(out, Hit{Start: start, End: end, Term: p.term, Order: p.order})
		return !first
	})
	slices.SortFunc(out, func(a, b Hit) int {
		if a.Start != b.Start {
			return a.Start - b.Start
		}
		if a.Term != b.Term {
			return a.Term - b.Term
		}
		return a.Order - b.Order
	})
	return out, true
}

// LeftmostFirst keeps, of hits ordered by start and priority, the matches
// FindAll of the joined alternation returns: the first at the earliest
// start, then the first at or after its end, and so on.
func LeftmostFirst(hs []Hit) []Hit {
	out := hs[:0]
	end, prev := 0, -1
	for _, h := range hs {
		if h.Start < end || h.Start == prev {
			continue
		}
		prev = h.Start
		out = append(out, h)
		end = h.End
	}
	return out
}

// Words lists the strings re matches, in the order the regexp engine tries
// them, when they are a finite set of strings matched case-sensitively
// whose only assertions are word boundaries at their ends
// (`\bstor(?:e|es|ed)\b`, `\bat[- ]rest\b`): a vocabulary of words a
// caller looks up whole. ok is false for any other expression.
func Words(re *regexp.Regexp) (words []string, ok bool) {
	tree, err := syntax.Parse(re.String(), syntax.Perl)
	if err != nil {
		return nil, false
	}
	ps, complete, ok := expand(tree.Simplify())
	if !ok || !complete {
		return nil, false
	}
	for _, p := range ps {
		if p.fold || len(p.lit) == 0 {
			return nil, false
		}
		for _, a := range p.asserts {
			if a.op != syntax.EmptyWordBoundary || a.off != 0 && a.off != len(p.lit) {
				return nil, false
			}
		}
		w := slices.Clone(p.lit)
		for i, b := range p.exact {
			if b != 0 {
				w[i] = b
			}
		}
		words = append(words, string(w))
	}
	return words, true
}
