package history

import (
	"bytes"
	"cmp"
	"compress/zlib"
	"container/list"
	"crypto/sha1"
	"encoding/binary"
	"errors"
	"fmt"
	"hash"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
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
// history — and hashes every delta base it caches; this one maps the pack
// and its index (no system call per object, nothing per object it does
// not read).
//
// It trusts neither file: an index is verified when opened (fanout
// ascending and equal to the pack's object count, names sorted, every
// offset inside the pack, the pack's checksum the one the index names),
// and every object read hashes to the id asked for. A pack that fails is
// never read, by residiff or by go-git (whose index reader panics or loops
// on such files): reads that would need it fail with ErrCorrupt.
//
// Objects it cannot find (loose objects, a version 1 index) are read
// through go-git by the caller.
type packs struct {
	dir     string // the objects/pack folder
	mu      sync.Mutex
	list    []*pack
	seen    map[string]bool // index files opened
	damaged []error         // the packs that failed verification, why
	bases   *baseCache
	zr      io.ReadCloser // a zlib reader reused across objects
	src     bytes.Reader  // and the reader of the mapped entry it reads from
	sum     hash.Hash     // SHA-1 of objects read, reused
	head    []byte        // the object header hashed, reused
	delta   []byte        // the delta being applied, reused
	// inflated counts the pack bytes made resident since the mappings
	// were last released (see mapping.release), roughly.
	inflated int
}

// releaseEvery is how many bytes of packs are read between releases of
// their pages: the resident memory the mappings may hold.
const releaseEvery = 32 << 20

// pageSize is the size of the pages a mapping is read in.
const pageSize = 4096

// pack is one pack file and its index, both mapped (see mapFile).
type pack struct {
	name    string     // the pack's file name, for messages
	data    []byte     // the pack file
	idx     []byte     // the index file
	files   []*mapping // the pack's, the index's
	fanout  [256]uint32
	names   []byte // 20 bytes an object, sorted (part of idx)
	offsets []byte // the index's 32-bit offsets, 4 bytes an object (part of idx)
	large   []byte // 64-bit offsets (packs over 2 GiB), 8 bytes each (part of idx)
}

// maxObjectSize bounds what one pack entry may claim to be: the page
// limit is far smaller, and trees and commits are kilobytes.
const maxObjectSize = 256 << 20

// errNotInPack says an object is in none of the packs.
var errNotInPack = errors.New("object not in a pack")

// ErrCorrupt says the repository's object files are damaged: a pack or
// its index fails verification, or an object does not hash to its id, or
// the history loops. residiff reads nothing from such a file; a clone
// residiff keeps can be cloned again.
var ErrCorrupt = errors.New("the repository's object files are damaged")

// errIndexVersion: an index residiff does not read (version 1), left to
// go-git.
var errIndexVersion = errors.New("not a version 2 pack index")

// openPacks opens the packs of the repository at dir (its git folder).
func openPacks(dir string) *packs {
	p := &packs{dir: filepath.Join(dir, "objects", "pack"), seen: map[string]bool{}, bases: newBaseCache(8 << 20), sum: sha1.New()}
	p.refresh()
	return p
}

// refresh opens the index files not opened yet (packs a fetch added). It
// reports whether it found any.
func (p *packs) refresh() bool {
	if p.dir == "" {
		return false // a pack being indexed (see indexPack)
	}
	idxs, _ := filepath.Glob(filepath.Join(p.dir, "*.idx"))
	sort.Strings(idxs)
	added := false
	for _, idx := range idxs {
		if p.seen[idx] {
			continue
		}
		p.seen[idx] = true
		pk, err := openPack(idx)
		switch {
		case err == nil:
			p.list = append(p.list, pk)
			added = true
		case errors.Is(err, ErrCorrupt):
			p.damaged = append(p.damaged, err)
			added = true
		}
		// An index without its pack is garbage git ignores too; a
		// version 1 index leaves its objects to go-git.
	}
	return added
}

// verify returns the damage found in the packs, or nil: each pair
// opened (see openPack) and every pack without its index (go-git cannot
// read it). An index without its pack, or of version 1, is not damage:
// git and go-git ignore the one and read the other.
func (p *packs) verify() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.refresh()
	errs := append([]error(nil), p.damaged...)
	if p.dir == "" {
		return errors.Join(errs...)
	}
	packFiles, _ := filepath.Glob(filepath.Join(p.dir, "*.pack"))
	for _, pf := range packFiles {
		if _, err := os.Stat(strings.TrimSuffix(pf, ".pack") + ".idx"); errors.Is(err, fs.ErrNotExist) {
			errs = append(errs, fmt.Errorf("%s has no index: %w", filepath.Base(pf), ErrCorrupt))
		}
	}
	return errors.Join(errs...)
}

// objects is the number of objects in the packs residiff reads.
func (p *packs) objects() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	n := 0
	for _, pk := range p.list {
		n += int(pk.fanout[255])
	}
	return n
}

// Close unmaps the pack files.
func (p *packs) Close() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	var errs []error
	for _, pk := range p.list {
		errs = append(errs, pk.close())
	}
	p.list = nil
	return errors.Join(errs...)
}

func (pk *pack) close() error {
	var errs []error
	for _, f := range pk.files {
		errs = append(errs, f.close())
	}
	pk.files, pk.data, pk.idx, pk.names, pk.offsets, pk.large = nil, nil, nil, nil, nil, nil
	return errors.Join(errs...)
}

// mapping is a file's content: mapped into memory (see mapFile), or read.
type mapping struct {
	data   []byte
	mapped bool // data is a mapping, not the heap
}

// readFile reads a whole file, as mapFile's fallback.
func readFile(path string) (*mapping, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return &mapping{data: data}, nil
}

// openPack opens and verifies the index at idx and its pack. A damaged
// pair is an error wrapping ErrCorrupt; an index without its pack or of
// version 1 is another error (go-git decides).
func openPack(idx string) (*pack, error) {
	packPath := strings.TrimSuffix(idx, ".idx") + ".pack"
	pk := &pack{name: filepath.Base(packPath)}
	if err := pk.open(idx, packPath); err != nil {
		_ = pk.close() // read-only
		if errors.Is(err, errIndexVersion) || errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
		return nil, fmt.Errorf("%s: %s: %w", filepath.Base(idx), err, ErrCorrupt)
	}
	return pk, nil
}

// open maps and checks the pack and its index.
func (pk *pack) open(idx, packPath string) error {
	data, err := mapFile(packPath)
	if err != nil {
		return err
	}
	pk.files, pk.data = append(pk.files, data), data.data
	index, err := mapFile(idx)
	if err != nil {
		return err
	}
	pk.files, pk.idx = append(pk.files, index), index.data
	if err := pk.check(); err != nil {
		return err
	}
	// check read the whole index; lookups read a few pages of it.
	index.release()
	return nil
}

// check verifies the index against itself and the pack: everything find
// and the entry readers rely on to stay inside both files.
func (pk *pack) check() error {
	data, idx := pk.data, pk.idx
	if len(idx) >= 8 && bytes.Equal(idx[:4], []byte{0xff, 't', 'O', 'c'}) && binary.BigEndian.Uint32(idx[4:8]) != 2 {
		return errIndexVersion
	}
	if len(idx) < 8+256*4+40 || !bytes.Equal(idx[:4], []byte{0xff, 't', 'O', 'c'}) {
		return errIndexVersion // version 1 has no header: go-git reads it
	}
	prev := uint32(0)
	for i := range 256 {
		f := binary.BigEndian.Uint32(idx[8+4*i:])
		if f < prev {
			return fmt.Errorf("fanout goes down at byte %#02x (%d after %d)", i, f, prev)
		}
		pk.fanout[i], prev = f, f
	}
	n := int(pk.fanout[255])
	namesAt := 8 + 256*4
	offsetsAt := namesAt + 20*n + 4*n // names, then CRCs
	largeAt := offsetsAt + 4*n
	if len(idx) < largeAt+40 || (len(idx)-largeAt-40)%8 != 0 {
		return fmt.Errorf("index of %d bytes cannot hold the %d objects its fanout counts", len(idx), n)
	}
	if len(data) < 12+20 {
		return fmt.Errorf("%s: pack too short (%d bytes)", pk.name, len(data))
	}
	if string(data[:4]) != "PACK" {
		return fmt.Errorf("%s is not a pack", pk.name)
	}
	if v := binary.BigEndian.Uint32(data[4:8]); v != 2 && v != 3 {
		return fmt.Errorf("%s: pack version %d", pk.name, v)
	}
	if c := binary.BigEndian.Uint32(data[8:12]); int(c) != n {
		return fmt.Errorf("the fanout counts %d objects, the pack %d", n, c)
	}
	if !bytes.Equal(data[len(data)-20:], idx[len(idx)-40:len(idx)-20]) {
		return fmt.Errorf("the index belongs to another pack than %s (checksums differ)", pk.name)
	}
	pk.names = idx[namesAt : namesAt+20*n]
	pk.offsets = idx[offsetsAt : offsetsAt+4*n]
	pk.large = idx[largeAt : len(idx)-40]
	// Names sorted, each in its fanout bucket.
	lo := 0
	for b := range 256 {
		hi := int(pk.fanout[b])
		for i := lo; i < hi; i++ {
			name := pk.names[20*i : 20*i+20]
			if int(name[0]) != b {
				return fmt.Errorf("object %d (%x) is outside its fanout bucket %#02x", i, name, b)
			}
			if i > 0 && bytes.Compare(pk.names[20*i-20:20*i], name) >= 0 {
				return fmt.Errorf("object names out of order at %d (%x)", i, name)
			}
		}
		lo = hi
	}
	// Every offset inside the pack's entries.
	end := uint64(len(data) - 20)
	nlarge := len(pk.large) / 8
	for i := range n {
		off := uint64(binary.BigEndian.Uint32(pk.offsets[4*i:]))
		if off&0x80000000 != 0 {
			j := int(off &^ 0x80000000)
			if j >= nlarge {
				return fmt.Errorf("object %x: 64-bit offset %d of %d", pk.names[20*i:20*i+20], j, nlarge)
			}
			off = binary.BigEndian.Uint64(pk.large[8*j:])
		}
		if off < 12 || off >= end {
			return fmt.Errorf("object %x: offset %d outside the pack's %d bytes of entries", pk.names[20*i:20*i+20], off, end)
		}
	}
	return nil
}

// find returns the offset of h in the pack, or false. The index was
// verified when opened: every offset is inside the pack.
func (pk *pack) find(h plumbing.Hash) (int64, bool) {
	lo := 0
	if h[0] > 0 {
		lo = int(pk.fanout[h[0]-1])
	}
	hi := int(pk.fanout[h[0]])
	// A binary search on the names' first 8 bytes, the rest compared
	// only when those are equal.
	key := binary.BigEndian.Uint64(h[:8])
	for lo < hi {
		mid := int(uint(lo+hi) >> 1)
		name := pk.names[20*mid : 20*mid+20]
		c := cmp.Compare(binary.BigEndian.Uint64(name[:8]), key)
		if c == 0 {
			c = bytes.Compare(name[8:], h[8:])
		}
		switch {
		case c == 0:
			return pk.offset(mid), true
		case c < 0:
			lo = mid + 1
		default:
			hi = mid
		}
	}
	return 0, false
}

// offset is the offset of the i-th object of the index.
func (pk *pack) offset(i int) int64 {
	off := binary.BigEndian.Uint32(pk.offsets[4*i:])
	if off&0x80000000 != 0 {
		j := int(off &^ 0x80000000)
		return int64(binary.BigEndian.Uint64(pk.large[8*j:]))
	}
	return int64(off)
}

// locate finds h in any pack, opening packs added since the last look once.
func (p *packs) locate(h plumbing.Hash) (*pack, int64, error) {
	for pass := 0; pass < 2; pass++ {
		for _, pk := range p.list {
			if off, ok := pk.find(h); ok {
				return pk, off, nil
			}
		}
		if pass == 0 && !p.refresh() {
			break
		}
	}
	if len(p.damaged) > 0 {
		// The object may be in a damaged pack: go-git would read that
		// index without checking it.
		return nil, 0, fmt.Errorf("read %s: %w", h, errors.Join(p.damaged...))
	}
	return nil, 0, errNotInPack
}

// read returns the type and content of object h, checking that the
// content hashes to h.
func (p *packs) read(h plumbing.Hash) (plumbing.ObjectType, []byte, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	pk, off, err := p.locate(h)
	if err != nil {
		return plumbing.InvalidObject, nil, err
	}
	t, data, err := p.readAt(pk, off, 0)
	if err != nil {
		return t, nil, fmt.Errorf("%s: entry at %d: %w", pk.name, off, err)
	}
	if got := p.hash(t, data); got != h {
		return t, nil, fmt.Errorf("%s: the index says %s is at %d, but the %s there is %s: %w", pk.name, h, off, t, got, ErrCorrupt)
	}
	return t, data, nil
}

// hash is the object id of an object of type t and content data.
func (p *packs) hash(t plumbing.ObjectType, data []byte) plumbing.Hash {
	p.head = append(p.head[:0], t.Bytes()...)
	p.head = append(p.head, ' ')
	p.head = strconv.AppendInt(p.head, int64(len(data)), 10)
	p.head = append(p.head, 0)
	p.sum.Reset()
	_, _ = p.sum.Write(p.head) // a hash never fails
	_, _ = p.sum.Write(data)
	var h plumbing.Hash
	p.sum.Sum(h[:0])
	return h
}

// size returns the type and size of object h from its header (for a
// delta, the target size from the delta's own header), without
// resolving it.
func (p *packs) size(h plumbing.Hash) (plumbing.ObjectType, int64, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	pk, off, err := p.locate(h)
	if err != nil {
		return plumbing.InvalidObject, 0, err
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

// maxDeltaDepth bounds a delta chain: git makes chains of 50 at most;
// reference deltas that refer to each other must not loop.
const maxDeltaDepth = 10000

// baseType is the type a delta chain starting at off resolves to.
func (p *packs) baseType(pk *pack, off int64) (plumbing.ObjectType, int64, error) {
	for depth := 0; depth < maxDeltaDepth; depth++ {
		t, _, dataAt, err := pk.header(off)
		if err != nil {
			return t, 0, err
		}
		switch t {
		case plumbing.OFSDeltaObject:
			base, _, err := pk.ofsBaseAt(off, dataAt)
			if err != nil {
				return t, 0, err
			}
			off = base
		case plumbing.REFDeltaObject:
			h, err := pk.refBase(dataAt)
			if err != nil {
				return t, 0, err
			}
			if pk, off, err = p.locate(h); err != nil {
				return t, 0, err
			}
		default:
			return t, off, nil
		}
	}
	return plumbing.InvalidObject, 0, fmt.Errorf("delta chain deeper than %d: %w", maxDeltaDepth, ErrCorrupt)
}

// entries is the part of the pack holding entries (without the trailing
// checksum).
func (pk *pack) entries() []byte { return pk.data[:len(pk.data)-20] }

// header reads the entry header at off: type, size, and where the entry's
// data starts (for an offset delta, where its base offset starts).
func (pk *pack) header(off int64) (plumbing.ObjectType, int64, int64, error) {
	e := pk.entries()
	if off < 12 || off >= int64(len(e)) {
		return plumbing.InvalidObject, 0, 0, fmt.Errorf("entry offset %d outside the pack: %w", off, ErrCorrupt)
	}
	buf := e[off:]
	c := buf[0]
	t := plumbing.ObjectType((c >> 4) & 7)
	size := int64(c & 15)
	shift := 4
	i := 1
	for c&0x80 != 0 {
		if i >= len(buf) || shift > 56 {
			return t, 0, 0, fmt.Errorf("entry header at %d: %w", off, ErrCorrupt)
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
	e := pk.entries()
	if at >= int64(len(e)) {
		return 0, 0, fmt.Errorf("delta offset at %d: %w", at, ErrCorrupt)
	}
	buf := e[at:]
	c := buf[0]
	rel = int64(c & 0x7f)
	n = 1
	for c&0x80 != 0 {
		if n >= len(buf) || n > 9 {
			return 0, 0, fmt.Errorf("delta offset at %d: %w", at, ErrCorrupt)
		}
		c = buf[n]
		rel = ((rel + 1) << 7) | int64(c&0x7f)
		n++
	}
	return rel, n, nil
}

// ofsBaseAt is the offset of the base of the offset delta at off (whose
// base field starts at dataAt), checked to be an earlier entry, and the
// field's length.
func (pk *pack) ofsBaseAt(off, dataAt int64) (int64, int, error) {
	rel, n, err := pk.ofsBase(dataAt)
	if err != nil {
		return 0, 0, err
	}
	if rel <= 0 || rel > off-12 {
		return 0, 0, fmt.Errorf("delta at %d names a base %d bytes before it, outside the pack: %w", off, rel, ErrCorrupt)
	}
	return off - rel, n, nil
}

// refBase reads the base id of a reference delta whose field starts at at.
func (pk *pack) refBase(at int64) (plumbing.Hash, error) {
	var h plumbing.Hash
	e := pk.entries()
	if at+20 > int64(len(e)) {
		return h, fmt.Errorf("delta base id at %d: %w", at, ErrCorrupt)
	}
	copy(h[:], e[at:at+20])
	return h, nil
}

// readAt returns the object whose entry is at off, resolving deltas.
func (p *packs) readAt(pk *pack, off int64, depth int) (plumbing.ObjectType, []byte, error) {
	if depth > maxDeltaDepth {
		return plumbing.InvalidObject, nil, fmt.Errorf("delta chain deeper than %d: %w", maxDeltaDepth, ErrCorrupt)
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
		boff, n, err := pk.ofsBaseAt(off, dataAt)
		if err != nil {
			return t, nil, err
		}
		baseT, base, err = p.readAt(pk, boff, depth+1)
		if err != nil {
			return t, nil, err
		}
		p.bases.put(pk, boff, baseT, base)
		dataAt += int64(n)
	case plumbing.REFDeltaObject:
		h, err := pk.refBase(dataAt)
		if err != nil {
			return t, nil, err
		}
		bpk, boff, err := p.locate(h)
		if err != nil {
			return t, nil, err
		}
		baseT, base, err = p.readAt(bpk, boff, depth+1)
		if err != nil {
			return t, nil, err
		}
		p.bases.put(bpk, boff, baseT, base)
		dataAt += 20
	default:
		return t, nil, fmt.Errorf("pack entry at %d of unknown type %d: %w", off, t, ErrCorrupt)
	}
	// The delta is not kept: it is inflated into one buffer reused.
	delta, err := p.inflateInto(p.delta, pk, dataAt, int(size), false)
	if err != nil {
		return t, nil, err
	}
	p.delta = delta
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
// prefix at most size bytes (a delta's header). It reads the mapped pack
// directly: bytes.Reader is the io.ByteReader flate wants, so nothing is
// copied on the way in.
func (p *packs) inflate(pk *pack, at int64, size int, prefix bool) ([]byte, error) {
	return p.inflateInto(nil, pk, at, size, prefix)
}

// inflateInto is inflate into buf when it has room (a buffer reused for
// what is not kept: deltas).
func (p *packs) inflateInto(buf []byte, pk *pack, at int64, size int, prefix bool) ([]byte, error) {
	e := pk.entries()
	if at >= int64(len(e)) {
		return nil, fmt.Errorf("pack entry data at %d: %w", at, ErrCorrupt)
	}
	p.src.Reset(e[at:])
	if p.zr == nil {
		zr, err := zlib.NewReader(&p.src)
		if err != nil {
			return nil, fmt.Errorf("inflate pack entry at %d: %w", at, err)
		}
		p.zr = zr
	} else if err := p.zr.(zlib.Resetter).Reset(&p.src, nil); err != nil {
		return nil, fmt.Errorf("inflate pack entry at %d: %w", at, err)
	}
	out := buf[:0]
	if cap(out) < size {
		out = make([]byte, size)
	}
	out = out[:size]
	n, err := io.ReadFull(p.zr, out)
	// A small entry still makes a page resident: count one at least.
	if p.inflated += pageSize + len(e) - int(at) - p.src.Len(); p.inflated > releaseEvery {
		p.inflated = 0
		for _, pk := range p.list {
			pk.files[0].release()
		}
	}
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
	obj, err := r.goGitObject(h)
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

// goGitObject reads object h through go-git. Its readers index into
// files as they find them: a panic there is a damaged file, reported as
// one.
func (r *Repo) goGitObject(h plumbing.Hash) (obj plumbing.EncodedObject, err error) {
	defer func() {
		if p := recover(); p != nil {
			obj, err = nil, fmt.Errorf("read %s: go-git: %v: %w", h, p, ErrCorrupt)
		}
	}()
	return r.repo.Storer.EncodedObject(plumbing.AnyObject, h)
}

// objectSize returns the type and size of object h without reading it.
func (r *Repo) objectSize(h plumbing.Hash) (plumbing.ObjectType, int64, error) {
	if r.packs != nil {
		t, sz, err := r.packs.size(h)
		if !errors.Is(err, errNotInPack) {
			return t, sz, err
		}
	}
	obj, err := r.goGitObject(h)
	if err != nil {
		return plumbing.InvalidObject, 0, err
	}
	return obj.Type(), obj.Size(), nil
}

// Verify reports damage the pack reader found in the repository's packs
// (an error wrapping ErrCorrupt), or nil. Objects are checked as they are
// read; this checks each pack's index against its pack, and that every
// pack has one. Sync's check of a clone cache uses it too.
func (r *Repo) Verify() error {
	if r.packs == nil {
		return nil
	}
	if err := r.packs.verify(); err != nil {
		return fmt.Errorf("%s: %w", r.where, err)
	}
	return nil
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
