//go:build !linux

package extractor

import "os/exec"

// killedForCPU: only Linux workers set a CPU-time limit on themselves.
func killedForCPU(*exec.ExitError) bool { return false }

// limitSelf: elsewhere the worker is bounded by its parent's wall-clock
// limit and the Go runtime's soft memory limit only.
func limitSelf(seconds, memory int) error { return nil }
