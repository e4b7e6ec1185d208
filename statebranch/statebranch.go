// Package statebranch keeps residiff's state file and report files as the
// history of a branch of the watching repository (the git-scraping
// pattern): every run that changed them adds one commit saying what
// changed, so the evidence is an auditable history, and a scheduled job
// whose disk does not survive can restore its state from the branch.
//
// It writes git objects and moves the branch's reference only: the
// worktree, the index and the checked-out branch are never touched, so it
// is safe in a CI checkout. Pushing the branch is the job's.
package statebranch

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// Branch is one branch of the git repository that contains a directory.
type Branch struct {
	repo *git.Repository
	root string // the worktree's root, absolute, symlinks resolved
	name plumbing.ReferenceName
}

// Open finds the git repository containing dir (dir or a parent) and
// returns its branch named branch, which need not exist yet. The branch
// must not be the one checked out: moving it would leave the worktree
// behind.
func Open(dir, branch string) (*Branch, error) {
	if branch == "" || strings.ContainsAny(branch, " ~^:?*[\\") || strings.HasPrefix(branch, "-") {
		return nil, fmt.Errorf("commit to branch %q: not a valid branch name", branch)
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("commit to branch %s: %w", branch, err)
	}
	repo, err := git.PlainOpenWithOptions(abs, &git.PlainOpenOptions{DetectDotGit: true, EnableDotGitCommonDir: true})
	if err != nil {
		return nil, fmt.Errorf("commit to branch %s: no git repository at or above %s: %w", branch, abs, err)
	}
	wt, err := repo.Worktree()
	if err != nil {
		return nil, fmt.Errorf("commit to branch %s: %w", branch, err)
	}
	root, err := filepath.EvalSymlinks(wt.Filesystem.Root())
	if err != nil {
		return nil, fmt.Errorf("commit to branch %s: %w", branch, err)
	}
	b := &Branch{repo: repo, root: root, name: plumbing.NewBranchReferenceName(branch)}
	if head, err := repo.Reference(plumbing.HEAD, false); err == nil && head.Type() == plumbing.SymbolicReference && head.Target() == b.name {
		return nil, fmt.Errorf("commit to branch %s: it is the branch checked out in %s; name another branch", branch, root)
	}
	return b, nil
}

// rel is path relative to the worktree root, slash-separated; paths
// outside the worktree are an error.
func (b *Branch) rel(path string) (string, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", err
	}
	// The file may not exist yet: resolve its folder.
	dir, err := filepath.EvalSymlinks(filepath.Dir(abs))
	if err != nil {
		return "", err
	}
	rel, err := filepath.Rel(b.root, filepath.Join(dir, filepath.Base(abs)))
	if err != nil || rel == "." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) || rel == ".." {
		return "", fmt.Errorf("%s is not inside the repository at %s", path, b.root)
	}
	return filepath.ToSlash(rel), nil
}

// tip returns the branch's commit, or nil when it does not exist yet.
func (b *Branch) tip() (*object.Commit, error) {
	ref, err := b.repo.Reference(b.name, true)
	if errors.Is(err, plumbing.ErrReferenceNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return b.repo.CommitObject(ref.Hash())
}

// Read returns the branch's copy of the file at path (a path in the
// worktree), or false when the branch or the file does not exist.
func (b *Branch) Read(path string) ([]byte, bool, error) {
	rel, err := b.rel(path)
	if err != nil {
		return nil, false, fmt.Errorf("read %s: %w", path, err)
	}
	c, err := b.tip()
	if err != nil || c == nil {
		return nil, false, err
	}
	f, err := c.File(rel)
	if errors.Is(err, object.ErrFileNotFound) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("read %s from %s: %w", rel, b.name.Short(), err)
	}
	r, err := f.Reader()
	if err != nil {
		return nil, false, fmt.Errorf("read %s from %s: %w", rel, b.name.Short(), err)
	}
	defer func() { _ = r.Close() }() // read-only
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, false, fmt.Errorf("read %s from %s: %w", rel, b.name.Short(), err)
	}
	return data, true, nil
}

// Restore writes the branch's copy of the file at path when path does not
// exist; it reports whether it did. A branch that does not exist, or has
// no such file, restores nothing.
func (b *Branch) Restore(path string) (bool, error) {
	if _, err := os.Stat(path); err == nil || !errors.Is(err, os.ErrNotExist) {
		return false, err
	}
	data, ok, err := b.Read(path)
	if err != nil || !ok {
		return false, err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return false, err
	}
	if err := os.WriteFile(path, data, 0o600); err != nil {
		return false, fmt.Errorf("restore %s: %w", path, err)
	}
	return true, nil
}

// Author signs the commits.
type Author struct {
	Name, Email string
}

// File is a file to commit: its path in the worktree and, when Data is
// nil, the content on disk there. Remove removes it from the branch
// instead (nothing when the branch does not have it).
type File struct {
	Path   string
	Data   []byte
	Remove bool
}

// Files are the files at paths, with their content on disk.
func Files(paths ...string) []File {
	out := make([]File, len(paths))
	for i, p := range paths {
		out[i] = File{Path: p}
	}
	return out
}

// Commit records files (those missing on disk are left out) on the
// branch, on top of its tip, as one commit with message. It returns the
// new commit's hash, or "" when the branch already holds exactly these
// contents.
func (b *Branch) Commit(ctx context.Context, files []File, message string, author Author, when time.Time) (string, error) {
	tip, err := b.Tip()
	if err != nil {
		return "", err
	}
	return b.CommitOnto(ctx, tip, files, message, author, when)
}

// Tip is the hash of the branch's newest commit, "" when the branch does
// not exist yet.
func (b *Branch) Tip() (string, error) {
	c, err := b.tip()
	if err != nil {
		return "", fmt.Errorf("branch %s: %w", b.name.Short(), err)
	}
	if c == nil {
		return "", nil
	}
	return c.Hash.String(), nil
}

// CommitOnto is Commit with the commit's parent base ("" for none): the
// tree is the branch tip's with files, so commits made since base (a run's
// checkpoints) are folded into one. The branch moves to the new commit
// (or back to base when the tree is base's).
func (b *Branch) CommitOnto(ctx context.Context, base string, files []File, message string, author Author, when time.Time) (string, error) {
	if err := ctx.Err(); err != nil {
		return "", err
	}
	cur, err := b.tip()
	if err != nil {
		return "", fmt.Errorf("commit to branch %s: %w", b.name.Short(), err)
	}
	var parent *object.Commit
	if cur != nil && base == cur.Hash.String() {
		parent = cur
	} else if base != "" {
		if parent, err = b.repo.CommitObject(plumbing.NewHash(base)); err != nil {
			return "", fmt.Errorf("commit to branch %s: base %s: %w", b.name.Short(), base, err)
		}
	}
	tree := plumbing.ZeroHash
	if cur != nil {
		tree = cur.TreeHash
	}
	for _, file := range files {
		p, data := file.Path, file.Data
		if file.Remove {
			rel, err := b.rel(p)
			if err != nil {
				return "", fmt.Errorf("commit to branch %s: %w", b.name.Short(), err)
			}
			if tree, err = b.put(tree, strings.Split(rel, "/"), plumbing.ZeroHash); err != nil {
				return "", fmt.Errorf("commit to branch %s: remove %s: %w", b.name.Short(), rel, err)
			}
			continue
		}
		if data == nil {
			var err error
			data, err = os.ReadFile(p)
			if errors.Is(err, os.ErrNotExist) {
				continue
			}
			if err != nil {
				return "", fmt.Errorf("commit to branch %s: %w", b.name.Short(), err)
			}
		}
		rel, err := b.rel(p)
		if err != nil {
			return "", fmt.Errorf("commit to branch %s: %w", b.name.Short(), err)
		}
		blob, err := b.store(plumbing.BlobObject, func(w io.Writer) error { _, err := w.Write(data); return err })
		if err != nil {
			return "", fmt.Errorf("commit to branch %s: %s: %w", b.name.Short(), rel, err)
		}
		if tree, err = b.put(tree, strings.Split(rel, "/"), blob); err != nil {
			return "", fmt.Errorf("commit to branch %s: %s: %w", b.name.Short(), rel, err)
		}
	}
	var old *plumbing.Reference
	if cur != nil {
		old = plumbing.NewHashReference(b.name, cur.Hash)
	}
	if parent != nil && tree == parent.TreeHash || parent == nil && tree.IsZero() {
		// Nothing to record beyond base: the branch goes back to it (a
		// new branch is not made empty).
		if parent != nil && cur != nil && cur.Hash != parent.Hash {
			if err := b.repo.Storer.CheckAndSetReference(plumbing.NewHashReference(b.name, parent.Hash), old); err != nil {
				return "", fmt.Errorf("commit to branch %s: the branch moved meanwhile: %w", b.name.Short(), err)
			}
		}
		return "", nil
	}
	if tree.IsZero() {
		// Every file removed: git's empty tree.
		if tree, err = b.store(plumbing.TreeObject, nil, &object.Tree{}); err != nil {
			return "", fmt.Errorf("commit to branch %s: %w", b.name.Short(), err)
		}
	}
	sig := object.Signature{Name: author.Name, Email: author.Email, When: when}
	c := &object.Commit{Author: sig, Committer: sig, Message: message, TreeHash: tree}
	if parent != nil {
		c.ParentHashes = []plumbing.Hash{parent.Hash}
	}
	h, err := b.store(plumbing.CommitObject, nil, c)
	if err != nil {
		return "", fmt.Errorf("commit to branch %s: %w", b.name.Short(), err)
	}
	ref := plumbing.NewHashReference(b.name, h)
	if err := b.repo.Storer.CheckAndSetReference(ref, old); err != nil {
		return "", fmt.Errorf("commit to branch %s: the branch moved meanwhile: %w", b.name.Short(), err)
	}
	return h.String(), nil
}

// encoder is an object go-git can encode (a tree or a commit).
type encoder interface {
	Encode(plumbing.EncodedObject) error
}

// store writes an object: a blob from write, or the encoding of obj.
func (b *Branch) store(t plumbing.ObjectType, write func(io.Writer) error, obj ...encoder) (plumbing.Hash, error) {
	o := b.repo.Storer.NewEncodedObject()
	if len(obj) > 0 {
		if err := obj[0].Encode(o); err != nil {
			return plumbing.ZeroHash, err
		}
	} else {
		o.SetType(t)
		w, err := o.Writer()
		if err != nil {
			return plumbing.ZeroHash, err
		}
		if err := write(w); err != nil {
			_ = w.Close() // the write failed; that error is the one to report
			return plumbing.ZeroHash, err
		}
		if err := w.Close(); err != nil {
			return plumbing.ZeroHash, err
		}
	}
	return b.repo.Storer.SetEncodedObject(o)
}

// put returns the tree that is tree (zero: empty) with blob at path.
func (b *Branch) put(tree plumbing.Hash, path []string, blob plumbing.Hash) (plumbing.Hash, error) {
	var entries []object.TreeEntry
	if !tree.IsZero() {
		t, err := object.GetTree(b.repo.Storer, tree)
		if err != nil {
			return plumbing.ZeroHash, err
		}
		entries = append(entries, t.Entries...)
	}
	name := path[0]
	found := slices.IndexFunc(entries, func(e object.TreeEntry) bool { return e.Name == name })
	entry := object.TreeEntry{Name: name, Mode: filemode.Regular, Hash: blob}
	if len(path) > 1 {
		sub := plumbing.ZeroHash
		if found >= 0 {
			if entries[found].Mode != filemode.Dir {
				return plumbing.ZeroHash, fmt.Errorf("%s is a file on the branch, not a folder", name)
			}
			sub = entries[found].Hash
		} else if blob.IsZero() {
			return tree, nil // removing what is not there
		}
		h, err := b.put(sub, path[1:], blob)
		if err != nil {
			return plumbing.ZeroHash, err
		}
		entry = object.TreeEntry{Name: name, Mode: filemode.Dir, Hash: h}
	}
	switch {
	case entry.Hash.IsZero() && found < 0:
		return tree, nil // removing what is not there
	case entry.Hash.IsZero():
		entries = slices.Delete(entries, found, found+1) // removed (or a folder left empty)
		if len(entries) == 0 {
			return plumbing.ZeroHash, nil
		}
	case found >= 0:
		entries[found] = entry
	default:
		entries = append(entries, entry)
	}
	// Git orders entries by name, a folder's name as if it ended in "/".
	key := func(e object.TreeEntry) string {
		if e.Mode == filemode.Dir {
			return e.Name + "/"
		}
		return e.Name
	}
	sort.Slice(entries, func(i, j int) bool { return key(entries[i]) < key(entries[j]) })
	return b.store(plumbing.TreeObject, nil, &object.Tree{Entries: entries})
}
