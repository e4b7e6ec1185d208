package history

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
)

// A clone cache is residiff's own copy, not the record: when a kill, a
// full disk or a person damaged it, the cure is a new clone. verifyClone
// finds the damage a fetch or a walk would trip on (and report as the
// remote's fault): unreadable references, a tip whose commit or tree is
// missing, and packs and indexes that do not match ((*Repo).Verify, the
// pack reader's own checks).

// errDamaged marks a clone cache that cannot be used as it is.
var errDamaged = errors.New("damaged clone cache")

// verifyClone checks the clone r at dir for branch ("" for HEAD's).
func verifyClone(r *Repo, dir, branch string) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("%w: reading it panicked: %v", errDamaged, p)
		}
	}()
	if err := r.Verify(); err != nil {
		return fmt.Errorf("%w: %v", errDamaged, err)
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
