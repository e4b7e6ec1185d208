// Package linkcheck checks, in tests, that the links an output carries
// land: absolute (http or https), GitHub file links to a line in the plain
// view (?plain=1#L<n>, which lands on the line). A site-relative link
// ("/privacy/…") is broken everywhere but on the site it came from.
package linkcheck

import (
	"strings"
	"testing"
)

// Check fails t for every link that does not land, and when fewer than
// least links were found (a check that reads nothing checks nothing).
func Check(t testing.TB, what string, links []string, least int) {
	t.Helper()
	if len(links) < least {
		t.Fatalf("%s: only %d links found, want at least %d: the check reads nothing", what, len(links), least)
	}
	for _, l := range links {
		switch {
		case !strings.HasPrefix(l, "https://") && !strings.HasPrefix(l, "http://"):
			t.Errorf("%s: link %q is not absolute", what, l)
		case strings.Contains(l, "github.com/") && strings.Contains(l, "/blob/") && strings.Contains(l, "#L") && !strings.Contains(l, "?plain=1#L"):
			t.Errorf("%s: GitHub line link %q opens the rendered page at the top (want ?plain=1#L<n>)", what, l)
		}
	}
}
