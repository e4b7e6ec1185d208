package history

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
	commitgraph "github.com/go-git/go-git/v5/plumbing/format/commitgraph/v2"
)

// graphSlack is how many commits a clone's commit-graph may lack before
// it is written again: the walk reads those commits one by one, which
// costs less than rewriting the graph after every small fetch.
const graphSlack = 1024

// writeGraph gives a clone residiff keeps a commit-graph file holding
// every commit reachable from the tip of branch ("" for HEAD), the way
// git gc would: the walk then reads the first-parent chain without
// inflating a commit. Repositories that are not residiff's own are never
// written to. A graph that lacks fewer than graphSlack commits is kept.
// The file is written aside and renamed into place.
func (r *Repo) writeGraph(ctx context.Context, branch string) error {
	if r.packs == nil {
		return nil
	}
	tip, err := r.tip(branch)
	if err != nil {
		return err
	}
	if r.graph != nil && r.graphLacks(tip) < graphSlack {
		return nil
	}
	idx, err := r.graphIndex(ctx, tip)
	if err != nil {
		return err
	}
	gitDir := filepath.Dir(filepath.Dir(r.packs.dir))
	info := filepath.Join(gitDir, "objects", "info")
	if err := os.MkdirAll(info, 0o755); err != nil {
		return err
	}
	f, err := os.CreateTemp(info, "commit-graph.tmp-*")
	if err != nil {
		return err
	}
	defer func() { _ = os.Remove(f.Name()) }() // gone after the rename
	if err := commitgraph.NewEncoder(f).Encode(idx); err != nil {
		_ = f.Close()
		return fmt.Errorf("write commit-graph: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("write commit-graph: %w", err)
	}
	if r.graph != nil {
		_ = r.graph.Close() // read-only
		r.graph = nil
	}
	if err := os.Rename(f.Name(), filepath.Join(info, "commit-graph")); err != nil {
		return err
	}
	r.graph = openGraph(gitDir)
	return nil
}

// afterFetch writes the commit-graph of a clone residiff keeps after a
// clone or fetch (see writeGraph). A failure only costs speed: the walk
// reads commits without it, and says what it finds damaged.
func (r *Repo) afterFetch(ctx context.Context, branch string) {
	_ = r.writeGraph(ctx, branch)
}

// graphLacks counts the commits reachable from tip that the commit-graph
// does not hold, up to graphSlack.
func (r *Repo) graphLacks(tip plumbing.Hash) int {
	seen := map[plumbing.Hash]bool{}
	todo := []plumbing.Hash{tip}
	for len(todo) > 0 && len(seen) < graphSlack {
		h := todo[len(todo)-1]
		todo = todo[:len(todo)-1]
		if seen[h] {
			continue
		}
		if _, err := r.graph.GetIndexByHash(h); err == nil {
			continue
		}
		seen[h] = true
		c, err := r.graphCommit(h)
		if err != nil {
			return graphSlack // rewritten, and the error said there
		}
		todo = append(todo, c.ParentHashes...)
	}
	return len(seen)
}

// graphIndex reads every commit reachable from tip into a commit-graph
// index, with its generation number (1 for a root, else one more than
// its highest parent's).
func (r *Repo) graphIndex(ctx context.Context, tip plumbing.Hash) (*commitgraph.MemoryIndex, error) {
	commits := map[plumbing.Hash]*commitgraph.CommitData{}
	var order []plumbing.Hash // parents before children
	// An iterative depth-first walk: a commit is placed once all its
	// parents are.
	type frame struct {
		h    plumbing.Hash
		next int // the next parent to visit
	}
	stack := []frame{{h: tip}}
	onStack := map[plumbing.Hash]bool{tip: true}
	for len(stack) > 0 {
		if len(commits)%1024 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		top := &stack[len(stack)-1]
		c, ok := commits[top.h]
		if !ok {
			var err error
			if c, err = r.graphCommit(top.h); err != nil {
				return nil, err
			}
			commits[top.h] = c
		}
		if top.next < len(c.ParentHashes) {
			p := c.ParentHashes[top.next]
			top.next++
			if onStack[p] {
				return nil, fmt.Errorf("commit %s is its own ancestor: %w", shortHash(p), ErrCorrupt)
			}
			if _, read := commits[p]; !read {
				stack = append(stack, frame{h: p})
				onStack[p] = true
			}
			continue
		}
		gen := uint64(1)
		for _, p := range c.ParentHashes {
			gen = max(gen, commits[p].Generation+1)
		}
		c.Generation = gen
		order = append(order, top.h)
		delete(onStack, top.h)
		stack = stack[:len(stack)-1]
	}
	idx := commitgraph.NewMemoryIndex()
	for _, h := range order {
		idx.Add(h, commits[h])
	}
	return idx, nil
}

// graphCommit reads what the commit-graph holds of commit h: its tree,
// parents and committer time.
func (r *Repo) graphCommit(h plumbing.Hash) (*commitgraph.CommitData, error) {
	t, data, err := r.readObject(h)
	if err == nil && t != plumbing.CommitObject {
		err = fmt.Errorf("object is a %s, not a commit", t)
	}
	if err != nil {
		return nil, fmt.Errorf("read commit %s: %w", shortHash(h), err)
	}
	c := &commitgraph.CommitData{}
	for len(data) > 0 {
		i := bytes.IndexByte(data, '\n')
		if i <= 0 {
			break // the end of the headers
		}
		line := data[:i]
		data = data[i+1:]
		key, val, _ := bytes.Cut(line, []byte(" "))
		switch string(key) {
		case "tree":
			if !plumbing.IsHash(string(val)) {
				return nil, fmt.Errorf("commit %s: bad tree line", shortHash(h))
			}
			c.TreeHash = plumbing.NewHash(string(val))
		case "parent":
			if !plumbing.IsHash(string(val)) {
				return nil, fmt.Errorf("commit %s: bad parent line", shortHash(h))
			}
			c.ParentHashes = append(c.ParentHashes, plumbing.NewHash(string(val)))
		case "committer":
			// "Name <email> 1700000000 +0100"
			f := bytes.Fields(val[bytes.LastIndexByte(val, '>')+1:])
			if len(f) < 1 {
				return nil, fmt.Errorf("commit %s: bad committer line", shortHash(h))
			}
			sec, err := strconv.ParseInt(string(f[0]), 10, 64)
			if err != nil {
				return nil, fmt.Errorf("commit %s: bad committer time: %w", shortHash(h), err)
			}
			c.When = time.Unix(sec, 0)
		}
	}
	if c.TreeHash.IsZero() {
		return nil, errors.New("commit " + shortHash(h) + ": no tree line")
	}
	return c, nil
}
