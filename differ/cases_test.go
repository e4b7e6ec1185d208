package differ

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/residiff/residiff/extractor"
	goldenfile "github.com/residiff/residiff/internal/golden"
	"github.com/residiff/residiff/serviceid"
	"github.com/residiff/residiff/source/entra"
)

// TestCases reads testdata/cases/*.txtar: hand-written histories of one
// page (old.md, new.md) and the changes a compliance analyst expects
// (want.json), each case's comment saying why. Changes are matched as a
// multiset with an equal count: kind, scope and category must be equal,
// service equal ignoring case, before and after must contain the wanted
// text, and fields (when given) is the exact set of changed fields.
func TestCases(t *testing.T) {
	files, err := filepath.Glob("testdata/cases/*.txtar")
	if err != nil || len(files) < 50 {
		t.Fatalf("want at least 50 cases, found %d (%v)", len(files), err)
	}
	prof, reg := entra.Profile(), entra.Register()
	for _, f := range files {
		t.Run(strings.TrimSuffix(filepath.Base(f), ".txtar"), func(t *testing.T) {
			comment, parts := goldenfile.Archive(t, f, "old.md", "new.md", "want.json")
			extract := func(name string) *extractor.Page {
				p, err := extractor.Extract(parts[name], extractor.Options{Profile: prof, Aliases: reg, Page: "page", Path: "docs/fundamentals/page.md"})
				if err != nil {
					t.Fatal(err)
				}
				return p
			}
			old, cur := extract("old.md"), extract("new.md")
			got := Compare(old, cur, Options{Lineage: "page", Key: "1..2", OldSource: parts["old.md"], NewSource: parts["new.md"],
				Similar: serviceid.Similar, Profile: prof, Aliases: reg})
			var want struct {
				Changes []map[string]any `json:"changes"`
			}
			if err := json.Unmarshal(parts["want.json"], &want); err != nil {
				t.Fatalf("want.json: %v", err)
			}
			for _, p := range matchChanges(want.Changes, got) {
				t.Error(p)
			}
			if t.Failed() {
				var lines []string
				for _, c := range got {
					lines = append(lines, fmt.Sprintf("%s %q %s %s before=%q after=%q fields=%v", c.Kind, c.Service, c.Scope, c.Category, c.Before, c.After, fieldNamesOf(c)))
				}
				t.Logf("comment: %s\ngot:\n  %s", comment, strings.Join(lines, "\n  "))
			}
		})
	}
}

func fieldNamesOf(c Change) []string {
	var out []string
	for _, f := range c.Fields {
		out = append(out, f.Field)
	}
	slices.Sort(out)
	return out
}

// matchChanges pairs wanted changes with distinct changes got.
func matchChanges(want []map[string]any, got []Change) []string {
	used := make([]bool, len(got))
	var problems []string
	for _, w := range want {
		found := false
		for i, c := range got {
			if !used[i] && changeMatches(w, c) {
				used[i], found = true, true
				break
			}
		}
		if !found {
			problems = append(problems, fmt.Sprintf("missing change %v", w))
		}
	}
	for i, c := range got {
		if !used[i] {
			problems = append(problems, fmt.Sprintf("unexpected change %s %q %s %s (before %q, after %q)", c.Kind, c.Service, c.Scope, c.Category, c.Before, c.After))
		}
	}
	return problems
}

func changeMatches(w map[string]any, c Change) bool {
	for k, v := range w {
		switch k {
		case "kind":
			if string(c.Kind) != v {
				return false
			}
		case "scope":
			if c.Scope != v {
				return false
			}
		case "category":
			if c.Category != v {
				return false
			}
		case "service":
			if !strings.EqualFold(c.Service, fmt.Sprint(v)) {
				return false
			}
		case "before", "after":
			have := c.Before
			if k == "after" {
				have = c.After
			}
			if !strings.Contains(strings.ToLower(have), strings.ToLower(fmt.Sprint(v))) {
				return false
			}
		case "fields":
			var names []string
			for _, n := range v.([]any) {
				names = append(names, fmt.Sprint(n))
			}
			slices.Sort(names)
			if !slices.Equal(names, fieldNamesOf(c)) {
				return false
			}
		}
	}
	return true
}
