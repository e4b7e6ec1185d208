package render

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/residiff/residiff/extractor"
	"github.com/residiff/residiff/timeline"
)

// TestSnapshotCommitmentPointer: a commitment given by pointer is no
// list of exclusions kept elsewhere: the snapshot says so, and still says
// that the version states no exclusions.
func TestSnapshotCommitmentPointer(t *testing.T) {
	for _, tc := range []struct {
		name string
		ref  extractor.Reference
		want []string
	}{
		{"commitment by pointer", extractor.Reference{Scope: "Advanced Data Residency", Category: extractor.InRegion, Service: "Microsoft Defender for Office P1", URL: "https://example.test/c#mdo", Text: "ADR Commitment page"},
			[]string{"No exclusions stated.", "- Advanced Data Residency: the commitment of Microsoft Defender for Office P1 is given on another page: [ADR Commitment page](https://example.test/c#mdo)"}},
		{"list moved", extractor.Reference{Scope: "EU Data Boundary", Category: extractor.Temporary, URL: "https://example.test/list", Text: "the list"},
			[]string{"- EU Data Boundary temporary: listed on another page: [the list](https://example.test/list)"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := timeline.Snapshot{Date: time.Date(2025, 2, 11, 0, 0, 0, 0, time.UTC), Pages: []timeline.SnapshotPage{{Page: "p", Title: "T", Path: "p.md", Commit: "0123456789abcdef",
				Since: time.Date(2025, 2, 11, 0, 0, 0, 0, time.UTC), References: []extractor.Reference{tc.ref}}}}
			var b bytes.Buffer
			if err := SnapshotMarkdown(&b, s); err != nil {
				t.Fatal(err)
			}
			for _, w := range tc.want {
				if !strings.Contains(b.String(), w) {
					t.Errorf("missing %q in\n%s", w, b.String())
				}
			}
			if tc.ref.Service == "" && strings.Contains(b.String(), "No exclusions stated.") {
				t.Errorf("a list kept elsewhere read as no exclusions:\n%s", b.String())
			}
		})
	}
}
