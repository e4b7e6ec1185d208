package history

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/residiff/residiff/internal/gittest"
)

// packedRepo makes a repository of a few page commits in one pack, with
// no loose objects and no commit-graph, and returns its git folder and
// the paths of its index and pack.
func packedRepo(t *testing.T) (dir, idx, pack string) {
	t.Helper()
	dir = t.TempDir()
	gittest.Git(t, dir, "init", "-q", "-b", "main")
	page := filepath.Join(dir, "docs", "data-residency.md")
	if err := os.MkdirAll(filepath.Dir(page), 0o755); err != nil {
		t.Fatal(err)
	}
	for i := range 12 {
		if err := os.WriteFile(page, []byte(fmt.Sprintf("# Data residency\n\nEdit %d: data stays in the EU.\n", i)), 0o644); err != nil {
			t.Fatal(err)
		}
		gittest.Git(t, dir, "add", "-A")
		gittest.Git(t, dir, "commit", "-q", "-m", fmt.Sprint("edit ", i))
	}
	gittest.Git(t, dir, "repack", "-a", "-d", "-q")
	idxs, _ := filepath.Glob(filepath.Join(dir, ".git", "objects", "pack", "*.idx"))
	if len(idxs) != 1 {
		t.Fatalf("%d pack indexes, want 1", len(idxs))
	}
	_ = os.Remove(filepath.Join(dir, ".git", "objects", "info", "commit-graph"))
	return filepath.Join(dir, ".git"), idxs[0], strings.TrimSuffix(idxs[0], ".idx") + ".pack"
}

// rewrite changes a file that git made read-only.
func rewrite(t *testing.T, path string, edit func([]byte) []byte) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, edit(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

// idxObjects is the object count of a version 2 index.
func idxObjects(idx []byte) int { return int(binary.BigEndian.Uint32(idx[8+255*4:])) }

// idxOffsets is where the 32-bit offsets of a version 2 index start.
func idxOffsets(idx []byte) int { return 8 + 256*4 + 24*idxObjects(idx) }

// walkDamaged walks the repository at dir with a time limit and returns
// the walk's error (nil when it read the history). A panic or a loop
// fails the test.
func walkDamaged(t *testing.T, dir string) error {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	done := make(chan error, 1)
	go func() {
		defer func() {
			if p := recover(); p != nil {
				done <- fmt.Errorf("panic: %v", p)
			}
		}()
		r, err := Open(ctx, dir)
		if err != nil {
			done <- err
			return
		}
		defer r.Close()
		_, err = r.Revisions(ctx, WalkOptions{Pages: []string{"docs/**/*.md"}})
		done <- err
	}()
	select {
	case err := <-done:
		if err != nil && strings.HasPrefix(err.Error(), "panic: ") {
			t.Fatal(err)
		}
		return err
	case <-time.After(20 * time.Second):
		t.Fatal("the walk of a damaged repository did not end in 20 s")
		return nil
	}
}

// TestDamagedPacks: an index or pack that does not hold together is
// reported as damaged (ErrCorrupt, naming the file), never read, never a
// panic or a loop; the undamaged repository walks.
func TestDamagedPacks(t *testing.T) {
	tests := []struct {
		name string
		want string // in the error
		idx  func(t *testing.T, idx []byte) []byte
		pack func(t *testing.T, pack []byte) []byte
	}{
		{name: "fanout past the object count", want: "fanout goes down", idx: func(_ *testing.T, idx []byte) []byte {
			// What made (*pack).find index past the names.
			binary.BigEndian.PutUint32(idx[8+0x10*4:], 0xffffff)
			return idx
		}},
		{name: "fanout counts more than the index holds", want: "cannot hold", idx: func(_ *testing.T, idx []byte) []byte {
			binary.BigEndian.PutUint32(idx[8+255*4:], uint32(idxObjects(idx)+1))
			return idx
		}},
		{name: "fanout disagrees with the names", want: "outside its fanout bucket", idx: func(_ *testing.T, idx []byte) []byte {
			// Every bucket but the last empty: the names are in the wrong one.
			for i := range 255 {
				binary.BigEndian.PutUint32(idx[8+4*i:], 0)
			}
			return idx
		}},
		{name: "names out of order", want: "out of order", idx: func(t *testing.T, idx []byte) []byte {
			// Two names of one fanout bucket swapped (48 objects in 256
			// buckets share one but for a chance of 1 in 8,000).
			names := idx[8+256*4 : 8+256*4+20*idxObjects(idx)]
			for i := 20; i+20 <= len(names); i += 20 {
				if names[i] == names[i-20] {
					a := bytes.Clone(names[i-20 : i])
					copy(names[i-20:i], names[i:i+20])
					copy(names[i:i+20], a)
					return idx
				}
			}
			t.Skip("no two object names share a first byte")
			return idx
		}},
		{name: "offset past the pack", want: "outside the pack", idx: func(_ *testing.T, idx []byte) []byte {
			binary.BigEndian.PutUint32(idx[idxOffsets(idx)+4:], 0x7ffffff0)
			return idx
		}},
		{name: "64-bit offset that is not there", want: "64-bit offset", idx: func(_ *testing.T, idx []byte) []byte {
			binary.BigEndian.PutUint32(idx[idxOffsets(idx):], 0x80000003)
			return idx
		}},
		{name: "truncated index", want: "cannot hold", idx: func(_ *testing.T, idx []byte) []byte { return idx[:len(idx)-50] }},
		{name: "index of another pack", want: "checksums differ", pack: func(_ *testing.T, pack []byte) []byte {
			pack[len(pack)-1] ^= 0xff
			return pack
		}},
		{name: "pack counts other objects", want: "the pack", pack: func(_ *testing.T, pack []byte) []byte {
			binary.BigEndian.PutUint32(pack[8:], 7)
			return pack
		}},
		{name: "every offset at the tip commit", want: "but the commit there is", idx: func(_ *testing.T, idx []byte) []byte {
			// What made the first-parent walk loop: every id, the tip's
			// parent among them, reads as the tip.
			return idx // set below, once the tip's offset is known
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir, idx, pack := packedRepo(t)
			if tt.name == "every offset at the tip commit" {
				tip := gittest.Git(t, dir, "rev-parse", "HEAD")
				verify := gittest.Git(t, dir, "verify-pack", "-v", idx)
				var at uint32
				for _, l := range strings.Split(verify, "\n") {
					if f := strings.Fields(l); len(f) >= 5 && f[0] == tip {
						_, _ = fmt.Sscan(f[4], &at)
					}
				}
				if at == 0 {
					t.Fatalf("tip %s not in verify-pack's list", tip)
				}
				tt.idx = func(_ *testing.T, idx []byte) []byte {
					for i, o := 0, idxOffsets(idx); i < idxObjects(idx); i++ {
						binary.BigEndian.PutUint32(idx[o+4*i:], at)
					}
					return idx
				}
			}
			if err := walkDamaged(t, dir); err != nil {
				t.Fatalf("the undamaged repository: %v", err)
			}
			if tt.idx != nil {
				rewrite(t, idx, func(b []byte) []byte { return tt.idx(t, b) })
			}
			if tt.pack != nil {
				rewrite(t, pack, func(b []byte) []byte { return tt.pack(t, b) })
			}
			err := walkDamaged(t, dir)
			if !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), "pack-") {
				t.Fatalf("walk: %v; want ErrCorrupt naming the pack and saying %q", err, tt.want)
			}
			t.Log(err)
		})
	}
}

// TestVerifyNamesDamage: Repo.Verify reports a damaged index without a
// walk, and nothing for a sound repository.
func TestVerifyNamesDamage(t *testing.T) {
	dir, idx, _ := packedRepo(t)
	r, err := Open(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Verify(); err != nil {
		t.Errorf("sound repository: %v", err)
	}
	r.Close()
	rewrite(t, idx, func(idx []byte) []byte {
		binary.BigEndian.PutUint32(idx[8+0x10*4:], 0xffffff)
		return idx
	})
	r, err = Open(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if err := r.Verify(); !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), filepath.Base(idx)) {
		t.Errorf("damaged index: %v, want ErrCorrupt naming %s", err, filepath.Base(idx))
	}
}

// TestLoopingCommitGraph: a commit-graph that names the tip its own
// first parent ends the walk with ErrCorrupt instead of looping.
func TestLoopingCommitGraph(t *testing.T) {
	dir, _, _ := packedRepo(t)
	gittest.Git(t, dir, "commit-graph", "write", "--reachable")
	path := filepath.Join(dir, "objects", "info", "commit-graph")
	tip := gittest.Git(t, dir, "rev-parse", "HEAD")
	rewrite(t, path, func(g []byte) []byte {
		chunks := int(g[6])
		at := map[string]int{}
		for i := range chunks {
			e := g[8+12*i:]
			at[string(e[:4])] = int(binary.BigEndian.Uint64(e[4:12]))
		}
		n := idxObjects(append(make([]byte, 8), g[at["OIDF"]:]...))
		self := -1
		for i := range n {
			if fmt.Sprintf("%x", g[at["OIDL"]+20*i:at["OIDL"]+20*i+20]) == tip {
				self = i
			}
		}
		if self < 0 {
			t.Fatalf("tip %s not in the commit-graph", tip)
		}
		// Commit data: tree, first parent's position, second's, date.
		binary.BigEndian.PutUint32(g[at["CDAT"]+36*self+20:], uint32(self))
		return g
	})
	err := walkDamaged(t, dir)
	if !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), "loops") {
		t.Fatalf("walk: %v; want ErrCorrupt saying the chain loops", err)
	}
}
