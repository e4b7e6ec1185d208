// The sync of one configured repository: open a local one, or clone or
// fetch a remote one into the cache (a dry run too, under the lock).

package job

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/residiff/residiff/config"
	"github.com/residiff/residiff/history"
	"github.com/residiff/residiff/state"
)

// open opens a local repository or syncs a remote one into the cache.
func (r *runner) open(ctx context.Context, cr config.Repository) (*history.Repo, error) {
	if cr.Path != "" {
		return history.Open(ctx, cr.Path)
	}
	dir := history.CacheDir(r.cfg.CacheDir, cr.URL)
	if r.opts.DryRun {
		// A dry run shows what the next run would send: it fetches into
		// the cached clone (under the state's lock, as a run would; the
		// state does not move), or clones into a temporary folder when
		// there is no cache yet.
		if _, err := os.Stat(dir); err == nil {
			if err := r.lockForDryRun(); err != nil {
				return nil, err
			}
			so, err := r.syncOptions(cr)
			if err != nil {
				return nil, err
			}
			r.logf("dry run: %s: fetching into the cached clone; the state is not changed", cr.Name)
			return history.Sync(ctx, cr.URL, dir, so)
		}
		tmp, err := os.MkdirTemp("", "residiff-dry-run-")
		if err != nil {
			return nil, err
		}
		r.cleanup = append(r.cleanup, func() { _ = os.RemoveAll(tmp) })
		dir = filepath.Join(tmp, "clone.git")
	}
	so, err := r.syncOptions(cr)
	if err != nil {
		return nil, err
	}
	return history.Sync(ctx, cr.URL, dir, so)
}

// syncOptions are the fetch options of cr, its credentials read.
func (r *runner) syncOptions(cr config.Repository) (history.SyncOptions, error) {
	so := history.SyncOptions{Branch: cr.Branch, Progress: r.opts.SyncProgress, Note: func(s string) { r.logf("%s", s) }}
	switch {
	case cr.TokenEnv != "":
		so.Username, so.Password = "x-access-token", strings.TrimSpace(r.opts.Getenv(cr.TokenEnv))
		if so.Password == "" {
			return so, fmt.Errorf("environment variable %s is empty or unset", cr.TokenEnv)
		}
	case cr.PasswordEnv != "":
		so.Username, so.Password = r.opts.Getenv(cr.UsernameEnv), r.opts.Getenv(cr.PasswordEnv)
		if so.Password == "" {
			return so, fmt.Errorf("environment variable %s is empty or unset", cr.PasswordEnv)
		}
	}
	return so, nil
}

// lockForDryRun takes the state's lock for the rest of a dry run, once:
// its fetch must not race a run's.
func (r *runner) lockForDryRun() error {
	if r.dryLock {
		return nil
	}
	lock, err := state.Acquire(r.cfg.State)
	if err != nil {
		return fmt.Errorf("dry run: %w", err)
	}
	r.dryLock = true
	r.cleanup = append(r.cleanup, func() { _ = lock.Release() })
	return nil
}
