// Package racetest tells tests whether the race detector is on, so that
// long single-goroutine computations over the whole corpus (metamorphic
// and equivalence tests) run once, in the plain `go test` pass, and are
// skipped under -race, where they find no races and take ten times longer.
package racetest

import "testing"

// SkipHeavy skips t under the race detector: it is a pure computation over
// the corpus that the plain `go test ./...` runs in full.
func SkipHeavy(t testing.TB) {
	t.Helper()
	if Enabled {
		t.Skip("a single-goroutine computation over the whole corpus: run by the plain go test pass, skipped under -race")
	}
}
