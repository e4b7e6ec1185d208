package extractor

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
)

// killedForCPU reports whether the worker was killed by the kernel at its
// CPU-time limit (or by its parent).
func killedForCPU(ee *exec.ExitError) bool {
	ws, ok := ee.Sys().(syscall.WaitStatus)
	return ok && ws.Signaled() && (ws.Signal() == syscall.SIGKILL || ws.Signal() == syscall.SIGXCPU)
}

// limitSelf sets the calling process's CPU-time limit to seconds (the
// kernel kills it past them; the Go runtime ignores SIGXCPU) and its
// address space to what it maps now plus memory bytes.
func limitSelf(seconds, memory int) error {
	cpu := uint64(2*seconds + 1) // CPU time of every thread, the collector's included
	if err := syscall.Setrlimit(syscall.RLIMIT_CPU, &syscall.Rlimit{Cur: cpu, Max: cpu}); err != nil {
		return fmt.Errorf("limit CPU time: %w", err)
	}
	mapped, err := mappedBytes()
	if err != nil {
		return fmt.Errorf("limit memory: %w", err)
	}
	as := uint64(mapped) + uint64(memory)
	if err := syscall.Setrlimit(syscall.RLIMIT_AS, &syscall.Rlimit{Cur: as, Max: as}); err != nil {
		return fmt.Errorf("limit memory: %w", err)
	}
	return nil
}

// mappedBytes is the process's virtual memory size (VmSize in
// /proc/self/status).
func mappedBytes() (int64, error) {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0, err
	}
	defer func() { _ = f.Close() }() // read-only
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmSize:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			if err != nil {
				return 0, fmt.Errorf("VmSize %q: %w", v, err)
			}
			return kb << 10, nil
		}
	}
	if err := sc.Err(); err != nil {
		return 0, err
	}
	return 0, errors.New("no VmSize in /proc/self/status")
}
