// Package atomicfile replaces files so that readers and crashes only ever
// see the old content or the new, never a mix or a truncated file.
package atomicfile

import (
	"fmt"
	"os"
	"path/filepath"
)

// Options tune WriteFile.
type Options struct {
	// BeforeRename, when set, runs after the new content is written and
	// synced and before it replaces the old file (crash tests use it).
	BeforeRename func()
	// Perm is the new file's permission; 0 means 0644.
	Perm os.FileMode
	// NoSync skips the fsyncs: for caches, where a file lost to a power
	// failure is only a miss, the rename still keeps readers from seeing
	// a half-written file.
	NoSync bool
}

// WriteFile replaces path with data: a temporary file in the same
// directory, fsync, rename over path, fsync of the directory. Missing
// parent directories are created.
func WriteFile(path string, data []byte, opts Options) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	defer func() { _ = os.Remove(tmp) }() // a no-op after the rename
	perm := opts.Perm
	if perm == 0 {
		perm = 0o644
	}
	if err := f.Chmod(perm); err != nil {
		_ = f.Close() // the write already failed; that error is the one to report
		return err
	}
	if _, err := f.Write(data); err != nil {
		_ = f.Close() // the write already failed; that error is the one to report
		return err
	}
	if !opts.NoSync {
		if err := f.Sync(); err != nil {
			_ = f.Close() // the write already failed; that error is the one to report
			return err
		}
	}
	if err := f.Close(); err != nil {
		return err
	}
	if opts.BeforeRename != nil {
		opts.BeforeRename()
	}
	if err := os.Rename(tmp, path); err != nil {
		return err
	}
	if opts.NoSync {
		return nil
	}
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	if err := d.Sync(); err != nil {
		_ = d.Close()
		return fmt.Errorf("sync %s: %w", dir, err)
	}
	return d.Close()
}
