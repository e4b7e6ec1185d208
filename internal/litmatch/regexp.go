package litmatch

import (
	"regexp"
	"regexp/syntax"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"
)

// Regexp is a regexp.Regexp that is run only where it may match. When the
// expression's matches start with literals ("in ", "to " … for
// `\b(?:in|to)\s+[A-Z]\w*`), it is a one-term Vocab: the automaton finds
// the possible starts and the expression is run anchored at each, leftmost
// first. Otherwise, when every match holds one of some literals
// ("datacenter", "data center" … for `[a-z]+ data ?cent(?:er|re)s?\b`),
// it is run only on texts that hold one. The answers are the expression's
// own; the methods it does not redefine are the expression's.
type Regexp struct {
	*regexp.Regexp
	// once builds pre on first use: a program's expressions cost their
	// start-up only once they are asked something.
	once sync.Once
	pre  prefilter
}

// prefilter is what finds a Regexp's matches, or rules them out, without
// running it.
type prefilter struct {
	// v finds the expression's matches by their starts; at0 and after
	// are the expression anchored at the text's start and after one rune
	// of context, for its submatches.
	v          *Vocab
	at0, after *regexp.Regexp
	guard      *automaton // nil: no literal is required; always run
	// bytes, when guard is nil, are bytes one of which every match holds
	// ("" when there are none worth looking for).
	bytes string
	fold  bool // the literals are matched case-insensitively somewhere
}

// minGuard is the shortest literal worth a guard.
const minGuard = 3

// MustCompile is regexp.MustCompile with a guard of required literals,
// built when the expression is first used.
func MustCompile(expr string) *Regexp {
	return &Regexp{Regexp: regexp.MustCompile(expr)}
}

// Prepare builds what the expression's first use would: for a program
// that compiles its expressions before the work that uses them.
func (r *Regexp) Prepare() { r.p() }

// p is the expression's prefilter, built once.
func (r *Regexp) p() *prefilter {
	r.once.Do(func() { r.pre = newPrefilter(r.Regexp) })
	return &r.pre
}

// newPrefilter builds the vocabulary or the guard of re.
func newPrefilter(re *regexp.Regexp) prefilter {
	expr := re.String()
	var r prefilter
	if r.v = CompileVocab([]*regexp.Regexp{re}); r.v == nil {
		if alts := alternatives(expr); alts != nil {
			r.v = CompileVocab(alts) // nil alternatives would be a vocabulary matching nothing
		}
	}
	if r.v != nil {
		r.at0 = regexp.MustCompile(`^(?:` + expr + `)`)
		r.after = regexp.MustCompile(`^(?s:.)(?:` + expr + `)`)
		return r
	}
	tree, err := syntax.Parse(expr, syntax.Perl)
	if err != nil {
		return r
	}
	lits, fold, ok := required(tree.Simplify())
	if !ok {
		return r
	}
	for _, l := range lits {
		if len(l) < minGuard {
			r.bytes = guardBytes(lits)
			return r
		}
	}
	r.guard, r.fold = newAutomaton(lits), fold
	return r
}

// maxGuardBytes is how many bytes a guard of bytes looks for.
const maxGuardBytes = 2

// guardBytes is the first bytes of lits, when they are at most
// maxGuardBytes and none is an ASCII letter, digit or space (bytes
// every text holds, and letters a case-insensitive expression may match
// as other runes): one of them is in every match, so a text holding none
// of them has no match. It is "" otherwise.
func guardBytes(lits [][]byte) string {
	var set []byte
	for _, l := range lits {
		b := l[0]
		if isWordByte(b) || b == ' ' || b == '\t' || b == '\n' || b == '\r' || b == '\v' || b == '\f' {
			return ""
		}
		if !slices.Contains(set, b) {
			set = append(set, b)
		}
	}
	if len(set) > maxGuardBytes {
		return ""
	}
	return string(set)
}

// holdsByte reports whether s holds one of the bytes of set.
func holdsByte(s, set string) bool {
	for i := 0; i < len(set); i++ {
		if strings.IndexByte(s, set[i]) >= 0 {
			return true
		}
	}
	return false
}

// alternatives splits expr into the alternatives of its top-level
// alternation, as expressions whose joined alternation, in order, matches
// as expr does: a vocabulary of them finds expr's matches when expr as one
// term expands to too many strings (the dates' `\b(?:Month …|\d{1,2} …|
// \d{4}-…)`, whose three forms each have a few hundred prefixes). A prefix
// standing before the alternation ("\b" above, factored out by the
// parser) is put in front of every alternative when it matches in one way
// only (literals and assertions), so that the order in which a
// backtracking engine tries them is unchanged; what follows the
// alternation is put after every alternative. It returns nil when expr is
// no such alternation.
func alternatives(expr string) []*regexp.Regexp {
	tree, err := syntax.Parse(expr, syntax.Perl)
	if err != nil {
		return nil
	}
	var pre, post []*syntax.Regexp
	alt := tree
	if tree.Op == syntax.OpConcat {
		alt = nil
		for i, sub := range tree.Sub {
			if sub.Op == syntax.OpAlternate {
				alt, pre, post = sub, tree.Sub[:i], tree.Sub[i+1:]
				break
			}
			if !deterministic(sub) {
				return nil
			}
		}
	}
	if alt == nil || alt.Op != syntax.OpAlternate {
		return nil
	}
	var out []*regexp.Regexp
	for _, a := range alt.Sub {
		parts := append(append(append([]*syntax.Regexp{}, pre...), a), post...)
		one := &syntax.Regexp{Op: syntax.OpConcat, Flags: tree.Flags, Sub: parts}
		re, err := regexp.Compile(one.String())
		if err != nil {
			return nil
		}
		out = append(out, re)
	}
	return out
}

// deterministic reports whether t matches in one way only: a literal or
// an assertion.
func deterministic(t *syntax.Regexp) bool {
	switch t.Op {
	case syntax.OpLiteral, syntax.OpBeginText, syntax.OpEndText, syntax.OpBeginLine, syntax.OpEndLine,
		syntax.OpWordBoundary, syntax.OpNoWordBoundary, syntax.OpEmptyMatch:
		return true
	}
	return false
}

// mayMatch reports whether s holds one of the required literals, or may
// match for another reason the guard cannot see.
func (r *Regexp) mayMatch(s string) bool {
	p := r.p()
	if p.guard == nil {
		return p.bytes == "" || holdsByte(s, p.bytes)
	}
	if p.fold && foldsToASCII(s) {
		return true
	}
	return p.guard.any(s)
}

// required returns literals (lower-cased) one of which every match of t
// holds, and whether any is matched case-insensitively.
func required(t *syntax.Regexp) (lits [][]byte, fold, ok bool) {
	switch t.Op {
	case syntax.OpLiteral, syntax.OpCharClass:
		return finite([]*syntax.Regexp{t})
	case syntax.OpCapture, syntax.OpPlus:
		return required(t.Sub[0])
	case syntax.OpRepeat:
		if t.Min >= 1 {
			return required(t.Sub[0])
		}
	case syntax.OpAlternate:
		for _, s := range t.Sub {
			l, f, ok := required(s)
			if !ok {
				return nil, false, false
			}
			lits, fold = append(lits, l...), fold || f
		}
		return lits, fold, true
	case syntax.OpConcat:
		// The best of: each run of parts with a finite expansion, taken
		// as one, and each other part's own literals.
		best := func(l [][]byte, f bool) {
			if len(l) == 0 || hasEmpty(l) {
				return
			}
			if !ok || shortest(l) > shortest(lits) || shortest(l) == shortest(lits) && len(l) < len(lits) {
				lits, fold, ok = l, f, true
			}
		}
		for i := 0; i < len(t.Sub); {
			j := i
			for j < len(t.Sub) {
				if _, _, ok := finite(t.Sub[i : j+1]); !ok {
					break
				}
				j++
			}
			if j > i {
				l, f, _ := finite(t.Sub[i:j])
				best(l, f)
				i = j
				continue
			}
			if l, f, ok := required(t.Sub[i]); ok {
				best(l, f)
			}
			i++
		}
		return lits, fold, ok
	}
	return nil, false, false
}

// finite lists the strings the concatenation of subs matches, when it
// has a small finite set of them.
func finite(subs []*syntax.Regexp) ([][]byte, bool, bool) {
	ps, complete, ok := expandConcat([]xpath{{}}, subs)
	if !ok || !complete || len(ps) > 64 {
		return nil, false, false
	}
	var out [][]byte
	fold := false
	for _, p := range ps {
		if !slices.ContainsFunc(out, func(b []byte) bool { return string(b) == string(p.lit) }) {
			out = append(out, p.lit)
		}
		fold = fold || p.fold
	}
	return out, fold, true
}

func hasEmpty(l [][]byte) bool {
	return slices.ContainsFunc(l, func(b []byte) bool { return len(b) == 0 })
}

func shortest(l [][]byte) int {
	n := -1
	for _, b := range l {
		if n < 0 || len(b) < n {
			n = len(b)
		}
	}
	return n
}

// hits are the leftmost-first matches of s, at most n (all when n < 0),
// or ok false when the expression must be run as it is.
func (r *Regexp) hits(s string, n int, buf []Hit) ([]Hit, bool) {
	v := r.p().v
	if v == nil {
		return nil, false
	}
	hs, ok := v.Hits(s, buf)
	if !ok {
		return nil, false
	}
	hs = LeftmostFirst(hs)
	if n >= 0 && len(hs) > n {
		hs = hs[:n]
	}
	return hs, true
}

// submatchAt is the expression's submatch indexes for its match h of s,
// read only as far as the match needs.
func (r *Regexp) submatchAt(s string, h Hit) []int {
	i := h.Start
	if h.stop > 0 {
		s = s[:h.stop]
	}
	if i == 0 {
		return r.p().at0.FindStringSubmatchIndex(s)
	}
	_, w := utf8.DecodeLastRuneInString(s[:i])
	m := r.p().after.FindStringSubmatchIndex(s[i-w:])
	for k := range m {
		if m[k] >= 0 {
			m[k] += i - w
		}
	}
	if m != nil {
		m[0] = i
	}
	return m
}

// MatchString is regexp's MatchString.
func (r *Regexp) MatchString(s string) bool {
	if v := r.p().v; v != nil {
		if found, ok := v.Any(s); ok {
			return found
		}
	}
	return r.mayMatch(s) && r.Regexp.MatchString(s)
}

// FindString is regexp's FindString.
func (r *Regexp) FindString(s string) string {
	if loc := r.FindStringIndex(s); loc != nil {
		return s[loc[0]:loc[1]]
	}
	return ""
}

// FindStringIndex is regexp's FindStringIndex.
func (r *Regexp) FindStringIndex(s string) []int {
	var buf [4]Hit
	if hs, ok := r.hits(s, 1, buf[:0]); ok {
		if len(hs) == 0 {
			return nil
		}
		return []int{hs[0].Start, hs[0].End}
	}
	if !r.mayMatch(s) {
		return nil
	}
	return r.Regexp.FindStringIndex(s)
}

// FindStringSubmatch is regexp's FindStringSubmatch.
func (r *Regexp) FindStringSubmatch(s string) []string {
	m := r.FindStringSubmatchIndex(s)
	if m == nil {
		return nil
	}
	out := make([]string, len(m)/2)
	for i := range out {
		if m[2*i] >= 0 {
			out[i] = s[m[2*i]:m[2*i+1]]
		}
	}
	return out
}

// FindStringSubmatchIndex is regexp's FindStringSubmatchIndex.
func (r *Regexp) FindStringSubmatchIndex(s string) []int {
	var buf [4]Hit
	if hs, ok := r.hits(s, 1, buf[:0]); ok {
		if len(hs) == 0 {
			return nil
		}
		if m := r.submatchAt(s, hs[0]); m != nil {
			return m
		}
		return r.Regexp.FindStringSubmatchIndex(s) // cannot be
	}
	if !r.mayMatch(s) {
		return nil
	}
	return r.Regexp.FindStringSubmatchIndex(s)
}

// FindAllString is regexp's FindAllString.
func (r *Regexp) FindAllString(s string, n int) []string {
	var buf [8]Hit
	if hs, ok := r.hits(s, n, buf[:0]); ok {
		if len(hs) == 0 {
			return nil
		}
		out := make([]string, len(hs))
		for i, h := range hs {
			out[i] = s[h.Start:h.End]
		}
		return out
	}
	if !r.mayMatch(s) {
		return nil
	}
	return r.Regexp.FindAllString(s, n)
}

// FindAllStringIndex is regexp's FindAllStringIndex.
func (r *Regexp) FindAllStringIndex(s string, n int) [][]int {
	var buf [8]Hit
	if hs, ok := r.hits(s, n, buf[:0]); ok {
		if len(hs) == 0 {
			return nil
		}
		out := make([][]int, len(hs))
		for i, h := range hs {
			out[i] = []int{h.Start, h.End}
		}
		return out
	}
	if !r.mayMatch(s) {
		return nil
	}
	return r.Regexp.FindAllStringIndex(s, n)
}

// FindAllStringSubmatch is regexp's FindAllStringSubmatch.
func (r *Regexp) FindAllStringSubmatch(s string, n int) [][]string {
	if !r.mayMatch(s) {
		return nil
	}
	return r.Regexp.FindAllStringSubmatch(s, n)
}

// FindAllStringSubmatchIndex is regexp's FindAllStringSubmatchIndex.
func (r *Regexp) FindAllStringSubmatchIndex(s string, n int) [][]int {
	var buf [8]Hit
	if hs, ok := r.hits(s, n, buf[:0]); ok {
		if len(hs) == 0 {
			return nil
		}
		out := make([][]int, len(hs))
		for i, h := range hs {
			if out[i] = r.submatchAt(s, h); out[i] == nil {
				return r.Regexp.FindAllStringSubmatchIndex(s, n) // cannot be; never a nil match
			}
		}
		return out
	}
	if !r.mayMatch(s) {
		return nil
	}
	return r.Regexp.FindAllStringSubmatchIndex(s, n)
}

// ReplaceAllString is regexp's ReplaceAllString.
func (r *Regexp) ReplaceAllString(s, repl string) string {
	expand := strings.IndexByte(repl, '$') >= 0
	return r.replaceAll(s, func(dst []byte, m []int) []byte {
		if !expand {
			return append(dst, repl...)
		}
		return r.ExpandString(dst, repl, s, m)
	}, expand, func() string { return r.Regexp.ReplaceAllString(s, repl) })
}

// ReplaceAllStringFunc is regexp's ReplaceAllStringFunc.
func (r *Regexp) ReplaceAllStringFunc(s string, repl func(string) string) string {
	return r.replaceAll(s, func(dst []byte, m []int) []byte {
		return append(dst, repl(s[m[0]:m[1]])...)
	}, false, func() string { return r.Regexp.ReplaceAllStringFunc(s, repl) })
}

// replaceAll writes s with each match m (its submatches when sub, else
// only its bounds) replaced by what repl appends, from the matches the
// vocabulary finds; whole is the expression's own answer, for a text the
// vocabulary leaves to it. Matches are never empty (a vocabulary has no
// term that matches the empty string), so regexp's rule for an empty
// match beside another never applies.
func (r *Regexp) replaceAll(s string, repl func(dst []byte, m []int) []byte, sub bool, whole func() string) string {
	var buf [8]Hit
	hs, ok := r.hits(s, -1, buf[:0])
	if !ok {
		if !r.mayMatch(s) {
			return s
		}
		return whole()
	}
	if len(hs) == 0 {
		return s
	}
	out := make([]byte, 0, len(s)+len(s)/8)
	last := 0
	for _, h := range hs {
		m := []int{h.Start, h.End}
		if sub {
			if m = r.submatchAt(s, h); m == nil {
				return whole() // cannot be; never a nil match
			}
		}
		out = append(out, s[last:h.Start]...)
		out = repl(out, m)
		last = h.End
	}
	return string(append(out, s[last:]...))
}
