package extractor

import (
	"strings"
	"sync"

	"github.com/residiff/residiff/source"
)

// maxMemo bounds a Memo: when it holds this many sentences it starts
// again, so that a long history cannot grow it without end.
const maxMemo = 1 << 14

// Memo keeps what sentences say (their statements) across the page
// versions of one run: the versions of a page share most of their
// sentences, and a sentence's statement depends only on the profile, the
// region it is read against and its words. One Memo serves one profile
// (the first it is used with; with another it is not used). It is safe
// for concurrent use. The zero value is ready; nil keeps nothing beyond
// one page.
type Memo struct {
	mu      sync.Mutex
	profile *source.Profile
	read    map[string]statement
	// facts keeps the fact key of each bold label read (factKey): list
	// items, cells and the ledger ask it of the same labels.
	facts map[string]string
}

// NewMemo returns an empty Memo, for one run over one profile's pages.
func NewMemo() *Memo { return &Memo{} }

// statement returns the statement kept under key for p, if any.
func (m *Memo) statement(p *source.Profile, key string) (statement, bool) {
	return memoGet(m, p, func(m *Memo) map[string]statement { return m.read }, key)
}

// keep keeps st under key for p.
func (m *Memo) keep(p *source.Profile, key string, st statement) {
	memoKeep(m, p, func(m *Memo) *map[string]statement { return &m.read }, key, st)
}

// factKey returns the fact key kept for label under p, if any.
func (m *Memo) factKey(p *source.Profile, label string) (string, bool) {
	return memoGet(m, p, func(m *Memo) map[string]string { return m.facts }, label)
}

// keepFactKey keeps key as the fact key of label under p.
func (m *Memo) keepFactKey(p *source.Profile, label, key string) {
	memoKeep(m, p, func(m *Memo) *map[string]string { return &m.facts }, label, key)
}

// memoGet looks key up in the table of m that pick names, when m serves p.
func memoGet[V any](m *Memo, p *source.Profile, pick func(*Memo) map[string]V, key string) (V, bool) {
	var zero V
	if m == nil {
		return zero, false
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.profile != p {
		return zero, false
	}
	v, ok := pick(m)[key]
	return v, ok
}

// memoKeep keeps v under key in the table of m that pick names, when m
// serves p (the first profile it is used with); a full table starts again.
func memoKeep[V any](m *Memo, p *source.Profile, pick func(*Memo) *map[string]V, key string, v V) {
	if m == nil {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.profile == nil {
		m.profile = p
	}
	if m.profile != p {
		return
	}
	t := pick(m)
	if *t == nil || len(*t) >= maxMemo {
		*t = map[string]V{}
	}
	(*t)[strings.Clone(key)] = v // not a slice of the page it came from
}
