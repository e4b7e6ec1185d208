package pipeline

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/residiff/residiff/differ"
	"github.com/residiff/residiff/extractor"
	"github.com/residiff/residiff/history"
	"github.com/residiff/residiff/internal/gittest"
	"github.com/residiff/residiff/pagecache"
	"github.com/residiff/residiff/source/entra"
)

const hostileGood = `# Customer data storage for Japan customers in Microsoft Entra ID

## Microsoft Entra multifactor authentication

Microsoft Entra multifactor authentication stores customer data in the United States.

## Microsoft Entra Connect Health

Microsoft Entra Connect Health stores alerts in the United States.
`

// TestHostileVersions: a page version that breaks the limits, or a page
// path that becomes a symlink, is a warning on its revision — never a
// panic, never a stopped walk, never "no longer listed" — and the version
// after it is compared with the last version that could be read.
func TestHostileVersions(t *testing.T) {
	dir := t.TempDir()
	gittest.Git(t, dir, "init", "-q", "-b", "main")
	page := filepath.Join(dir, "docs", "fundamentals", "data-storage-japan.md")
	if err := os.MkdirAll(filepath.Dir(page), 0o755); err != nil {
		t.Fatal(err)
	}
	commit := func(msg, content string) {
		t.Helper()
		if err := os.WriteFile(page, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		gittest.Git(t, dir, "add", "-A")
		gittest.Git(t, dir, "commit", "-q", "-m", msg)
	}
	commit("good", hostileGood)
	commit("poison: unclosed links", hostileGood+strings.Repeat("[a](", 50_000))
	commit("good again", hostileGood+"\nMinor wording.\n")
	commit("huge", hostileGood+strings.Repeat("x", 3<<20))
	commit("good once more", hostileGood)
	// The page becomes a symlink to another file.
	if err := os.Remove(page); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("../../README.md", page); err != nil {
		t.Fatal(err)
	}
	gittest.Git(t, dir, "add", "-A")
	gittest.Git(t, dir, "commit", "-q", "-m", "symlink")

	repo, err := history.Open(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	defer repo.Close()
	res, err := Build(context.Background(), repo, Options{Profile: entra.Profile(), Branch: "main"})
	if err != nil {
		t.Fatal(err)
	}
	revs := res.Changelog.Revisions
	if len(revs) != 6 {
		t.Fatalf("%d revisions, want 6", len(revs))
	}
	for i, r := range revs {
		var kinds []string
		for _, c := range r.Changes {
			kinds = append(kinds, string(c.Kind))
			if c.Kind == differ.NewlyCompliant || (i > 0 && c.Kind == differ.NewlyExcluded) {
				t.Errorf("revision %d: %s %s", i, c.Kind, c.Service)
			}
		}
		t.Logf("revision %d: %v, %d unread", i, kinds, len(r.Unread()))
	}
	for _, i := range []int{1, 3} {
		if u := revs[i].Unread(); len(u) == 0 || !strings.Contains(u[0].Message, "not read") {
			t.Errorf("revision %d (hostile) carries no warning: %+v", i, revs[i].Warnings)
		}
		drift := 0
		for _, c := range revs[i].Changes {
			if c.Kind == differ.ExtractionDrift {
				drift++
			}
		}
		if drift != 2 {
			t.Errorf("revision %d: %d services drift, want both", i, drift)
		}
	}
	for _, i := range []int{2, 4} {
		for _, c := range revs[i].Changes {
			if c.Severity >= differ.High {
				t.Errorf("revision %d (readable again): %s %s; it should be compared with the last readable version", i, c.Kind, c.Service)
			}
		}
	}
	last := revs[5]
	if len(last.Changes) != 1 || last.Changes[0].Kind != differ.PageRemoved || len(last.Unread()) != 1 || !strings.Contains(last.Unread()[0].Message, "symlink") {
		t.Errorf("symlink revision: changes %+v, warnings %+v; want page_removed with a warning", last.Changes, last.Warnings)
	}
}

// TestEventStableIDs: a revert and re-apply is a new event with new ids;
// the same history rewritten (new commits, same page versions) keeps every
// id; and an incremental walk that carries the lineages on gives the ids a
// whole walk gives.
func TestEventStableIDs(t *testing.T) {
	build := func(t *testing.T, versions []string, extraCommits int) (*Result, string) {
		dir := t.TempDir()
		gittest.Git(t, dir, "init", "-q", "-b", "main")
		page := filepath.Join(dir, "docs", "fundamentals", "data-storage-japan.md")
		if err := os.MkdirAll(filepath.Dir(page), 0o755); err != nil {
			t.Fatal(err)
		}
		for i := 0; i < extraCommits; i++ { // different commits, same page versions
			if err := os.WriteFile(filepath.Join(dir, "other.md"), []byte(strings.Repeat("x", i+1)), 0o644); err != nil {
				t.Fatal(err)
			}
			gittest.Git(t, dir, "add", "-A")
			gittest.Git(t, dir, "commit", "-q", "-m", "other")
		}
		for i, v := range versions {
			if err := os.WriteFile(page, []byte(v), 0o644); err != nil {
				t.Fatal(err)
			}
			gittest.Git(t, dir, "add", "-A")
			gittest.Git(t, dir, "commit", "-q", "-m", "version "+string(rune('A'+i)))
		}
		repo, err := history.Open(context.Background(), dir)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { repo.Close() })
		res, err := Build(context.Background(), repo, Options{Profile: entra.Profile(), Branch: "main"})
		if err != nil {
			t.Fatal(err)
		}
		return res, dir
	}
	a := hostileGood
	b := strings.Replace(hostileGood, "## Microsoft Entra Connect Health\n\nMicrosoft Entra Connect Health stores alerts in the United States.\n", "", 1)
	res, _ := build(t, []string{a, b, a, b}, 0)
	ids := func(r *Result, i int) []string {
		var out []string
		for _, c := range r.Changelog.Revisions[i].Changes {
			out = append(out, c.ID)
		}
		return out
	}
	if len(res.Changelog.Revisions) != 4 {
		t.Fatalf("%d revisions", len(res.Changelog.Revisions))
	}
	first, again := ids(res, 1), ids(res, 3)
	if len(first) == 0 || len(first) != len(again) {
		t.Fatalf("A→B: %v, re-applied: %v", first, again)
	}
	for i := range first {
		if first[i] == again[i] {
			t.Errorf("re-applied change %d has the id of the first time (%s): it would never be notified", i, first[i])
		}
	}
	// The same page versions on other commits: the same ids.
	rewritten, _ := build(t, []string{a, b, a, b}, 2)
	for i := range res.Changelog.Revisions {
		if got, want := strings.Join(ids(rewritten, i), ","), strings.Join(ids(res, i), ","); got != want {
			t.Errorf("revision %d: ids %s after a rewrite, %s before", i, got, want)
		}
	}
}

// TestTinyTimeBudget: with a time limit no page can meet, every version
// is a warning on its revision and no change claims a service left — and
// nothing is cached, since the next machine may be fast enough.
func TestTinyTimeBudget(t *testing.T) {
	dir := t.TempDir()
	cache, err := pagecache.Open(dir, "test")
	if err != nil {
		t.Fatal(err)
	}
	res := buildWith(t, Options{Limits: extractor.Limits{MaxDuration: time.Nanosecond}, Cache: cache})
	if len(res.Changelog.Revisions) == 0 {
		t.Fatal("no revisions")
	}
	for _, r := range res.Changelog.Revisions {
		if len(r.Unread()) == 0 {
			t.Errorf("%.7s %s: no warning that the page was not read", r.Commit, r.Page)
		}
		for _, c := range r.Changes {
			if c.Kind == differ.NewlyCompliant || c.Kind == differ.NewlyExcluded {
				t.Errorf("%.7s %s: %s %s from a page that was not read", r.Commit, r.Page, c.Kind, c.Service)
			}
		}
	}
	var kept int
	_ = filepath.WalkDir(dir, func(_ string, d os.DirEntry, _ error) error {
		if d != nil && !d.IsDir() {
			kept++
		}
		return nil
	})
	if kept != 0 {
		t.Errorf("%d abandoned versions kept in the page cache", kept)
	}
	again := buildWith(t, Options{Cache: cache})
	if len(again.Changelog.Revisions) != len(res.Changelog.Revisions) {
		t.Errorf("with time to read: %d revisions, want %d", len(again.Changelog.Revisions), len(res.Changelog.Revisions))
	}
}
