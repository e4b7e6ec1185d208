package extractor

import (
	"strings"

	"github.com/residiff/residiff/internal/litmatch"
	"github.com/yuin/goldmark/ast"
)

// Lists of places. A lead-in ("Data resides in Europe for the following
// countries/regions:", "the following countries/regions have the local
// data residence option:", "Azure AD has the following regions:") is
// often followed by a callout or list that only names places. Such a list
// says nothing alone; it is what its lead-in says of those places: the
// customers a record is about, the countries of an option, the regions of
// a service. The list is a claim site whose disposition is its lead-in's,
// and a record its lead-in makes "for the following countries" is judged
// against the countries listed, not against the place it names.

// placeList is a callout or list right after a paragraph that names only
// places.
type placeList struct {
	node ast.Node
	text string // the places, as written, joined with ", "
}

// placeListAfter returns the place list right after block n, if any,
// once per block (the readers and the ledger both ask).
func (x *extraction) placeListAfter(n ast.Node) (placeList, bool) {
	next := n.NextSibling()
	if next == nil {
		return placeList{}, false
	}
	if k := next.Kind(); k != ast.KindBlockquote && k != ast.KindList {
		return placeList{}, false
	}
	if pl, ok := x.placeLists[next]; ok {
		return pl, pl.node != nil
	}
	if x.placeLists == nil {
		x.placeLists = map[ast.Node]placeList{}
	}
	pl, ok := x.findPlaceList(next)
	x.placeLists[next] = pl
	return pl, ok
}

// findPlaceList reads block next as a place list.
func (x *extraction) findPlaceList(next ast.Node) (placeList, bool) {
	switch b := next.(type) {
	case *ast.Blockquote:
		if b.ChildCount() != 1 {
			return placeList{}, false
		}
		p, ok := b.FirstChild().(*ast.Paragraph)
		if !ok {
			return placeList{}, false
		}
		t := x.text(p)
		if x.placesOnly(t, 3) {
			return placeList{node: b, text: t}, true
		}
	case *ast.List:
		var items []string
		known := 0
		for it := b.FirstChild(); it != nil; it = it.NextSibling() {
			if it.ChildCount() != 1 {
				return placeList{}, false // an item with a nested list is more than a place
			}
			t := blockText(it.FirstChild(), x.src)
			if !x.placesOnly(t, 1) {
				return placeList{}, false
			}
			if x.knownPlace(t) {
				known++
			}
			items = append(items, t)
		}
		if len(items) > 0 && known*2 > len(items) {
			return placeList{node: b, text: strings.Join(items, ", ")}, true
		}
	}
	return placeList{}, false
}

// placesOnly reports whether text is a list of places and nothing else:
// every part a place the profile knows or a capitalised name (the open
// vocabulary: "Costa Rica (CR)", "Trinidad & Tobago (TT)"), none a
// service; with fewer than min parts, one of them must be known.
func (x *extraction) placesOnly(text string, min int) bool {
	text = strings.TrimRight(strings.TrimSpace(text), ".")
	if text == "" || len(text) > 4000 {
		return false
	}
	for rest := text; rest != ""; {
		seg, after, _ := strings.Cut(rest, ",")
		if len(seg) > 80 {
			return false // a sentence, not a list of names: ruled out before any pattern runs
		}
		rest = after
	}
	parts := listItems(countryCodeRe.ReplaceAllString(text, ""))
	known := false
	for _, part := range parts {
		if len(part) > 60 || strings.Count(part, " ") > 5 {
			return false // a clause, not a name
		}
		switch {
		case x.knownPlace(part):
			known = true
		case !placeNameRe.MatchString(part):
			return false
		}
	}
	if !known && len(parts) < min {
		return false
	}
	for _, part := range parts {
		if x.isService(part) {
			return false
		}
	}
	return true
}

// knownPlace reports whether text names a place, region or cloud of the
// profile, or a spatial word ("Worldwide").
func (x *extraction) knownPlace(text string) bool {
	p := x.opts.Profile
	return len(p.LocationsIn(text)) > 0 || len(p.PlacesIn(text)) > 0 || p.RegionOf(text) != "" || p.CloudOf(text) != "" || p.SaysWhere(text)
}

var (
	// countryCodeRe is a country or region code after a name: "(US)".
	countryCodeRe = litmatch.MustCompile(`\s*\([A-Za-z]{2,4}\)`)
	// placeNameRe is a capitalised name of up to five words.
	placeNameRe = litmatch.MustCompile(`^\p{Lu}[\p{L}'’.-]*(?:\s+(?:\p{Lu}[\p{L}'’.-]*|&|of|the|and|da|de|del))*$`)
)
