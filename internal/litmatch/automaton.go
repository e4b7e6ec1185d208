package litmatch

import (
	"bytes"
	"slices"
)

// automaton is an Aho–Corasick automaton over bytes, ASCII letters folded
// to lower case: one pass over a text reports every occurrence of every
// pattern (patterns are given lower-cased).
type automaton struct {
	class [256]uint8 // byte → column; 0 for a byte no pattern holds
	start [256]bool  // bytes a pattern starts with: the root skips the rest
	cols  int
	// next maps row + column to the row of the next state, where a
	// state's row is state*cols (so that a pass adds, not multiplies),
	// and to ^row when patterns end in that state.
	next []int32
	// small is next for an automaton of fewer than 1<<15 states, in half
	// the memory: the state itself (not its row), its top bit set when
	// patterns end there. The tables of a profile's vocabularies are
	// larger than a core's cache together, and a pass over a text is
	// bound by their misses more than by its instructions. nil when the
	// automaton is larger; next is then the table.
	small []uint16
	// ids[ends[s]:ends[s+1]] are the patterns ending in state s, longest
	// first: two flat tables without pointers, which the collector need
	// not scan (a slice per state was one pointer per state, and a
	// profile's vocabularies have tens of thousands of states).
	ids, ends []int32
}

// out is the patterns ending in state s.
func (a *automaton) out(s int) []int32 { return a.ids[a.ends[s]:a.ends[s+1]] }

// smallStates bounds the automata kept in small.
const smallStates = 1 << 15

func newAutomaton(patterns [][]byte) *automaton {
	a := &automaton{}
	for _, p := range patterns {
		for _, b := range p {
			if a.class[b] == 0 {
				a.cols++
				a.class[b] = uint8(a.cols)
			}
		}
	}
	a.cols++
	for b := 'A'; b <= 'Z'; b++ {
		a.class[b] = a.class[b|0x20]
	}
	for _, p := range patterns {
		if len(p) > 0 {
			a.start[p[0]] = true
			if 'a' <= p[0] && p[0] <= 'z' {
				a.start[p[0]-'a'+'A'] = true
			}
		}
	}
	// The trie, in the transition table itself: a row of cols entries
	// per node, 0 for no child (the root is never a child), so that no
	// node needs a map of its children.
	states := trieNodes(patterns)
	next := make([]int32, a.cols, states*a.cols)
	ends := make([][]int32, 1, states) // node → the patterns ending there
	for id, p := range patterns {
		s := int32(0)
		for _, b := range p {
			k := int(s)*a.cols + int(a.class[b])
			if next[k] == 0 {
				next[k] = int32(len(ends))
				ends = append(ends, nil)
				next = append(next, make([]int32, a.cols)...)
			}
			s = next[k]
		}
		ends[s] = append(ends[s], int32(id))
	}
	// Breadth first: failure links, folded into a full transition table.
	// A node's children are its row's entries before the row is filled
	// in (filled entries of a row point back, never to a child).
	a.next = next
	outs := make([][]int32, len(ends))
	fail := make([]int32, len(ends))
	queue := []int32{0}
	child := make([]bool, a.cols)
	for h := 0; h < len(queue); h++ {
		s := queue[h]
		outs[s] = append(ends[s], outs[fail[s]]...)
		if s == 0 {
			outs[s] = ends[s]
		}
		row := int(s) * a.cols
		for c := 0; c < a.cols; c++ {
			child[c] = a.next[row+c] != 0
		}
		for c := 0; c < a.cols; c++ {
			switch {
			case child[c]:
				n := a.next[row+c]
				if s != 0 {
					fail[n] = a.next[int(fail[s])*a.cols+c]
				}
				queue = append(queue, n)
			case s != 0:
				a.next[row+c] = a.next[int(fail[s])*a.cols+c]
			}
		}
	}
	// States numbered breadth first (queue's order): the states a pass
	// is in most, the root and the shallow ones, then share the first
	// rows and their cache lines, where the trie's numbering (pattern by
	// pattern) spread them over the whole table.
	perm := make([]int32, len(queue))
	for i, s := range queue {
		perm[s] = int32(i)
	}
	next = make([]int32, len(a.next))
	a.ends = make([]int32, len(queue)+1)
	for i, s := range queue {
		for c := 0; c < a.cols; c++ {
			next[i*a.cols+c] = perm[a.next[int(s)*a.cols+c]]
		}
		a.ids = append(a.ids, outs[s]...)
		a.ends[i+1] = int32(len(a.ids))
	}
	a.next = next
	ending := func(s int32) bool { return a.ends[s+1] > a.ends[s] }
	// A state is entered by its row; one where patterns end as ^row, so
	// that a pass looks at the outputs only there (and not at out's slice
	// for every byte).
	if len(queue) < smallStates {
		a.small = make([]uint16, len(a.next))
		for k, n := range a.next {
			st := uint16(n)
			if ending(n) {
				st |= smallStates
			}
			a.small[k] = st
		}
		a.next = nil
		return a
	}
	for k, n := range a.next {
		row := n * int32(a.cols)
		if ending(n) {
			row = ^row
		}
		a.next[k] = row
	}
	return a
}

// trieNodes is the number of nodes of the trie of patterns, the root
// included: its distinct prefixes, counted over the patterns in order
// (each adds the bytes past the prefix it shares with the one before),
// so that the tables are made once at their size rather than grown a row
// at a time.
func trieNodes(patterns [][]byte) int {
	sorted := slices.Clone(patterns)
	slices.SortFunc(sorted, bytes.Compare)
	n := 1
	var prev []byte
	for _, p := range sorted {
		common := 0
		for common < len(p) && common < len(prev) && p[common] == prev[common] {
			common++
		}
		n += len(p) - common
		prev = p
	}
	return n
}

// skip is the first index from i of a byte a pattern starts with, or
// len(s): the root reads no other.
func (a *automaton) skip(s string, i int) int {
	for i < len(s) && !a.start[s[i]] {
		i++
	}
	return i
}

// each calls f with the pattern and end of every occurrence in s, by end,
// until f returns false.
func (a *automaton) each(s string, f func(id, end int) bool) {
	if a.small != nil {
		a.eachSmall(s, f)
		return
	}
	next, class, cols := a.next, &a.class, int32(a.cols)
	row := int32(0)
	for i := 0; i < len(s); i++ {
		if row == 0 {
			if i = a.skip(s, i); i == len(s) {
				return
			}
		}
		row = next[row+int32(class[s[i]])]
		if row >= 0 {
			continue
		}
		row = ^row
		for _, id := range a.out(int(row / cols)) {
			if !f(int(id), i+1) {
				return
			}
		}
	}
}

// eachSmall is each over small.
func (a *automaton) eachSmall(s string, f func(id, end int) bool) {
	next, class, cols := a.small, &a.class, a.cols
	st := 0
	for i := 0; i < len(s); i++ {
		if st == 0 {
			if i = a.skip(s, i); i == len(s) {
				return
			}
		}
		v := next[st*cols+int(class[s[i]])]
		st = int(v &^ smallStates)
		if v < smallStates {
			continue
		}
		for _, id := range a.out(st) {
			if !f(int(id), i+1) {
				return
			}
		}
	}
}

// any reports whether s holds one of the patterns.
func (a *automaton) any(s string) bool {
	if a.small != nil {
		next, class, cols := a.small, &a.class, a.cols
		st := 0
		for i := 0; i < len(s); i++ {
			if st == 0 {
				if i = a.skip(s, i); i == len(s) {
					return false
				}
			}
			v := next[st*cols+int(class[s[i]])]
			if v >= smallStates {
				return true
			}
			st = int(v)
		}
		return false
	}
	next, class := a.next, &a.class
	row := int32(0)
	for i := 0; i < len(s); i++ {
		if row == 0 {
			if i = a.skip(s, i); i == len(s) {
				return false
			}
		}
		if row = next[row+int32(class[s[i]])]; row < 0 {
			return true
		}
	}
	return false
}
