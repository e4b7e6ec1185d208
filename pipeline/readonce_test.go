package pipeline

import "testing"

// TestIdenticalBlobsReadOnce: without a page cache, a version whose blob
// the run has read before at the same path (the fixture's EU page goes
// back to an earlier text) is not extracted again; the report is the same
// as with the cache (TestSwappedCacheEntries).
func TestIdenticalBlobsReadOnce(t *testing.T) {
	res := buildWith(t, Options{})
	read := 0
	for _, v := range res.Versions {
		if !v.Removed {
			read++
		}
	}
	if len(res.extracted) == 0 || len(res.extracted) >= read {
		t.Fatalf("%d versions extracted for %d read: want each blob once, fewer than the versions", len(res.extracted), read)
	}
	t.Logf("%d versions read, %d extracted", read, len(res.extracted))
}
