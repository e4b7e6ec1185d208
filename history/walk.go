package history

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"
	"unsafe"

	"github.com/bmatcuk/doublestar/v4"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// MaxPageBytes is the default size limit of a page version: residency
// pages are a few kilobytes; a page of megabytes is an accident or an
// attack, and reading it would cost every later run.
const MaxPageBytes = 2 << 20

// WalkOptions say which revisions Revisions returns.
type WalkOptions struct {
	// Branch whose first-parent chain is walked; "" means HEAD.
	Branch string
	// Pages are doublestar globs ("**" crosses directories) matched
	// against slash-separated paths from the repository root (a docs
	// source's source.Profile names them). Required.
	Pages []string
	// Tip, when set, is the commit the walk ends at instead of the branch's
	// tip (a commit on the branch's first-parent chain).
	Tip string
	// Since, when set, limits the result to revisions after this commit,
	// preceded by one Base revision per page as it was at Since.
	Since string
	// Progress, when set, is called as commits of the chain are compared:
	// done of total. It is called about a thousand times at most.
	Progress func(done, total int)
	// MaxPageBytes is the largest page version read; a larger one is a
	// revision with TooLarge set and no content. 0 means MaxPageBytes.
	MaxPageBytes int64
	// DropPrefixes are file-name prefixes the source's pages dropped when
	// they were renamed ("active-directory-"): a page renamed and
	// rewritten in one commit is one lineage when the rest of its name is
	// the same.
	DropPrefixes []string
}

// Revision is one commit's change to one tracked page.
type Revision struct {
	// Commit is the full hash of the first-parent commit that changed the
	// page (for changes made on a side branch: the merge commit).
	Commit string
	// Time is the commit's committer time: when it landed on the branch.
	Time time.Time
	// Author is the commit author's name.
	Author string
	// Lineage names the page across all its paths: the base name, without
	// ".md", of its newest path (prefixed by its parent directory when two
	// pages would otherwise share a name).
	Lineage string
	// Path is the page's path at Commit (its last path when Removed).
	Path string
	// OldPath is the page's previous path when it moved in this commit.
	OldPath string
	// Blob is the hash of the page's content; "" when Removed.
	Blob string
	// Content is the page's content at Commit; nil when Removed.
	Content []byte
	// Removed is true when the commit deleted the page, or put something
	// that is not a file at its path (NotFile then names it: "symlink",
	// "submodule").
	Removed bool
	NotFile string
	// TooLarge is the size of a version larger than the walk reads; its
	// Content is nil.
	TooLarge int64
	// Base is true for the page as it was at WalkOptions.Since: context
	// for comparing the first new revision, not a change.
	Base bool
}

// commitInfo is what the walk keeps of each commit of the chain.
type commitInfo struct {
	hash   plumbing.Hash
	tree   plumbing.Hash
	when   time.Time
	author string
	// detailed: when and author come from the commit itself (the
	// commit-graph has neither the author nor the time zone).
	detailed bool
}

// change is a tracked path's change in one commit.
type change struct {
	path     string
	old, new plumbing.Hash // zero when absent
	notFile  string        // the mode of a non-file entry now at path
}

// Revisions returns every revision of the tracked pages on the first-parent
// chain of opts.Branch, oldest first.
func (r *Repo) Revisions(ctx context.Context, opts WalkOptions) ([]Revision, error) {
	if len(opts.Pages) == 0 {
		return nil, ErrNoPages
	}
	m, err := newMatcher(opts.Pages)
	if err != nil {
		return nil, err
	}
	tip, err := r.tip(opts.Branch)
	if opts.Tip != "" {
		c, rerr := r.resolveCommit(opts.Tip)
		if rerr != nil {
			return nil, rerr
		}
		tip, err = c.Hash, nil
	}
	if err != nil {
		return nil, err
	}
	var since plumbing.Hash
	if opts.Since != "" {
		c, err := r.resolveCommit(opts.Since)
		if err != nil {
			return nil, err
		}
		since = c.Hash
	}
	chain, err := r.firstParentChain(ctx, tip, since)
	if err != nil {
		return nil, err
	}

	w := &walker{repo: r, match: m, trees: newTreeCache(4096), dropPrefixes: opts.DropPrefixes, maxBytes: opts.MaxPageBytes}
	if w.maxBytes <= 0 {
		w.maxBytes = MaxPageBytes
	}
	// The tree walk: which tracked paths each commit changed. It needs
	// no page content.
	var base *commitStep
	var steps []commitStep
	var prevTree plumbing.Hash // zero: the empty tree before the root commit
	start := len(chain) - 1
	if !since.IsZero() {
		c, err := r.detailed(chain[start])
		if err != nil {
			return nil, err
		}
		start--
		prevTree = c.tree
		files, err := w.changes(ctx, plumbing.ZeroHash, c.tree, "")
		if err != nil {
			return nil, err
		}
		base = &commitStep{c: c, changes: files}
	}
	total := start + 1
	every := max(total/1000, 1)
	for i := start; i >= 0; i-- {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if opts.Progress != nil && (i%every == 0 || i == 0) {
			opts.Progress(total-i, total)
		}
		c := chain[i]
		changes, err := w.changes(ctx, prevTree, c.tree, "")
		if err != nil {
			return nil, fmt.Errorf("%s: walk %s: %w", r.where, shortHash(c.hash), err)
		}
		prevTree = c.tree
		if len(changes) > 0 {
			steps = append(steps, commitStep{c: c, changes: changes})
		}
	}
	// The revisions of the commits that changed pages. A blob-less clone
	// first notes the page versions it lacks, fetches them in one
	// request, then makes the revisions again: the tree walk is not
	// repeated.
	if r.partial {
		w.missing = map[plumbing.Hash]bool{}
		if _, err := w.stepRevisions(base, steps); err != nil {
			return nil, err
		}
		if len(w.missing) > 0 {
			if err := r.fetchBlobs(ctx, w.missing); err != nil {
				return nil, err
			}
		}
		w.missing = nil
	}
	return w.stepRevisions(base, steps)
}

// commitStep is a commit of the chain and the tracked paths it changed.
type commitStep struct {
	c       commitInfo
	changes []change
}

// stepRevisions makes the revisions of the tree walk's steps (and of the
// pages at base, the Since commit, when set), oldest first.
func (w *walker) stepRevisions(base *commitStep, steps []commitStep) ([]Revision, error) {
	r := w.repo
	lin := newLineages()
	var out []Revision
	if base != nil {
		for _, f := range base.changes {
			rev, err := w.revision(base.c, f.path, f.new)
			if err != nil {
				return nil, err
			}
			rev.Base = true
			rev.Lineage = lin.add(f.path)
			out = append(out, rev)
		}
	}
	for _, st := range steps {
		revs, err := w.commitRevisions(st.c, st.changes, lin)
		if err != nil {
			return nil, fmt.Errorf("%s: walk %s: %w", r.where, shortHash(st.c.hash), err)
		}
		out = append(out, revs...)
	}
	names := lin.names()
	for i := range out {
		out[i].Lineage = names[out[i].Lineage]
	}
	return out, nil
}

// firstParentChain returns the commits from tip back to the root (or to
// since, included), newest first.
func (r *Repo) firstParentChain(ctx context.Context, tip, since plumbing.Hash) ([]commitInfo, error) {
	var chain []commitInfo
	h := tip
	// A chain longer than the repository has commits loops: a damaged
	// pack or commit-graph names a commit its own ancestor.
	bound, counted := r.commitBound(false), false
	for {
		if len(chain)%1024 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		if len(chain) >= bound {
			if !counted {
				bound, counted = r.commitBound(true), true
			}
			if len(chain) >= bound {
				return nil, fmt.Errorf("%s: the first-parent chain from %s is longer than the %d objects the repository holds (it loops at %s): %w",
					r.where, shortHash(tip), bound, shortHash(h), ErrCorrupt)
			}
		}
		if info, parent, ok := r.fromGraph(h); ok {
			chain = append(chain, info)
			if h == since {
				return chain, nil
			}
			if parent.IsZero() {
				break
			}
			h = parent
			continue
		}
		t, data, err := r.readObject(h)
		if err == nil && t != plumbing.CommitObject {
			err = fmt.Errorf("object is a %s, not a commit", t)
		}
		var tree, parent plumbing.Hash
		if err == nil {
			tree, parent, err = commitHeader(data)
		}
		if err != nil {
			return nil, fmt.Errorf("%s: read commit %s: %w", r.where, shortHash(h), err)
		}
		chain = append(chain, commitInfo{hash: h, tree: tree})
		if h == since || parent.IsZero() {
			if h == since {
				return chain, nil
			}
			break
		}
		h = parent
	}
	if !since.IsZero() {
		return nil, fmt.Errorf("%s: commit %s: %w", r.where, shortHash(since), ErrNotAncestor)
	}
	return chain, nil
}

// commitBound is at least the number of commits the repository holds:
// the objects of its packs and commit-graph, and with loose its loose
// objects (counted, so asked for only when the cheaper bound is passed).
func (r *Repo) commitBound(loose bool) int {
	n := 1
	if r.packs != nil {
		n += r.packs.objects()
	}
	if r.graph != nil {
		n += int(r.graph.MaximumNumberOfHashes())
	}
	if loose && r.packs != nil {
		objects := filepath.Dir(r.packs.dir)
		dirs, _ := os.ReadDir(objects)
		for _, d := range dirs {
			if len(d.Name()) != 2 || !d.IsDir() {
				continue
			}
			files, _ := os.ReadDir(filepath.Join(objects, d.Name()))
			n += len(files)
		}
	}
	return n
}

// commitHeader reads a raw commit's root tree and first parent (zero for
// a root commit) from its first lines, without decoding the rest: the
// chain needs nothing else, and the commits that make revisions are read
// whole later (see detailed).
func commitHeader(data []byte) (tree, parent plumbing.Hash, err error) {
	line := func() (string, bool) {
		i := bytes.IndexByte(data, '\n')
		if i < 0 {
			return "", false
		}
		l := string(data[:i])
		data = data[i+1:]
		return l, true
	}
	l, ok := line()
	hex, found := strings.CutPrefix(l, "tree ")
	if !ok || !found || !plumbing.IsHash(hex) {
		return tree, parent, errors.New("malformed commit: no tree line")
	}
	tree = plumbing.NewHash(hex)
	if l, ok = line(); ok {
		if hex, found := strings.CutPrefix(l, "parent "); found {
			if !plumbing.IsHash(hex) {
				return tree, parent, errors.New("malformed commit: bad parent line")
			}
			parent = plumbing.NewHash(hex)
		}
	}
	return tree, parent, nil
}

// fromGraph reads commit h from the commit-graph: its root tree and first
// parent (zero for a root commit), without inflating the commit. It
// reports false when there is no graph or h is not in it (a commit
// fetched after git wrote the graph): the caller reads the commit.
func (r *Repo) fromGraph(h plumbing.Hash) (commitInfo, plumbing.Hash, bool) {
	if r.graph == nil {
		return commitInfo{}, plumbing.ZeroHash, false
	}
	i, err := r.graph.GetIndexByHash(h)
	if err != nil {
		return commitInfo{}, plumbing.ZeroHash, false
	}
	d, err := r.graph.GetCommitDataByIndex(i)
	if err != nil {
		return commitInfo{}, plumbing.ZeroHash, false
	}
	var parent plumbing.Hash
	if len(d.ParentHashes) > 0 {
		parent = d.ParentHashes[0]
	}
	return commitInfo{hash: h, tree: d.TreeHash, when: d.When}, parent, true
}

// detailed fills c's time (with its zone) and author from the commit,
// for the commits that make revisions.
func (r *Repo) detailed(c commitInfo) (commitInfo, error) {
	if c.detailed {
		return c, nil
	}
	commit, err := r.commitObject(c.hash)
	if err != nil {
		return c, fmt.Errorf("%s: read commit %s: %w", r.where, shortHash(c.hash), err)
	}
	if commit.TreeHash != c.tree {
		return c, fmt.Errorf("%s: commit %s: the commit-graph file disagrees with the commit (tree %s, not %s); delete objects/info/commit-graph*",
			r.where, shortHash(c.hash), shortHash(c.tree), shortHash(commit.TreeHash))
	}
	c.when, c.author, c.detailed = commit.Committer.When, commit.Author.Name, true
	return c, nil
}

// walker finds the tracked paths that differ between two trees.
type walker struct {
	repo         *Repo
	match        *matcher
	trees        *treeCache
	dropPrefixes []string
	maxBytes     int64
	// missing collects the blobs a blob-less clone lacks; nil when every
	// blob must be there.
	missing map[plumbing.Hash]bool
}

// changes lists the tracked files that differ between trees a and b (either
// may be zero, the empty tree), descending only into subtrees whose hashes
// differ and that can hold a tracked path.
func (w *walker) changes(ctx context.Context, a, b plumbing.Hash, dir string) ([]change, error) {
	if a == b {
		return nil, nil
	}
	ta, aOrdered, err := w.tree(a)
	if err != nil {
		return nil, err
	}
	tb, bOrdered, err := w.tree(b)
	if err != nil {
		return nil, err
	}
	var out []change
	visit := func(name string, ea, eb *object.TreeEntry) error {
		var ah, bh plumbing.Hash
		var adir, bdir bool
		if ea != nil {
			ah, adir = ea.Hash, ea.Mode == filemode.Dir
		}
		if eb != nil {
			bh, bdir = eb.Hash, eb.Mode == filemode.Dir
		}
		if ea != nil && eb != nil && ah == bh && adir == bdir {
			return nil
		}
		p := join(dir, name)
		if adir || bdir {
			if !w.match.mayContain(p) {
				return nil
			}
			var sa, sb plumbing.Hash
			if adir {
				sa = ah
			}
			if bdir {
				sb = bh
			}
			sub, err := w.changes(ctx, sa, sb, p)
			if err != nil {
				return err
			}
			out = append(out, sub...)
		}
		// Only regular (and executable) files are pages: a page path that
		// becomes a symlink or a submodule is a page removed, never a page
		// whose text is the link target.
		isFile := func(e *object.TreeEntry, d bool) bool {
			return e != nil && !d && (e.Mode == filemode.Regular || e.Mode == filemode.Executable || e.Mode == filemode.Deprecated)
		}
		af, bf := isFile(ea, adir), isFile(eb, bdir)
		if (af || bf) && w.match.match(p) {
			c := change{path: p}
			if af {
				c.old = ah
			}
			if bf {
				c.new = bh
			} else if eb != nil && !bdir {
				c.notFile = modeName(eb.Mode)
			}
			if c.old != c.new {
				out = append(out, c)
			}
		}
		return nil
	}
	if err := mergeTrees(ta, aOrdered, tb, bOrdered, visit); err != nil {
		return nil, err
	}
	sort.Slice(out, func(i, j int) bool { return out[i].path < out[j].path })
	return out, nil
}

// mergeEntries calls visit for every name of two trees, with the entry of
// each side (nil where absent). Trees are in git order, so one merge pass
// pairs them; a file and a folder of one name are different entries, as
// in git. A tree out of order (a damaged or hand-made object) is paired by
// name instead.
func mergeEntries(ta, tb []object.TreeEntry, visit func(name string, ea, eb *object.TreeEntry) error) error {
	return mergeTrees(ta, inTreeOrder(ta), tb, inTreeOrder(tb), visit)
}

// mergeTrees is mergeEntries for trees whose order is known (see
// treeCache).
func mergeTrees(ta []object.TreeEntry, aOrdered bool, tb []object.TreeEntry, bOrdered bool, visit func(name string, ea, eb *object.TreeEntry) error) error {
	if !aOrdered || !bOrdered {
		return pairByName(ta, tb, visit)
	}
	i, j := 0, 0
	for i < len(ta) || j < len(tb) {
		var c int
		switch {
		case i == len(ta):
			c = 1
		case j == len(tb):
			c = -1
		default:
			c = treeCmp(&ta[i], &tb[j])
		}
		var err error
		switch {
		case c == 0:
			err = visit(tb[j].Name, &ta[i], &tb[j])
			i, j = i+1, j+1
		case c < 0:
			err = visit(ta[i].Name, &ta[i], nil)
			i++
		default:
			err = visit(tb[j].Name, nil, &tb[j])
			j++
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// treeCmp orders tree entries as git does: by name, a folder's name as if
// it ended in "/".
func treeCmp(a, b *object.TreeEntry) int {
	if a.Name == b.Name && (a.Mode == filemode.Dir) == (b.Mode == filemode.Dir) {
		return 0 // most pairs of a merge: the same entry in both trees
	}
	n := min(len(a.Name), len(b.Name))
	if c := strings.Compare(a.Name[:n], b.Name[:n]); c != 0 {
		return c
	}
	next := func(e *object.TreeEntry) int {
		switch {
		case n < len(e.Name):
			return int(e.Name[n])
		case e.Mode == filemode.Dir:
			return '/'
		}
		return -1
	}
	return next(a) - next(b)
}

func inTreeOrder(es []object.TreeEntry) bool {
	for i := 1; i < len(es); i++ {
		if treeCmp(&es[i-1], &es[i]) >= 0 {
			return false
		}
	}
	return true
}

// pairByName is mergeEntries for trees out of order.
func pairByName(ta, tb []object.TreeEntry, visit func(name string, ea, eb *object.TreeEntry) error) error {
	old := make(map[string]object.TreeEntry, len(ta))
	for _, e := range ta {
		old[e.Name] = e
	}
	for i := range tb {
		eb := &tb[i]
		var ea *object.TreeEntry
		if e, ok := old[eb.Name]; ok {
			ea = &e
			delete(old, eb.Name)
		}
		if err := visit(eb.Name, ea, eb); err != nil {
			return err
		}
	}
	names := make([]string, 0, len(old))
	for name := range old {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		e := old[name]
		if err := visit(name, &e, nil); err != nil {
			return err
		}
	}
	return nil
}

// tree returns the entries of tree h, and whether they are in git's
// order (see mergeEntries).
func (w *walker) tree(h plumbing.Hash) ([]object.TreeEntry, bool, error) {
	if h.IsZero() {
		return nil, true, nil
	}
	if t, ok := w.trees.get(h); ok {
		return t.entries, t.ordered, nil
	}
	t, data, err := w.repo.readObject(h)
	if err == nil && t != plumbing.TreeObject {
		err = fmt.Errorf("object is a %s, not a tree", t)
	}
	if err != nil {
		return nil, false, fmt.Errorf("read tree %s: %w", shortHash(h), err)
	}
	// The names are substrings of the object's content, not a copy:
	// nothing writes to an object read (the pack reader and go-git
	// allocate each anew).
	entries, err := parseTree(unsafe.String(unsafe.SliceData(data), len(data)))
	if err != nil {
		return nil, false, fmt.Errorf("read tree %s: %w", shortHash(h), err)
	}
	te := treeEntries{entries: entries, ordered: inTreeOrder(entries)}
	w.trees.put(h, te)
	return te.entries, te.ordered, nil
}

// parseTree parses the content of a raw tree object: "<octal mode>
// <name>\0<20-byte hash>" per entry. It is object.Tree's decoding without
// its buffered reader and per-entry string building, which dominated the
// walk; every name is a substring of data.
func parseTree(data string) ([]object.TreeEntry, error) {
	entries := make([]object.TreeEntry, 0, strings.Count(data, "\x00"))
	for len(data) > 0 {
		sp := strings.IndexByte(data, ' ')
		if sp <= 0 {
			return nil, errors.New("malformed tree entry: no mode")
		}
		var mode uint32
		for i := range sp {
			c := data[i]
			if c < '0' || c > '7' {
				return nil, fmt.Errorf("malformed tree entry: mode %q", data[:sp])
			}
			mode = mode<<3 | uint32(c-'0')
		}
		data = data[sp+1:]
		nul := strings.IndexByte(data, 0)
		if nul < 0 || len(data) < nul+1+hashSize {
			return nil, errors.New("malformed tree entry: truncated")
		}
		e := object.TreeEntry{Name: data[:nul], Mode: filemode.FileMode(mode)}
		copy(e.Hash[:], data[nul+1:nul+1+hashSize])
		entries = append(entries, e)
		data = data[nul+1+hashSize:]
	}
	return entries, nil
}

// hashSize is the size of a SHA-1 object id.
const hashSize = 20

// commitRevisions turns one commit's changed paths into revisions, pairing
// removed and added pages of the same commit as moves.
func (w *walker) commitRevisions(c commitInfo, changes []change, lin *lineages) ([]Revision, error) {
	c, err := w.repo.detailed(c)
	if err != nil {
		return nil, err
	}
	var added, removed []change
	var out []Revision
	for _, ch := range changes {
		switch {
		case ch.old.IsZero():
			added = append(added, ch)
		case ch.new.IsZero():
			removed = append(removed, ch)
		default:
			rev, err := w.revision(c, ch.path, ch.new)
			if err != nil {
				return nil, err
			}
			rev.Lineage = lin.of(ch.path)
			out = append(out, rev)
		}
	}
	// Rename detection runs only on commits that add and remove pages.
	moves := map[string]string{} // new path -> old path
	if len(added) > 0 && len(removed) > 0 {
		var err error
		if moves, err = w.pairMoves(added, removed); err != nil {
			return nil, err
		}
	}
	movedFrom := map[string]bool{}
	for _, ch := range added {
		rev, err := w.revision(c, ch.path, ch.new)
		if err != nil {
			return nil, err
		}
		if old, ok := moves[ch.path]; ok {
			rev.OldPath = old
			rev.Lineage = lin.move(old, ch.path)
			movedFrom[old] = true
		} else {
			rev.Lineage = lin.add(ch.path)
		}
		out = append(out, rev)
	}
	for _, ch := range removed {
		if movedFrom[ch.path] {
			continue
		}
		out = append(out, Revision{
			Commit: c.hash.String(), Time: c.when, Author: c.author,
			Path: ch.path, Removed: true, Lineage: lin.remove(ch.path), NotFile: ch.notFile,
		})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out, nil
}

// revision reads one page version.
func (w *walker) revision(c commitInfo, p string, blob plumbing.Hash) (Revision, error) {
	_, size, err := w.repo.objectSize(blob)
	if w.lacks(blob, err) {
		return Revision{Commit: c.hash.String(), Time: c.when, Author: c.author, Path: p, Blob: blob.String()}, nil
	}
	if err != nil {
		return Revision{}, fmt.Errorf("read %s@%s: %w", p, shortHash(c.hash), err)
	}
	if size > w.maxBytes {
		// Not read at all: the size comes from the object's header.
		return Revision{Commit: c.hash.String(), Time: c.when, Author: c.author, Path: p, Blob: blob.String(), TooLarge: size}, nil
	}
	content, err := w.blob(blob)
	if err != nil {
		return Revision{}, fmt.Errorf("read %s@%s: %w", p, shortHash(c.hash), err)
	}
	return Revision{Commit: c.hash.String(), Time: c.when, Author: c.author, Path: p, Blob: blob.String(), Content: content}, nil
}

func (w *walker) blob(h plumbing.Hash) ([]byte, error) {
	_, size, err := w.repo.objectSize(h)
	if w.lacks(h, err) {
		return nil, nil // fetched before the walk that counts
	}
	if err != nil {
		return nil, err
	}
	if size > w.maxBytes {
		return nil, nil // never read: compared as empty
	}
	_, data, err := w.repo.readObject(h)
	if w.lacks(h, err) {
		return nil, nil
	}
	return data, err
}

// lacks reports whether a blob-less clone does not hold blob h yet (err is
// what reading it returned), and notes it for fetching.
func (w *walker) lacks(h plumbing.Hash, err error) bool {
	if w.missing == nil || !errors.Is(err, plumbing.ErrObjectNotFound) {
		return false
	}
	w.missing[h] = true
	return true
}

// minSimilarity is how alike (0..1) a removed and an added page must be to
// count as one page moved.
const minSimilarity = 0.5

// pairMoves pairs added with removed pages of one commit: identical
// content first, then the most similar pairs above minSimilarity.
func (w *walker) pairMoves(added, removed []change) (map[string]string, error) {
	moves := map[string]string{}
	usedOld := map[string]bool{}
	for _, a := range added {
		for _, r := range removed {
			if !usedOld[r.path] && a.new == r.old {
				moves[a.path], usedOld[r.path] = r.path, true
				break
			}
		}
	}
	type pair struct {
		add, rem string
		score    float64
	}
	var pairs []pair
	for _, a := range added {
		if _, ok := moves[a.path]; ok {
			continue
		}
		ab, err := w.blob(a.new)
		if err != nil {
			return nil, err
		}
		for _, r := range removed {
			if usedOld[r.path] {
				continue
			}
			rb, err := w.blob(r.old)
			if err != nil {
				return nil, err
			}
			if s := similarity(rb, ab); s >= minSimilarity {
				pairs = append(pairs, pair{a.path, r.path, s})
			}
		}
	}
	sort.SliceStable(pairs, func(i, j int) bool { return pairs[i].score > pairs[j].score })
	for _, p := range pairs {
		if _, ok := moves[p.add]; ok || usedOld[p.rem] {
			continue
		}
		moves[p.add], usedOld[p.rem] = p.rem, true
	}
	// A page renamed and rewritten in one commit keeps its lineage when
	// its name (without the product prefixes the docs dropped) or its
	// title says it is the same page: otherwise every service the rewrite
	// dropped would hide behind "page removed".
	for _, a := range added {
		if _, ok := moves[a.path]; ok {
			continue
		}
		ab, err := w.blob(a.new)
		if err != nil {
			return nil, err
		}
		var match []string
		for _, r := range removed {
			if usedOld[r.path] {
				continue
			}
			rb, err := w.blob(r.old)
			if err != nil {
				return nil, err
			}
			if w.pageKey(a.path) == w.pageKey(r.path) || titleOf(ab) != "" && titleOf(ab) == titleOf(rb) {
				match = append(match, r.path)
			}
		}
		if len(match) == 1 {
			moves[a.path], usedOld[match[0]] = match[0], true
		}
	}
	return moves, nil
}

// modeName names a tree entry that is not a file.
func modeName(m filemode.FileMode) string {
	switch m {
	case filemode.Symlink:
		return "symlink"
	case filemode.Submodule:
		return "submodule"
	}
	return "tree entry of mode " + m.String()
}

// pageKey is a page's base name without ".md" and without the prefixes
// the docs source's pages have dropped over the years.
func (w *walker) pageKey(p string) string {
	name := strings.TrimSuffix(path.Base(p), ".md")
	for _, prefix := range w.dropPrefixes {
		name = strings.TrimPrefix(name, prefix)
	}
	return name
}

// titleOf is a page's H1 or front-matter title, folded, or "".
func titleOf(page []byte) string {
	for _, l := range strings.Split(string(page), "\n") {
		l = strings.TrimSpace(l)
		if t, ok := strings.CutPrefix(l, "# "); ok {
			return strings.ToLower(strings.Join(strings.Fields(t), " "))
		}
		if t, ok := strings.CutPrefix(l, "title:"); ok {
			return strings.ToLower(strings.Join(strings.Fields(strings.Trim(strings.TrimSpace(t), `"'`)), " "))
		}
	}
	return ""
}

// similarity is the share of non-blank lines two texts have in common
// (Dice coefficient over line multisets, ignoring line endings and
// trailing spaces).
func similarity(a, b []byte) float64 {
	count := func(t []byte) map[string]int {
		m := map[string]int{}
		for _, l := range strings.Split(string(t), "\n") {
			if l = strings.TrimRight(l, " \t\r"); l != "" {
				m[l]++
			}
		}
		return m
	}
	ma, mb := count(a), count(b)
	var na, nb, common int
	for l, n := range ma {
		na += n
		common += min(n, mb[l])
	}
	for _, n := range mb {
		nb += n
	}
	if na+nb == 0 {
		return 1
	}
	return 2 * float64(common) / float64(na+nb)
}

func join(dir, name string) string {
	if dir == "" {
		return name
	}
	return dir + "/" + name
}

// matcher matches paths against the page globs.
type matcher struct {
	globs    []string
	prefixes []string // literal directory prefix of each glob
}

func newMatcher(globs []string) (*matcher, error) {
	m := &matcher{}
	for _, g := range globs {
		g = strings.TrimPrefix(path.Clean("/"+g), "/")
		if !doublestar.ValidatePattern(g) {
			return nil, fmt.Errorf("page glob %q: invalid pattern", g)
		}
		m.globs = append(m.globs, g)
		lit := g
		if i := strings.IndexAny(g, "*?[{\\"); i >= 0 {
			lit = g[:i]
		}
		if i := strings.LastIndex(lit, "/"); i >= 0 {
			lit = lit[:i+1]
		} else {
			lit = ""
		}
		m.prefixes = append(m.prefixes, lit)
	}
	return m, nil
}

func (m *matcher) match(p string) bool {
	for _, g := range m.globs {
		if ok, _ := doublestar.Match(g, p); ok {
			return true
		}
	}
	return false
}

// mayContain reports whether directory dir can hold a path some glob
// matches.
func (m *matcher) mayContain(dir string) bool {
	d := dir + "/"
	for _, pre := range m.prefixes {
		if strings.HasPrefix(d, pre) || strings.HasPrefix(pre, d) {
			return true
		}
	}
	return false
}

// treeCache keeps decoded tree entries by hash, bounded by clearing itself
// when full: trees of consecutive commits share most subtrees.
type treeCache struct {
	max int
	m   map[plumbing.Hash]treeEntries
}

// treeEntries is a decoded tree, with whether its entries are in git's
// order (checked once, not at every comparison).
type treeEntries struct {
	entries []object.TreeEntry
	ordered bool
}

func newTreeCache(max int) *treeCache {
	return &treeCache{max: max, m: make(map[plumbing.Hash]treeEntries)}
}

func (c *treeCache) get(h plumbing.Hash) (treeEntries, bool) {
	e, ok := c.m[h]
	return e, ok
}

func (c *treeCache) put(h plumbing.Hash, e treeEntries) {
	if len(c.m) >= c.max {
		clear(c.m)
	}
	c.m[h] = e
}

// lineages follows pages across moves: each page gets an internal id when
// it first appears; moves carry the id to the new path.
type lineages struct {
	byPath map[string]string // current path -> id
	paths  map[string]string // id -> newest path
	next   int
}

func newLineages() *lineages {
	return &lineages{byPath: map[string]string{}, paths: map[string]string{}}
}

func (l *lineages) add(p string) string {
	if id, ok := l.byPath[p]; ok { // re-added after a removal
		return id
	}
	l.next++
	id := fmt.Sprintf("\x00%d", l.next)
	l.byPath[p], l.paths[id] = id, p
	return id
}

func (l *lineages) of(p string) string {
	if id, ok := l.byPath[p]; ok {
		return id
	}
	return l.add(p)
}

func (l *lineages) move(from, to string) string {
	id := l.of(from)
	delete(l.byPath, from)
	l.byPath[to], l.paths[id] = id, to
	return id
}

func (l *lineages) remove(p string) string {
	// The path stays mapped so that a page re-added at the same path
	// continues its lineage.
	return l.of(p)
}

// names maps internal ids to lineage names: the newest path's base name,
// prefixed with its directory where two pages share a base name.
func (l *lineages) names() map[string]string { return LineageNames(l.paths) }

// LineageNames names page lineages from their newest paths (by any key):
// the path's base name, prefixed with its directory where two lineages
// share a base name. A walk names its lineages so; a report model
// extended with a later walk names the union again.
func LineageNames(newest map[string]string) map[string]string {
	count := map[string]int{}
	for _, p := range newest {
		count[baseName(p)]++
	}
	out := make(map[string]string, len(newest))
	for id, p := range newest {
		name := baseName(p)
		if count[name] > 1 {
			name = path.Base(path.Dir(p)) + "/" + name
		}
		out[id] = name
	}
	return out
}

func baseName(p string) string {
	return strings.TrimSuffix(path.Base(p), path.Ext(p))
}

// UnmatchedGlobs returns the globs of pages that match no file at the tip
// of branch ("" for HEAD) and none of the paths in seen (the paths the
// pages had in their history): a glob that names nothing is a mistake in
// the configuration, not a quiet page.
func (r *Repo) UnmatchedGlobs(ctx context.Context, branch string, pages, seen []string) ([]string, error) {
	files, err := r.TipPaths(ctx, branch, pages)
	if err != nil {
		return nil, err
	}
	paths := append(slices.Clone(seen), files...)
	var out []string
	for _, g := range pages {
		if !slices.ContainsFunc(paths, func(p string) bool { ok, _ := doublestar.Match(g, p); return ok }) {
			out = append(out, g)
		}
	}
	return out, nil
}

// TipPaths lists the files at the tip of branch ("" for HEAD) that the
// page globs match, reading trees only.
func (r *Repo) TipPaths(ctx context.Context, branch string, pages []string) ([]string, error) {
	m, err := newMatcher(pages)
	if err != nil {
		return nil, err
	}
	tip, err := r.tip(branch)
	if err != nil {
		return nil, err
	}
	c, err := r.commitObject(tip)
	if err != nil {
		return nil, fmt.Errorf("%s: read %s: %w", r.where, shortHash(tip), err)
	}
	w := &walker{repo: r, match: m, trees: newTreeCache(4096)}
	files, err := w.changes(ctx, plumbing.ZeroHash, c.TreeHash, "")
	if err != nil {
		return nil, fmt.Errorf("%s: list pages at %s: %w", r.where, shortHash(tip), err)
	}
	out := make([]string, len(files))
	for i, f := range files {
		out[i] = f.path
	}
	return out, nil
}
