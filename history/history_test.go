package history

import (
	"context"
	"errors"
	"fmt"
	"github.com/residiff/residiff/source/entra"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// testRepo builds a repository with go-git, one commit at a time.
type testRepo struct {
	t    *testing.T
	dir  string
	repo *git.Repository
	wt   *git.Worktree
	n    int
}

func newTestRepo(t *testing.T) *testRepo {
	t.Helper()
	dir := t.TempDir()
	r, err := git.PlainInitWithOptions(dir, &git.PlainInitOptions{
		InitOptions: git.InitOptions{DefaultBranch: plumbing.NewBranchReferenceName("main")},
	})
	if err != nil {
		t.Fatal(err)
	}
	wt, err := r.Worktree()
	if err != nil {
		t.Fatal(err)
	}
	return &testRepo{t: t, dir: dir, repo: r, wt: wt}
}

// commit applies edits (path → content; "" removes the file) and commits
// them with the given parents (none: HEAD).
func (tr *testRepo) commit(msg string, edits map[string]string, parents ...plumbing.Hash) plumbing.Hash {
	tr.t.Helper()
	paths := make([]string, 0, len(edits))
	for p := range edits {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, p := range paths {
		full := filepath.Join(tr.dir, filepath.FromSlash(p))
		if edits[p] == "" {
			if _, err := tr.wt.Remove(p); err != nil {
				tr.t.Fatalf("remove %s: %v", p, err)
			}
			continue
		}
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			tr.t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(edits[p]), 0o644); err != nil {
			tr.t.Fatal(err)
		}
		if _, err := tr.wt.Add(p); err != nil {
			tr.t.Fatalf("add %s: %v", p, err)
		}
	}
	tr.n++
	sig := &object.Signature{Name: "Ann Author", Email: "ann@example.com", When: time.Date(2023, 1, 1, 0, tr.n, 0, 0, time.UTC)}
	h, err := tr.wt.Commit(msg, &git.CommitOptions{Author: sig, Committer: sig, Parents: parents, AllowEmptyCommits: true})
	if err != nil {
		tr.t.Fatalf("commit %q: %v", msg, err)
	}
	return h
}

func (tr *testRepo) checkout(branch string, create bool, at plumbing.Hash) {
	tr.t.Helper()
	if err := tr.wt.Checkout(&git.CheckoutOptions{Branch: plumbing.NewBranchReferenceName(branch), Create: create, Hash: at, Force: true}); err != nil {
		tr.t.Fatalf("checkout %s: %v", branch, err)
	}
}

// page makes distinct page content whose lines mostly survive edits.
func page(title string, extra ...string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# %s\n\n", title)
	for i := 0; i < 20; i++ {
		fmt.Fprintf(&b, "- %s line %d\n", title, i)
	}
	for _, e := range extra {
		b.WriteString(e + "\n")
	}
	return b.String()
}

type revKey struct {
	Commit, Lineage, Path, OldPath string
	Removed, Base                  bool
}

func keys(revs []Revision) []revKey {
	out := make([]revKey, len(revs))
	for i, r := range revs {
		out[i] = revKey{r.Commit, r.Lineage, r.Path, r.OldPath, r.Removed, r.Base}
	}
	return out
}

// history builds the scenario most tests share and returns the commits by
// name.
func buildHistory(t *testing.T) (*testRepo, map[string]plumbing.Hash) {
	tr := newTestRepo(t)
	c := map[string]plumbing.Hash{}
	eu1 := page("EU")
	c["A"] = tr.commit("add EU page", map[string]string{
		"articles/active-directory/active-directory-data-storage-eu.md": eu1,
		"articles/active-directory/other.md":                            "unrelated\n",
	})
	c["B"] = tr.commit("unrelated", map[string]string{"articles/active-directory/other.md": "unrelated 2\n"})
	c["C"] = tr.commit("edit EU", map[string]string{"articles/active-directory/active-directory-data-storage-eu.md": page("EU", "more")})
	// A side branch adds the Japan page; main moves on; a merge brings it in.
	tr.checkout("side", true, c["C"])
	c["D"] = tr.commit("add Japan on side", map[string]string{"articles/active-directory/fundamentals/data-storage-japan.md": page("JP")})
	tr.checkout("main", false, plumbing.ZeroHash)
	c["E"] = tr.commit("unrelated on main", map[string]string{"toc.yml": "toc\n"})
	c["M"] = tr.commit("merge side", map[string]string{"articles/active-directory/fundamentals/data-storage-japan.md": page("JP")}, c["E"], c["D"])
	// The EU page moves with a small edit.
	c["F"] = tr.commit("move EU", map[string]string{
		"articles/active-directory/active-directory-data-storage-eu.md": "",
		"docs/fundamentals/data-storage-eu.md":                          page("EU", "more", "moved"),
	})
	c["G"] = tr.commit("remove Japan", map[string]string{"articles/active-directory/fundamentals/data-storage-japan.md": ""})
	c["H"] = tr.commit("re-add Japan", map[string]string{"articles/active-directory/fundamentals/data-storage-japan.md": page("JP", "back")})
	c["I"] = tr.commit("other page not tracked", map[string]string{"docs/fundamentals/whatis.md": "what\n"})
	return tr, c
}

func TestRevisions(t *testing.T) {
	tr, c := buildHistory(t)
	repo, err := Open(context.Background(), tr.dir)
	if err != nil {
		t.Fatal(err)
	}
	defer repo.Close()
	revs, err := repo.Revisions(context.Background(), WalkOptions{Pages: testPages(), Branch: "main"})
	if err != nil {
		t.Fatal(err)
	}
	const (
		oldEU = "articles/active-directory/active-directory-data-storage-eu.md"
		newEU = "docs/fundamentals/data-storage-eu.md"
		jp    = "articles/active-directory/fundamentals/data-storage-japan.md"
	)
	want := []revKey{
		{Commit: c["A"].String(), Lineage: "data-storage-eu", Path: oldEU},
		{Commit: c["C"].String(), Lineage: "data-storage-eu", Path: oldEU},
		{Commit: c["M"].String(), Lineage: "data-storage-japan", Path: jp},
		{Commit: c["F"].String(), Lineage: "data-storage-eu", Path: newEU, OldPath: oldEU},
		{Commit: c["G"].String(), Lineage: "data-storage-japan", Path: jp, Removed: true},
		{Commit: c["H"].String(), Lineage: "data-storage-japan", Path: jp},
	}
	if got := keys(revs); !reflect.DeepEqual(got, want) {
		t.Errorf("revisions:\n got %+v\nwant %+v", got, want)
	}
	if string(revs[3].Content) != page("EU", "more", "moved") {
		t.Errorf("moved content = %q", revs[3].Content)
	}
	if revs[4].Content != nil || revs[4].Blob != "" {
		t.Errorf("removed revision carries content")
	}
	if revs[0].Author != "Ann Author" || revs[0].Time.IsZero() {
		t.Errorf("author/time not set: %+v", revs[0])
	}
	assertSameAsGit(t, tr.dir, "main", testPages(), revs)
}

// assertSameAsGit checks the walk's commit set against
// `git rev-list --first-parent` when the git binary is present.
func assertSameAsGit(t *testing.T, dir, branch string, globs []string, revs []Revision) {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Log("git binary not found: skipping the comparison with git rev-list")
		return
	}
	args := []string{"-C", dir, "rev-list", "--first-parent", "--reverse", branch, "--"}
	for _, g := range globs {
		args = append(args, ":(glob)"+g)
	}
	out, err := exec.Command("git", args...).Output()
	if err != nil {
		t.Fatalf("git rev-list: %v", err)
	}
	want := strings.Fields(string(out))
	var got []string
	for _, r := range revs {
		if r.Base {
			continue
		}
		if len(got) == 0 || got[len(got)-1] != r.Commit {
			got = append(got, r.Commit)
		}
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("commits differ from git rev-list --first-parent:\n got %v\nwant %v", got, want)
	}
}

func TestRevisionsSince(t *testing.T) {
	tr, c := buildHistory(t)
	repo, err := Open(context.Background(), tr.dir)
	if err != nil {
		t.Fatal(err)
	}
	defer repo.Close()
	revs, err := repo.Revisions(context.Background(), WalkOptions{Pages: testPages(), Branch: "main", Since: c["M"].String()})
	if err != nil {
		t.Fatal(err)
	}
	const (
		oldEU = "articles/active-directory/active-directory-data-storage-eu.md"
		jp    = "articles/active-directory/fundamentals/data-storage-japan.md"
	)
	want := []revKey{
		{Commit: c["M"].String(), Lineage: "data-storage-eu", Path: oldEU, Base: true},
		{Commit: c["M"].String(), Lineage: "data-storage-japan", Path: jp, Base: true},
		{Commit: c["F"].String(), Lineage: "data-storage-eu", Path: "docs/fundamentals/data-storage-eu.md", OldPath: oldEU},
		{Commit: c["G"].String(), Lineage: "data-storage-japan", Path: jp, Removed: true},
		{Commit: c["H"].String(), Lineage: "data-storage-japan", Path: jp},
	}
	if got := keys(revs); !reflect.DeepEqual(got, want) {
		t.Errorf("revisions:\n got %+v\nwant %+v", got, want)
	}
	// The side-branch commit D is an ancestor but not on the first-parent
	// chain: walking from it is walking from a rewritten point.
	_, err = repo.Revisions(context.Background(), WalkOptions{Pages: testPages(), Branch: "main", Since: c["D"].String()})
	if !errors.Is(err, ErrNotAncestor) {
		t.Errorf("Since off the first-parent chain: err = %v, want ErrNotAncestor", err)
	}
}

func TestPageGlobs(t *testing.T) {
	tr, c := buildHistory(t)
	repo, err := Open(context.Background(), tr.dir)
	if err != nil {
		t.Fatal(err)
	}
	defer repo.Close()
	globs := []string{"**/data-storage-japan.md"}
	revs, err := repo.Revisions(context.Background(), WalkOptions{Branch: "main", Pages: globs})
	if err != nil {
		t.Fatal(err)
	}
	var commits []string
	for _, r := range revs {
		commits = append(commits, r.Commit)
	}
	want := []string{c["M"].String(), c["G"].String(), c["H"].String()}
	if !reflect.DeepEqual(commits, want) {
		t.Errorf("commits = %v, want %v", commits, want)
	}
	assertSameAsGit(t, tr.dir, "main", globs, revs)
	if _, err := repo.Revisions(context.Background(), WalkOptions{Pages: []string{"docs/[.md"}}); err == nil {
		t.Error("invalid glob accepted")
	}
}

func TestOpenErrors(t *testing.T) {
	ctx := context.Background()
	empty := t.TempDir()
	if _, err := Open(ctx, empty); !errors.Is(err, ErrNotRepository) {
		t.Errorf("Open(empty dir) = %v, want ErrNotRepository", err)
	}
	if _, err := Open(ctx, filepath.Join(empty, "missing")); err == nil || !strings.Contains(err.Error(), "missing") {
		t.Errorf("Open(missing) = %v, want an error naming the path", err)
	}
	tr, _ := buildHistory(t)
	repo, err := Open(ctx, tr.dir)
	if err != nil {
		t.Fatal(err)
	}
	defer repo.Close()
	if _, err := repo.Revisions(ctx, WalkOptions{Pages: testPages(), Branch: "nope"}); !errors.Is(err, ErrUnknownBranch) || !strings.Contains(err.Error(), `"nope"`) {
		t.Errorf("unknown branch: err = %v", err)
	}
	if _, err := repo.Revisions(ctx, WalkOptions{Pages: testPages(), Since: "0123456789abcdef0123456789abcdef01234567"}); err == nil {
		t.Error("unknown since commit accepted")
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := repo.Revisions(cancelled, WalkOptions{Pages: testPages()}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled walk: err = %v", err)
	}
}

func TestAncestry(t *testing.T) {
	tr, c := buildHistory(t)
	repo, err := Open(context.Background(), tr.dir)
	if err != nil {
		t.Fatal(err)
	}
	defer repo.Close()
	ctx := context.Background()
	for _, tc := range []struct {
		a, b string
		want bool
	}{
		{"A", "I", true}, {"D", "I", true}, {"I", "A", false}, {"I", "I", true},
	} {
		got, err := repo.IsAncestor(ctx, c[tc.a].String(), c[tc.b].String())
		if err != nil || got != tc.want {
			t.Errorf("IsAncestor(%s, %s) = %v, %v; want %v", tc.a, tc.b, got, err, tc.want)
		}
	}
	base, err := repo.MergeBase(ctx, c["D"].String(), c["E"].String())
	if err != nil || base != c["C"].String() {
		t.Errorf("MergeBase(D, E) = %s, %v; want C %s", base, err, c["C"])
	}
}

func TestSimilarity(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		min  float64
		max  float64
	}{
		{"a\nb\nc\n", "a\nb\nc\n", 1, 1},
		{"a\r\nb  \n", "a\nb\n", 1, 1},
		{"a\nb\nc\nd\n", "a\nb\nc\nx\n", 0.7, 0.8},
		{"a\nb\n", "x\ny\n", 0, 0},
	} {
		if s := similarity([]byte(tc.a), []byte(tc.b)); s < tc.min || s > tc.max {
			t.Errorf("similarity(%q, %q) = %v, want in [%v, %v]", tc.a, tc.b, s, tc.min, tc.max)
		}
	}
}

func TestMatcherMayContain(t *testing.T) {
	m, err := newMatcher([]string{"docs/**/*.md", "articles/active-directory/fundamentals/x.md"})
	if err != nil {
		t.Fatal(err)
	}
	for dir, want := range map[string]bool{
		"docs": true, "docs/a/b": true, "articles": true, "articles/active-directory": true,
		"articles/active-directory/fundamentals": true, "articles/other": false, "media": false,
	} {
		if got := m.mayContain(dir); got != want {
			t.Errorf("mayContain(%q) = %v, want %v", dir, got, want)
		}
	}
}

// testPages are the page globs of the Entra profile, which the test
// repositories follow.
func testPages() []string { return entra.Profile().PageGlobs() }

// TestRenameAndRewrite: a page renamed and rewritten in one commit (too
// changed for line similarity) keeps its lineage when its name without the
// dropped prefix, or its title, is the same — and an unrelated page added
// while another is removed does not.
func TestRenameAndRewrite(t *testing.T) {
	tr := newTestRepo(t)
	tr.commit("add pages", map[string]string{
		"articles/active-directory/active-directory-data-storage-eu.md": "# EU data\n\nold layout\n- a\n- b\n",
		"articles/active-directory/data-storage-japan.md":               "# Customer data storage for Japan customers\n\nx\n",
	})
	move := tr.commit("rename and rewrite", map[string]string{
		"articles/active-directory/active-directory-data-storage-eu.md": "",
		"docs/fundamentals/data-storage-eu.md":                          "# Customer data storage for European customers\n\nnew layout entirely\n",
		"articles/active-directory/data-storage-japan.md":               "",
		"docs/fundamentals/data-storage-jp.md":                          "---\ntitle: Customer data storage for Japan customers\n---\n\nall new\n",
		"docs/fundamentals/data-residency.md":                           "# Data residency\n",
	})
	repo, err := Open(context.Background(), tr.dir)
	if err != nil {
		t.Fatal(err)
	}
	defer repo.Close()
	revs, err := repo.Revisions(context.Background(), WalkOptions{Pages: testPages(), Branch: "main", DropPrefixes: []string{"active-directory-"}})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, r := range revs {
		if r.Commit == move.String() {
			got[r.Path] = r.Lineage + " from " + r.OldPath
			if r.Removed {
				got[r.Path] = "removed"
			}
		}
	}
	want := map[string]string{
		"docs/fundamentals/data-storage-eu.md": "data-storage-eu from articles/active-directory/active-directory-data-storage-eu.md",
		"docs/fundamentals/data-storage-jp.md": "data-storage-jp from articles/active-directory/data-storage-japan.md", // a lineage is named after its newest path
		"docs/fundamentals/data-residency.md":  "data-residency from ",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("revisions of the rename commit:\n got %v\nwant %v", got, want)
	}
}

// TestShallowClone: a shallow clone is refused with a message that says
// what to do, not "object not found".
func TestShallowClone(t *testing.T) {
	tr, _ := buildHistory(t)
	shallow := filepath.Join(t.TempDir(), "shallow")
	runGit(t, filepath.Dir(shallow), "clone", "-q", "--depth", "1", "file://"+tr.dir, shallow)
	_, err := Open(context.Background(), shallow)
	if !errors.Is(err, ErrShallow) || !strings.Contains(err.Error(), "fetch-depth: 0") {
		t.Errorf("err = %v, want ErrShallow", err)
	}
}
