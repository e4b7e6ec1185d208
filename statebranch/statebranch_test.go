package statebranch

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/residiff/residiff/internal/gittest"
)

func write(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestCommitAndRestore: each commit holds the files, on top of the last;
// native git reads the branch and fsck finds it sound (tree order
// included); the checkout is never touched; a lost state file comes back.
func TestCommitAndRestore(t *testing.T) {
	dir := t.TempDir()
	gittest.Git(t, dir, "init", "-q", "-b", "main")
	write(t, filepath.Join(dir, "deploy", "residiff.yaml"), "repositories: []\n")
	gittest.Git(t, dir, "add", "-A")
	gittest.Git(t, dir, "commit", "-q", "-m", "config")
	head := gittest.Git(t, dir, "rev-parse", "HEAD")

	state := filepath.Join(dir, ".residiff", "state", "residiff-state.json")
	report := filepath.Join(dir, ".residiff", "out", "CHANGELOG.md")
	feed := filepath.Join(dir, ".residiff", "out-feed", "changelog.atom") // "out-feed" sorts between "out" and "out/"
	write(t, state, `{"version": 3}`)
	write(t, report, "# Residency changelog\n")
	write(t, feed, "<feed/>")

	b, err := Open(filepath.Join(dir, "deploy"), "residiff-state")
	if err != nil {
		t.Fatal(err)
	}
	who := Author{Name: "residiff", Email: "residiff@example.com"}
	when := time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC)
	first, err := b.Commit(context.Background(), Files(state, report, feed, filepath.Join(dir, "missing.json")), "residiff: first run", who, when)
	if err != nil || first == "" {
		t.Fatalf("first commit: %q, %v", first, err)
	}
	if got := gittest.Git(t, dir, "show", "residiff-state:.residiff/state/residiff-state.json"); got != `{"version": 3}` {
		t.Errorf("state on the branch: %q", got)
	}
	gittest.Git(t, dir, "fsck", "--strict")
	if again, err := b.Commit(context.Background(), Files(state, report, feed), "nothing changed", who, when); err != nil || again != "" {
		t.Errorf("unchanged files made commit %q (%v), want none", again, err)
	}
	write(t, state, `{"version": 3, "updated": "later"}`)
	second, err := b.Commit(context.Background(), Files(state, report, feed), "residiff: 1 change", who, when.Add(time.Hour))
	if err != nil || second == "" {
		t.Fatalf("second commit: %q, %v", second, err)
	}
	if parent := gittest.Git(t, dir, "rev-parse", "residiff-state^"); parent != first {
		t.Errorf("second commit's parent %s, want %s", parent, first)
	}
	if msg := gittest.Git(t, dir, "log", "-1", "--format=%s %an", "residiff-state"); msg != "residiff: 1 change residiff" {
		t.Errorf("commit message and author: %q", msg)
	}
	gittest.Git(t, dir, "fsck", "--strict")
	if now := gittest.Git(t, dir, "rev-parse", "HEAD"); now != head || gittest.Git(t, dir, "symbolic-ref", "HEAD") != "refs/heads/main" {
		t.Error("the checked-out branch moved")
	}
	if st := gittest.Git(t, dir, "status", "--porcelain"); strings.Contains(st, "deploy") {
		t.Errorf("the worktree changed: %s", st)
	}

	if err := os.Remove(state); err != nil {
		t.Fatal(err)
	}
	ok, err := b.Restore(state)
	if err != nil || !ok {
		t.Fatalf("restore: %v, %v", ok, err)
	}
	if data, _ := os.ReadFile(state); string(data) != `{"version": 3, "updated": "later"}` {
		t.Errorf("restored %q, want the branch's newest", data)
	}
	if ok, err := b.Restore(state); ok || err != nil {
		t.Errorf("restore over an existing file: %v, %v", ok, err)
	}
	if ok, err := b.Restore(filepath.Join(dir, "never.json")); ok || err != nil {
		t.Errorf("restore of a file the branch lacks: %v, %v", ok, err)
	}
}

func TestOpenRefuses(t *testing.T) {
	dir := t.TempDir()
	gittest.Git(t, dir, "init", "-q", "-b", "main")
	for name, branch := range map[string]string{"checked out": "main", "not a name": "a b", "option": "-x", "empty": ""} {
		if _, err := Open(dir, branch); err == nil {
			t.Errorf("%s: Open(%q) accepted", name, branch)
		}
	}
	if _, err := Open(t.TempDir(), "residiff-state"); err == nil {
		t.Error("a folder outside any repository was accepted")
	}
	b, err := Open(dir, "residiff-state")
	if err != nil {
		t.Fatal(err)
	}
	outside := filepath.Join(t.TempDir(), "state.json")
	write(t, outside, "{}")
	if _, err := b.Commit(context.Background(), Files(outside), "m", Author{Name: "r", Email: "r@example.com"}, time.Now()); err == nil || !strings.Contains(err.Error(), "not inside") {
		t.Errorf("a file outside the repository: %v", err)
	}
}

// TestCheckpointsFoldIntoOne: commits made since a base (a run's
// checkpoints) are folded into one commit on the base; a removed file
// leaves the branch (and an emptied folder with it); native git finds the
// result sound.
func TestCheckpointsFoldIntoOne(t *testing.T) {
	dir := t.TempDir()
	gittest.Git(t, dir, "init", "-q", "-b", "main")
	gittest.Git(t, dir, "commit", "-q", "--allow-empty", "-m", "watch")
	state := filepath.Join(dir, "st", "state.json")
	journal := filepath.Join(dir, "st", "j", "state.json.journal")
	write(t, state, "s0")
	b, err := Open(dir, "residiff-state")
	if err != nil {
		t.Fatal(err)
	}
	who := Author{Name: "residiff", Email: "residiff@example.com"}
	when := time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC)
	ctx := context.Background()
	if _, err := b.Commit(ctx, Files(state), "run 1", who, when); err != nil {
		t.Fatal(err)
	}
	base, err := b.Tip()
	if err != nil || base == "" {
		t.Fatalf("tip %q, %v", base, err)
	}
	// Run 2: two checkpoints, then the run's commit.
	write(t, state, "s1")
	write(t, journal, "line 1\n")
	if _, err := b.Commit(ctx, Files(state, journal), "checkpoint", who, when); err != nil {
		t.Fatal(err)
	}
	write(t, journal, "line 1\nline 2\n")
	if _, err := b.Commit(ctx, Files(journal), "checkpoint", who, when); err != nil {
		t.Fatal(err)
	}
	if n := gittest.Git(t, dir, "rev-list", "--count", "residiff-state"); n != "3" {
		t.Fatalf("%s commits before folding, want 3", n)
	}
	write(t, state, "s2")
	h, err := b.CommitOnto(ctx, base, []File{{Path: state}, {Path: journal, Remove: true}}, "run 2", who, when)
	if err != nil || h == "" {
		t.Fatalf("fold: %q, %v", h, err)
	}
	if n := gittest.Git(t, dir, "rev-list", "--count", "residiff-state"); n != "2" {
		t.Errorf("%s commits after folding, want 2 (one per run)", n)
	}
	if tree := gittest.Git(t, dir, "ls-tree", "-r", "--name-only", "residiff-state"); tree != "st/state.json" {
		t.Errorf("tree %q: want the state only (the journal and its folder removed)", tree)
	}
	if got := gittest.Git(t, dir, "show", "residiff-state:st/state.json"); got != "s2" {
		t.Errorf("state %q", got)
	}
	gittest.Git(t, dir, "fsck", "--strict")
	// Removing the last file leaves an empty tree, still sound.
	if _, err := b.Commit(ctx, []File{{Path: state, Remove: true}}, "reset", who, when); err != nil {
		t.Fatal(err)
	}
	if tree := gittest.Git(t, dir, "ls-tree", "-r", "--name-only", "residiff-state"); tree != "" {
		t.Errorf("tree %q after removing everything", tree)
	}
	gittest.Git(t, dir, "fsck", "--strict")
}
