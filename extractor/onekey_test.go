package extractor

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/residiff/residiff/source/entra"
)

// verdictSplits lists the keys (service, scope, sub-scope) of a page that
// hold an in_region record and an excluding record. The invariant the
// extractor keeps: for every key, either every record is in_region or
// none is. (Excluding records of different categories may share a key:
// the differ compares them as a set, and losing one is a category
// change.)
func verdictSplits(p *Page) []string {
	in, ex := map[verdictKey][]int{}, map[verdictKey][]int{}
	for _, r := range p.Records {
		if r.Category == InRegion {
			in[verdictKeyOf(r)] = append(in[verdictKeyOf(r)], r.Line)
		} else {
			ex[verdictKeyOf(r)] = append(ex[verdictKeyOf(r)], r.Line)
		}
	}
	var out []string
	for k, lines := range in {
		if len(ex[k]) > 0 {
			out = append(out, fmt.Sprintf("%s|%s|%s: in_region L%v, excluding L%v", k.id, k.scope, k.sub, lines, ex[k]))
		}
	}
	return out
}

// TestOneVerdictPerKey: no real version holds two records under one key
// that disagree on whether the data leaves (in_region beside outside,
// global, permanent, temporary or optional).
func TestOneVerdictPerKey(t *testing.T) {
	for _, f := range corpusFiles(t) {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		p, err := Extract(src, Options{Profile: entra.Profile(), Path: f})
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range verdictSplits(p) {
			t.Errorf("%s: %s", f, s)
		}
		for _, cl := range p.Claims {
			for _, i := range cl.Records {
				if i < 0 || i >= len(p.Records) {
					t.Errorf("%s L%d: claim cites record %d of %d", f, cl.Line, i, len(p.Records))
				} else if cl.Disposition == StatedInRegion && p.Records[i].Category.Excluding() {
					t.Errorf("%s L%d: stated in region, yet cites a %s record", f, cl.Line, p.Records[i].Category)
				}
			}
		}
	}
}

// TestOneVerdictFolds: the in_region statements of a list about one
// service are folded into its excluding record, places and all; the data
// they keep in the region are not read as leaving.
func TestOneVerdictFolds(t *testing.T) {
	for _, tc := range []struct {
		name, md string
		want     []string // category|location_at_rest|processing of each record
		cites    int      // claim sites citing the first record
	}{
		{"items of one list", `# Customer data storage for European customers

## Multifactor authentication

The multifactor authentication service sends data as follows:

* Multifactor authentication phone calls originate from United States datacenters and are routed by global providers.
* Multifactor authentication requests using push notifications are processed in EU datacenters.
`, []string{"outside||Global, United States; Europe"}, 2},
		{"in region only", `# Customer data storage for European customers

## Multifactor authentication

* Multifactor authentication requests using push notifications are processed in EU datacenters.
`, []string{"in_region||Europe"}, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := Extract([]byte(tc.md), Options{Profile: entra.Profile()})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, r := range p.Records {
				got = append(got, string(r.Category)+"|"+r.LocationAtRest+"|"+r.Processing)
			}
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("records:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
			n := 0
			for _, cl := range p.Claims {
				if len(cl.Records) > 0 && cl.Records[0] == 0 {
					n++
				}
			}
			if n != tc.cites {
				t.Errorf("claims citing record 0 = %d, want %d: %+v", n, tc.cites, p.Claims)
			}
		})
	}
}

// TestOneVerdictStopsAtSection: an in_region statement under another
// heading than the transfer of the same key is another fact the page
// states of the service: it keeps its own record, its data and places,
// beside the transfer (BLIND3 class 9: "Users' personal data … can be
// stored in the specified Local Region Geography" was lost in a OneDrive
// record that sent data out). In one section they still fold.
func TestOneVerdictStopsAtSection(t *testing.T) {
	const (
		head  = "# Customer data storage for European customers\n\n## Multifactor authentication\n\n"
		push  = "Multifactor authentication stores push notification data in EU datacenters.\n\n"
		phone = "Multifactor authentication phone calls originate from United States datacenters.\n"
	)
	for _, tc := range []struct {
		name, md string
		want     []string // category|data_types|location_at_rest|processing|line of each record
	}{
		{"transfer under a sub-heading", head + push + "### Phone calls\n\n" + phone,
			[]string{"in_region|push notification data|Europe||5", "outside|||United States|9"}},
		{"in-region statement under a sub-heading", head + phone + "\n### Push notifications\n\n" + push,
			[]string{"outside|||United States|5", "in_region|push notification data|Europe||9"}},
		{"transfer under a sibling heading", head + push + "## Multifactor authentication phone calls\n\n" + phone,
			[]string{"in_region|push notification data|Europe||5", "outside|||United States|9"}},
		{"one section: folded", head + push + phone,
			[]string{"outside||Europe|United States|7"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := Extract([]byte(tc.md), Options{Profile: entra.Profile()})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, r := range p.Records {
				got = append(got, fmt.Sprintf("%s|%s|%s|%s|%d", r.Category, r.DataTypes, r.LocationAtRest, r.Processing, r.Line))
			}
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("records:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
			for _, cl := range p.Claims {
				for _, i := range cl.Records {
					if cl.Disposition == StatedInRegion && p.Records[i].Category.Excluding() {
						t.Errorf("L%d stated in region, yet cites a %s record", cl.Line, p.Records[i].Category)
					}
				}
			}
		})
	}
}
