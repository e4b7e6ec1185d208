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
	// texts, when set, keeps one copy of each text for all the
	// profile's memos: most texts are asked several questions.
	texts *texts
}

// share makes m keep its texts in t.
func (m *memo[V]) share(t *texts) { m.texts = t }

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
	m.m[m.texts.of(s)] = v // not a slice of the page it came from, which it would keep alive
	m.mu.Unlock()
	return v
}

// texts keeps one copy of each text the memos of a profile hold, so that
// a text asked several questions is copied once. It is safe for
// concurrent use; a nil *texts copies every text.
type texts struct {
	mu sync.Mutex
	m  map[string]string
}

// of returns a copy of s that is not a slice of anything else: the one
// kept, or a new one (then kept).
func (t *texts) of(s string) string {
	if t == nil {
		return strings.Clone(s)
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if c, ok := t.m[s]; ok {
		return c
	}
	if t.m == nil || len(t.m) >= maxMemo {
		t.m = map[string]string{}
	}
	c := strings.Clone(s)
	t.m[c] = c
	return c
}
