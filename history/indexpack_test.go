package history

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/residiff/residiff/internal/gittest"
)

// TestIndexPackLikeGit: the index residiff writes for a pack is the index
// git index-pack writes, byte for byte, for packs with offset deltas,
// with reference deltas, and blob-less.
func TestIndexPackLikeGit(t *testing.T) {
	dir, _, _ := packedRepo(t)
	for _, tc := range []struct{ name, args string }{
		{"offset deltas", "--delta-base-offset"},
		{"reference deltas", ""},
		{"blob-less", "--delta-base-offset --filter=blob:none"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := t.TempDir()
			args := append([]string{"pack-objects", "--all", "--revs", "-q", "--stdout"}, strings.Fields(tc.args)...)
			cmd := gittest.Command(dir, args...)
			cmd.Stdin = strings.NewReader("")
			pack, err := cmd.Output()
			if err != nil {
				t.Fatal(err)
			}
			path, err := indexPack(context.Background(), out, bytes.NewReader(pack))
			if err != nil {
				t.Fatal(err)
			}
			got, err := os.ReadFile(strings.TrimSuffix(path, ".pack") + ".idx")
			if err != nil {
				t.Fatal(err)
			}
			stored, err := os.ReadFile(path)
			if err != nil || !bytes.Equal(stored, pack) {
				t.Fatalf("the stored pack differs from the stream (%v)", err)
			}
			ref := filepath.Join(t.TempDir(), "ref.pack")
			if err := os.WriteFile(ref, pack, 0o644); err != nil {
				t.Fatal(err)
			}
			gittest.Git(t, dir, "index-pack", ref)
			want, err := os.ReadFile(strings.TrimSuffix(ref, ".pack") + ".idx")
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("index of %d bytes differs from git's (%d bytes)", len(got), len(want))
			}
			if left, _ := filepath.Glob(filepath.Join(out, "tmp_*")); len(left) > 0 {
				t.Errorf("left behind: %v", left)
			}
		})
	}
}

// TestIndexPackRefusesClaims: a pack whose header claims more objects
// than its body holds (2³¹ in 12 bytes and a few entries) is an error at
// the end of the body, without memory for the count; a damaged trailer
// or entry is an error; nothing is left in the folder.
func TestIndexPackRefusesClaims(t *testing.T) {
	dir, _, _ := packedRepo(t)
	cmd := gittest.Command(dir, "pack-objects", "--all", "--revs", "-q", "--stdout", "--delta-base-offset")
	cmd.Stdin = strings.NewReader("")
	pack, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, want string
		edit       func([]byte) []byte
	}{
		{"count past the body", "of 2147483648", func(p []byte) []byte {
			p[8], p[9], p[10], p[11] = 0x80, 0, 0, 0
			return p
		}},
		{"bad checksum", "pack checksum", func(p []byte) []byte {
			p[len(p)-1] ^= 1
			return p
		}},
		{"damaged entry", "pack entry", func(p []byte) []byte {
			p[40] ^= 0xff
			return p
		}},
		{"not a pack", "not a pack", func(p []byte) []byte { return []byte("<html>nope</html>") }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := t.TempDir()
			_, err := indexPack(context.Background(), out, bytes.NewReader(tc.edit(bytes.Clone(pack))))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want one saying %q", err, tc.want)
			}
			if left, _ := os.ReadDir(out); len(left) > 0 {
				t.Errorf("left behind: %v", left)
			}
		})
	}
}

// TestStoreThinPack: a thin pack (reference deltas to objects the
// repository has) is no pack residiff indexes alone: it goes to go-git's
// indexer, whose answer stands.
func TestStoreThinPack(t *testing.T) {
	dir, _, _ := packedRepo(t)
	page := filepath.Join(filepath.Dir(dir), "docs", "data-residency.md")
	body := []byte(strings.Repeat("Customer data is stored in the EU Data Boundary, said the page again.\n", 200))
	if err := os.WriteFile(page, body, 0o644); err != nil {
		t.Fatal(err)
	}
	gittest.Git(t, filepath.Dir(dir), "commit", "-qam", "long")
	if err := os.WriteFile(page, append(body, "One more line.\n"...), 0o644); err != nil {
		t.Fatal(err)
	}
	gittest.Git(t, filepath.Dir(dir), "commit", "-qam", "thin")
	cmd := gittest.Command(dir, "pack-objects", "--revs", "--thin", "-q", "--stdout")
	cmd.Stdin = strings.NewReader("HEAD\n^HEAD~1\n")
	pack, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	// The receiving repository: the history before the new commit.
	recv := filepath.Join(t.TempDir(), "recv.git")
	gittest.Git(t, dir, "clone", "-q", "--bare", "--no-local", dir, recv)
	gittest.Git(t, recv, "update-ref", "refs/heads/main", gittest.Git(t, dir, "rev-parse", "HEAD~1"))
	gittest.Git(t, recv, "reflog", "expire", "--expire=now", "--all")
	gittest.Git(t, recv, "gc", "-q", "--prune=now")
	r, err := Open(context.Background(), recv)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if _, err := indexPack(context.Background(), t.TempDir(), bytes.NewReader(pack)); err != errThinPack {
		t.Fatalf("indexPack of a thin pack: %v, want errThinPack", err)
	}
	// go-git's indexer, the fallback, cannot complete a thin pack either
	// (residiff asks for none): an error (go-git leaves its temporary
	// file), no panic.
	if err := storePack(context.Background(), r.repo.Storer, r.packs.dir, bytes.NewReader(pack)); err == nil {
		blob := gittest.Git(t, dir, "rev-parse", "HEAD:docs/data-residency.md")
		if _, data, err := r.readObject(plumbingHash(blob)); err != nil || !strings.HasSuffix(string(data), "One more line.\n") {
			t.Errorf("the new page version: %q, %v", data, err)
		}
	} else {
		t.Logf("go-git: %v", err)
	}
}

func plumbingHash(s string) plumbing.Hash { return plumbing.NewHash(s) }
