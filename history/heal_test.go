package history

import (
	"bytes"
	"context"
	"crypto/sha1"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// upstream serves a bare copy of the test history over smart HTTP and
// returns its URL.
func upstream(t *testing.T) string {
	t.Helper()
	tr, _ := buildHistory(t)
	root := t.TempDir()
	runGit(t, root, "clone", "--bare", "-q", tr.dir, "docs.git")
	return gitServer(t, root).URL + "/docs.git"
}

// TestSyncHealsDamagedCache damages a clone cache the ways a kill, a full
// disk or a person can, and syncs again: each time one warning, a new
// clone (blob-less again when the server offers it), every revision
// found, the damaged copy kept aside.
func TestSyncHealsDamagedCache(t *testing.T) {
	for _, partial := range []bool{false, true} {
		t.Run(fmt.Sprintf("partial=%v", partial), func(t *testing.T) { testSyncHeals(t, partialServer(t, partial), partial) })
	}
}

func testSyncHeals(t *testing.T, url string, partial bool) {
	ctx := context.Background()
	packOf := func(t *testing.T, cache, ext string) string {
		m, _ := filepath.Glob(filepath.Join(cache, "objects", "pack", "*."+ext))
		if len(m) == 0 {
			t.Fatalf("no .%s in the clone", ext)
		}
		return m[0]
	}
	tests := []struct {
		name   string
		damage func(t *testing.T, cache string)
		want   string // in the warning
	}{
		{"truncated branch ref", func(t *testing.T, cache string) {
			write(t, filepath.Join(cache, "refs", "heads", "main"), "")
		}, "refs/heads/main"},
		{"garbage branch ref", func(t *testing.T, cache string) {
			write(t, filepath.Join(cache, "refs", "heads", "main"), "not a hash\n")
		}, "refs/heads/main"},
		{"empty HEAD", func(t *testing.T, cache string) {
			write(t, filepath.Join(cache, "HEAD"), "")
		}, "HEAD"},
		{"tip missing", func(t *testing.T, cache string) {
			write(t, filepath.Join(cache, "refs", "heads", "main"), strings.Repeat("ab", 20)+"\n")
		}, "tip abababa"},
		{"index of another pack", func(t *testing.T, cache string) {
			idx := packOf(t, cache, "idx")
			data, err := os.ReadFile(idx)
			if err != nil {
				t.Fatal(err)
			}
			data[len(data)-30] ^= 0xff // the pack checksum it records
			write(t, idx, string(data))
		}, "checksums differ"},
		{"fanout falls", func(t *testing.T, cache string) {
			idx := packOf(t, cache, "idx")
			data, err := os.ReadFile(idx)
			if err != nil {
				t.Fatal(err)
			}
			binary.BigEndian.PutUint32(data[8+4*100:], 0xffffff)
			write(t, idx, string(data))
		}, "fanout"},
		{"index lost", func(t *testing.T, cache string) {
			if err := os.Remove(packOf(t, cache, "idx")); err != nil {
				t.Fatal(err)
			}
		}, "has no index"},
		{"truncated pack", func(t *testing.T, cache string) {
			p := packOf(t, cache, "pack")
			if err := os.Truncate(p, 20); err != nil {
				t.Fatal(err)
			}
		}, "pack too short"},
		{"HEAD lost", func(t *testing.T, cache string) {
			if err := os.Remove(filepath.Join(cache, "HEAD")); err != nil {
				t.Fatal(err)
			}
		}, "no HEAD"},
		{"unreadable config", func(t *testing.T, cache string) {
			write(t, filepath.Join(cache, "config"), "[remote \"origin\"\n\turl = \n[[[")
		}, "damaged"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cache := filepath.Join(t.TempDir(), "docs.git")
			repo, err := Sync(ctx, url, cache, SyncOptions{Branch: "main"})
			if err != nil {
				t.Fatal(err)
			}
			want, _ := repo.Head("main")
			_ = repo.Close()
			tt.damage(t, cache)

			var warnings []string
			repo, err = Sync(ctx, url, cache, SyncOptions{Branch: "main", Warn: func(s string) { warnings = append(warnings, s) }})
			if err != nil {
				t.Fatalf("sync of the damaged cache: %v", err)
			}
			defer func() { _ = repo.Close() }()
			if len(warnings) != 1 || !strings.Contains(warnings[0], tt.want) || !strings.Contains(warnings[0], "cloning") {
				t.Errorf("warnings %q, want one naming %q", warnings, tt.want)
			}
			if got, err := repo.Head("main"); err != nil || got != want {
				t.Errorf("tip after healing %s, %v; want %s", got, err, want)
			}
			if repo.Partial() != partial {
				t.Errorf("the new clone is blob-less: %v, want %v", repo.Partial(), partial)
			}
			revs, err := repo.Revisions(ctx, WalkOptions{Pages: testPages(), Branch: "main"})
			if err != nil || len(revs) != 6 {
				t.Errorf("walk after healing: %d revisions, %v; want 6", len(revs), err)
			}
			if aside, _ := filepath.Glob(cache + ".damaged-*"); len(aside) != 1 {
				t.Errorf("damaged copies kept: %q, want one", aside)
			}

			// Healed for good: the next sync says nothing.
			_ = repo.Close()
			warnings = nil
			repo, err = Sync(ctx, url, cache, SyncOptions{Branch: "main", Warn: func(s string) { warnings = append(warnings, s) }})
			if err != nil || len(warnings) != 0 {
				t.Errorf("third sync: %v, warnings %q", err, warnings)
			}
		})
	}
}

func write(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestSyncWritesRefsAtomically: the references a fetch moves are written
// by write and rename (the file is replaced, not rewritten in place), and
// no temporary file is left in refs/.
func TestSyncWritesRefsAtomically(t *testing.T) {
	ctx := context.Background()
	tr, _ := buildHistory(t)
	root := t.TempDir()
	runGit(t, root, "clone", "--bare", "-q", tr.dir, "docs.git")
	url := gitServer(t, root).URL + "/docs.git"
	cache := filepath.Join(t.TempDir(), "docs.git")
	repo, err := Sync(ctx, url, cache, SyncOptions{Branch: "main"})
	if err != nil {
		t.Fatal(err)
	}
	_ = repo.Close()
	ref := filepath.Join(cache, "refs", "heads", "main")
	before, err := os.Stat(ref)
	if err != nil {
		t.Fatal(err)
	}
	// Upstream moves on.
	work := t.TempDir()
	runGit(t, work, "clone", "-q", filepath.Join(root, "docs.git"), "w")
	w := filepath.Join(work, "w")
	write(t, filepath.Join(w, "toc.yml"), "toc 3\n")
	runGit(t, w, "commit", "-qam", "unrelated")
	runGit(t, w, "push", "-q", "origin", "main")
	tip := runGit(t, w, "rev-parse", "HEAD")

	repo, err = Sync(ctx, url, cache, SyncOptions{Branch: "main"})
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = repo.Close() }()
	after, err := os.Stat(ref)
	if err != nil {
		t.Fatal(err)
	}
	if os.SameFile(before, after) {
		t.Error("refs/heads/main was rewritten in place, not replaced")
	}
	if got, _ := os.ReadFile(ref); strings.TrimSpace(string(got)) != tip {
		t.Errorf("refs/heads/main = %q, want %s", got, tip)
	}
	var left []string
	_ = filepath.Walk(cache, func(p string, fi os.FileInfo, err error) error {
		if err == nil && strings.Contains(fi.Name(), "tmp") {
			left = append(left, p)
		}
		return nil
	})
	if len(left) != 0 {
		t.Errorf("temporary files left: %q", left)
	}
}

// TestSyncRemovesStaleTemps: what a killed run left (a reference write, a
// half-received pack) is removed once old enough; a fresh one is left to
// the run that may still be writing it.
func TestSyncRemovesStaleTemps(t *testing.T) {
	ctx := context.Background()
	url := upstream(t)
	cache := filepath.Join(t.TempDir(), "docs.git")
	repo, err := Sync(ctx, url, cache, SyncOptions{Branch: "main"})
	if err != nil {
		t.Fatal(err)
	}
	_ = repo.Close()
	old := time.Now().Add(-time.Hour)
	stale := []string{
		filepath.Join(cache, refTempPrefix+"123"),
		filepath.Join(cache, "objects", "pack", "tmp_pack_abc"),
		filepath.Join(cache, "objects", "pack", packTempPrefix+"def"),
		filepath.Join(cache, "objects", "pack", "pack-abc.idx.tmp-123"),
		filepath.Join(cache, "objects", "info", "commit-graph.tmp-456"),
	}
	fresh := filepath.Join(cache, "objects", "pack", "tmp_pack_live")
	for _, p := range append(stale, fresh) {
		write(t, p, "partial")
	}
	for _, p := range stale {
		if err := os.Chtimes(p, old, old); err != nil {
			t.Fatal(err)
		}
	}
	repo, err = Sync(ctx, url, cache, SyncOptions{Branch: "main"})
	if err != nil {
		t.Fatal(err)
	}
	_ = repo.Close()
	for _, p := range stale {
		if _, err := os.Stat(p); err == nil {
			t.Errorf("%s not removed", filepath.Base(p))
		}
	}
	if _, err := os.Stat(fresh); err != nil {
		t.Errorf("a fresh temporary file was removed: %v", err)
	}
}

// hostilePackServer answers every upload-pack request with a pack of
// size bytes whose header claims count objects, after advertising the
// refs of the real repository at dir.
func hostilePackServer(t *testing.T, real string, count uint32, size int) string {
	t.Helper()
	body := make([]byte, size)
	copy(body, "PACK\x00\x00\x00\x02")
	binary.BigEndian.PutUint32(body[8:], count)
	for i := 12; i < size-20; i++ {
		body[i] = byte(i*7 + 3)
	}
	sum := sha1.Sum(body[:size-20])
	copy(body[size-20:], sum[:])
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/git-upload-pack") {
			hits.Add(1)
			_, _ = io.Copy(io.Discard, r.Body)
			w.Header().Set("Content-Type", "application/x-git-upload-pack-result")
			_, _ = io.WriteString(w, "0008NAK\n")
			// Side band 64k, which every client here asks for.
			for rest := body; len(rest) > 0; {
				n := min(len(rest), 65515)
				_, _ = fmt.Fprintf(w, "%04x\x01", n+5)
				_, _ = w.Write(rest[:n])
				rest = rest[n:]
			}
			_, _ = io.WriteString(w, "0000")
			return
		}
		// The advertisement: proxied from the real server.
		resp, err := http.Get(real + strings.TrimPrefix(r.URL.String(), "/docs.git"))
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		defer func() { _ = resp.Body.Close() }()
		w.Header().Set("Content-Type", resp.Header.Get("Content-Type"))
		w.WriteHeader(resp.StatusCode)
		_, _ = io.Copy(w, resp.Body)
	}))
	t.Cleanup(srv.Close)
	t.Cleanup(func() {
		if hits.Load() == 0 {
			t.Error("the hostile server was never asked for a pack")
		}
	})
	return srv.URL + "/docs.git"
}

// TestSyncRejectsImpossibleObjectCount: a server's 6 KB answer claiming
// 45 million (or 2^31) objects is refused before go-git indexes it, in
// little time and memory, as a clear error; the cache is left without a
// half-made clone.
func TestSyncRejectsImpossibleObjectCount(t *testing.T) {
	ctx := context.Background()
	real := upstream(t)
	for _, count := range []uint32{45_000_000, 1 << 31} {
		for _, full := range []bool{false, true} {
			t.Run(fmt.Sprintf("%d/full=%v", count, full), func(t *testing.T) {
				url := hostilePackServer(t, real, count, 6<<10)
				cache := filepath.Join(t.TempDir(), "docs.git")
				var before runtime.MemStats
				runtime.ReadMemStats(&before)
				start := time.Now()
				repo, err := Sync(ctx, url, cache, SyncOptions{Branch: "main", FullClone: full})
				if err == nil {
					_ = repo.Close()
					t.Fatal("the hostile pack was accepted")
				}
				var after runtime.MemStats
				runtime.ReadMemStats(&after)
				if !errors.Is(err, ErrPackCount) || !strings.Contains(err.Error(), fmt.Sprint(count)) {
					t.Errorf("error %v, want ErrPackCount naming %d", err, count)
				}
				if d := time.Since(start); d > 5*time.Second {
					t.Errorf("took %s", d)
				}
				if grew := after.TotalAlloc - before.TotalAlloc; grew > 64<<20 {
					t.Errorf("allocated %d MB", grew>>20)
				}
				if _, err := os.Stat(cache); err == nil {
					t.Error("a clone was left in the cache")
				}
			})
		}
	}
}

// TestCheckPackHeader is the count check alone.
func TestCheckPackHeader(t *testing.T) {
	pack := func(count uint32, size int) []byte {
		b := make([]byte, size)
		copy(b, "PACK\x00\x00\x00\x02")
		binary.BigEndian.PutUint32(b[8:], count)
		return b
	}
	tests := []struct {
		name string
		data []byte
		ok   bool
	}{
		{"empty", nil, true},
		{"one object fits", pack(1, 12+20+minObjectBytes), true},
		{"two do not", pack(2, 12+20+minObjectBytes), false},
		{"45 million in 6 KB", pack(45_000_000, 6<<10), false},
		{"not a pack", bytes.Repeat([]byte("x"), 40), false},
	}
	for _, tt := range tests {
		err := checkPackHeader(bytes.NewReader(tt.data), int64(len(tt.data)))
		if (err == nil) != tt.ok {
			t.Errorf("%s: %v, want ok %v", tt.name, err, tt.ok)
		}
	}
}
