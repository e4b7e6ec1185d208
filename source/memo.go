package source

import (
	"strings"
	"sync"
)

// maxMemo bounds each of a profile's memos: when one holds this many
// texts it starts again, so a long history cannot grow it without end.
const maxMemo = 1 << 14

// memo remembers the answers of one of a profile's pure questions about a
// text (its places, its claim words …): the extractor asks the same
// sentence many times (its statement, the claims ledger, its disposition),
// and the versions of a page share most of their sentences. It is safe
// for concurrent use; the answer is computed outside the lock.
type memo[V any] struct {
	mu sync.Mutex
	m  map[string]V
}

// get returns f(s), computing it once per s.
func (m *memo[V]) get(s string, f func(string) V) V {
	m.mu.Lock()
	v, ok := m.m[s]
	m.mu.Unlock()
	if ok {
		return v
	}
	v = f(s)
	m.mu.Lock()
	if m.m == nil || len(m.m) >= maxMemo {
		m.m = map[string]V{}
	}
	m.m[strings.Clone(s)] = v // not a slice of the page it came from, which it would keep alive
	m.mu.Unlock()
	return v
}
