package render_test

import (
	"bytes"
	"encoding/json"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/residiff/residiff/internal/linkcheck"
	"github.com/residiff/residiff/render"
)

// TestLinksLand checks every link of every output of the fixture history:
// absolute (http or https), GitHub file links to a line in the plain view
// (?plain=1#L<n>, which lands on the line), commits linked as their diff.
// A site-relative link ("/privacy/…") is broken everywhere but on the site.
func TestLinksLand(t *testing.T) {
	res := fixtureResult(t)
	in := render.Input{Changelog: res.Changelog, Versions: res.Versions, Generated: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)}
	markdownLink := regexp.MustCompile(`\]\(([^)\s]+)\)`)
	htmlLink := regexp.MustCompile(`(?:href|src)="([^"]+)"`)
	atomLink := regexp.MustCompile(`(?:href=|<id>|href=&#34;)"?([^"<&\s]+)`)
	var links []string
	for _, f := range render.Formats() {
		var buf bytes.Buffer
		if err := f.Render(&buf, in); err != nil {
			t.Fatal(err)
		}
		out := buf.String()
		switch f.Name() {
		case "markdown":
			for _, m := range markdownLink.FindAllStringSubmatch(out, -1) {
				links = append(links, m[1])
			}
		case "html":
			for _, m := range htmlLink.FindAllStringSubmatch(out, -1) {
				if !strings.HasPrefix(m[1], "#") { // the report's own anchors
					links = append(links, m[1])
				}
			}
		case "atom":
			for _, m := range atomLink.FindAllStringSubmatch(out, -1) {
				if !strings.HasPrefix(m[1], "tag:") {
					links = append(links, m[1])
				}
			}
		case "json":
			var v any
			if err := json.Unmarshal(buf.Bytes(), &v); err != nil {
				t.Fatal(err)
			}
			var walk func(key string, v any)
			walk = func(key string, v any) {
				switch x := v.(type) {
				case map[string]any:
					for k, y := range x {
						walk(k, y)
					}
				case []any:
					for _, y := range x {
						walk(key, y)
					}
				case string:
					if key == "url" || strings.HasSuffix(key, "_url") || key == "after" && (strings.HasPrefix(x, "/") || strings.Contains(x, "://")) {
						links = append(links, x)
					}
				}
			}
			walk("", v)
		}
	}
	linkcheck.Check(t, "report files", links, 50)
}
