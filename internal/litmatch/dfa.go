package litmatch

import (
	"regexp/syntax"
	"sync"
	"unicode"
	"unicode/utf8"
)

// A term found by a literal prefix (" in ", " to ", "service" …) used to
// be confirmed by running its expression anchored at the hit: a regexp
// run costs ~5,000 instructions (its machine, a visited set as long as
// the rest of the text) whatever the answer, and a page asks thousands.
// A startDFA answers the same question — the end of the leftmost-first
// match starting at the hit, if any — by reading the text through a
// deterministic automaton of the term's program, built lazily as texts
// need its states: the priority-ordered thread lists of the regexp
// package's own NFA simulation, one state per list and per kind of rune
// read last (for the empty-width assertions), so that a known transition
// costs a table look-up per byte. When a term's states outgrow
// dfaMaxStates, the expression is run as before.

const (
	dfaMaxInsts  = 1 << 15 // program counters are stored as uint16
	dfaMaxStates = 512
	dfaDead      = 0 // the state without threads
)

// startDFA is one term's program and the states built so far.
type startDFA struct {
	inst  []syntax.Inst
	start uint32
	// class is the column of each ASCII byte: bytes every instruction
	// reads alike, and the assertions too, share one. end is the column
	// of the text's end, cols their number, unbuilt a row of -1.
	class     [utf8.RuneSelf]uint8
	end, cols int
	unbuilt   []int32

	mu sync.Mutex
	// trans holds, for state*cols + column, the next state << 1 with
	// bit 0 set when a match ends before the column's rune; -1 when not
	// built yet.
	trans  []int32
	pcs    []uint16 // every state's threads, by priority, before closure
	seeds  []int32  // where a state's threads end in pcs (they start where the last state's end)
	prev   []uint8  // a state's kind of last rune (prevKind)
	index  map[string]int32
	starts [4]int32 // the start state after each kind of rune; -1 unbuilt
	full   bool     // dfaMaxStates reached: no more states are built

	// Scratch space for building a transition (under mu).
	seen  []uint64
	stack []uint16
	list  []uint16
	next  []uint16
	key   []byte
}

// newStartDFA compiles the expression tree t (simplified, as the regexp
// package compiles it); nil when its program is too large.
func newStartDFA(t *syntax.Regexp) *startDFA {
	prog, err := syntax.Compile(t)
	if err != nil || len(prog.Inst) > dfaMaxInsts {
		return nil
	}
	d := &startDFA{inst: prog.Inst, start: uint32(prog.Start), index: map[string]int32{},
		starts: [4]int32{-1, -1, -1, -1}, seen: make([]uint64, (len(prog.Inst)+63)/64)}
	d.classes()
	d.intern(nil, 0) // dfaDead
	return d
}

// classes gives each ASCII byte its column: one per set of bytes that
// every instruction reading a rune matches alike and that are alike to
// the assertions (word, newline, other).
func (d *startDFA) classes() {
	var sets [][2]uint64
	for k := range d.inst {
		if in := &d.inst[k]; in.Op == syntax.InstRune || in.Op == syntax.InstRune1 ||
			in.Op == syntax.InstRuneAny || in.Op == syntax.InstRuneAnyNotNL {
			sets = append(sets, asciiSet(in))
		}
	}
	ids := map[string]uint8{}
	key := make([]byte, 0, len(sets)+1)
	for b := range utf8.RuneSelf {
		key = append(key[:0], prevKind(rune(b)))
		for _, set := range sets {
			key = append(key, byte(set[b/64]>>(b%64)&1))
		}
		id, ok := ids[string(key)]
		if !ok {
			id = uint8(len(ids))
			ids[string(key)] = id
		}
		d.class[b] = id
	}
	d.end = len(ids)
	d.cols = len(ids) + 1
	d.unbuilt = make([]int32, d.cols)
	for i := range d.unbuilt {
		d.unbuilt[i] = -1
	}
}

// asciiSet is the ASCII bytes the instruction in reads, as MatchRune
// (or the Rune1 and any-rune instructions) decides them.
func asciiSet(in *syntax.Inst) (set [2]uint64) {
	add := func(r rune) {
		if r >= 0 && r < utf8.RuneSelf {
			set[r/64] |= 1 << (r % 64)
		}
	}
	switch in.Op {
	case syntax.InstRuneAny, syntax.InstRuneAnyNotNL:
		for r := range rune(utf8.RuneSelf) {
			if r != '\n' || in.Op == syntax.InstRuneAny {
				add(r)
			}
		}
	case syntax.InstRune1:
		add(in.Rune[0])
	default: // as MatchRunePos: one rune (and its case folds), or pairs
		if len(in.Rune) == 1 {
			r0 := in.Rune[0]
			add(r0)
			if syntax.Flags(in.Arg)&syntax.FoldCase != 0 {
				for r := unicode.SimpleFold(r0); r != r0; r = unicode.SimpleFold(r) {
					add(r)
				}
			}
			break
		}
		for i := 0; i+1 < len(in.Rune); i += 2 {
			for r := in.Rune[i]; r <= in.Rune[i+1] && r < utf8.RuneSelf; r++ {
				add(r)
			}
		}
	}
	return set
}

// Kinds of the rune before a position, as the empty-width assertions see
// it, and a rune standing for each.
const (
	kindNone uint8 = iota // the text's start
	kindNewline
	kindWord
	kindOther
)

var kindRune = [4]rune{-1, '\n', 'a', ' '}

func prevKind(r rune) uint8 {
	switch {
	case syntax.IsWordChar(r):
		return kindWord
	case r == '\n':
		return kindNewline
	case r < 0:
		return kindNone
	}
	return kindOther
}

// verdict is what a startDFA says of a start.
type verdict int8

const (
	noMatch   verdict = iota // no match starts there
	someMatch                // the match starting there ends at the end given
	undecided                // too many states: run the expression
)

// match is the end of the leftmost-first match of the program starting
// at i of s, where the expression sees the rune before i as its context
// (none at 0, the rune the regexp package reads from i-w when i > 0) and
// s's end as the text's end: as the anchored expressions a Vocab runs.
// stop is where the program's last thread died: no run of the program
// from i reads past it, so the expression run on s[:stop] finds the same
// match, submatches and all.
func (d *startDFA) match(s string, i, w int) (end, stop int, v verdict) {
	prev := rune(-1)
	if i > 0 {
		var pw int
		if prev, pw = utf8.DecodeRuneInString(s[i-w:]); pw != w {
			return 0, 0, undecided // the expression would not start at i
		}
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	st := d.starts[prevKind(prev)]
	if st < 0 {
		if st = d.intern([]uint16{uint16(d.start)}, prevKind(prev)); st < 0 {
			return 0, 0, undecided
		}
		d.starts[prevKind(prev)] = st
	}
	end = -1
	for pos := i; ; {
		var t int32
		w := 1
		switch {
		case pos == len(s):
			if t = d.trans[int(st)*d.cols+d.end]; t < 0 {
				t = d.step(st, -1, d.end)
			}
		case s[pos] < utf8.RuneSelf:
			col := int(d.class[s[pos]])
			if t = d.trans[int(st)*d.cols+col]; t < 0 {
				t = d.step(st, rune(s[pos]), col)
			}
		default:
			var r rune
			r, w = utf8.DecodeRuneInString(s[pos:])
			t = d.step(st, r, -1)
		}
		if t < 0 {
			return 0, 0, undecided
		}
		if t&1 != 0 {
			end = pos
		}
		if st = t >> 1; st == dfaDead || pos == len(s) {
			stop = min(pos+w, len(s))
			break
		}
		pos += w
	}
	if end <= i {
		return 0, stop, noMatch // no match, or the empty one (no term matches it)
	}
	return end, stop, someMatch
}

// step builds the transition of state st on rune r (-1: the text's end),
// stored in column col when col >= 0; -1 when the states are full.
func (d *startDFA) step(st int32, r rune, col int) int32 {
	flag := syntax.EmptyOpContext(kindRune[d.prev[st]], r)
	clear(d.seen)
	d.list = d.list[:0]
	from := int32(0)
	if st > 0 {
		from = d.seeds[st-1]
	}
	for _, pc := range d.pcs[from:d.seeds[st]] {
		d.add(pc, flag)
	}
	d.next = d.next[:0]
	matched := false
	for _, pc := range d.list {
		in := &d.inst[pc]
		var ok bool
		switch in.Op {
		case syntax.InstMatch:
			matched = true // lower-priority threads are cut off
		case syntax.InstRune1:
			ok = r == in.Rune[0]
		case syntax.InstRuneAny:
			ok = r >= 0
		case syntax.InstRuneAnyNotNL:
			ok = r >= 0 && r != '\n'
		default:
			ok = r >= 0 && in.MatchRune(r)
		}
		if matched {
			break
		}
		if ok && !containsPC(d.next, uint16(in.Out)) {
			d.next = append(d.next, uint16(in.Out))
		}
	}
	next := int32(dfaDead)
	if len(d.next) > 0 {
		if next = d.intern(d.next, prevKind(r)); next < 0 {
			return -1
		}
	}
	t := next << 1
	if matched {
		t |= 1
	}
	if col >= 0 {
		d.trans[int(st)*d.cols+col] = t
	}
	return t
}

func containsPC(l []uint16, pc uint16) bool {
	for _, p := range l {
		if p == pc {
			return true
		}
	}
	return false
}

// add appends to d.list, in priority order, the threads reachable from
// pc without reading a rune where the assertions flag holds: the
// instructions reading a rune, and the match.
func (d *startDFA) add(pc uint16, flag syntax.EmptyOp) {
	d.stack = append(d.stack[:0], pc)
	for len(d.stack) > 0 {
		pc := d.stack[len(d.stack)-1]
		d.stack = d.stack[:len(d.stack)-1]
		if d.seen[pc/64]&(1<<(pc%64)) != 0 {
			continue
		}
		d.seen[pc/64] |= 1 << (pc % 64)
		in := &d.inst[pc]
		switch in.Op {
		case syntax.InstFail:
		case syntax.InstAlt, syntax.InstAltMatch:
			d.stack = append(d.stack, uint16(in.Arg), uint16(in.Out)) // Out first
		case syntax.InstCapture, syntax.InstNop:
			d.stack = append(d.stack, uint16(in.Out))
		case syntax.InstEmptyWidth:
			if syntax.EmptyOp(in.Arg)&^flag == 0 {
				d.stack = append(d.stack, uint16(in.Out))
			}
		default: // InstMatch and the instructions reading a rune
			d.list = append(d.list, pc)
		}
	}
}

// intern is the state of the threads seeds after a rune of kind k, built
// if new; -1 when the states are full.
func (d *startDFA) intern(seeds []uint16, k uint8) int32 {
	d.key = append(d.key[:0], k)
	for _, pc := range seeds {
		d.key = append(d.key, byte(pc), byte(pc>>8))
	}
	if id, ok := d.index[string(d.key)]; ok {
		return id
	}
	if len(d.seeds) >= dfaMaxStates {
		d.full = true
		return -1
	}
	id := int32(len(d.seeds))
	d.index[string(d.key)] = id
	d.pcs = append(d.pcs, seeds...)
	d.seeds = append(d.seeds, int32(len(d.pcs)))
	d.prev = append(d.prev, k)
	d.trans = append(d.trans, d.unbuilt...)
	return id
}
