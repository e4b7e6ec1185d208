package litmatch

import "math"

// automaton is an Aho–Corasick automaton over bytes, ASCII letters folded
// to lower case: one pass over a text reports every occurrence of every
// pattern (patterns are given lower-cased).
type automaton struct {
	class [256]uint8 // byte → column; 0 for a byte no pattern holds
	start [256]bool  // bytes a pattern starts with: the root skips the rest
	cols  int
	// next16 (or next32, for an automaton of more than 32,767 states)
	// maps state*cols + column to the next state, and to ^state when
	// patterns end in that state. A pass is a chain of dependent loads
	// from this table, so its size is what a pass costs: two bytes an
	// entry keep more of the tables in the faster caches.
	next16 []int16
	next32 []int32
	out    [][]int32 // state → the patterns ending there, longest first
}

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
	// The trie.
	type node struct {
		next map[uint8]int32
		out  []int32
	}
	nodes := []node{{next: map[uint8]int32{}}}
	for id, p := range patterns {
		s := int32(0)
		for _, b := range p {
			c := a.class[b]
			n, ok := nodes[s].next[c]
			if !ok {
				n = int32(len(nodes))
				nodes = append(nodes, node{next: map[uint8]int32{}})
				nodes[s].next[c] = n
			}
			s = n
		}
		nodes[s].out = append(nodes[s].out, int32(id))
	}
	// Breadth first: failure links, folded into a full transition table.
	next := make([]int32, len(nodes)*a.cols)
	a.out = make([][]int32, len(nodes))
	fail := make([]int32, len(nodes))
	queue := []int32{0}
	for len(queue) > 0 {
		s := queue[0]
		queue = queue[1:]
		a.out[s] = append(nodes[s].out, a.out[fail[s]]...)
		if s == 0 {
			a.out[s] = nodes[s].out
		}
		for c := 0; c < a.cols; c++ {
			n, ok := nodes[s].next[uint8(c)]
			switch {
			case ok:
				if s != 0 {
					fail[n] = next[int(fail[s])*a.cols+c]
				}
				next[int(s)*a.cols+c] = n
				queue = append(queue, n)
			case s != 0:
				next[int(s)*a.cols+c] = next[int(fail[s])*a.cols+c]
			}
		}
	}
	// A state where patterns end is entered as ^state, so that a pass
	// looks at the outputs only there (and not at out's slice for every
	// byte).
	for k, n := range next {
		if len(a.out[n]) > 0 {
			next[k] = ^n
		}
	}
	if len(nodes) <= math.MaxInt16 {
		a.next16 = make([]int16, len(next))
		for k, n := range next {
			a.next16[k] = int16(n)
		}
	} else {
		a.next32 = next
	}
	return a
}

// each calls f with the pattern and end of every occurrence in s, by end,
// until f returns false.
func (a *automaton) each(s string, f func(id, end int) bool) {
	if a.next16 != nil {
		each(a, a.next16, s, f)
	} else {
		each(a, a.next32, s, f)
	}
}

func each[T int16 | int32](a *automaton, next []T, s string, f func(id, end int) bool) {
	class, start, cols := &a.class, &a.start, int32(a.cols)
	state := int32(0)
	for i := 0; i < len(s); i++ {
		if state == 0 {
			for i < len(s) && !start[s[i]] {
				i++
			}
			if i == len(s) {
				return
			}
		}
		state = int32(next[state*cols+int32(class[s[i]])])
		if state >= 0 {
			continue
		}
		state = ^state
		for _, id := range a.out[state] {
			if !f(int(id), i+1) {
				return
			}
		}
	}
}

// any reports whether s holds one of the patterns.
func (a *automaton) any(s string) bool {
	if a.next16 != nil {
		return anyIn(a, a.next16, s)
	}
	return anyIn(a, a.next32, s)
}

func anyIn[T int16 | int32](a *automaton, next []T, s string) bool {
	class, start, cols := &a.class, &a.start, int32(a.cols)
	state := int32(0)
	for i := 0; i < len(s); i++ {
		if state == 0 {
			for i < len(s) && !start[s[i]] {
				i++
			}
			if i == len(s) {
				return false
			}
		}
		if state = int32(next[state*cols+int32(class[s[i]])]); state < 0 {
			return true
		}
	}
	return false
}
