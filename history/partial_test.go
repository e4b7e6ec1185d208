package history

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"net/http"
	"net/http/httptest"
	"sync/atomic"

	"github.com/go-git/go-git/v5/plumbing"
)

// partialServer serves a bare copy of the test history over smart HTTP;
// with partial on, the server offers blob-less clones and objects by id.
func partialServer(t *testing.T, partial bool) (url string) {
	t.Helper()
	return partialHTTPServer(t, partial).URL + "/docs.git"
}

// partialHTTPServer is partialServer's server, for tests that wrap its
// handler.
func partialHTTPServer(t *testing.T, partial bool) *httptest.Server {
	t.Helper()
	tr, _ := buildHistory(t)
	root := t.TempDir()
	runGit(t, root, "clone", "--bare", "-q", tr.dir, "docs.git")
	bare := filepath.Join(root, "docs.git")
	if partial {
		runGit(t, bare, "config", "uploadpack.allowFilter", "true")
		runGit(t, bare, "config", "uploadpack.allowAnySHA1InWant", "true")
	}
	runGit(t, bare, "config", "http.receivepack", "true")
	return gitServer(t, root)
}

// blobCount counts the blobs a clone holds.
func blobCount(t *testing.T, r *Repo) int {
	t.Helper()
	iter, err := r.repo.Storer.IterEncodedObjects(plumbing.BlobObject)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	_ = iter.ForEach(func(plumbing.EncodedObject) error { n++; return nil })
	return n
}

// TestSyncBlobless: against a server that offers partial clone, the first
// clone holds no blobs; the walk fetches exactly the page versions it
// reads and returns what a full clone returns; a later fetch works on the
// blob-less clone. Against a server that does not, Sync says so once and
// clones everything.
func TestSyncBlobless(t *testing.T) {
	ctx := context.Background()
	url := partialServer(t, true)
	opts := WalkOptions{Pages: testPages(), Branch: "main"}

	full, err := Sync(ctx, url, filepath.Join(t.TempDir(), "full.git"), SyncOptions{Branch: "main", FullClone: true})
	if err != nil {
		t.Fatal(err)
	}
	defer full.Close()
	if full.Partial() {
		t.Fatal("FullClone made a partial clone")
	}
	want, err := full.Revisions(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}

	var notes []string
	cache := filepath.Join(t.TempDir(), "cache", "docs.git")
	repo, err := Sync(ctx, url, cache, SyncOptions{Branch: "main", Note: func(s string) { notes = append(notes, s) }})
	if err != nil {
		t.Fatal(err)
	}
	if !repo.Partial() {
		t.Fatalf("the server offers partial clone but the clone is full (notes %q)", notes)
	}
	if n := blobCount(t, repo); n != 0 {
		t.Errorf("blob-less clone holds %d blobs", n)
	}
	got, err := repo.Revisions(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("blob-less walk differs from the full clone's:\n got  %d revisions\n want %d", len(got), len(want))
	}
	pages := map[string]bool{}
	for _, r := range want {
		if r.Blob != "" && r.Content != nil {
			pages[r.Blob] = true
		}
	}
	if n := blobCount(t, repo); n > len(pages)+4 || n < len(pages) {
		t.Errorf("after the walk the clone holds %d blobs; the pages have %d versions", n, len(pages))
	}
	// Walking again needs no fetch: the blobs are there.
	again, err := repo.Revisions(ctx, opts)
	if err != nil || !reflect.DeepEqual(again, want) {
		t.Errorf("second walk: %v", err)
	}
	repo.Close()

	// Upstream moves on; the incremental fetch works on the blob-less
	// clone and the walk sees the new version.
	work := t.TempDir()
	runGit(t, work, "clone", "-q", url, "w")
	w := filepath.Join(work, "w")
	if err := os.WriteFile(filepath.Join(w, "docs/fundamentals/data-storage-eu.md"), []byte(page("EU", "after the blob-less clone")), 0o644); err != nil {
		t.Fatal(err)
	}
	runGit(t, w, "commit", "-qam", "edit EU upstream")
	runGit(t, w, "push", "-q", "origin", "main")
	pushed := runGit(t, w, "rev-parse", "HEAD")
	repo, err = Sync(ctx, url, cache, SyncOptions{Branch: "main"})
	if err != nil {
		t.Fatal(err)
	}
	defer repo.Close()
	revs, err := repo.Revisions(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	if last := revs[len(revs)-1]; last.Commit != pushed || !strings.Contains(string(last.Content), "after the blob-less clone") {
		t.Errorf("after fetch the last revision is %s %q, want %s", last.Commit[:7], last.Content, pushed[:7])
	}
}

// TestBloblessFetchRepairs: when fetching the page versions fails (the
// server is down, the run is killed), the walk fails with the remote named
// and the clone is left as it was; the next walk fetches them.
func TestBloblessFetchRepairs(t *testing.T) {
	ctx := context.Background()
	srv := partialHTTPServer(t, true)
	var down atomic.Bool
	inner := srv.Config.Handler
	srv.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if down.Load() {
			http.Error(w, "unavailable", http.StatusServiceUnavailable)
			return
		}
		inner.ServeHTTP(w, r)
	})
	cache := filepath.Join(t.TempDir(), "docs.git")
	repo, err := Sync(ctx, srv.URL+"/docs.git", cache, SyncOptions{Branch: "main"})
	if err != nil {
		t.Fatal(err)
	}
	defer repo.Close()
	opts := WalkOptions{Pages: testPages(), Branch: "main"}
	down.Store(true)
	if _, err := repo.Revisions(ctx, opts); err == nil || !strings.Contains(err.Error(), srv.URL) {
		t.Fatalf("walk with the server down: err = %v, want one naming the remote", err)
	}
	down.Store(false)
	revs, err := repo.Revisions(ctx, opts)
	if err != nil {
		t.Fatalf("walk after the server is back: %v", err)
	}
	if len(revs) != 6 || revs[0].Content == nil {
		t.Errorf("after repair: %d revisions, first content %q", len(revs), revs[0].Content)
	}
}

// TestSyncBloblessFallback: a server without partial clone gets a full
// clone and one notice.
func TestSyncBloblessFallback(t *testing.T) {
	ctx := context.Background()
	url := partialServer(t, false)
	var notes []string
	repo, err := Sync(ctx, url, filepath.Join(t.TempDir(), "c.git"), SyncOptions{Branch: "main", Note: func(s string) { notes = append(notes, s) }})
	if err != nil {
		t.Fatal(err)
	}
	defer repo.Close()
	if repo.Partial() {
		t.Error("partial clone from a server that does not offer it")
	}
	if len(notes) != 1 || !strings.Contains(notes[0], "blob-less") {
		t.Errorf("notes = %q, want one saying the clone is full", notes)
	}
	if _, err := repo.Revisions(ctx, WalkOptions{Pages: testPages(), Branch: "main"}); err != nil {
		t.Fatal(err)
	}
}
