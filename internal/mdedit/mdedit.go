// Package mdedit edits a Markdown page at the places the extractor's claims
// ledger names (a sentence, a list item, a table row), for the metamorphic
// tests of the extractor and the differ: the edits are made on the page's
// source, guided by what the extractor read, so that every generated case
// is a page a writer could have published.
//
// It knows nothing of the extractor's types: a Site is the line, kind and
// text of a claim.
package mdedit

import (
	"bytes"
	"regexp"
	"sort"
	"strings"
)

// Site is a claim site as the extractor's ledger gives it.
type Site struct {
	Line, EndLine int
	Kind          string // sentence, callout, item, row, html
	Text          string
}

// Edit is one generated change of a page: the new source and what was
// done, for a failing case's message.
type Edit struct {
	Src  []byte
	What string
	// Old and New are the edited text before and after, when the edit
	// replaced text (the evidence a differ should show).
	Old, New string
}

// lineStarts returns the byte offset of every line's start (1-based:
// starts[1] is line 1) and a sentinel at len(src).
func lineStarts(src []byte) []int {
	starts := []int{0, 0}
	for i, b := range src {
		if b == '\n' {
			starts = append(starts, i+1)
		}
	}
	return append(starts, len(src))
}

// LineRange returns the byte range of lines from..to (1-based, inclusive,
// with the final newline).
func LineRange(src []byte, from, to int) (int, int, bool) {
	st := lineStarts(src)
	last := len(st) - 2
	if from < 1 || to < from || to > last {
		return 0, 0, false
	}
	return st[from], st[to+1], true
}

var wordRe = regexp.MustCompile(`[\pL\pN]+`)

// gap is what may stand between two words of a claim's plain text in the
// Markdown source: punctuation, markup, a link's target, an HTML tag.
const gap = `(?:\]\([^)\n]*\)|<[^>\n]*>|\[![A-Za-z]+\]|[^\pL\pN])*?`

// Span returns the byte range of a site in src: for an item, its lines
// with everything nested under it; for a row, its line; for a sentence or
// callout, the sentence itself with its closing punctuation and the
// spaces after it.
func Span(src []byte, s Site) (int, int, bool) {
	switch s.Kind {
	case "item":
		return itemSpan(src, s.Line)
	case "row", "html":
		return LineRange(src, s.Line, max(s.Line, s.EndLine))
	}
	return sentenceSpan(src, s)
}

var markerRe = regexp.MustCompile(`^(\s*)(?:[-*+]|\d+[.)])\s+`)

// itemSpan is the list item whose first line is line, with its nested
// content: the lines up to the next one indented no deeper than its
// marker.
func itemSpan(src []byte, line int) (int, int, bool) {
	lines := strings.SplitAfter(string(src), "\n")
	if line < 1 || line > len(lines) {
		return 0, 0, false
	}
	m := markerRe.FindStringSubmatch(lines[line-1])
	if m == nil {
		return 0, 0, false
	}
	indent := len(m[1])
	end := line // last line of the item, 1-based
	for i := line; i < len(lines); i++ {
		l := lines[i]
		if strings.TrimSpace(l) == "" {
			continue
		}
		if lead := len(l) - len(strings.TrimLeft(l, " \t")); lead <= indent {
			break
		}
		end = i + 1
	}
	return LineRange(src, line, end)
}

// sentenceSpan finds the sentence's words, in order, from the site's line
// on.
func sentenceSpan(src []byte, s Site) (int, int, bool) {
	words := wordRe.FindAllString(s.Text, -1)
	if len(words) == 0 {
		return 0, 0, false
	}
	from, _, ok := LineRange(src, s.Line, s.Line)
	if !ok {
		return 0, 0, false
	}
	// The paragraph the sentence stands in ends at a blank line.
	to := len(src)
	if i := bytes.Index(src[from:], []byte("\n\n")); i >= 0 {
		to = from + i + 1
	}
	var b strings.Builder
	b.WriteString(`(?s)`)
	for i, w := range words {
		if i > 0 {
			b.WriteString(gap)
		}
		b.WriteString(regexp.QuoteMeta(w))
	}
	b.WriteString(`(?:[^\pL\pN\n]*?[.!?:;])?[ \t]*`)
	re, err := regexp.Compile(b.String())
	if err != nil {
		return 0, 0, false
	}
	loc := re.FindIndex(src[from:to])
	if loc == nil {
		return 0, 0, false
	}
	a := from + loc[0]
	for a > from && (src[a-1] == '[' || src[a-1] == '*' || src[a-1] == '_') {
		a-- // the markup the sentence opens with: a link, bold
	}
	return a, from + loc[1], true
}

// Delete removes a site from the page: an item or row with its lines, a
// sentence from its paragraph.
func Delete(src []byte, s Site) (Edit, bool) {
	a, b, ok := Span(src, s)
	if !ok {
		return Edit{}, false
	}
	out := splice(src, a, b, "")
	return Edit{Src: out, What: "delete the " + s.Kind + " at L" + itoa(s.Line) + ": " + clip(string(src[a:b])), Old: string(src[a:b])}, true
}

func splice(src []byte, a, b int, with string) []byte {
	out := make([]byte, 0, len(src)-(b-a)+len(with))
	out = append(out, src[:a]...)
	out = append(out, with...)
	return append(out, src[b:]...)
}

func clip(s string) string {
	s = strings.TrimSpace(s)
	if len(s) > 160 {
		return s[:157] + "…"
	}
	return s
}

func itoa(n int) string {
	var b [20]byte
	i := len(b)
	neg := n < 0
	if neg {
		n = -n
	}
	for {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
		if n == 0 {
			break
		}
	}
	if neg {
		i--
		b[i] = '-'
	}
	return string(b[i:])
}

// Place is a place as the pages write it: a noun ("Japan", "the United
// States") and an adjective ("Japanese datacenters", "U.S. datacenters").
type Place struct {
	Name, Noun, Adjective string
}

// Places are the places the swaps use.
var Places = []Place{
	{"United States", "the United States", "U.S."},
	{"Europe", "Europe", "European"},
	{"Japan", "Japan", "Japanese"},
	{"Australia", "Australia", "Australian"},
}

// placeRe finds a place: the first group is an adjective form, the second
// a noun.
var placeRe = regexp.MustCompile(`\b(European|Australian|Japanese|U\.S\.(?: |$)|(?:US|EU) (?:datacenters?|data centers?|region))|(?:\bthe )?\b(United States|U\.S\.|USA|US|Europe|Japan|Australia)\b`)

// PlaceHit is a place written in a site's text.
type PlaceHit struct {
	A, B      int    // its range in the text
	Name      string // its canonical name (one of Places)
	Adjective bool   // "European datacenters", "U.S. datacenters"
}

// PlacesIn finds the places of a site's source text. The scope names ("EU
// Data Boundary") are not places, and the first cell of a table row is its
// key, not a fact.
func PlacesIn(text, kind string) []PlaceHit {
	start := 0
	if kind == "row" {
		t := strings.TrimLeft(text, " \t")
		t = strings.TrimPrefix(t, "|")
		if i := strings.Index(t, "|"); i >= 0 {
			start = len(text) - len(t) + i
		}
	}
	var out []PlaceHit
	for _, m := range placeRe.FindAllStringSubmatchIndex(text[start:], -1) {
		h := PlaceHit{A: m[0] + start, B: m[1] + start}
		var word string
		if m[2] >= 0 {
			word = text[m[2]+start : m[3]+start]
			h.Adjective = true
		} else {
			word = text[m[4]+start : m[5]+start]
		}
		rest := text[h.B:]
		if strings.HasPrefix(rest, " Data Boundary") || strings.HasPrefix(rest, " Data Residency") || strings.HasPrefix(rest, " Customer Data") {
			continue // a scope's name
		}
		if strings.HasPrefix(rest, "-") || strings.HasSuffix(text[:h.A], "-") {
			continue // part of a hyphenated word ("European-based")
		}
		switch {
		case strings.HasPrefix(word, "Europe"), strings.HasPrefix(word, "EU"):
			h.Name = "Europe"
		case strings.HasPrefix(word, "Japan"):
			h.Name = "Japan"
		case strings.HasPrefix(word, "Australia"):
			h.Name = "Australia"
		default:
			h.Name = "United States"
		}
		if h.Adjective && (strings.HasPrefix(word, "US ") || strings.HasPrefix(word, "EU ")) {
			h.B = h.A + 2 // "US datacenters": the "US" alone
		}
		out = append(out, h)
	}
	return out
}

// PlaceNamed reports the canonical name of the first place a text (a
// record's field) names.
func PlaceNamed(text string) (string, bool) {
	hits := PlacesIn(text, "")
	if len(hits) == 0 {
		return "", false
	}
	return hits[0].Name, true
}

// SwapPlace replaces every mention of the place name in a site with the
// place to, in its noun or adjective form as each was written.
func SwapPlace(src []byte, s Site, name string, to Place) (Edit, bool) {
	a, b, ok := Span(src, s)
	if !ok || name == to.Name {
		return Edit{}, false
	}
	text := string(src[a:b])
	hits := PlacesIn(text, s.Kind)
	newText := text
	var olds []string
	with := ""
	for i := len(hits) - 1; i >= 0; i-- {
		h := hits[i]
		if h.Name != name {
			continue
		}
		with = to.Noun
		if h.Adjective {
			with = to.Adjective
		}
		old := text[h.A:h.B]
		if !h.Adjective && !strings.HasPrefix(old, "the ") {
			with = strings.TrimPrefix(with, "the ")
		}
		if h.Adjective && strings.HasSuffix(old, " ") {
			with += " "
		}
		newText = newText[:h.A] + with + newText[h.B:]
		olds = append(olds, strings.TrimSpace(old))
	}
	if len(olds) == 0 {
		return Edit{}, false
	}
	out := splice(src, a, b, newText)
	return Edit{Src: out, What: "L" + itoa(s.Line) + ": " + strings.Join(olds, ", ") + " → " + to.Name + " in: " + clip(text), Old: text, New: newText}, true
}

// SectionStart returns the line after the heading line stands under (1
// when there is none), and SectionEnd the line of the next heading at any
// level (one past the last line when there is none).
func SectionStart(src []byte, line int) int {
	lines := strings.Split(string(src), "\n")
	for i := min(line, len(lines)) - 1; i >= 0; i-- {
		if strings.HasPrefix(lines[i], "#") {
			return i + 2
		}
	}
	return 1
}

// SectionEnd: see SectionStart.
func SectionEnd(src []byte, line int) int {
	lines := strings.Split(string(src), "\n")
	for i := line; i < len(lines); i++ {
		if strings.HasPrefix(lines[i], "#") {
			return i + 1
		}
	}
	return len(lines)
}

// InsertBefore inserts text (a block with its own blank lines) at the
// start of a line.
func InsertBefore(src []byte, line int, text, what string) (Edit, bool) {
	a, _, ok := LineRange(src, line, line)
	if !ok {
		return Edit{}, false
	}
	return Edit{Src: splice(src, a, a, text), What: what + " before L" + itoa(line)}, true
}

// BlockStart returns the first line of the block (paragraph, list, table)
// that line stands in: the line after the last blank line above it.
func BlockStart(src []byte, line int) int {
	lines := strings.Split(string(src), "\n")
	for line > 1 && line-2 < len(lines) && strings.TrimSpace(lines[line-2]) != "" {
		line--
	}
	return line
}

// BlockEnd returns the last line of the block line stands in.
func BlockEnd(src []byte, line int) int {
	lines := strings.Split(string(src), "\n")
	for line < len(lines) && strings.TrimSpace(lines[line]) != "" {
		line++
	}
	return line
}

// SwapWithNext swaps the list item at line with the item that follows it
// in the same list, when there is one. It returns the edit and the line
// the items' pair starts at.
func SwapWithNext(src []byte, line int) (Edit, bool) {
	a, b, ok := itemSpan(src, line)
	if !ok {
		return Edit{}, false
	}
	m := markerRe.FindString(string(src[a:b]))
	next := bytes.Count(src[:b], []byte("\n")) + 1
	c, d, ok := itemSpan(src, next)
	if !ok {
		return Edit{}, false
	}
	m2 := markerRe.FindString(string(src[c:d]))
	if leading(m) != leading(m2) || bytes.Contains(src[a:b], []byte("\n\n")) != bytes.Contains(src[c:d], []byte("\n\n")) {
		return Edit{}, false
	}
	first, second := string(src[a:b]), string(src[c:d])
	if !strings.HasSuffix(second, "\n") {
		second += "\n"
		first = strings.TrimSuffix(first, "\n")
	}
	return Edit{Src: splice(src, a, d, second+first), What: "swap the items at L" + itoa(line) + " and L" + itoa(next)}, true
}

func leading(s string) string { return s[:len(s)-len(strings.TrimLeft(s, " \t"))] }

// Replace replaces the n-th (0-based) match of re in src with repl
// (expanded with $1…), returning false when there is no n-th match.
func Replace(src []byte, re *regexp.Regexp, repl string, n int) (Edit, bool) {
	ms := re.FindAllSubmatchIndex(src, -1)
	if n >= len(ms) {
		return Edit{}, false
	}
	m := ms[n]
	with := string(re.Expand(nil, []byte(repl), src, m))
	line := bytes.Count(src[:m[0]], []byte("\n")) + 1
	last := bytes.Count(src[:m[1]], []byte("\n")) + 1
	ls, le, _ := LineRange(src, line, last)
	old := string(src[ls:le])
	out := splice(src, m[0], m[1], with)
	return Edit{Src: out, What: "L" + itoa(line) + ": " + strings.TrimSpace(string(src[m[0]:m[1]])) + " → " + strings.TrimSpace(with),
		Old: strings.TrimSpace(old), New: strings.TrimSpace(old[:m[0]-ls] + with + old[m[1]-ls:])}, true
}

// Headings returns the page's headings of level 2 and deeper: line and
// text.
func Headings(src []byte) map[int]string {
	out := map[int]string{}
	inFence := false
	for i, l := range strings.Split(string(src), "\n") {
		if strings.HasPrefix(strings.TrimSpace(l), "```") {
			inFence = !inFence
		}
		if !inFence && strings.HasPrefix(l, "##") {
			t := strings.TrimSpace(strings.TrimLeft(l, "#"))
			if t != "" {
				out[i+1] = t
			}
		}
	}
	return out
}

// LeadIns returns the paragraphs that introduce a list (the paragraph
// right above a list, a blank line or none between): first line and
// text (the paragraph's lines joined). A one-line paragraph only: a
// longer one is prose with its own claims.
func LeadIns(src []byte) map[int]string {
	out := map[int]string{}
	lines := strings.Split(string(src), "\n")
	for i := 0; i+1 < len(lines); i++ {
		l := lines[i]
		if strings.TrimSpace(l) == "" || markerRe.MatchString(l) || strings.HasPrefix(l, "#") || strings.HasPrefix(l, " ") ||
			strings.HasPrefix(l, "|") || strings.HasPrefix(l, ">") || strings.HasPrefix(l, "<") || strings.HasPrefix(l, "**") {
			continue
		}
		if i > 0 && strings.TrimSpace(lines[i-1]) != "" {
			continue // not a paragraph's first line
		}
		j := i + 1
		if j < len(lines) && strings.TrimSpace(lines[j]) == "" {
			j++
		}
		if j < len(lines) && markerRe.MatchString(lines[j]) && !strings.HasPrefix(lines[j], " ") {
			out[i+1] = strings.TrimSpace(l)
		}
	}
	return out
}

// ReplaceLine replaces line n's text, keeping its heading marks when it is
// a heading.
func ReplaceLine(src []byte, n int, text, what string) (Edit, bool) {
	a, b, ok := LineRange(src, n, n)
	if !ok {
		return Edit{}, false
	}
	old := string(src[a:b])
	prefix := ""
	if strings.HasPrefix(old, "#") {
		prefix = old[:len(old)-len(strings.TrimLeft(old, "#"))] + " "
	}
	with := prefix + text + "\n"
	return Edit{Src: splice(src, a, b, with), What: what + " L" + itoa(n) + ": " + clip(old) + " → " + clip(with), Old: strings.TrimSpace(old), New: strings.TrimSpace(with)}, true
}

// SortedKeys returns a map's keys in order.
func SortedKeys[V any](m map[int]V) []int {
	var out []int
	for k := range m {
		out = append(out, k)
	}
	sort.Ints(out)
	return out
}

// ToCallout turns the paragraph a sentence stands in into a note
// callout.
func ToCallout(src []byte, s Site) (Edit, bool) {
	from, to := BlockStart(src, s.Line), BlockEnd(src, s.Line)
	a, b, ok := LineRange(src, from, to)
	if !ok {
		return Edit{}, false
	}
	block := string(src[a:b])
	if strings.HasPrefix(block, ">") || strings.HasPrefix(block, "|") || markerRe.MatchString(block) || strings.HasPrefix(block, "#") {
		return Edit{}, false
	}
	var out strings.Builder
	out.WriteString("> [!NOTE]\n")
	for _, l := range strings.SplitAfter(strings.TrimSuffix(block, "\n"), "\n") {
		out.WriteString("> " + l)
	}
	out.WriteString("\n")
	return Edit{Src: splice(src, a, b, out.String()), What: "the paragraph at L" + itoa(from) + " made a note callout"}, true
}

// siteItem is the list item of an item site: its byte span in src, its
// text and its marker ("- ", "  * ").
func siteItem(src []byte, s Site) (a, b int, item, marker string, ok bool) {
	if s.Kind != "item" {
		return 0, 0, "", "", false
	}
	if a, b, ok = itemSpan(src, s.Line); !ok {
		return 0, 0, "", "", false
	}
	item = string(src[a:b])
	return a, b, item, markerRe.FindString(item), true
}

// ItemToProse turns a list item (without nested lists) into a paragraph
// of its own, between the two halves of its list.
func ItemToProse(src []byte, s Site) (Edit, bool) {
	a, b, item, m, ok := siteItem(src, s)
	if !ok {
		return Edit{}, false
	}
	body := item[len(m):]
	var lines []string
	for i, l := range strings.Split(strings.TrimRight(body, "\n"), "\n") {
		if i > 0 && markerRe.MatchString(l) {
			return Edit{}, false // a nested list
		}
		lines = append(lines, strings.TrimSpace(l))
	}
	if len(m)-len(strings.TrimLeft(m, " ")) > 0 {
		return Edit{}, false // a nested item: its parent gives it meaning
	}
	para := strings.Join(lines, "\n") + "\n\n"
	return Edit{Src: moveAfterList(src, a, b, s.Line, para), What: "the item at L" + itoa(s.Line) + " made a paragraph after its list: " + clip(body)}, true
}

// moveAfterList removes src[a:b] (a part of the list at line) and puts
// text after the list, so that the rest of the list keeps its lead-in.
func moveAfterList(src []byte, a, b, line int, text string) []byte {
	st := lineStarts(src)
	ins := len(src)
	for l := line + 1; l < len(st)-1; l++ {
		t := string(src[st[l]:st[l+1]])
		if strings.TrimSpace(t) != "" && !strings.HasPrefix(t, " ") && !strings.HasPrefix(t, "\t") && !markerRe.MatchString(t) {
			ins = st[l]
			break
		}
	}
	if ins < b {
		ins = b
	}
	out := append([]byte(nil), src[:a]...)
	out = append(out, src[b:ins]...)
	if len(out) > 0 && out[len(out)-1] != '\n' {
		out = append(out, '\n')
	}
	out = append(out, '\n')
	out = append(out, text...)
	return append(out, src[ins:]...)
}

// ToTableRow puts a site's text in a two-column table row keyed by the
// service's name, in place of the site.
func ToTableRow(src []byte, s Site, service string) (Edit, bool) {
	a, b, ok := Span(src, s)
	if !ok || s.Kind == "row" {
		return Edit{}, false
	}
	text := string(src[a:b])
	if s.Kind == "item" {
		if m := markerRe.FindString(text); m != "" {
			text = text[len(m):]
		}
		if strings.Contains(strings.TrimRight(text, "\n"), "\n") {
			return Edit{}, false // nested content does not fit a cell
		}
	}
	text = strings.ReplaceAll(strings.TrimSpace(text), "|", `\|`)
	table := "| Service | Customer data |\n|---|---|\n| " + service + " | " + text + " |\n\n"
	what := "the " + s.Kind + " at L" + itoa(s.Line) + " moved to a table row: | " + service + " | " + clip(text) + " |"
	if s.Kind == "item" {
		return Edit{Src: moveAfterList(src, a, b, s.Line, table), What: what + ", after its list"}, true
	}
	return Edit{Src: splice(src, a, b, "\n\n"+table), What: what}, true
}

// ItemToSection turns a top-level list item that opens with a bold label
// (without nested lists) into a heading of its own, one level under the
// heading it stood under, with its description as the paragraph under
// it, at the end of its section: the layout of a page rebuilt with one
// heading per service.
func ItemToSection(src []byte, s Site) (Edit, bool) {
	a, b, item, m, ok := siteItem(src, s)
	if !ok {
		return Edit{}, false
	}
	if m != strings.TrimLeft(m, " \t") {
		return Edit{}, false // a nested item
	}
	body := strings.TrimSpace(item[len(m):])
	lm := boldLeadRe.FindStringSubmatch(body)
	if lm == nil {
		return Edit{}, false
	}
	label := strings.TrimRight(strings.TrimSpace(lm[1]), ".:")
	var lines []string
	for _, l := range strings.Split(strings.TrimSpace(body[len(lm[0]):]), "\n") {
		if markerRe.MatchString(l) {
			return Edit{}, false // a nested list
		}
		if l = strings.TrimSpace(l); l != "" {
			lines = append(lines, l)
		}
	}
	if len(lines) == 0 || label == "" {
		return Edit{}, false
	}
	level := 1
	for _, l := range strings.Split(string(src[:a]), "\n") {
		if h := headingRe.FindString(l); h != "" {
			level = len(strings.TrimSpace(h))
		}
	}
	end := SectionEnd(src, s.Line)
	at, _, ok := LineRange(src, end, end)
	if !ok {
		at = len(src)
	}
	section := "\n" + strings.Repeat("#", level+1) + " " + label + "\n\n" + strings.Join(lines, " ") + "\n\n"
	out := append([]byte(nil), src[:a]...)
	out = append(out, src[b:at]...)
	out = append(out, section...)
	out = append(out, src[at:]...)
	return Edit{Src: out, What: "the item at L" + itoa(s.Line) + " made a section of its own: " + strings.Repeat("#", level+1) + " " + label}, true
}

var (
	boldLeadRe = regexp.MustCompile(`^\*\*([^*]+)\*\*[.:]?`)
	headingRe  = regexp.MustCompile(`^#{1,6}\s`)
)

// ParagraphToTableRow puts the paragraph the line stands in into a
// two-column table row keyed by the service's name, in its place: a claim
// whose sentences decide together moves whole.
func ParagraphToTableRow(src []byte, line int, service string) (Edit, bool) {
	from, to := BlockStart(src, line), BlockEnd(src, line)
	a, b, ok := LineRange(src, from, to)
	if !ok {
		return Edit{}, false
	}
	block := strings.TrimSpace(string(src[a:b]))
	if block == "" || strings.HasPrefix(block, ">") || strings.HasPrefix(block, "|") || strings.HasPrefix(block, "#") || markerRe.MatchString(block) {
		return Edit{}, false
	}
	text := strings.ReplaceAll(strings.Join(strings.Fields(block), " "), "|", `\|`)
	table := "\n| Service | Customer data |\n|---|---|\n| " + service + " | " + text + " |\n\n"
	return Edit{Src: splice(src, a, b, table), What: "the paragraph at L" + itoa(from) + " moved to a table row: | " + service + " | " + clip(text) + " |"}, true
}

// ListSpan returns the first and last lines of the top-level list the
// line stands in: its items, their nested content and the blank lines
// between them.
func ListSpan(src []byte, line int) (int, int, bool) {
	lines := strings.Split(string(src), "\n")
	if line < 1 || line > len(lines) {
		return 0, 0, false
	}
	inList := func(l string) bool {
		return strings.TrimSpace(l) == "" || markerRe.MatchString(l) || strings.HasPrefix(l, " ") || strings.HasPrefix(l, "\t")
	}
	from := line
	for from > 1 && inList(lines[from-2]) {
		from--
	}
	for from < line && !markerRe.MatchString(lines[from-1]) {
		from++
	}
	to := line
	for to < len(lines) && inList(lines[to]) {
		to++
	}
	for to > line && strings.TrimSpace(lines[to-1]) == "" {
		to--
	}
	if m := markerRe.FindStringSubmatch(lines[from-1]); m == nil || m[1] != "" {
		return 0, 0, false // not a top-level list
	}
	return from, to, true
}

// ListToHTMLTable turns the top-level list the line stands in into an
// HTML table, one row per item (its text, nested items included, on one
// line): a layout a page may use that a Markdown reader does not read.
func ListToHTMLTable(src []byte, line int) (Edit, bool) {
	from, to, ok := ListSpan(src, line)
	if !ok {
		return Edit{}, false
	}
	a, b, _ := LineRange(src, from, to)
	var rows []string
	for _, l := range strings.Split(strings.TrimRight(string(src[a:b]), "\n"), "\n") {
		if strings.TrimSpace(l) == "" {
			continue
		}
		m := markerRe.FindStringSubmatch(l)
		text := strings.TrimSpace(l)
		if m != nil {
			text = strings.TrimSpace(l[len(m[0]):])
		}
		if m != nil && m[1] == "" || len(rows) == 0 {
			rows = append(rows, text)
			continue
		}
		rows[len(rows)-1] += " " + text
	}
	var out strings.Builder
	out.WriteString("<table>\n")
	for _, r := range rows {
		out.WriteString("<tr><td>" + r + "</td></tr>\n")
	}
	out.WriteString("</table>\n")
	return Edit{Src: splice(src, a, b, out.String()), What: "the list at L" + itoa(from) + "–L" + itoa(to) + " made an HTML table"}, true
}
