package history

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/residiff/residiff/internal/gittest"
)

// TestDecodeTreeMatchesGoGit: the walk's own tree parser reads every tree
// of the fixture history exactly as go-git's object.Tree does, and refuses
// damaged ones instead of guessing.
func TestDecodeTreeMatchesGoGit(t *testing.T) {
	r, err := Open(context.Background(), "../fixtures/upstream.git")
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	iter, err := r.repo.TreeObjects()
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	err = iter.ForEach(func(tree *object.Tree) error {
		typ, data, err := r.readObject(tree.Hash) // the walk's own read path
		if err != nil {
			return err
		}
		if typ != plumbing.TreeObject {
			t.Errorf("tree %s read as a %s", tree.Hash, typ)
		}
		got, err := parseTree(string(data))
		if err != nil {
			return err
		}
		if len(got) == 0 && len(tree.Entries) == 0 {
			return nil
		}
		if !reflect.DeepEqual(got, tree.Entries) {
			t.Errorf("tree %s: %+v, go-git reads %+v", tree.Hash, got, tree.Entries)
		}
		n++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 20 {
		t.Fatalf("only %d trees compared", n)
	}
	for name, raw := range map[string]string{
		"no mode":     "hello\x00" + string(make([]byte, 20)),
		"bad mode":    "10x644 a\x00" + string(make([]byte, 20)),
		"short hash":  "100644 a\x00abc",
		"no name end": "100644 abc",
	} {
		if _, err := parseTree(raw); err == nil {
			t.Errorf("%s: a damaged tree was read", name)
		}
	}
}

// TestMergeEntries: names are paired in one pass in git order (a folder
// "a" sorts as "a/", after "a.md" and "a-b"); a file that becomes a folder
// is two entries, as in git; trees out of order are paired by name.
func TestMergeEntries(t *testing.T) {
	dir := func(n string) object.TreeEntry { return object.TreeEntry{Name: n, Mode: filemode.Dir} }
	file := func(n string) object.TreeEntry { return object.TreeEntry{Name: n, Mode: filemode.Regular} }
	type pair struct{ name, a, b string }
	collect := func(ta, tb []object.TreeEntry) []pair {
		var out []pair
		side := func(e *object.TreeEntry) string {
			switch {
			case e == nil:
				return "-"
			case e.Mode == filemode.Dir:
				return "dir"
			}
			return "file"
		}
		if err := mergeEntries(ta, tb, func(name string, ea, eb *object.TreeEntry) error {
			out = append(out, pair{name, side(ea), side(eb)})
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		return out
	}
	a := []object.TreeEntry{file("a-b"), file("a.md"), dir("a"), file("b"), dir("docs")}
	b := []object.TreeEntry{file("a.md"), dir("a"), dir("b"), dir("docs"), file("z")}
	if !inTreeOrder(a) || !inTreeOrder(b) {
		t.Fatal("git-ordered trees read as out of order")
	}
	got := collect(a, b)
	want := []pair{{"a-b", "file", "-"}, {"a.md", "file", "file"}, {"a", "dir", "dir"}, {"b", "file", "-"}, {"b", "-", "dir"}, {"docs", "dir", "dir"}, {"z", "-", "file"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("merge:\n got %v\nwant %v", got, want)
	}
	unsorted := []object.TreeEntry{file("z"), file("a.md")}
	got = collect(unsorted, []object.TreeEntry{file("a.md")})
	if len(got) != 2 || got[0] != (pair{"a.md", "file", "file"}) || got[1] != (pair{"z", "file", "-"}) {
		t.Errorf("out of order: %v", got)
	}
}

// TestCommitGraphWalk: with git's commit-graph file the walk reads parents
// and trees from it, and finds exactly the revisions — times with their
// zones and authors included — that it finds reading every commit; commits
// added after the graph was written are read one by one.
func TestCommitGraphWalk(t *testing.T) {
	dir := t.TempDir()
	gittest.Git(t, dir, "init", "-q", "-b", "main")
	page := filepath.Join(dir, "docs", "data-storage-eu.md")
	if err := os.MkdirAll(filepath.Dir(page), 0o755); err != nil {
		t.Fatal(err)
	}
	commit := func(i int) {
		if i%3 == 0 {
			if err := os.WriteFile(page, []byte(fmt.Sprintf("# EU\n\nversion %d\n", i)), 0o644); err != nil {
				t.Fatal(err)
			}
		} else if err := os.WriteFile(filepath.Join(dir, "other.md"), []byte(fmt.Sprint(i)), 0o644); err != nil {
			t.Fatal(err)
		}
		gittest.Git(t, dir, "add", "-A")
		cmd := gittest.Command(dir, "commit", "-q", "-m", fmt.Sprint("c", i))
		cmd.Env = append(cmd.Env, fmt.Sprintf("GIT_COMMITTER_DATE=2024-01-%02dT10:00:00+0900", i+1), "GIT_AUTHOR_NAME=Writer "+fmt.Sprint(i))
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("%v\n%s", err, out)
		}
	}
	for i := range 12 {
		commit(i)
	}
	walk := func() []Revision {
		t.Helper()
		r, err := Open(context.Background(), dir)
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		revs, err := r.Revisions(context.Background(), WalkOptions{Pages: []string{"docs/**/*.md"}})
		if err != nil {
			t.Fatal(err)
		}
		return revs
	}
	plain := walk()
	gittest.Git(t, dir, "commit-graph", "write", "--reachable")
	r, err := Open(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	if r.graph == nil {
		t.Fatal("the commit-graph file was not read")
	}
	r.Close()
	for i := 12; i < 15; i++ {
		commit(i) // not in the graph
	}
	withGraph := walk()
	if len(withGraph) != len(plain)+1 {
		t.Fatalf("%d revisions with the graph, %d without (+1 expected for the newer commits)", len(withGraph), len(plain))
	}
	for i := range plain {
		a, b := plain[i], withGraph[i]
		if a.Commit != b.Commit || !a.Time.Equal(b.Time) || a.Time.String() != b.Time.String() || a.Author != b.Author || a.Blob != b.Blob {
			t.Errorf("revision %d: %+v without the graph, %+v with it", i, a, b)
		}
	}
}
