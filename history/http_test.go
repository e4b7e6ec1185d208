package history

import (
	"context"
	"errors"
	"github.com/residiff/residiff/internal/gittest"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func gitServer(t *testing.T, root string) *httptest.Server { return gittest.Server(t, root) }

func runGit(t *testing.T, dir string, args ...string) string { return gittest.Git(t, dir, args...) }

func TestSyncOverSmartHTTP(t *testing.T) {
	ctx := context.Background()
	tr, _ := buildHistory(t)
	root := t.TempDir()
	runGit(t, root, "clone", "--bare", "-q", tr.dir, "docs.git")
	// Let the test push over HTTP too, as upstream contributors do.
	runGit(t, filepath.Join(root, "docs.git"), "config", "http.receivepack", "true")
	srv := gitServer(t, root)
	url := srv.URL + "/docs.git"
	cache := filepath.Join(t.TempDir(), "cache", "docs.git")

	// First run: clone.
	repo, err := Sync(ctx, url, cache, SyncOptions{Branch: "main"})
	if err != nil {
		t.Fatal(err)
	}
	first, err := repo.Head("main")
	if err != nil {
		t.Fatal(err)
	}
	revs, err := repo.Revisions(ctx, WalkOptions{Pages: testPages(), Branch: "main"})
	if err != nil {
		t.Fatal(err)
	}
	if len(revs) != 6 {
		t.Fatalf("clone: %d revisions, want 6", len(revs))
	}
	repo.Close()
	if fi, err := os.Stat(filepath.Join(cache, "shallow")); err == nil {
		t.Errorf("clone is shallow: %v", fi.Name())
	}

	// Upstream moves on: one tracked edit, one unrelated.
	work := t.TempDir()
	runGit(t, work, "clone", "-q", url, "w")
	w := filepath.Join(work, "w")
	if err := os.WriteFile(filepath.Join(w, "docs/fundamentals/data-storage-eu.md"), []byte(page("EU", "more", "moved", "pushed")), 0o644); err != nil {
		t.Fatal(err)
	}
	runGit(t, w, "commit", "-qam", "edit EU upstream")
	pushed := runGit(t, w, "rev-parse", "HEAD")
	if err := os.WriteFile(filepath.Join(w, "toc.yml"), []byte("toc 2\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	runGit(t, w, "commit", "-qam", "unrelated upstream")
	runGit(t, w, "push", "-q", "origin", "main")

	// Second run: fetch, and only the new revision after the last tip.
	repo, err = Sync(ctx, url, cache, SyncOptions{Branch: "main"})
	if err != nil {
		t.Fatal(err)
	}
	revs, err = repo.Revisions(ctx, WalkOptions{Pages: testPages(), Branch: "main", Since: first})
	if err != nil {
		t.Fatal(err)
	}
	var fresh []string
	for _, r := range revs {
		if !r.Base {
			fresh = append(fresh, r.Commit)
		}
	}
	if len(fresh) != 1 || fresh[0] != pushed {
		t.Errorf("after fetch: new revisions %v, want [%s]", fresh, pushed)
	}
	// Fetching again with nothing new is success.
	repo.Close()
	if repo, err = Sync(ctx, url, cache, SyncOptions{Branch: "main"}); err != nil {
		t.Fatalf("up-to-date fetch: %v", err)
	}
	beforeRewrite, _ := repo.Head("main")
	repo.Close()

	// Upstream rewrites its history: the fetch follows it and the old
	// tip is no longer an ancestor.
	runGit(t, w, "reset", "-q", "--hard", "HEAD~2")
	if err := os.WriteFile(filepath.Join(w, "docs/fundamentals/data-storage-eu.md"), []byte(page("EU", "rewritten")), 0o644); err != nil {
		t.Fatal(err)
	}
	runGit(t, w, "commit", "-qam", "rewritten EU")
	rewritten := runGit(t, w, "rev-parse", "HEAD")
	runGit(t, w, "push", "-q", "--force", "origin", "main")
	repo, err = Sync(ctx, url, cache, SyncOptions{Branch: "main"})
	if err != nil {
		t.Fatal(err)
	}
	defer repo.Close()
	if tip, _ := repo.Head("main"); tip != rewritten {
		t.Fatalf("after force push the cache is at %s, want %s", tip, rewritten)
	}
	if _, err := repo.Revisions(ctx, WalkOptions{Pages: testPages(), Branch: "main", Since: beforeRewrite}); !errors.Is(err, ErrNotAncestor) {
		t.Errorf("walk since a rewritten tip: err = %v, want ErrNotAncestor", err)
	}
	base, err := repo.MergeBase(ctx, beforeRewrite, rewritten)
	if err != nil || base != first {
		t.Errorf("merge base = %s, %v; want %s", base, err, first)
	}
}

func TestSyncErrors(t *testing.T) {
	ctx := context.Background()
	tr, _ := buildHistory(t)
	root := t.TempDir()
	runGit(t, root, "clone", "--bare", "-q", tr.dir, "docs.git")
	srv := gitServer(t, root)

	_, err := Sync(ctx, srv.URL+"/docs.git", filepath.Join(t.TempDir(), "c"), SyncOptions{Branch: "nope"})
	if !errors.Is(err, ErrUnknownBranch) || !strings.Contains(err.Error(), `"nope"`) {
		t.Errorf("unknown branch: %v", err)
	}

	// A closed port on loopback: nothing listens there.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := "http://user:s3cret@" + l.Addr().String() + "/docs.git"
	l.Close()
	cache := filepath.Join(t.TempDir(), "c2")
	_, err = Sync(ctx, closed, cache, SyncOptions{Branch: "main"})
	if !errors.Is(err, ErrUnreachable) {
		t.Errorf("closed port: err = %v, want ErrUnreachable", err)
	}
	if err != nil && strings.Contains(err.Error(), "s3cret") {
		t.Errorf("error leaks the credentials: %v", err)
	}
	if _, statErr := os.Stat(cache); statErr == nil {
		t.Error("a failed clone left a cache directory behind")
	}
	// A server that is not a git server.
	plain := httptest.NewServer(http.NotFoundHandler())
	defer plain.Close()
	if _, err := Sync(ctx, plain.URL+"/x.git", filepath.Join(t.TempDir(), "c3"), SyncOptions{}); err == nil {
		t.Error("cloning from a non-git server succeeded")
	}
}

// TestSyncCredentials: credentials in the repository URL are sent with
// every request and never written to the cache (which CI uploads to a
// shared cache), and a rotated password takes effect on the next sync.
func TestSyncCredentials(t *testing.T) {
	ctx := context.Background()
	tr, _ := buildHistory(t)
	root := t.TempDir()
	runGit(t, root, "clone", "--bare", "-q", tr.dir, "docs.git")
	srv := gitServer(t, root)
	var seen []string
	inner := srv.Config.Handler
	srv.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, pass, ok := r.BasicAuth(); ok {
			seen = append(seen, pass)
		}
		inner.ServeHTTP(w, r)
	})
	withPass := func(p string) string {
		return strings.Replace(srv.URL, "http://", "http://reader:"+p+"@", 1) + "/docs.git"
	}
	cache := filepath.Join(t.TempDir(), "cache", "docs.git")
	for _, pass := range []string{"first-s3cret", "rotated-s3cret"} {
		repo, err := Sync(ctx, withPass(pass), cache, SyncOptions{Branch: "main"})
		if err != nil {
			t.Fatal(err)
		}
		repo.Close()
		if len(seen) == 0 || seen[len(seen)-1] != pass {
			t.Errorf("sync with %q sent passwords %q", pass, seen)
		}
	}
	err := filepath.Walk(cache, func(p string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if strings.Contains(string(data), "s3cret") || strings.Contains(string(data), "reader:") {
			t.Errorf("%s holds the credentials", p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	cfg, _ := os.ReadFile(filepath.Join(cache, "config"))
	if !strings.Contains(string(cfg), srv.URL+"/docs.git") {
		t.Errorf("the cache's origin is not the clean URL:\n%s", cfg)
	}
}
