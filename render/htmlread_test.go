package render_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/residiff/residiff/differ"
	"github.com/residiff/residiff/internal/short"
	"github.com/residiff/residiff/render"
)

// TestHTMLReading: the header says what the report is up to (the last
// commit's date and hash, not when it was generated), and a changed field
// shows its changed words marked (<del>, <ins>).
func TestHTMLReading(t *testing.T) {
	res := fixtureResult(t)
	gen := time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)
	var buf bytes.Buffer
	if err := render.HTML(&buf, res.Changelog, res.Versions, render.HTMLOptions{Generated: gen}); err != nil {
		t.Fatal(err)
	}
	page := buf.String()
	header := page[strings.Index(page, "<header>"):strings.Index(page, "</header>")]
	last := res.Changelog.Revisions[len(res.Changelog.Revisions)-1]
	lastDate, lastHash := last.Date, last.Commit
	for _, v := range res.Versions {
		if v.Date.After(lastDate) {
			lastDate, lastHash = v.Date, v.Commit
		}
	}
	want := "As of the commit of <time datetime=\"" + lastDate.UTC().Format("2006-01-02") + "\">"
	if !strings.Contains(header, want) || !strings.Contains(header, short.Hash(lastHash)) {
		t.Errorf("header %q lacks the last commit %s (%s)", header, lastDate.Format("2006-01-02"), short.Hash(lastHash))
	}
	if strings.Contains(header, "2030") {
		t.Errorf("header shows the generation date: %q", header)
	}
	if !strings.Contains(page, "Generated 2030-01-02") {
		t.Error("the footer lost the generation time")
	}

	marked := false
	for _, r := range res.Changelog.Revisions {
		for _, ch := range r.Changes {
			if ch.Kind != differ.FieldsChanged {
				continue
			}
			s := render.Sentence(ch, render.Style{Text: func(s string) string { return s }, Bold: func(s string) string { return s },
				Code: func(s string) string { return s }, Link: func(s, _ string) string { return s },
				Deleted: func(s string) string { return "[-" + s + "-]" }, Inserted: func(s string) string { return "{+" + s + "+}" }})
			if strings.Contains(s, "[-") || strings.Contains(s, "{+") {
				marked = true
				if !strings.Contains(page, "<del title=\"removed\">") && !strings.Contains(page, "<ins title=\"added\">") {
					t.Errorf("change %s marks words (%s) but the report shows none", ch.ID, s)
				}
			}
		}
	}
	if !marked {
		t.Fatal("no fields_changed change of the fixture marks words")
	}
}
