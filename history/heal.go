package history

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
)

// A clone cache is residiff's own copy, not the record: when a kill, a
// full disk or a person damaged it, the cure is a new clone. verifyClone
// finds the damage a fetch or a walk would trip on (and report as the
// remote's fault): unreadable references, a tip whose commit or tree is
// missing, packs and indexes that do not match.

// errDamaged marks a clone cache that cannot be used as it is.
var errDamaged = errors.New("damaged clone cache")

// verifyClone checks the clone r at dir for branch ("" for HEAD's).
func verifyClone(r *Repo, dir, branch string) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("%w: reading it panicked: %v", errDamaged, p)
		}
	}()
	if err := verifyPacks(dir); err != nil {
		return err
	}
	head, err := r.repo.Storer.Reference(plumbing.HEAD)
	if err != nil {
		return fmt.Errorf("%w: HEAD: %v", errDamaged, err)
	}
	name := plumbing.NewBranchReferenceName(branch)
	if branch == "" {
		if head.Type() != plumbing.SymbolicReference {
			return fmt.Errorf("%w: HEAD names no branch", errDamaged)
		}
		name = head.Target()
	}
	ref, err := r.repo.Storer.Reference(name)
	if _, serr := os.Stat(filepath.Join(dir, filepath.FromSlash(name.String()))); serr == nil && err != nil {
		return fmt.Errorf("%w: %s: %v", errDamaged, name, err)
	}
	// Every reference must read: go-git lists them all in a fetch.
	iter, err := r.repo.Storer.IterReferences()
	if err != nil {
		return fmt.Errorf("%w: references: %v", errDamaged, err)
	}
	iter.Close()
	if errors.Is(err, plumbing.ErrReferenceNotFound) {
		return nil // a branch the clone does not have yet: the fetch makes it
	}
	if err != nil {
		return fmt.Errorf("%w: %s: %v", errDamaged, name, err)
	}
	if ref.Type() != plumbing.HashReference || ref.Hash().IsZero() {
		return fmt.Errorf("%w: %s names no commit", errDamaged, name)
	}
	c, err := r.repo.CommitObject(ref.Hash())
	if err != nil {
		return fmt.Errorf("%w: %s: tip %s: %v", errDamaged, name, shortHash(ref.Hash()), err)
	}
	if _, err := c.Tree(); err != nil {
		return fmt.Errorf("%w: %s: tree of tip %s: %v", errDamaged, name, shortHash(ref.Hash()), err)
	}
	return nil
}

// verifyPacks checks that every pack of the clone at dir has its index
// and the index its pack, that each index is whole (fanout rising to the
// object count, the size the count implies) and that each pair agrees
// (object count, pack checksum). It reads headers and trailers only.
func verifyPacks(dir string) error {
	packDir := filepath.Join(dir, "objects", "pack")
	entries, err := os.ReadDir(packDir)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("%w: %v", errDamaged, err)
	}
	names := map[string]bool{}
	for _, e := range entries {
		names[e.Name()] = true
	}
	for name := range names {
		base, ok := strings.CutSuffix(name, ".pack")
		if !ok {
			if base, ok := strings.CutSuffix(name, ".idx"); ok && !names[base+".pack"] {
				return fmt.Errorf("%w: %s has no pack", errDamaged, name)
			}
			continue
		}
		if !names[base+".idx"] {
			return fmt.Errorf("%w: %s has no index", errDamaged, name)
		}
		if err := verifyPackPair(filepath.Join(packDir, base)); err != nil {
			return fmt.Errorf("%w: %s: %v", errDamaged, name, err)
		}
	}
	return nil
}

// verifyPackPair checks base.pack against base.idx.
func verifyPackPair(base string) error {
	idx, err := os.Open(base + ".idx")
	if err != nil {
		return err
	}
	defer func() { _ = idx.Close() }() // read-only
	fi, err := idx.Stat()
	if err != nil {
		return err
	}
	head := make([]byte, 8+256*4)
	if _, err := io.ReadFull(idx, head); err != nil {
		return fmt.Errorf("index too short (%d bytes)", fi.Size())
	}
	if !bytes.Equal(head[:8], []byte{0xff, 't', 'O', 'c', 0, 0, 0, 2}) {
		return errors.New("index is not a version 2 pack index")
	}
	prev := uint32(0)
	for i := 0; i < 256; i++ {
		v := binary.BigEndian.Uint32(head[8+4*i:])
		if v < prev {
			return fmt.Errorf("index fanout falls at byte %d", i)
		}
		prev = v
	}
	count := int64(prev)
	if min := 8 + 256*4 + count*(20+4+4) + 40; fi.Size() < min {
		return fmt.Errorf("index of %d objects is %d bytes, less than %d", count, fi.Size(), min)
	}
	var idxSum [20]byte
	if _, err := idx.ReadAt(idxSum[:], fi.Size()-40); err != nil {
		return err
	}

	pack, err := os.Open(base + ".pack")
	if err != nil {
		return err
	}
	defer func() { _ = pack.Close() }() // read-only
	pfi, err := pack.Stat()
	if err != nil {
		return err
	}
	if pfi.Size() < 12+20 {
		return fmt.Errorf("pack too short (%d bytes)", pfi.Size())
	}
	var ph [12]byte
	if _, err := pack.ReadAt(ph[:], 0); err != nil {
		return err
	}
	if string(ph[:4]) != "PACK" {
		return errors.New("not a pack file")
	}
	if n := int64(binary.BigEndian.Uint32(ph[8:])); n != count {
		return fmt.Errorf("pack holds %d objects, its index %d", n, count)
	}
	var packSum [20]byte
	if _, err := pack.ReadAt(packSum[:], pfi.Size()-20); err != nil {
		return err
	}
	if packSum != idxSum {
		return errors.New("the index belongs to another pack (checksums differ)")
	}
	return nil
}

// moveAside renames the damaged clone at dir out of the way, keeping the
// last one for a person to look at and removing older ones. It returns
// where the clone went.
func moveAside(dir string) (string, error) {
	old, _ := filepath.Glob(dir + ".damaged-*")
	for _, o := range old {
		_ = os.RemoveAll(o) // best effort: only disk space
	}
	aside := dir + ".damaged-" + time.Now().UTC().Format("20060102T150405")
	if err := os.Rename(dir, aside); err != nil {
		if rerr := os.RemoveAll(dir); rerr != nil {
			return "", fmt.Errorf("move the damaged clone cache %s aside: %w", dir, err)
		}
		return "", nil
	}
	return aside, nil
}
