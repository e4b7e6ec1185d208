package extractor

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/residiff/residiff/source/entra"
)

// TestPageDateKey: the page date is read from the front-matter key the
// profile names, and only from it; a bad value is warned about on the
// key's line, naming the key.
func TestPageDateKey(t *testing.T) {
	const page = "---\ntitle: x\nupdated: 2024-05-06\nms.date: 07/20/2022\n---\n# x\n"
	for _, tc := range []struct {
		key, want string
	}{
		{"ms.date", "2022-07-20"},
		{"updated", "2024-05-06"},
		{"Updated", "2024-05-06"},
		{"", ""},
		{"nope", ""},
	} {
		prof := entra.Profile()
		prof.PageDateKey = tc.key
		p, err := Extract([]byte(page), Options{Profile: prof, Path: "x.md"})
		if err != nil {
			t.Fatal(err)
		}
		if p.PageDate != tc.want {
			t.Errorf("key %q: page date %q, want %q", tc.key, p.PageDate, tc.want)
		}
	}
	prof := entra.Profile()
	prof.PageDateKey = "updated"
	p, err := Extract([]byte("---\ntitle: x\nms.date: 07/20/2022\nupdated: someday\n---\n# x\n"), Options{Profile: prof, Path: "x.md"})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Warnings) == 0 || p.Warnings[0].Line != 4 || !strings.Contains(p.Warnings[0].Message, `updated "someday"`) {
		t.Errorf("bad updated: warnings = %+v", p.Warnings)
	}
}

// TestPageJSONAlias: a page is written with page_date and the deprecated
// ms_date alike, and read from either (ms_date is what older residiff
// wrote, in caches).
func TestPageJSONAlias(t *testing.T) {
	out, err := json.Marshal(&Page{Page: "p", PageDate: "2023-08-17"})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{`"page_date":"2023-08-17"`, `"ms_date":"2023-08-17"`} {
		if !strings.Contains(string(out), f) {
			t.Errorf("written %s, want %s", out, f)
		}
	}
	for in, want := range map[string]string{
		`{"page":"p","ms_date":"2022-07-20"}`:                          "2022-07-20",
		`{"page":"p","page_date":"2024-02-16","ms_date":"2024-02-16"}`: "2024-02-16",
		`{"page":"p","page_date":"2024-02-16"}`:                        "2024-02-16",
		`{"page":"p"}`:                                                 "",
	} {
		var p Page
		if err := json.Unmarshal([]byte(in), &p); err != nil {
			t.Fatal(err)
		}
		if p.PageDate != want || p.Page != "p" {
			t.Errorf("read %s: page %q date %q, want %q", in, p.Page, p.PageDate, want)
		}
	}
}
