package history

import (
	"context"
	"os"
	"testing"
)

// BenchmarkWalk walks the first-parent history of the bench repository
// named by RESIDIFF_BENCH_REPO (bash bench/run.sh makes them under
// bench/out), reading every tracked page version: the work residiff's
// walk does before extraction. Without the variable it is skipped.
//
//	RESIDIFF_BENCH_REPO=bench/out/docs-50000.git go test ./history -run '^$' -bench Walk -cpuprofile cpu.out
func BenchmarkWalk(b *testing.B) {
	dir := os.Getenv("RESIDIFF_BENCH_REPO")
	if dir == "" {
		b.Skip("RESIDIFF_BENCH_REPO is not set")
	}
	pages := []string{"docs/**/*data-storage-*.md", "docs/**/data-residency.md", "docs/**/*data-residency*.md",
		"articles/active-directory/**/*data-storage-*.md", "articles/active-directory/**/data-residency.md"}
	for b.Loop() {
		repo, err := Open(context.Background(), dir)
		if err != nil {
			b.Fatal(err)
		}
		revs, err := repo.Revisions(context.Background(), WalkOptions{Pages: pages})
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(len(revs)), "revisions")
		repo.Close()
	}
}
