// Package history reads the git history of a docs repository with go-git:
// it opens a local repository or keeps a bare clone of a remote one up to
// date, and finds every revision of the tracked pages on the first-parent
// chain of a branch, following pages across moves.
//
// The walk compares tree entries by hash and descends only into subtrees
// whose hash changed, the way git's pathspec-limited rev-list does; it never
// uses go-git's Log with a path filter, which diffs whole trees and returns
// wrong commits on merges.
package history

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/go-git/go-billy/v5/osfs"
	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/config"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/cache"
	commitgraph "github.com/go-git/go-git/v5/plumbing/format/commitgraph/v2"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/plumbing/transport"
	githttp "github.com/go-git/go-git/v5/plumbing/transport/http"
	"github.com/go-git/go-git/v5/storage/filesystem"
)

// Errors callers can test for with errors.Is.
var (
	// ErrNotRepository: the path holds no git repository.
	ErrNotRepository = errors.New("not a git repository")
	// ErrUnknownBranch: the branch does not exist.
	ErrUnknownBranch = errors.New("unknown branch")
	// ErrUnreachable: the remote could not be reached or read.
	ErrUnreachable = errors.New("remote unreachable")
	// ErrNotAncestor: a commit given as a starting point is not on the
	// branch's first-parent history any more (the upstream was rewritten).
	ErrNotAncestor = errors.New("not an ancestor of the branch tip")
	// ErrShallow: the repository is a shallow clone.
	ErrShallow = errors.New("shallow repository: residiff needs the full history (fetch with --unshallow, or check out with fetch-depth: 0)")
	// ErrNoPages: a walk was asked for without page globs.
	ErrNoPages = errors.New("no page globs to walk")
)

// objectCacheSize bounds go-git's cache of decoded objects: mostly delta
// bases. Measured on the 50,000-commit bench repository, 8 MiB walks as
// fast as 32 (its hashing costs what the hits save) with 50 MB less
// memory; 4 MiB is slower, 2 MiB five times slower.
const objectCacheSize = 8 * cache.MiByte

// Repo is an opened repository.
type Repo struct {
	repo *git.Repository
	// where names the repository in messages: a path or a redacted URL.
	where string
	// closer releases the storage's file descriptors.
	closer io.Closer
	// auth is sent with fetches; never stored.
	auth *githttp.BasicAuth
	// partial: a blob-less clone; page versions are fetched as walks
	// need them.
	partial bool
	// graph is the commit-graph index, or nil.
	graph commitgraph.Index
	// packs reads objects from the pack files (see packs).
	packs *packs
}

// Open opens the repository at path: a work tree (with a .git directory)
// or a bare repository.
func Open(ctx context.Context, path string) (*Repo, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	dir := path
	if fi, err := os.Stat(filepath.Join(path, ".git")); err == nil && fi.IsDir() {
		dir = filepath.Join(path, ".git")
	}
	if _, err := os.Stat(filepath.Join(dir, "HEAD")); err != nil {
		if _, serr := os.Stat(path); serr != nil {
			return nil, fmt.Errorf("open %s: %w", path, serr)
		}
		return nil, fmt.Errorf("open %s: %w", path, ErrNotRepository)
	}
	return openDir(dir, path)
}

func openDir(dir, where string) (*Repo, error) {
	st := &store{Storage: filesystem.NewStorageWithOptions(osfs.New(dir), cache.NewObjectLRU(objectCacheSize),
		filesystem.Options{KeepDescriptors: true}), dir: dir}
	r, err := git.Open(st, nil)
	if err != nil {
		if errors.Is(err, git.ErrRepositoryNotExists) {
			return nil, fmt.Errorf("open %s: %w", where, ErrNotRepository)
		}
		return nil, fmt.Errorf("open %s: %w", where, err)
	}
	// A shallow clone (CI checkouts fetch one commit by default) lacks the
	// history residiff walks: say so instead of "object not found".
	if shallow, err := st.Shallow(); err == nil && len(shallow) > 0 {
		_ = st.Close()
		return nil, fmt.Errorf("open %s: %w", where, ErrShallow)
	}
	repo := &Repo{repo: r, where: where, closer: st, partial: isPartial(dir)}
	// The commit-graph file, when git wrote one, gives parents and root
	// trees without inflating commits; a missing or unreadable one only
	// means commits are read one by one.
	repo.graph = openGraph(dir)
	repo.packs = openPacks(dir)
	return repo, nil
}

// openGraph opens the commit-graph of the repository at dir, or returns
// nil. A single file (what git writes by default, a few bytes per commit)
// is read into memory: the walk looks up every commit of the chain.
func openGraph(dir string) commitgraph.Index {
	if data, err := os.ReadFile(filepath.Join(dir, "objects", "info", "commit-graph")); err == nil {
		if g, err := commitgraph.OpenFileIndex(memFile{bytes.NewReader(data)}); err == nil {
			return g
		}
	}
	if g, err := commitgraph.OpenChainOrFileIndex(osfs.New(dir)); err == nil {
		return g
	}
	return nil
}

// memFile is an in-memory commit-graph file.
type memFile struct{ *bytes.Reader }

func (memFile) Close() error { return nil }

// Partial reports whether the repository is a blob-less clone.
func (r *Repo) Partial() bool { return r.partial }

// Close releases the repository's open files.
func (r *Repo) Close() error {
	if r.graph != nil {
		_ = r.graph.Close() // read-only
	}
	if r.packs != nil {
		_ = r.packs.Close() // read-only
	}
	if r.closer == nil {
		return nil
	}
	return r.closer.Close()
}

// SyncOptions tune Sync.
type SyncOptions struct {
	// Branch to clone or fetch; "" means the remote's default branch.
	Branch string
	// Progress receives the remote's progress messages; nil for none.
	Progress io.Writer
	// Username and Password are sent as basic auth with every request
	// (never stored); they take precedence over credentials in the URL.
	Username, Password string
	// FullClone clones every object even when the server can serve a
	// blob-less clone.
	FullClone bool
	// Note, when set, receives one-line notices (a fallback to a full
	// clone).
	Note func(string)
	// Warn, when set, receives one-line warnings (a damaged clone cache
	// moved aside and cloned again); nil sends them to Note.
	Warn func(string)
}

func (o SyncOptions) warn(msg string) {
	switch {
	case o.Warn != nil:
		o.Warn(msg)
	case o.Note != nil:
		o.Note("warning: " + msg)
	}
}

// Sync makes cacheDir a bare, single-branch, tag-less (never shallow)
// clone of url and returns it opened. The first clone is blob-less (every
// commit and tree, no file contents) when the server offers partial clone;
// the page versions a walk reads are then fetched in one request. Servers
// that do not offer it get a full clone, with one Note saying so. When cacheDir already holds
// the clone, Sync fetches what is new; a branch rewritten upstream is
// force-updated. Being up to date is success.
//
// Credentials in url (https://user:token@host/…) are sent with each request
// and never stored: the clone's configuration holds the URL without them,
// and is reset to the configured URL on every sync, so a rotated password
// takes effect and a changed URL is followed.
func Sync(ctx context.Context, url, cacheDir string, opts SyncOptions) (*Repo, error) {
	where := Redact(url)
	clean, auth := credentials(url)
	if opts.Password != "" {
		auth = &githttp.BasicAuth{Username: opts.Username, Password: opts.Password}
	}
	if _, err := os.Stat(cacheDir); err == nil {
		var r *Repo
		err := fmt.Errorf("%w: no HEAD", errDamaged) // a folder left without a clone in it
		if _, herr := os.Stat(filepath.Join(cacheDir, "HEAD")); herr == nil {
			r, err = update(ctx, cacheDir, clean, where, auth, opts)
		}
		if !errors.Is(err, errDamaged) {
			if err == nil {
				r.where = where
				r.afterFetch(ctx, opts.Branch)
			}
			return r, err
		}
		// The cache is residiff's own copy: a damaged one is moved
		// aside and cloned again, never a failure of every later run.
		aside, merr := moveAside(cacheDir)
		if merr != nil {
			return nil, fmt.Errorf("%v; %w", err, merr)
		}
		msg := fmt.Sprintf("the clone cache %s is damaged (%s); cloning %s again", cacheDir, strings.TrimPrefix(err.Error(), errDamaged.Error()+": "), where)
		if aside != "" {
			msg += " (the damaged clone is kept in " + aside + ")"
		}
		opts.warn(msg)
	}
	if err := os.MkdirAll(filepath.Dir(cacheDir), 0o755); err != nil {
		return nil, fmt.Errorf("clone %s: %w", where, err)
	}
	// Clone into a temporary sibling and rename, so an interrupted clone
	// never leaves a half-written cache that later runs would trust. A
	// killed clone leaves its temporary behind: remove old ones first.
	removeStale(filepath.Dir(cacheDir), filepath.Base(cacheDir)+".tmp-*", time.Hour)
	tmp, err := os.MkdirTemp(filepath.Dir(cacheDir), filepath.Base(cacheDir)+".tmp-")
	if err != nil {
		return nil, fmt.Errorf("clone %s: %w", where, err)
	}
	defer func() { _ = os.RemoveAll(tmp) }() // gone after the rename; a failed clone leaves nothing
	if !opts.FullClone {
		err := partialInto(ctx, tmp, clean, opts.Branch, auth, opts.Progress)
		switch {
		case err == nil:
			if err := os.Rename(tmp, cacheDir); err != nil {
				return nil, fmt.Errorf("clone %s: %w", where, err)
			}
			r, err := openDir(cacheDir, where)
			if err != nil {
				return nil, err
			}
			r.auth = auth
			r.afterFetch(ctx, opts.Branch)
			return r, nil
		case errors.As(err, new(*localError)):
			return nil, fmt.Errorf("clone %s: %w", where, err)
		case errors.Is(err, errNoFilter):
			if opts.Note != nil {
				opts.Note(fmt.Sprintf("%s does not offer blob-less clones (filter and allow-reachable-sha1-in-want): cloning everything", where))
			}
			if err := os.RemoveAll(tmp); err != nil {
				return nil, fmt.Errorf("clone %s: %w", where, err)
			}
		default:
			return nil, remoteError("clone", where, opts.Branch, err)
		}
	}
	co := &git.CloneOptions{URL: clean, Auth: auth, SingleBranch: true, Tags: git.NoTags, Progress: opts.Progress}
	if opts.Branch != "" {
		co.ReferenceName = plumbing.NewBranchReferenceName(opts.Branch)
	}
	// A clone through residiff's store: its packs are checked before
	// go-git indexes them.
	st := &store{Storage: filesystem.NewStorage(osfs.New(tmp), cache.NewObjectLRUDefault()), dir: tmp}
	_, err = git.CloneContext(ctx, st, nil, co)
	_ = st.Close() // reopened below
	if err != nil {
		return nil, remoteError("clone", where, opts.Branch, err)
	}
	if err := os.Rename(tmp, cacheDir); err != nil {
		return nil, fmt.Errorf("clone %s: %w", where, err)
	}
	r, err := openDir(cacheDir, where)
	if err != nil {
		return nil, err
	}
	r.afterFetch(ctx, opts.Branch)
	return r, nil
}

// update fetches into the clone cache at dir, after removing what killed
// runs left in it and verifying it. An error wrapping errDamaged means the
// clone cannot be used and must be cloned again.
func update(ctx context.Context, dir, clean, where string, auth *githttp.BasicAuth, opts SyncOptions) (*Repo, error) {
	removeStaleTemps(dir)
	r, err := openDir(dir, dir)
	if err != nil {
		if errors.Is(err, ErrShallow) {
			return nil, err
		}
		return nil, fmt.Errorf("%w: %v", errDamaged, err)
	}
	if err := verifyClone(r, dir, opts.Branch); err != nil {
		_ = r.Close()
		return nil, err
	}
	if err := r.resetOrigin(clean); err != nil {
		_ = r.Close()
		return nil, fmt.Errorf("%w: set its origin: %v", errDamaged, err)
	}
	r.auth = auth
	if err := r.fetch(ctx, where, opts); err != nil {
		// A fetch fails on the clone's own faults too (an object the
		// negotiation needs, a reference it reads): those are damage,
		// not an unreachable remote.
		verr := verifyClone(r, dir, opts.Branch)
		_ = r.Close()
		switch {
		case ctx.Err() != nil:
			return nil, err
		case verr != nil:
			return nil, verr
		case errors.Is(err, plumbing.ErrObjectNotFound):
			return nil, fmt.Errorf("%w: %v", errDamaged, err)
		}
		return nil, err
	}
	r.where = where
	return r, nil
}

// partialInto makes dir a blob-less clone of url, or returns errNoFilter
// when the server cannot serve one.
func partialInto(ctx context.Context, dir, url, branch string, auth *githttp.BasicAuth, progress io.Writer) error {
	if _, err := git.PlainInit(dir, true); err != nil {
		return &localError{err}
	}
	r, err := openDir(dir, dir)
	if err != nil {
		return &localError{err}
	}
	defer func() { _ = r.Close() }()
	var am transport.AuthMethod
	if auth != nil {
		am = auth
	}
	return clonePartial(ctx, r, dir, url, branch, am, progress)
}

// localError is a failure of the local disk, not of the remote.
type localError struct{ err error }

func (e *localError) Error() string { return e.err.Error() }
func (e *localError) Unwrap() error { return e.err }

// removeStale removes the entries of dir matching pattern older than age:
// what a killed process left behind.
func removeStale(dir, pattern string, age time.Duration) {
	matches, _ := filepath.Glob(filepath.Join(dir, pattern))
	for _, m := range matches {
		if fi, err := os.Stat(m); err == nil && time.Since(fi.ModTime()) > age {
			_ = os.RemoveAll(m)
		}
	}
}

// resetOrigin makes the clone's origin the URL given (without
// credentials), whatever an older residiff or a person left there.
func (r *Repo) resetOrigin(url string) error {
	cfg, err := r.repo.Config()
	if err != nil {
		return err
	}
	remote, ok := cfg.Remotes["origin"]
	if !ok || len(remote.URLs) == 1 && remote.URLs[0] == url {
		return nil
	}
	remote.URLs = []string{url}
	return r.repo.Storer.SetConfig(cfg)
}

// fetch updates the clone's branch from its origin remote.
func (r *Repo) fetch(ctx context.Context, where string, opts SyncOptions) error {
	branch := opts.Branch
	if branch == "" {
		head, err := r.repo.Storer.Reference(plumbing.HEAD)
		if err != nil {
			return fmt.Errorf("fetch %s: read HEAD of cache: %w", where, err)
		}
		branch = head.Target().Short()
	}
	// The leading + lets a rewritten upstream branch replace ours: without
	// it go-git skips non-fast-forward updates silently when tags are off.
	spec := config.RefSpec(fmt.Sprintf("+refs/heads/%s:refs/heads/%s", branch, branch))
	fo := &git.FetchOptions{RemoteName: "origin", RefSpecs: []config.RefSpec{spec}, Tags: git.NoTags, Progress: opts.Progress}
	if r.auth != nil {
		fo.Auth = r.auth
	}
	err := r.repo.FetchContext(ctx, fo)
	if err != nil && !errors.Is(err, git.NoErrAlreadyUpToDate) {
		return remoteError("fetch", where, branch, err)
	}
	return nil
}

// remoteError turns a go-git transport error into one clear error that
// names the remote (never its credentials) and the branch.
func remoteError(op, where, branch string, err error) error {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("%s %s: %w", op, where, err)
	}
	msg := scrub(err.Error())
	if errors.Is(err, ErrPackCount) {
		return &remoteErr{msg: fmt.Sprintf("%s %s: %s", op, where, msg), cause: err}
	}
	if errors.Is(err, plumbing.ErrReferenceNotFound) || errors.Is(err, git.NoMatchingRefSpecError{}) ||
		strings.Contains(msg, "couldn't find remote ref") || strings.Contains(msg, "reference not found") {
		return fmt.Errorf("%s %s: branch %q: %w", op, where, branch, ErrUnknownBranch)
	}
	return &remoteErr{msg: fmt.Sprintf("%s %s: %v: %s", op, where, ErrUnreachable, msg), cause: err, unreachable: true}
}

// remoteErr is a failure to fetch: its message is scrubbed of
// credentials; errors.Is finds ErrUnreachable and the cause.
type remoteErr struct {
	msg         string
	cause       error
	unreachable bool
}

func (e *remoteErr) Error() string { return e.msg }
func (e *remoteErr) Unwrap() []error {
	if e.unreachable {
		return []error{ErrUnreachable, e.cause}
	}
	return []error{e.cause}
}

// Head returns the commit at the tip of branch ("" for HEAD).
func (r *Repo) Head(branch string) (string, error) {
	h, err := r.tip(branch)
	if err != nil {
		return "", err
	}
	return h.String(), nil
}

func (r *Repo) tip(branch string) (plumbing.Hash, error) {
	name := plumbing.HEAD
	if branch != "" {
		name = plumbing.NewBranchReferenceName(branch)
	}
	ref, err := r.repo.Reference(name, true)
	if err != nil {
		if branch == "" {
			return plumbing.ZeroHash, fmt.Errorf("%s: HEAD does not name a commit (empty repository?): %w", r.where, ErrUnknownBranch)
		}
		return plumbing.ZeroHash, fmt.Errorf("%s: branch %q: %w", r.where, branch, ErrUnknownBranch)
	}
	return ref.Hash(), nil
}

// Resolve returns the full hash of a commit name (full or abbreviated
// hash, branch, tag).
func (r *Repo) Resolve(rev string) (string, error) {
	c, err := r.resolveCommit(rev)
	if err != nil {
		return "", err
	}
	return c.Hash.String(), nil
}

// resolve turns a commit name (full or abbreviated hash, branch, tag) into a
// commit.
func (r *Repo) resolve(rev string) (*object.Commit, error) {
	h, err := r.repo.ResolveRevision(plumbing.Revision(rev))
	if err != nil {
		return nil, fmt.Errorf("%s: revision %q: %w", r.where, rev, err)
	}
	// go-git's own commit: ancestry walks its parents through go-git.
	c, err := r.repo.CommitObject(*h)
	if err != nil {
		return nil, fmt.Errorf("%s: revision %q: %w", r.where, rev, err)
	}
	return c, nil
}

// resolveCommit is the commit a name stands for, read on the walk's own
// path: a full hash is read without asking go-git (which would index every
// object of the packs by offset); anything else is resolved by go-git.
func (r *Repo) resolveCommit(rev string) (*object.Commit, error) {
	if len(rev) == 40 && plumbing.IsHash(rev) {
		h := plumbing.NewHash(rev)
		c, err := r.commitObject(h)
		if err != nil {
			return nil, fmt.Errorf("%s: revision %q: %w", r.where, rev, err)
		}
		c.Hash = h
		return c, nil
	}
	return r.resolve(rev)
}

// IsAncestor reports whether ancestor is an ancestor of (or equal to)
// descendant.
func (r *Repo) IsAncestor(ctx context.Context, ancestor, descendant string) (bool, error) {
	if err := ctx.Err(); err != nil {
		return false, err
	}
	a, err := r.resolve(ancestor)
	if err != nil {
		return false, err
	}
	d, err := r.resolve(descendant)
	if err != nil {
		return false, err
	}
	if a.Hash == d.Hash {
		return true, nil
	}
	return a.IsAncestor(d)
}

// MergeBase returns a best common ancestor of a and b, or "" when they
// share no history.
func (r *Repo) MergeBase(ctx context.Context, a, b string) (string, error) {
	if err := ctx.Err(); err != nil {
		return "", err
	}
	ca, err := r.resolve(a)
	if err != nil {
		return "", err
	}
	cb, err := r.resolve(b)
	if err != nil {
		return "", err
	}
	bases, err := ca.MergeBase(cb)
	if err != nil {
		return "", fmt.Errorf("%s: merge base of %s and %s: %w", r.where, a, b, err)
	}
	if len(bases) == 0 {
		return "", nil
	}
	return bases[0].Hash.String(), nil
}

// HasCommit reports whether the repository holds the commit.
func (r *Repo) HasCommit(commit string) bool {
	t, _, err := r.objectSize(plumbing.NewHash(commit))
	return err == nil && t == plumbing.CommitObject
}

func shortHash(h plumbing.Hash) string { return h.String()[:7] }
