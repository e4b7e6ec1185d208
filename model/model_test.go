package model

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestRevisionPageDateJSON: schema_version 3 writes page_date and its
// deprecated alias ms_date with the same value; a revision written by
// schema_version 1 or 2 (ms_date only) is read with its page date.
func TestRevisionPageDateJSON(t *testing.T) {
	for _, tc := range []struct {
		name, in, want string
	}{
		{"v2", `{"commit":"c","page":"p","path":"x.md","ms_date":"2023-08-17","changes":[]}`, "2023-08-17"},
		{"v3", `{"commit":"c","page":"p","path":"x.md","page_date":"2024-02-16","ms_date":"2024-02-16","changes":[]}`, "2024-02-16"},
		{"v3 page_date wins", `{"commit":"c","page":"p","path":"x.md","page_date":"2024-02-16","ms_date":"2020-01-01","changes":[]}`, "2024-02-16"},
		{"undated", `{"commit":"c","page":"p","path":"x.md","changes":[]}`, ""},
	} {
		var r Revision
		if err := json.Unmarshal([]byte(tc.in), &r); err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if r.PageDate != tc.want || r.Commit != "c" || r.Path != "x.md" {
			t.Errorf("%s: read %+v, want page date %q", tc.name, r, tc.want)
		}
		out, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		s := string(out)
		if tc.want == "" {
			if strings.Contains(s, "date\":\"2") || strings.Contains(s, "ms_date") || strings.Contains(s, "page_date") {
				t.Errorf("%s: undated revision written as %s", tc.name, s)
			}
			continue
		}
		for _, f := range []string{`"page_date":"` + tc.want + `"`, `"ms_date":"` + tc.want + `"`} {
			if !strings.Contains(s, f) {
				t.Errorf("%s: written %s, want %s", tc.name, s, f)
			}
		}
	}
}
