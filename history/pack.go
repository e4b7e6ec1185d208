package history

import (
	"bufio"
	"bytes"
	"compress/zlib"
	"container/list"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/format/packfile"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// packs reads objects straight from a repository's pack files: the
// version 2 index to find an object, then its entry in the pack, resolving
// deltas through a small cache of bases keyed by offset. It is the walk's
// read path. go-git's own reader keeps a hash for every offset of every
// pack once asked for one object by offset — 150 MB for a 200,000-commit
// history — and hashes every delta base it caches; this one keeps the
// index (24 bytes an object) and nothing per object it does not read.
//
// Objects it cannot find (loose objects, a pack it cannot read) are read
// through go-git by the caller.
type packs struct {
	dir   string // the objects/pack folder
	mu    sync.Mutex
	list  []*pack
	seen  map[string]bool // index files opened
	bases *baseCache
	zr    io.ReadCloser // a zlib reader reused across objects
	br    *bufio.Reader // and the buffer it reads through
}

// pack is one pack file and its index.
type pack struct {
	f       *os.File
	fanout  [256]uint32
	names   []byte   // 20 bytes an object, sorted
	offsets []uint32 // the index's 32-bit offsets
	large   []uint64 // 64-bit offsets (packs over 2 GiB)
}

// maxObjectSize bounds what one pack entry may claim to be: the page
// limit is far smaller, and trees and commits are kilobytes.
const maxObjectSize = 256 << 20

// errNotInPack says an object is in none of the packs.
var errNotInPack = errors.New("object not in a pack")

// openPacks opens the packs of the repository at dir (its git folder).
func openPacks(dir string) *packs {
	p := &packs{dir: filepath.Join(dir, "objects", "pack"), seen: map[string]bool{}, bases: newBaseCache(8 << 20)}
	p.refresh()
	return p
}

// refresh opens the index files not opened yet (packs a fetch added). It
// reports whether it found any.
func (p *packs) refresh() bool {
	idxs, _ := filepath.Glob(filepath.Join(p.dir, "*.idx"))
	sort.Strings(idxs)
	added := false
	for _, idx := range idxs {
		if p.seen[idx] {
			continue
		}
		p.seen[idx] = true
		if pk, err := openPack(idx); err == nil {
			p.list = append(p.list, pk)
			added = true
		}
		// An index residiff cannot read (version 1, damaged) leaves
		// its objects to go-git.
	}
	return added
}

// Close closes the pack files.
func (p *packs) Close() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	var errs []error
	for _, pk := range p.list {
		errs = append(errs, pk.f.Close())
	}
	p.list = nil
	return errors.Join(errs...)
}

func openPack(idx string) (*pack, error) {
	data, err := os.ReadFile(idx)
	if err != nil {
		return nil, err
	}
	if len(data) < 8+256*4 || !bytes.Equal(data[:4], []byte{0xff, 't', 'O', 'c'}) || binary.BigEndian.Uint32(data[4:8]) != 2 {
		return nil, errors.New("not a version 2 pack index")
	}
	pk := &pack{}
	for i := range 256 {
		pk.fanout[i] = binary.BigEndian.Uint32(data[8+4*i:])
	}
	n := int(pk.fanout[255])
	namesAt := 8 + 256*4
	offsetsAt := namesAt + 20*n + 4*n // names, then CRCs
	largeAt := offsetsAt + 4*n
	if len(data) < largeAt+40 {
		return nil, errors.New("pack index truncated")
	}
	pk.names = bytes.Clone(data[namesAt : namesAt+20*n])
	pk.offsets = make([]uint32, n)
	for i := range n {
		pk.offsets[i] = binary.BigEndian.Uint32(data[offsetsAt+4*i:])
	}
	for at := largeAt; at+8 <= len(data)-40; at += 8 {
		pk.large = append(pk.large, binary.BigEndian.Uint64(data[at:]))
	}
	pk.f, err = os.Open(strings.TrimSuffix(idx, ".idx") + ".pack")
	if err != nil {
		return nil, err
	}
	return pk, nil
}

// find returns the offset of h in the pack, or false.
func (pk *pack) find(h plumbing.Hash) (int64, bool) {
	lo := uint32(0)
	if h[0] > 0 {
		lo = pk.fanout[h[0]-1]
	}
	hi := pk.fanout[h[0]]
	i := lo + uint32(sort.Search(int(hi-lo), func(k int) bool {
		at := int(lo) + k
		return bytes.Compare(pk.names[20*at:20*at+20], h[:]) >= 0
	}))
	if i >= hi || !bytes.Equal(pk.names[20*i:20*i+20], h[:]) {
		return 0, false
	}
	off := pk.offsets[i]
	if off&0x80000000 != 0 {
		j := int(off &^ 0x80000000)
		if j >= len(pk.large) {
			return 0, false
		}
		return int64(pk.large[j]), true
	}
	return int64(off), true
}

// locate finds h in any pack, opening packs added since the last look once.
func (p *packs) locate(h plumbing.Hash) (*pack, int64, bool) {
	for pass := 0; pass < 2; pass++ {
		for _, pk := range p.list {
			if off, ok := pk.find(h); ok {
				return pk, off, true
			}
		}
		if pass == 0 && !p.refresh() {
			break
		}
	}
	return nil, 0, false
}

// read returns the type and content of object h.
func (p *packs) read(h plumbing.Hash) (plumbing.ObjectType, []byte, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	pk, off, ok := p.locate(h)
	if !ok {
		return plumbing.InvalidObject, nil, errNotInPack
	}
	return p.readAt(pk, off, 0)
}

// size returns the type and size of object h from its header (for a
// delta, the target size from the delta's own header), without
// resolving it.
func (p *packs) size(h plumbing.Hash) (plumbing.ObjectType, int64, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	pk, off, ok := p.locate(h)
	if !ok {
		return plumbing.InvalidObject, 0, errNotInPack
	}
	t, sz, dataAt, err := pk.header(off)
	if err != nil {
		return t, 0, err
	}
	if t != plumbing.OFSDeltaObject && t != plumbing.REFDeltaObject {
		return t, sz, nil
	}
	// Past the base's offset or id, the delta starts with the base's size
	// and the target's.
	if t == plumbing.OFSDeltaObject {
		_, n, err := pk.ofsBase(dataAt)
		if err != nil {
			return t, 0, err
		}
		dataAt += int64(n)
	} else {
		dataAt += 20
	}
	head, err := p.inflate(pk, dataAt, 32, true)
	if err != nil {
		return t, 0, err
	}
	r := bytes.NewReader(head)
	if _, err := binary.ReadUvarint(r); err != nil {
		return t, 0, err
	}
	target, err := binary.ReadUvarint(r)
	if err != nil {
		return t, 0, err
	}
	// The type is the base's: follow the chain's headers.
	bt, _, err := p.baseType(pk, off)
	return bt, int64(target), err
}

// baseType is the type a delta chain starting at off resolves to.
func (p *packs) baseType(pk *pack, off int64) (plumbing.ObjectType, int64, error) {
	for depth := 0; depth < 10000; depth++ {
		t, _, dataAt, err := pk.header(off)
		if err != nil {
			return t, 0, err
		}
		switch t {
		case plumbing.OFSDeltaObject:
			rel, _, err := pk.ofsBase(dataAt)
			if err != nil {
				return t, 0, err
			}
			if rel <= 0 || rel > off {
				return t, 0, errors.New("delta base offset out of the pack")
			}
			off -= rel
		case plumbing.REFDeltaObject:
			var h plumbing.Hash
			if _, err := pk.f.ReadAt(h[:], dataAt); err != nil {
				return t, 0, err
			}
			bpk, boff, ok := p.locate(h)
			if !ok {
				return t, 0, errNotInPack
			}
			pk, off = bpk, boff
		default:
			return t, off, nil
		}
	}
	return plumbing.InvalidObject, 0, errors.New("delta chain too deep")
}

// header reads the entry header at off: type, size, and where the entry's
// data starts (for an offset delta, where its base offset starts).
func (pk *pack) header(off int64) (plumbing.ObjectType, int64, int64, error) {
	var buf [32]byte
	n, err := pk.f.ReadAt(buf[:], off)
	if n == 0 && err != nil {
		return plumbing.InvalidObject, 0, 0, err
	}
	c := buf[0]
	t := plumbing.ObjectType((c >> 4) & 7)
	size := int64(c & 15)
	shift := 4
	i := 1
	for c&0x80 != 0 {
		if i >= n {
			return t, 0, 0, errors.New("pack entry header truncated")
		}
		c = buf[i]
		size |= int64(c&0x7f) << shift
		shift += 7
		i++
	}
	return t, size, off + int64(i), nil
}

// ofsBase reads the base distance of an offset delta, whose field starts
// at at (just past the entry header): the base's entry is that many bytes
// before the delta's own. It also returns the field's length.
func (pk *pack) ofsBase(at int64) (rel int64, n int, err error) {
	var buf [16]byte
	m, err := pk.f.ReadAt(buf[:], at)
	if m == 0 && err != nil {
		return 0, 0, err
	}
	c := buf[0]
	rel = int64(c & 0x7f)
	n = 1
	for c&0x80 != 0 {
		if n >= m {
			return 0, 0, errors.New("delta offset truncated")
		}
		c = buf[n]
		rel = ((rel + 1) << 7) | int64(c&0x7f)
		n++
	}
	return rel, n, nil
}

// readAt returns the object whose entry is at off, resolving deltas.
func (p *packs) readAt(pk *pack, off int64, depth int) (plumbing.ObjectType, []byte, error) {
	if depth > 10000 {
		return plumbing.InvalidObject, nil, errors.New("delta chain too deep")
	}
	if t, data, ok := p.bases.get(pk, off); ok {
		return t, data, nil
	}
	t, size, dataAt, err := pk.header(off)
	if err != nil {
		return t, nil, err
	}
	if size > maxObjectSize || size < 0 {
		// A damaged or hostile pack must not make residiff allocate what
		// its header claims; no docs tree or commit comes near this.
		return t, nil, fmt.Errorf("pack entry at %d claims %d bytes, more than residiff reads (%d)", off, size, int64(maxObjectSize))
	}
	var baseT plumbing.ObjectType
	var base []byte
	switch t {
	case plumbing.CommitObject, plumbing.TreeObject, plumbing.BlobObject, plumbing.TagObject:
		data, err := p.inflate(pk, dataAt, int(size), false)
		return t, data, err
	case plumbing.OFSDeltaObject:
		rel, n, err := pk.ofsBase(dataAt)
		if err != nil {
			return t, nil, err
		}
		if rel <= 0 || rel > off {
			return t, nil, errors.New("delta base offset out of the pack")
		}
		baseT, base, err = p.readAt(pk, off-rel, depth+1)
		if err != nil {
			return t, nil, err
		}
		p.bases.put(pk, off-rel, baseT, base)
		dataAt += int64(n)
	case plumbing.REFDeltaObject:
		var h plumbing.Hash
		if _, err := pk.f.ReadAt(h[:], dataAt); err != nil {
			return t, nil, err
		}
		bpk, boff, ok := p.locate(h)
		if !ok {
			return t, nil, errNotInPack
		}
		baseT, base, err = p.readAt(bpk, boff, depth+1)
		if err != nil {
			return t, nil, err
		}
		p.bases.put(bpk, boff, baseT, base)
		dataAt += 20
	default:
		return t, nil, fmt.Errorf("pack entry of unknown type %d", t)
	}
	delta, err := p.inflate(pk, dataAt, int(size), false)
	if err != nil {
		return t, nil, err
	}
	r := bytes.NewReader(delta)
	if _, err := binary.ReadUvarint(r); err != nil {
		return t, nil, fmt.Errorf("delta at %d: %w", off, err)
	}
	if target, err := binary.ReadUvarint(r); err != nil || target > maxObjectSize {
		return t, nil, fmt.Errorf("delta at %d claims a target of %d bytes, more than residiff reads (%d)", off, target, int64(maxObjectSize))
	}
	data, err := packfile.PatchDelta(base, delta)
	return baseT, data, err
}

// inflate reads the zlib stream at at: exactly size bytes, or with
// prefix at most size bytes (a delta's header).
func (p *packs) inflate(pk *pack, at int64, size int, prefix bool) ([]byte, error) {
	section := io.NewSectionReader(pk.f, at, 1<<62)
	if p.br == nil {
		p.br = bufio.NewReaderSize(section, 4096)
	} else {
		p.br.Reset(section) // one buffer for every object
	}
	src := p.br
	if p.zr == nil {
		zr, err := zlib.NewReader(src)
		if err != nil {
			return nil, err
		}
		p.zr = zr
	} else if err := p.zr.(zlib.Resetter).Reset(src, nil); err != nil {
		return nil, err
	}
	out := make([]byte, size)
	n, err := io.ReadFull(p.zr, out)
	if prefix && (err == io.ErrUnexpectedEOF || err == io.EOF) {
		return out[:n], nil
	}
	if err != nil {
		return nil, fmt.Errorf("inflate pack entry at %d: %w", at, err)
	}
	return out, nil
}

// baseCache keeps recently used delta bases, up to a number of bytes.
type baseCache struct {
	max, size int
	order     *list.List
	m         map[baseKey]*list.Element
}

type baseKey struct {
	pk  *pack
	off int64
}

type baseEntry struct {
	key  baseKey
	t    plumbing.ObjectType
	data []byte
}

func newBaseCache(max int) *baseCache {
	return &baseCache{max: max, order: list.New(), m: map[baseKey]*list.Element{}}
}

func (c *baseCache) get(pk *pack, off int64) (plumbing.ObjectType, []byte, bool) {
	e, ok := c.m[baseKey{pk, off}]
	if !ok {
		return plumbing.InvalidObject, nil, false
	}
	c.order.MoveToFront(e)
	be := e.Value.(*baseEntry)
	return be.t, be.data, true
}

func (c *baseCache) put(pk *pack, off int64, t plumbing.ObjectType, data []byte) {
	k := baseKey{pk, off}
	if _, ok := c.m[k]; ok || len(data) > c.max/4 {
		return
	}
	c.m[k] = c.order.PushFront(&baseEntry{key: k, t: t, data: data})
	c.size += len(data)
	for c.size > c.max {
		last := c.order.Back()
		be := last.Value.(*baseEntry)
		c.order.Remove(last)
		delete(c.m, be.key)
		c.size -= len(be.data)
	}
}

// readObject returns the type and content of object h: from the packs,
// else through go-git (loose objects, packs residiff cannot read). A
// missing object is plumbing.ErrObjectNotFound, as go-git says it.
func (r *Repo) readObject(h plumbing.Hash) (plumbing.ObjectType, []byte, error) {
	if r.packs != nil {
		t, data, err := r.packs.read(h)
		if !errors.Is(err, errNotInPack) {
			return t, data, err
		}
	}
	obj, err := r.repo.Storer.EncodedObject(plumbing.AnyObject, h)
	if err != nil {
		return plumbing.InvalidObject, nil, err
	}
	rd, err := obj.Reader()
	if err != nil {
		return plumbing.InvalidObject, nil, err
	}
	defer func() { _ = rd.Close() }() // read-only
	data := make([]byte, obj.Size())
	if _, err := io.ReadFull(rd, data); err != nil {
		return plumbing.InvalidObject, nil, err
	}
	return obj.Type(), data, nil
}

// objectSize returns the type and size of object h without reading it.
func (r *Repo) objectSize(h plumbing.Hash) (plumbing.ObjectType, int64, error) {
	if r.packs != nil {
		t, sz, err := r.packs.size(h)
		if !errors.Is(err, errNotInPack) {
			return t, sz, err
		}
	}
	obj, err := r.repo.Storer.EncodedObject(plumbing.AnyObject, h)
	if err != nil {
		return plumbing.InvalidObject, 0, err
	}
	return obj.Type(), obj.Size(), nil
}

// commitObject reads and decodes commit h.
func (r *Repo) commitObject(h plumbing.Hash) (*object.Commit, error) {
	t, data, err := r.readObject(h)
	if err != nil {
		return nil, err
	}
	if t != plumbing.CommitObject {
		return nil, fmt.Errorf("object %s is a %s, not a commit", shortHash(h), t)
	}
	obj := &plumbing.MemoryObject{}
	obj.SetType(t)
	if _, err := obj.Write(data); err != nil {
		return nil, err
	}
	c := &object.Commit{}
	if err := c.Decode(obj); err != nil {
		return nil, err
	}
	return c, nil
}
