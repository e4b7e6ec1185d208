package litmatch

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
	out  [][]int32 // state → the patterns ending there, longest first
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
	a.next = make([]int32, len(nodes)*a.cols)
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
					fail[n] = a.next[int(fail[s])*a.cols+c]
				}
				a.next[int(s)*a.cols+c] = n
				queue = append(queue, n)
			case s != 0:
				a.next[int(s)*a.cols+c] = a.next[int(fail[s])*a.cols+c]
			}
		}
	}
	// A state is entered by its row; one where patterns end as ^row, so
	// that a pass looks at the outputs only there (and not at out's slice
	// for every byte).
	for k, n := range a.next {
		row := n * int32(a.cols)
		if len(a.out[n]) > 0 {
			row = ^row
		}
		a.next[k] = row
	}
	return a
}

// each calls f with the pattern and end of every occurrence in s, by end,
// until f returns false.
func (a *automaton) each(s string, f func(id, end int) bool) {
	next, class, start, cols := a.next, &a.class, &a.start, int32(a.cols)
	row := int32(0)
	for i := 0; i < len(s); i++ {
		if row == 0 {
			for i < len(s) && !start[s[i]] {
				i++
			}
			if i == len(s) {
				return
			}
		}
		row = next[row+int32(class[s[i]])]
		if row >= 0 {
			continue
		}
		row = ^row
		for _, id := range a.out[row/cols] {
			if !f(int(id), i+1) {
				return
			}
		}
	}
}

// any reports whether s holds one of the patterns.
func (a *automaton) any(s string) bool {
	next, class, start := a.next, &a.class, &a.start
	row := int32(0)
	for i := 0; i < len(s); i++ {
		if row == 0 {
			for i < len(s) && !start[s[i]] {
				i++
			}
			if i == len(s) {
				return false
			}
		}
		if row = next[row+int32(class[s[i]])]; row < 0 {
			return true
		}
	}
	return false
}
