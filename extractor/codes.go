package extractor

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/yuin/goldmark/ast"
	gast "github.com/yuin/goldmark/extension/ast"
)

// Code tables: the customer's geographies against services, each cell a
// run of letters that a legend on the page spells out as scopes
// ("| Country/Region | Exchange Online | … |", "| Israel | M-A | … |",
// then "P: Product Terms Data Residency<br>M: Multi-Geo Data
// Residency<br>A: Advanced Data Residency"). Each letter in a cell is an
// in-region record of the column's service in the letter's scope, for the
// row's geography (its sub-scope). A row the table marks as not yet in
// force ("Poland (future)") states no commitment and makes none; a dash
// is no record; a cell of other letters is a warning.

// codeTable reads t as a code table and reports whether it was one.
func (x *extraction) codeTable(t *gast.Table, header []string, rows [][]*gast.TableCell) bool {
	if len(header) < 3 || len(rows) == 0 {
		return false
	}
	// Every column but the first names services; most keys name places.
	for _, h := range header[1:] {
		for _, s := range splitServices(h) {
			if !x.isService(s) {
				return false
			}
		}
	}
	legend := x.codeLegend()
	if len(legend) < 2 {
		return false
	}
	places, coded, cells := 0, 0, 0
	for _, row := range rows {
		if len(row) == 0 {
			continue
		}
		if x.namesPlace(plannedRe.ReplaceAllString(cellText(row[0], x.src), "")) {
			places++
		}
		for _, c := range row[1:] {
			v := cellText(c, x.src)
			if v == "" {
				continue
			}
			cells++
			if _, ok := codesOf(v, legend); ok {
				coded++
			}
		}
	}
	if places*2 <= len(rows) || coded*2 <= cells {
		return false
	}
	x.cur().located = true
	for _, row := range rows {
		if len(row) == 0 {
			continue
		}
		key := cellText(row[0], x.src)
		line := x.lineOf(row[0])
		if line <= 1 {
			line = x.lineOf(t)
		}
		if plannedRe.MatchString(key) {
			continue // planned, not in force
		}
		for i, c := range row[1:] {
			if i+1 >= len(header) {
				break
			}
			v := cellText(c, x.src)
			scopes, ok := codesOf(v, legend)
			if !ok {
				x.warn(line, AmbiguousLocation, "table row %q: %q under %q is no code the page's legend explains; not read", key, v, header[i+1])
				continue
			}
			for _, scope := range scopes {
				for _, name := range splitServices(header[i+1]) {
					x.add(Record{Service: name, Scope: scope, Category: InRegion, SubScope: key, Line: line})
				}
			}
		}
	}
	return true
}

// codeLegend maps the letters a legend on the page explains to the scope
// each names ("P: Product Terms Data Residency", "M=Multi-Geo Data
// Residency"); a letter whose phrase names no scope, or more than one, is
// left out.
func (x *extraction) codeLegend() map[string]string {
	if x.legend != nil {
		return x.legend
	}
	x.legend = map[string]string{}
	text := brRe.ReplaceAllString(string(x.src), "\n")
	marks := legendRe.FindAllStringSubmatchIndex(text, -1)
	for i, m := range marks {
		end := len(text)
		if i+1 < len(marks) {
			end = marks[i+1][0]
		}
		phrase := text[m[1]:end]
		if nl := strings.IndexByte(phrase, '\n'); nl >= 0 {
			phrase = phrase[:nl]
		}
		if sc := x.opts.Profile.ScopesIn(phrase); len(sc) == 1 && len(strings.Fields(phrase)) <= 6 {
			x.legend[text[m[2]:m[3]]] = sc[0]
		}
	}
	return x.legend
}

// codesOf reads a cell of letters joined by dashes ("P-M-A"): the scopes
// they stand for, and whether every letter is in the legend. A dash alone
// is no scope.
func codesOf(v string, legend map[string]string) ([]string, bool) {
	v = strings.TrimSpace(v)
	if isDash(v) {
		return nil, true
	}
	var out []string
	for _, code := range strings.FieldsFunc(v, func(r rune) bool { return r == '-' || r == ',' || r == '/' || r == ' ' }) {
		scope, ok := legend[code]
		if !ok {
			return nil, false
		}
		out = append(out, scope)
	}
	return out, len(out) > 0
}

var (
	// legendRe is a legend's mark: a capital letter and ":" or "=" where
	// a line or a run of marks starts.
	legendRe = regexp.MustCompile(`(?m)(?:^|\s)([A-Z])\s?[:=]\s*`)
	brRe     = regexp.MustCompile(`(?i)<br\s*/?>`)
	// plannedRe marks a row that is not in force yet.
	plannedRe = regexp.MustCompile(`(?i)\s*\((?:future|planned|upcoming|coming soon)\)\s*$`)
)

// Footnoted place tables: the customer's country against services, each
// cell a short code whose footnote number the numbered list just above
// the table spells out as a place ("1. Macro Region Geography 2 - Asia
// Pacific" over "| Country Code | Countries/Regions | Viva Learning |
// Planner |", "| AF | Afghanistan | APC<sup>2</sup>| EUR<sup>1</sup>|").
// Each cell is a record of its column's service, at rest where its
// footnote says, for the row's country (its sub-scope): the country is
// whose data it is, never where it rests. Cells the list does not explain
// are one warning for the table, never a record per row.

// placeCodeTable reads t as a footnoted place table and reports whether
// it was one.
func (x *extraction) placeCodeTable(t *gast.Table, header []string, rows [][]*gast.TableCell) bool {
	// Two headers at least name services, and a numbered list just above
	// the table explains footnotes; the service columns are the trailing
	// ones whose cells mostly carry a footnote the list explains.
	services := 0
	for _, h := range header[1:] {
		if x.headerServices(h) {
			services++
		}
	}
	if services < 2 || len(rows) == 0 {
		return false
	}
	legend := listLegend(t, x.src)
	if len(legend) == 0 {
		return false
	}
	first := len(header)
	for first > 1 {
		marked := 0
		for _, row := range rows {
			if first-1 < len(row) && slices.ContainsFunc(supMarks(row[first-1], x.src), func(m string) bool { _, ok := legend[m]; return ok }) {
				marked++
			}
		}
		if marked*2 <= len(rows) {
			break
		}
		first--
	}
	named := 0
	for _, h := range header[first:] {
		if x.headerServices(h) {
			named++
		}
	}
	if first == len(header) || named < 2 {
		return false
	}
	line := x.lineOf(t)
	x.cur().located = true
	// The row's country is the leading column that names places most
	// often (the name, not its code); the later one on a tie.
	keyCol, best := first-1, -1
	for i := 0; i < first; i++ {
		n := 0
		for _, row := range rows {
			if i < len(row) && x.namesPlace(cellText(row[i], x.src)) {
				n++
			}
		}
		if n >= best {
			keyCol, best = i, n
		}
	}
	unexplained, example := 0, ""
	for _, row := range rows {
		if keyCol >= len(row) {
			continue
		}
		key := cellText(row[keyCol], x.src)
		rl := x.lineOf(row[keyCol])
		if rl <= 1 {
			rl = line
		}
		for i := first; i < len(row) && i < len(header); i++ {
			v := cellText(row[i], x.src)
			if v == "" || isDash(v) {
				continue
			}
			marks := supMarks(row[i], x.src)
			var at []string
			for _, m := range marks {
				if place, ok := legend[m]; ok && !slices.Contains(at, place) {
					at = append(at, place)
				}
			}
			if len(marks) == 0 || len(at) != len(marks) {
				unexplained++
				if example == "" {
					example = fmt.Sprintf("%q under %q in row %q", v, header[i], key)
				}
				continue
			}
			for _, name := range splitServices(header[i]) {
				for _, scope := range x.scopes() {
					x.add(Record{Service: name, Scope: scope, Category: InRegion, SubScope: key,
						LocationAtRest: strings.Join(at, "; "), Line: rl})
				}
			}
		}
	}
	if unexplained > 0 {
		x.warn(line, AmbiguousLocation, "%d cells of the table keyed by %q have no footnote the numbered list above it explains (first: %s); not read", unexplained, clipText(header[0], 60), example)
	}
	return true
}

// headerServices reports whether every name a header lists is a service.
func (x *extraction) headerServices(h string) bool {
	names := splitServices(h)
	for _, s := range names {
		if !x.isService(s) {
			return false
		}
	}
	return len(names) > 0
}

// listLegend maps the numbers of the ordered list just before t to its
// items' text ("2" → "Macro Region Geography 2 - Asia Pacific"), or nil.
func listLegend(t *gast.Table, src []byte) map[string]string {
	l, ok := t.PreviousSibling().(*ast.List)
	if !ok || !l.IsOrdered() {
		return nil
	}
	out := map[string]string{}
	n := l.Start
	for it := l.FirstChild(); it != nil; it = it.NextSibling() {
		if txt := strings.TrimSpace(inlineText(it, src)); txt != "" {
			out[strconv.Itoa(n)] = txt
		}
		n++
	}
	return out
}
