package render

import (
	"slices"
	"testing"
)

// TestBlockChanges: the values of a field from several fact blocks are
// sorted, not in page order, so each is shown against its equal or its
// most alike counterpart, never against its neighbour's.
func TestBlockChanges(t *testing.T) {
	id := func(s string) string { return s }
	for _, tc := range []struct {
		name, before, after string
		want                []string
	}{
		{
			name:   "a block reworded, the other unchanged",
			before: "13 in AS (Asia/Pacific {Seoul, Singapore, Busan}), 50 in US. | US",
			after:  "US | US and Asia/Pacific.",
			want:   []string{"location at rest (block 1 of 2): “13 in AS (Asia/Pacific {Seoul, Singapore, Busan}), 50 in US.” → “US and Asia/Pacific.”"},
		},
		{
			name:   "one block changed in place",
			before: "In EU Data Boundary | US",
			after:  "In EU Data Boundary | US and Asia/Pacific",
			want:   []string{"location at rest (block 2 of 2): “US” → “US and Asia/Pacific”"},
		},
		{
			name:   "nothing changed",
			before: "Europe | US",
			after:  "Europe | US",
		},
	} {
		got, _ := blockChanges("location at rest", tc.before, tc.after, id)
		if !slices.Equal(got, tc.want) {
			t.Errorf("%s:\n got  %q\n want %q", tc.name, got, tc.want)
		}
	}
}
