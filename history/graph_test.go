package history

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"testing"

	"github.com/residiff/residiff/internal/gittest"
)

// mergedRepo makes a bare repository with page edits on main, a side
// branch merged in and an octopus merge of two more, and no commit-graph.
func mergedRepo(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	edit := func(name, text string) {
		p := filepath.Join(dir, "docs", name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		gittest.Git(t, dir, "add", "-A")
		gittest.Git(t, dir, "commit", "-q", "-m", "edit "+name)
	}
	gittest.Git(t, dir, "init", "-q", "-b", "main")
	for i := range 5 {
		edit("data-residency.md", fmt.Sprintf("# Data residency\n\nVersion %d: the EU.\n", i))
	}
	gittest.Git(t, dir, "checkout", "-q", "-b", "side")
	edit("side.md", "# Side\n")
	gittest.Git(t, dir, "checkout", "-q", "main")
	edit("data-residency.md", "# Data residency\n\nVersion 5: the EU and the UK.\n")
	gittest.Git(t, dir, "merge", "-q", "--no-ff", "-m", "merge side", "side")
	for _, b := range []string{"a", "b"} {
		gittest.Git(t, dir, "checkout", "-q", "-b", b, "main~1")
		edit(b+".md", "# "+b+"\n")
	}
	gittest.Git(t, dir, "checkout", "-q", "main")
	gittest.Git(t, dir, "merge", "-q", "--no-ff", "-m", "octopus", "a", "b")
	edit("data-residency.md", "# Data residency\n\nVersion 6: the EU, the UK and Switzerland.\n")
	bare := filepath.Join(t.TempDir(), "docs.git")
	gittest.Git(t, dir, "clone", "-q", "--bare", dir, bare)
	gittest.Git(t, bare, "repack", "-a", "-d", "-q")
	_ = os.Remove(filepath.Join(bare, "objects", "info", "commit-graph"))
	return bare
}

// TestWriteGraph: the commit-graph residiff writes for its clones holds
// every commit with the generation numbers and parents git computes (git
// commit-graph verify accepts it), and the walk over it finds what the
// walk without it found. A graph lacking a few commits is kept.
func TestWriteGraph(t *testing.T) {
	ctx := context.Background()
	dir := mergedRepo(t)
	pages := []string{"docs/**/*.md"}
	r, err := Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if r.graph != nil {
		t.Fatal("the test repository has a commit-graph already")
	}
	want, err := r.Revisions(ctx, WalkOptions{Pages: pages})
	if err != nil {
		t.Fatal(err)
	}
	if err := r.writeGraph(ctx, ""); err != nil {
		t.Fatal(err)
	}
	gittest.Git(t, dir, "commit-graph", "verify")
	count, _ := strconv.Atoi(gittest.Git(t, dir, "rev-list", "--count", "--all"))
	if r.graph == nil || int(r.graph.MaximumNumberOfHashes()) != count {
		t.Fatalf("graph %v, want one of %d commits", r.graph, count)
	}
	got, err := r.Revisions(ctx, WalkOptions{Pages: pages})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("walk with the graph:\n%+v\nwithout:\n%+v", got, want)
	}

	// A few new commits: the graph stays as it was.
	work := t.TempDir()
	gittest.Git(t, work, "clone", "-q", dir, "w")
	w := filepath.Join(work, "w")
	for i := range 3 {
		if err := os.WriteFile(filepath.Join(w, "docs", "a.md"), []byte(fmt.Sprint("# a\n", i)), 0o644); err != nil {
			t.Fatal(err)
		}
		gittest.Git(t, w, "commit", "-qam", "more")
	}
	gittest.Git(t, w, "push", "-q", "origin", "main")
	if err := r.writeGraph(ctx, ""); err != nil {
		t.Fatal(err)
	}
	if int(r.graph.MaximumNumberOfHashes()) != count {
		t.Errorf("the graph was written again for 3 new commits")
	}
}

// TestSyncWritesGraph: a clone over smart HTTP gets a commit-graph.
func TestSyncWritesGraph(t *testing.T) {
	ctx := context.Background()
	dir := mergedRepo(t)
	root := filepath.Dir(dir)
	gittest.Git(t, dir, "config", "uploadpack.allowFilter", "true")
	gittest.Git(t, dir, "config", "uploadpack.allowAnySHA1InWant", "true")
	srv := gittest.Server(t, root)
	for _, full := range []bool{false, true} {
		cache := filepath.Join(t.TempDir(), "docs.git")
		r, err := Sync(ctx, srv.URL+"/docs.git", cache, SyncOptions{FullClone: full})
		if err != nil {
			t.Fatal(err)
		}
		if r.graph == nil {
			t.Errorf("full clone %v: no commit-graph", full)
		}
		r.Close()
		gittest.Git(t, cache, "commit-graph", "verify")
	}
}
