//go:build !crashtest

package job

import "github.com/residiff/residiff/pipeline"

// crashHook is the release build's: the run never kills itself. Crash-test
// builds (-tags crashtest) replace it; see crash_crashtest.go.
func crashHook() func(point string) { return func(string) {} }

// crashProgress is the release build's: the walk's progress goes to p
// alone.
func crashProgress(p pipeline.Progress, _ func(string)) pipeline.Progress { return p }
