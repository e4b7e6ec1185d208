//go:build linux || darwin

package history

import (
	"fmt"
	"golang.org/x/sys/unix"
	"os"
)

// mapFile maps the file at path read-only into memory: the walk reads pack
// entries as slices of the mapping, without a system call per object.
// Pack and index files are never rewritten in place (git writes new ones
// and renames), so the mapping stays valid while it is open; a file that
// cannot be mapped is read instead.
func mapFile(path string) (*mapping, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer func() { _ = f.Close() }() // the mapping outlives the descriptor
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	size := fi.Size()
	if size == 0 {
		return &mapping{}, nil
	}
	if int64(int(size)) != size {
		return nil, fmt.Errorf("%s: %d bytes is more than this platform can map", path, size)
	}
	data, err := unix.Mmap(int(f.Fd()), 0, int(size), unix.PROT_READ, unix.MAP_SHARED)
	if err != nil {
		return readFile(path)
	}
	return &mapping{data: data, mapped: true}, nil
}

// close unmaps the file.
func (m *mapping) close() error {
	data := m.data
	m.data = nil
	if !m.mapped || data == nil {
		return nil
	}
	return unix.Munmap(data)
}

// release gives the pages of the mapping read so far back to the system:
// they stay in the page cache, and come back on the next read of them,
// but stop counting in the process's resident memory. A walk touches
// most of a pack once: kept, the mapping would count the whole pack.
func (m *mapping) release() {
	if m.mapped && len(m.data) > 0 {
		_ = unix.Madvise(m.data, unix.MADV_DONTNEED) // only advice
	}
}
