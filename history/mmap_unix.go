//go:build unix

package history

import (
	"fmt"
	"os"
	"syscall"
)

// mapFile maps the file at path read-only into memory: the walk reads pack
// entries as slices of the mapping, without a system call per object.
// Pack and index files are never rewritten in place (git writes new ones
// and renames), so the mapping stays valid while the file is open; a file
// that cannot be mapped is read instead.
func mapFile(path string) ([]byte, func() error, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer func() { _ = f.Close() }() // the mapping outlives the descriptor
	fi, err := f.Stat()
	if err != nil {
		return nil, nil, err
	}
	size := fi.Size()
	if size == 0 {
		return nil, func() error { return nil }, nil
	}
	if int64(int(size)) != size {
		return nil, nil, fmt.Errorf("%s: %d bytes is more than this platform can map", path, size)
	}
	data, err := syscall.Mmap(int(f.Fd()), 0, int(size), syscall.PROT_READ, syscall.MAP_SHARED)
	if err != nil {
		return readFile(path)
	}
	return data, func() error { return syscall.Munmap(data) }, nil
}
