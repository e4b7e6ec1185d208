//go:build crashtest

package job

import (
	"os"
	"strconv"
	"strings"
	"syscall"

	"github.com/residiff/residiff/pipeline"
)

// CrashEnv names the variable that makes a crash-test build of residiff
// kill itself at a point of the run: "after-fetch", "after-send",
// "before-rename" or "before-commit", optionally ":n" for the n-th time the
// point is reached; "walk" and "extract" are the history walk's commits
// and the page versions extracted.
const CrashEnv = "RESIDIFF_TEST_CRASH"

// crashHook kills the process with SIGKILL where RESIDIFF_TEST_CRASH says.
func crashHook() func(point string) {
	spec := os.Getenv(CrashEnv)
	if spec == "" {
		return func(string) {}
	}
	want, nth := spec, 1
	if p, n, ok := strings.Cut(spec, ":"); ok {
		if v, err := strconv.Atoi(n); err == nil && v > 0 {
			want, nth = p, v
		}
	}
	seen := 0
	return func(point string) {
		if point != want {
			return
		}
		seen++
		if seen == nth {
			_ = syscall.Kill(os.Getpid(), syscall.SIGKILL)
		}
	}
}

// crashProgress reports the walk's progress to p (nil: nowhere) and
// passes its events to crash as the points "walk" (a commit of the
// history walk compared) and "extract" (a page version extracted).
func crashProgress(p pipeline.Progress, crash func(string)) pipeline.Progress {
	return &crashingProgress{next: p, crash: crash}
}

type crashingProgress struct {
	next  pipeline.Progress
	crash func(string)
}

func (c *crashingProgress) Walking(done, total int) {
	c.crash("walk")
	if c.next != nil {
		c.next.Walking(done, total)
	}
}

func (c *crashingProgress) Walked(revisions int) {
	if c.next != nil {
		c.next.Walked(revisions)
	}
}

func (c *crashingProgress) Extracted(done, total int) {
	c.crash("extract")
	if c.next != nil {
		c.next.Extracted(done, total)
	}
}
