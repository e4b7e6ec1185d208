package history

import (
	"bytes"
	"compress/zlib"
	"context"
	"crypto/sha1"
	"encoding/binary"
	"errors"
	"fmt"
	"hash"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/format/packfile"
	"github.com/go-git/go-git/v5/plumbing/storer"
)

// indexPack stores the pack stream r in the folder packDir (a
// repository's objects/pack) and writes its version 2 index, as git
// index-pack does, without go-git's indexer (which keeps a map entry and
// more for every object: 341 MB at 50,000 commits). It keeps per object
// its offset, CRC and id in one array, and object contents only while
// resolving deltas (through the pack reader's base cache). Every count,
// size and offset the stream claims is checked before it is trusted: an
// object count the stream does not hold costs nothing.
//
// A pack it cannot index alone — reference deltas to objects outside it
// (a thin pack), the same object twice — is left written at the returned
// path with errThinPack, for go-git to index from the file.
func indexPack(ctx context.Context, packDir string, r io.Reader) (string, error) {
	if err := os.MkdirAll(packDir, 0o755); err != nil {
		return "", err
	}
	f, err := os.CreateTemp(packDir, "tmp_pack_residiff-")
	if err != nil {
		return "", err
	}
	tmp := f.Name()
	keep := false
	defer func() {
		if !keep {
			_ = os.Remove(tmp)
		}
	}()
	ix := &indexer{}
	s := &packStream{r: r, buf: make([]byte, 64<<10), sum: sha1.New()}
	w := newFileWriter(f)
	s.w = w
	checksum, err := ix.scan(ctx, s)
	if err == nil {
		err = w.flush()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return "", err
	}
	if len(ix.entries) == 0 {
		return "", nil // nothing new
	}
	name := filepath.Join(packDir, "pack-"+checksum.String())
	if err := ix.resolve(ctx, tmp); err != nil {
		if errors.Is(err, errThinPack) {
			keep = true
			return tmp, err
		}
		return "", err
	}
	idx, err := ix.writeIndex(packDir, checksum)
	if err != nil {
		if errors.Is(err, errThinPack) {
			keep = true
			return tmp, err
		}
		return "", err
	}
	defer func() { _ = os.Remove(idx) }() // gone after the rename
	// The pack first, then its index: a reader finds an index only with
	// its pack in place.
	if err := os.Rename(tmp, name+".pack"); err != nil {
		return "", err
	}
	keep = true
	if err := os.Rename(idx, name+".idx"); err != nil {
		return "", err
	}
	return name + ".pack", nil
}

// storePack stores the pack stream r in the repository whose pack folder
// is packDir (see indexPack), through go-git's indexer when the pack is
// thin.
func storePack(ctx context.Context, st storer.Storer, packDir string, r io.Reader) error {
	path, err := indexPack(ctx, packDir, r)
	if !errors.Is(err, errThinPack) {
		if re, ok := st.(interface{ Reindex() }); ok && err == nil {
			// go-git lists the packs once: it must see the new one.
			re.Reindex()
		}
		return err
	}
	defer func() { _ = os.Remove(path) }() // go-git made its own copy
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer func() { _ = f.Close() }() // read-only
	return packfile.UpdateObjectStorage(st, f)
}

// errThinPack: the pack needs go-git's indexer (see indexPack).
var errThinPack = errors.New("pack refers to objects outside it")

// packEntry is what the indexer keeps of one object of the pack.
type packEntry struct {
	off      int64
	id       plumbing.Hash
	crc      uint32
	typ      plumbing.ObjectType
	isBase   bool // some offset delta's base
	resolved bool // id known
}

// indexer indexes one pack.
type indexer struct {
	entries []packEntry // in pack order
	refs    int         // reference deltas
	sum     hash.Hash
	head    []byte
}

// scan reads the pack stream: the header, every entry (inflated to find
// its end; hashed unless a delta), the trailing checksum.
func (ix *indexer) scan(ctx context.Context, s *packStream) (plumbing.Hash, error) {
	var head [12]byte
	if _, err := io.ReadFull(s, head[:]); err != nil {
		return plumbing.ZeroHash, fmt.Errorf("pack header: %w", err)
	}
	if string(head[:4]) != "PACK" {
		return plumbing.ZeroHash, errors.New("the server's answer is not a pack")
	}
	if v := binary.BigEndian.Uint32(head[4:8]); v != 2 && v != 3 {
		return plumbing.ZeroHash, fmt.Errorf("pack version %d", v)
	}
	count := binary.BigEndian.Uint32(head[8:12])
	ix.sum = sha1.New()
	var zr io.ReadCloser // reused across entries
	buf := make([]byte, 32<<10)
	for i := uint32(0); i < count; i++ {
		if i%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return plumbing.ZeroHash, err
			}
		}
		s.startEntry()
		at := s.off
		if err := ix.entry(s, &zr, buf); err != nil {
			// The stream ends before the objects it counted, or is
			// damaged: nothing was allocated for the count.
			return plumbing.ZeroHash, fmt.Errorf("pack entry %d of %d at %d: %w", i+1, count, at, err)
		}
	}
	checksum, err := s.trailer()
	if err != nil {
		return plumbing.ZeroHash, err
	}
	return checksum, nil
}

// entry reads one entry of the stream, inflating it through *zr (made or
// reset here) to find its end, and hashing it unless it is a delta.
func (ix *indexer) entry(s *packStream, zr *io.ReadCloser, buf []byte) error {
	e := packEntry{off: s.off}
	t, size, err := readEntryHeader(s)
	if err != nil {
		return err
	}
	e.typ = t
	switch t {
	case plumbing.OFSDeltaObject:
		rel, err := readOfsDistance(s)
		if err != nil {
			return err
		}
		if rel <= 0 || rel > e.off-12 {
			return errors.New("delta base outside the pack")
		}
		base := e.off - rel
		j, ok := slices.BinarySearchFunc(ix.entries, base, func(x packEntry, off int64) int { return cmpInt64(x.off, off) })
		if !ok {
			return fmt.Errorf("delta base at %d is no entry", base)
		}
		ix.entries[j].isBase = true
	case plumbing.REFDeltaObject:
		var h plumbing.Hash
		if _, err := io.ReadFull(s, h[:]); err != nil {
			return noEOF(err)
		}
		ix.refs++
	case plumbing.CommitObject, plumbing.TreeObject, plumbing.BlobObject, plumbing.TagObject:
	default:
		return fmt.Errorf("unknown type %d", t)
	}
	if size > maxObjectSize {
		return fmt.Errorf("claims %d bytes, more than residiff reads (%d)", size, int64(maxObjectSize))
	}
	if *zr == nil {
		if *zr, err = zlib.NewReader(s); err != nil {
			return fmt.Errorf("inflate: %w", noEOF(err))
		}
	} else if err := (*zr).(zlib.Resetter).Reset(s, nil); err != nil {
		return fmt.Errorf("inflate: %w", noEOF(err))
	}
	dst := io.Discard
	if !e.typ.IsDelta() {
		ix.startHash(e.typ, size)
		dst = ix.sum
	}
	n, err := io.CopyBuffer(dst, io.LimitReader(*zr, size), buf)
	if err == nil && n == size {
		// The stream must end here (and its checksum be read).
		var one [1]byte
		if m, rerr := (*zr).Read(one[:]); m != 0 || rerr != io.EOF {
			err = errors.New("more data than its size")
			if m == 0 && rerr != nil {
				err = rerr
			}
		}
	} else if err == nil {
		err = io.ErrUnexpectedEOF
	}
	if err != nil {
		return fmt.Errorf("inflate: %w", err)
	}
	if !e.typ.IsDelta() {
		ix.sum.Sum(e.id[:0])
		e.resolved = true
	}
	e.crc = s.endEntry()
	ix.entries = append(ix.entries, e)
	return nil
}

// startHash starts the id of an object of type t and size bytes.
func (ix *indexer) startHash(t plumbing.ObjectType, size int64) {
	ix.head = append(ix.head[:0], t.Bytes()...)
	ix.head = append(ix.head, ' ')
	ix.head = strconv.AppendInt(ix.head, size, 10)
	ix.head = append(ix.head, 0)
	ix.sum.Reset()
	_, _ = ix.sum.Write(ix.head) // a hash never fails
}

// resolve computes the ids of the deltas, reading them back from the
// written pack through the pack reader: offset deltas in pack order
// (their bases come first), then reference deltas whose bases the pack
// holds, until none is left or none can be.
func (ix *indexer) resolve(ctx context.Context, tmp string) error {
	m, err := mapFile(tmp)
	if err != nil {
		return err
	}
	pk := &pack{name: filepath.Base(tmp), data: m.data, files: []*mapping{m}}
	defer func() { _ = pk.close() }() // read-only
	p := &packs{bases: newBaseCache(16 << 20), sum: sha1.New(), list: []*pack{pk}, seen: map[string]bool{}}
	for {
		left := 0
		for i := range ix.entries {
			e := &ix.entries[i]
			if e.resolved {
				continue
			}
			if i%4096 == 0 {
				if err := ctx.Err(); err != nil {
					return err
				}
			}
			t, data, err := p.readAt(pk, e.off, 0)
			if errors.Is(err, errNotInPack) {
				left++ // a reference delta whose base is not known yet
				continue
			}
			if err != nil {
				return fmt.Errorf("pack entry at %d: %w", e.off, err)
			}
			e.id = p.hash(t, data)
			e.resolved = true
			if e.isBase {
				p.bases.put(pk, e.off, t, data)
			}
		}
		if left == 0 {
			return nil
		}
		if ix.refs == 0 || !ix.lookupTable(pk) {
			return errThinPack
		}
	}
}

// lookupTable makes pk's index (names, offsets) from the resolved
// entries, so that reference deltas find their bases; it reports whether
// it holds more entries than the last one did.
func (ix *indexer) lookupTable(pk *pack) bool {
	var order []int32
	for i := range ix.entries {
		if ix.entries[i].resolved {
			order = append(order, int32(i))
		}
	}
	if len(order) == len(pk.names)/20 {
		return false
	}
	slices.SortFunc(order, func(a, b int32) int { return bytes.Compare(ix.entries[a].id[:], ix.entries[b].id[:]) })
	pk.names = make([]byte, 20*len(order))
	pk.offsets = make([]byte, 4*len(order))
	pk.large = nil
	pk.fanout = [256]uint32{}
	for k, i := range order {
		e := &ix.entries[i]
		copy(pk.names[20*k:], e.id[:])
		off := uint32(e.off)
		if e.off >= 1<<31 {
			off = 0x80000000 | uint32(len(pk.large)/8)
			pk.large = binary.BigEndian.AppendUint64(pk.large, uint64(e.off))
		}
		binary.BigEndian.PutUint32(pk.offsets[4*k:], off)
		pk.fanout[e.id[0]]++
	}
	for b := 1; b < 256; b++ {
		pk.fanout[b] += pk.fanout[b-1]
	}
	return true
}

// writeIndex writes the version 2 index of the pack whose checksum is
// given to a temporary file in dir, streamed (no copy of it in memory),
// and returns its path.
func (ix *indexer) writeIndex(dir string, checksum plumbing.Hash) (path string, err error) {
	order := make([]int32, len(ix.entries))
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortFunc(order, func(a, b int32) int { return bytes.Compare(ix.entries[a].id[:], ix.entries[b].id[:]) })
	var fanout [256]uint32
	for k, i := range order {
		if k > 0 && ix.entries[order[k-1]].id == ix.entries[i].id {
			return "", fmt.Errorf("object %s twice: %w", ix.entries[i].id, errThinPack)
		}
		fanout[ix.entries[i].id[0]]++
	}
	f, err := os.CreateTemp(dir, "tmp_idx_residiff-")
	if err != nil {
		return "", err
	}
	defer func() {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			_ = os.Remove(f.Name())
			path = ""
		}
	}()
	sum := sha1.New()
	w := newFileWriter(f)
	put := func(b []byte) {
		w.write(b)
		_, _ = sum.Write(b) // a hash never fails
	}
	var b [8]byte
	put([]byte{0xff, 't', 'O', 'c', 0, 0, 0, 2})
	for i := range 256 {
		if i > 0 {
			fanout[i] += fanout[i-1]
		}
		put(binary.BigEndian.AppendUint32(b[:0], fanout[i]))
	}
	for _, i := range order {
		put(ix.entries[i].id[:])
	}
	for _, i := range order {
		put(binary.BigEndian.AppendUint32(b[:0], ix.entries[i].crc))
	}
	nlarge := 0
	for _, i := range order {
		off := ix.entries[i].off
		if off >= 1<<31 {
			put(binary.BigEndian.AppendUint32(b[:0], 0x80000000|uint32(nlarge)))
			nlarge++
			continue
		}
		put(binary.BigEndian.AppendUint32(b[:0], uint32(off)))
	}
	for _, i := range order {
		if off := ix.entries[i].off; off >= 1<<31 {
			put(binary.BigEndian.AppendUint64(b[:0], uint64(off)))
		}
	}
	put(checksum[:])
	w.write(sum.Sum(nil))
	return f.Name(), w.flush()
}

// readEntryHeader reads a pack entry's type and size.
func readEntryHeader(s io.ByteReader) (plumbing.ObjectType, int64, error) {
	c, err := s.ReadByte()
	if err != nil {
		return plumbing.InvalidObject, 0, noEOF(err)
	}
	t := plumbing.ObjectType((c >> 4) & 7)
	size := int64(c & 15)
	for shift := 4; c&0x80 != 0; shift += 7 {
		if shift > 56 {
			return t, 0, errors.New("entry size too long")
		}
		if c, err = s.ReadByte(); err != nil {
			return t, 0, noEOF(err)
		}
		size |= int64(c&0x7f) << shift
	}
	return t, size, nil
}

// readOfsDistance reads an offset delta's distance to its base.
func readOfsDistance(s io.ByteReader) (int64, error) {
	c, err := s.ReadByte()
	if err != nil {
		return 0, noEOF(err)
	}
	rel := int64(c & 0x7f)
	for n := 1; c&0x80 != 0; n++ {
		if n > 9 {
			return 0, errors.New("delta offset too long")
		}
		if c, err = s.ReadByte(); err != nil {
			return 0, noEOF(err)
		}
		rel = ((rel + 1) << 7) | int64(c&0x7f)
	}
	return rel, nil
}

func noEOF(err error) error {
	if err == io.EOF {
		return io.ErrUnexpectedEOF
	}
	return err
}

func cmpInt64(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// packStream reads a pack from the network: every byte read goes to the
// pack file and the pack's checksum, and the bytes of the current entry
// to its CRC. It is the io.ByteReader zlib reads from, so an entry's
// compressed data is consumed exactly.
type packStream struct {
	r    io.Reader
	w    *fileWriter
	buf  []byte
	pos  int   // next unread byte of buf
	end  int   // end of the bytes read into buf
	done int   // buf[:done] went to the file, checksum and CRC
	off  int64 // the stream offset of buf[pos]
	sum  hash.Hash
	crc  uint32
}

// pass sends the bytes read since the last pass to the file, the
// checksum and the entry's CRC.
func (s *packStream) pass() {
	chunk := s.buf[s.done:s.pos]
	s.w.write(chunk)
	_, _ = s.sum.Write(chunk) // a hash never fails
	s.crc = crc32.Update(s.crc, crc32.IEEETable, chunk)
	s.done = s.pos
}

func (s *packStream) fill() error {
	s.pass()
	s.pos, s.end, s.done = 0, 0, 0
	for s.end == 0 {
		n, err := s.r.Read(s.buf)
		s.end = n
		if n == 0 && err != nil {
			return err
		}
	}
	return nil
}

func (s *packStream) ReadByte() (byte, error) {
	if s.pos == s.end {
		if err := s.fill(); err != nil {
			return 0, err
		}
	}
	b := s.buf[s.pos]
	s.pos++
	s.off++
	return b, nil
}

func (s *packStream) Read(p []byte) (int, error) {
	if s.pos == s.end {
		if err := s.fill(); err != nil {
			return 0, err
		}
	}
	n := copy(p, s.buf[s.pos:s.end])
	s.pos += n
	s.off += int64(n)
	return n, nil
}

// startEntry starts the CRC of an entry at the current offset.
func (s *packStream) startEntry() {
	s.pass()
	s.crc = 0
}

// endEntry returns the CRC of the entry read since startEntry.
func (s *packStream) endEntry() uint32 {
	s.pass()
	return s.crc
}

// trailer reads the pack's trailing checksum and checks it against the
// bytes read.
func (s *packStream) trailer() (plumbing.Hash, error) {
	s.pass()
	var want plumbing.Hash
	s.sum.Sum(want[:0])
	var got plumbing.Hash
	for i := range got {
		b, err := s.ReadByte()
		if err != nil {
			return want, fmt.Errorf("pack checksum: %w", noEOF(err))
		}
		got[i] = b
	}
	s.w.write(s.buf[s.done:s.pos])
	s.done = s.pos
	if got != want {
		return want, fmt.Errorf("pack checksum %s, but its content hashes to %s", got, want)
	}
	return want, nil
}

// fileWriter buffers writes to a file and keeps the first error.
type fileWriter struct {
	f   *os.File
	buf []byte
	err error
}

func newFileWriter(f *os.File) *fileWriter { return &fileWriter{f: f, buf: make([]byte, 0, 1<<20)} }

func (w *fileWriter) write(p []byte) {
	if len(w.buf)+len(p) > cap(w.buf) {
		_ = w.flush()
	}
	if len(p) > cap(w.buf) {
		if w.err == nil {
			_, w.err = w.f.Write(p)
		}
		return
	}
	w.buf = append(w.buf, p...)
}

func (w *fileWriter) flush() error {
	if w.err == nil && len(w.buf) > 0 {
		_, w.err = w.f.Write(w.buf)
	}
	w.buf = w.buf[:0]
	return w.err
}
