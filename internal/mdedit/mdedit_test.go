package mdedit

import (
	"strings"
	"testing"
)

const page = `# Title

Intro. MFA stores data in the [US](x.md) and processes it globally. Other text.

- **B2B** - stored in European datacenters.
  - nested
- **B2C** - stored in U.S. datacenters.

| Service | Location |
|---|---|
| MFA | United States |
`

func TestEdits(t *testing.T) {
	src := []byte(page)
	for _, tc := range []struct {
		name string
		edit func() (Edit, bool)
		want string // the edited page must contain it
		gone string // and no longer contain it
	}{
		{"delete sentence", func() (Edit, bool) {
			return Delete(src, Site{Line: 3, Kind: "sentence", Text: "MFA stores data in the US and processes it globally"})
		}, "Intro. Other text.", "globally"},
		{"delete item with nested", func() (Edit, bool) {
			return Delete(src, Site{Line: 5, Kind: "item", Text: "B2B - stored in European datacenters."})
		}, "- **B2C**", "nested"},
		{"swap noun", func() (Edit, bool) {
			return SwapPlace(src, Site{Line: 3, Kind: "sentence", Text: "MFA stores data in the US and processes it globally"}, "United States", Places[2])
		}, "data in the [Japan](x.md)", "[US]"},
		{"swap adjective", func() (Edit, bool) {
			return SwapPlace(src, Site{Line: 5, Kind: "item", Text: "B2B - stored in European datacenters."}, "Europe", Places[0])
		}, "stored in U.S. datacenters.\n  - nested", "European"},
		{"swap in a row, not its key", func() (Edit, bool) {
			return SwapPlace(src, Site{Line: 11, Kind: "row", Text: "MFA | United States"}, "United States", Places[1])
		}, "| MFA | Europe |", "| MFA | United States |"},
		{"swap items", func() (Edit, bool) { return SwapWithNext(src, 5) }, "- **B2C** - stored in U.S. datacenters.\n- **B2B**", ""},
		{"list to HTML", func() (Edit, bool) { return ListToHTMLTable(src, 7) }, "<tr><td>**B2B** - stored in European datacenters. nested</td></tr>", "- **B2C**"},
		{"item to prose after the list", func() (Edit, bool) {
			return ItemToProse(src, Site{Line: 7, Kind: "item", Text: "B2C - stored in U.S. datacenters."})
		}, "\n\n**B2C** - stored in U.S. datacenters.\n\n| Service", "- **B2C**"},
	} {
		e, ok := tc.edit()
		if !ok {
			t.Errorf("%s: no edit", tc.name)
			continue
		}
		got := string(e.Src)
		if !strings.Contains(got, tc.want) || tc.gone != "" && strings.Contains(got, tc.gone) {
			t.Errorf("%s (%s): got\n%s", tc.name, e.What, got)
		}
	}
}

func TestSpanMisses(t *testing.T) {
	if _, _, ok := Span([]byte(page), Site{Line: 3, Kind: "sentence", Text: "words that are not there"}); ok {
		t.Error("found a sentence the page does not hold")
	}
	if _, _, ok := Span([]byte(page), Site{Line: 99, Kind: "item"}); ok {
		t.Error("found an item past the end")
	}
}
