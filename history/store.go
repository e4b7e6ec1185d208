package history

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/go-git/go-git/v5/config"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/storage/filesystem"
)

// store is go-git's filesystem storage with the writes residiff makes to
// a clone made safe against a kill:
//
//   - references and the configuration are written to a temporary file
//     and renamed into place (go-git truncates and rewrites them in place,
//     so a kill can leave refs/heads/main empty and the clone unreadable);
//   - a received pack is spooled to a temporary file and its object count
//     checked against its size before go-git indexes it (go-git allocates
//     for the count the header claims).
//
// Temporary files live outside refs/ (go-git would read them as
// references) and are named so that removeStaleTemps finds what a killed
// run left.
type store struct {
	*filesystem.Storage
	dir string
}

// refTempPrefix names the temporary files of reference and configuration
// writes, in the clone's top directory.
const refTempPrefix = "residiff-tmp-"

// packTempPrefix names spooled packs, in objects/pack beside go-git's own
// temporary packs (tmp_pack_*).
const packTempPrefix = "tmp_pack_residiff_"

// writeAtomic replaces name (relative to the clone) with data.
func (s *store) writeAtomic(name string, data []byte) error {
	path := filepath.Join(s.dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	f, err := os.CreateTemp(s.dir, refTempPrefix+"*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	defer func() { _ = os.Remove(tmp) }() // a no-op after the rename
	if _, err := f.Write(data); err != nil {
		_ = f.Close() // the write failed; that is the error to report
		return err
	}
	if err := f.Sync(); err != nil {
		_ = f.Close() // the sync failed; that is the error to report
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// refContent is what git writes in a loose reference file.
func refContent(ref *plumbing.Reference) (string, error) {
	switch ref.Type() {
	case plumbing.HashReference:
		return ref.Hash().String() + "\n", nil
	case plumbing.SymbolicReference:
		return "ref: " + ref.Target().String() + "\n", nil
	}
	return "", fmt.Errorf("reference %s: invalid type", ref.Name())
}

// SetReference writes ref to its loose file by write and rename.
func (s *store) SetReference(ref *plumbing.Reference) error {
	if ref == nil {
		return nil
	}
	content, err := refContent(ref)
	if err != nil {
		return err
	}
	return s.writeAtomic(ref.Name().String(), []byte(content))
}

// CheckAndSetReference writes ref when the stored reference is still old
// (nil: whatever it is).
func (s *store) CheckAndSetReference(ref, old *plumbing.Reference) error {
	if ref == nil {
		return nil
	}
	if old != nil {
		cur, err := s.Reference(old.Name())
		if err != nil {
			return err
		}
		if cur.Hash() != old.Hash() {
			return fmt.Errorf("reference %s has changed concurrently", old.Name())
		}
	}
	return s.SetReference(ref)
}

// SetConfig writes the clone's configuration by write and rename.
func (s *store) SetConfig(cfg *config.Config) error {
	if err := cfg.Validate(); err != nil {
		return err
	}
	b, err := cfg.Marshal()
	if err != nil {
		return err
	}
	return s.writeAtomic("config", b)
}

// minObjectBytes is the least one object takes in a pack: a one-byte
// type-and-size header and a zlib stream (a two-byte header, at least two
// bytes of deflate data, a four-byte checksum).
const minObjectBytes = 9

// ErrPackCount: a received pack claims more objects than its size can
// hold.
var ErrPackCount = errors.New("the pack claims more objects than it can hold")

// PackfileWriter spools a received pack to a temporary file; Close checks
// that the object count of its header fits its size and only then hands
// it to go-git, which indexes it.
func (s *store) PackfileWriter() (io.WriteCloser, error) {
	dir := filepath.Join(s.dir, "objects", "pack")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	f, err := os.CreateTemp(dir, packTempPrefix+"*")
	if err != nil {
		return nil, err
	}
	return &spool{f: f, s: s}, nil
}

// spool is a received pack on its way to go-git.
type spool struct {
	f *os.File
	s *store
	n int64
}

func (w *spool) Write(p []byte) (int, error) {
	n, err := w.f.Write(p)
	w.n += int64(n)
	return n, err
}

// Close checks the pack and hands it to go-git's writer.
func (w *spool) Close() (err error) {
	defer func() {
		_ = w.f.Close()           // read-only by now, or already failed
		_ = os.Remove(w.f.Name()) // the spool is copied or rejected
	}()
	if err := checkPackHeader(w.f, w.n); err != nil {
		return err
	}
	if _, err := w.f.Seek(0, io.SeekStart); err != nil {
		return err
	}
	pw, err := w.s.Storage.PackfileWriter()
	if err != nil {
		return err
	}
	if _, err := io.Copy(pw, w.f); err != nil {
		_ = pw.Close() // the copy failed; that is the error to report
		return err
	}
	return pw.Close()
}

// checkPackHeader reads the header of the pack of size bytes in r and
// rejects an object count the pack cannot hold.
func checkPackHeader(r io.ReaderAt, size int64) error {
	if size == 0 {
		return nil // go-git reports an empty pack itself
	}
	var h [12]byte
	if _, err := r.ReadAt(h[:], 0); err != nil || string(h[:4]) != "PACK" {
		return fmt.Errorf("received pack: not a pack file (%d bytes)", size)
	}
	count := int64(binary.BigEndian.Uint32(h[8:]))
	if body := size - 12 - 20; count*minObjectBytes > body {
		return fmt.Errorf("received pack of %d bytes claims %d objects: %w", size, count, ErrPackCount)
	}
	return nil
}

// staleAge is how long a temporary file must have gone unmodified before
// it is taken for what a killed run left: a live fetch writes its pack
// continuously.
const staleAge = 10 * time.Minute

// removeStaleTemps removes the temporary files a killed run left in the
// clone at dir: residiff's reference writes, spooled and indexed packs,
// indexes and commit-graphs written aside, and go-git's temporary packs
// and objects.
func removeStaleTemps(dir string) {
	for _, pat := range []string{
		filepath.Join(dir, refTempPrefix+"*"),
		filepath.Join(dir, "objects", "pack", "tmp_pack_*"),
		filepath.Join(dir, "objects", "pack", "tmp_obj_*"),
		filepath.Join(dir, "objects", "pack", "tmp_idx_*"),
		filepath.Join(dir, "objects", "pack", "*.tmp-*"), // an index written aside
		filepath.Join(dir, "objects", "info", "commit-graph.tmp-*"),
	} {
		age := staleAge
		if strings.HasSuffix(pat, refTempPrefix+"*") {
			age = time.Minute // written and renamed in a moment
		}
		matches, _ := filepath.Glob(pat)
		for _, m := range matches {
			if fi, err := os.Lstat(m); err == nil && !fi.IsDir() && time.Since(fi.ModTime()) > age {
				_ = os.Remove(m) // best effort: a file left is only disk space
			}
		}
	}
}
