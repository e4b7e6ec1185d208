//go:build crashtest

package job

import (
	"os"
	"strconv"
	"strings"
	"syscall"
)

// CrashEnv names the variable that makes a crash-test build of residiff
// kill itself at a point of the run: "after-fetch", "after-send",
// "before-rename" or "before-commit", optionally ":n" for the n-th time the
// point is reached.
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
