package state

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/gofrs/flock"
)

// ErrLocked is wrapped by Lock's error when another process holds the lock.
var ErrLocked = errors.New("another residiff run holds the lock")

// Lock is an exclusive advisory lock that keeps two runs from working on
// the same state file at once. The kernel releases it when the process
// ends, however it ends, so a crashed run never leaves a stale lock.
type Lock struct {
	fl *flock.Flock
}

// Acquire takes the lock file path+".lock" without waiting. When another
// process holds it, the error wraps ErrLocked and names the file.
func Acquire(path string) (*Lock, error) {
	lockPath := path + ".lock"
	if err := os.MkdirAll(filepath.Dir(lockPath), 0o755); err != nil {
		return nil, fmt.Errorf("lock %s: %w", lockPath, err)
	}
	fl := flock.New(lockPath)
	ok, err := fl.TryLock()
	if err != nil {
		return nil, fmt.Errorf("lock %s: %w", lockPath, err)
	}
	if !ok {
		return nil, fmt.Errorf("lock %s: %w; wait for it to finish", lockPath, ErrLocked)
	}
	return &Lock{fl: fl}, nil
}

// Release gives the lock up. The lock file stays, so that the next run
// locks the same inode.
func (l *Lock) Release() error {
	if err := l.fl.Unlock(); err != nil {
		return fmt.Errorf("unlock %s: %w", l.fl.Path(), err)
	}
	return nil
}
