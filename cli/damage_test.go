package cli

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/testscript"
)

// damagePack copies the bare repository src to dst and damages its pack
// index: "fanout" makes the fanout table go down (a bucket past the
// object count), "offsets" points every object at one commit.
func damagePack(mode, src, dst string) error {
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), data, 0o644)
	})
	if err != nil {
		return err
	}
	idxs, _ := filepath.Glob(filepath.Join(dst, "objects", "pack", "*.idx"))
	if len(idxs) != 1 {
		return fmt.Errorf("%d pack indexes in %s, want 1", len(idxs), src)
	}
	idx, err := os.ReadFile(idxs[0])
	if err != nil {
		return err
	}
	n := int(binary.BigEndian.Uint32(idx[8+255*4:]))
	switch mode {
	case "fanout":
		binary.BigEndian.PutUint32(idx[8+0x10*4:], 0xffffff)
	case "offsets":
		pack, err := os.ReadFile(strings.TrimSuffix(idxs[0], ".idx") + ".pack")
		if err != nil {
			return err
		}
		at := 8 + 256*4 + 24*n
		commit := uint32(0)
		for i := 0; i < n && commit == 0; i++ {
			if off := binary.BigEndian.Uint32(idx[at+4*i:]); (pack[off]>>4)&7 == 1 {
				commit = off
			}
		}
		for i := range n {
			binary.BigEndian.PutUint32(idx[at+4*i:], commit)
		}
	default:
		return fmt.Errorf("damage %q: want fanout or offsets", mode)
	}
	return os.WriteFile(idxs[0], idx, 0o644)
}

// scriptCmds are the testscript commands the CLI scripts use beyond the
// built-in ones.
var scriptCmds = map[string]func(ts *testscript.TestScript, neg bool, args []string){
	// damagepack MODE SRC DST: see damagePack.
	"damagepack": func(ts *testscript.TestScript, neg bool, args []string) {
		if neg || len(args) != 3 {
			ts.Fatalf("usage: damagepack fanout|offsets SRC DST")
		}
		ts.Check(damagePack(args[0], ts.MkAbs(args[1]), ts.MkAbs(args[2])))
	},
}

// TestDamagedPackExit: a repository whose pack index is damaged is one
// clear error, exit status 2, in well under 10 s — not a panic (a
// fanout past the object count) or a walk that never ends (every object
// read as one commit, its own parent).
func TestDamagedPackExit(t *testing.T) {
	for _, mode := range []string{"fanout", "offsets"} {
		t.Run(mode, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "damaged.git")
			if err := damagePack(mode, "../fixtures/upstream.git", dir); err != nil {
				t.Fatal(err)
			}
			var out, errOut bytes.Buffer
			start := time.Now()
			code := Main(context.Background(), []string{"changelog", "--repo", dir, "--quiet"}, Streams{Out: &out, Err: &errOut})
			if took := time.Since(start); took > 10*time.Second {
				t.Errorf("took %s", took)
			}
			msg := errOut.String()
			if code != ExitError || strings.Count(msg, "residiff: ") != 1 || !strings.Contains(msg, "object files are damaged") || !strings.Contains(msg, "pack-") {
				t.Errorf("exit %d, stderr %q; want exit %d and one line saying the pack is damaged", code, msg, ExitError)
			}
		})
	}
}
