package extractor

import (
	"bytes"
	"html"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/residiff/residiff/internal/litmatch"
	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension/ast"
)

// lineIndex maps byte offsets of a source to 1-based line numbers.
type lineIndex []int // offsets of the first byte of each line

func newLineIndex(src []byte) lineIndex {
	idx := make(lineIndex, 1, bytes.Count(src, []byte{'\n'})+1)
	for off := 0; ; {
		i := bytes.IndexByte(src[off:], '\n')
		if i < 0 {
			return idx
		}
		off += i + 1
		idx = append(idx, off)
	}
}

// line returns the 1-based line of offset off.
func (li lineIndex) line(off int) int {
	return sort.Search(len(li), func(i int) bool { return li[i] > off })
}

// offsetOf returns the source offset where node n starts, or -1.
func offsetOf(n ast.Node) int {
	if n == nil {
		return -1
	}
	if n.Type() == ast.TypeBlock {
		if l := n.Lines(); l != nil && l.Len() > 0 {
			return l.At(0).Start
		}
	} else if p := n.Pos(); p >= 0 {
		return p
	}
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		if off := offsetOf(c); off >= 0 {
			return off
		}
	}
	return -1
}

// inlineText is the plain text of n's inline content: emphasis, links and
// code spans contribute their text, line breaks and <br> become spaces,
// other raw HTML is dropped. Nested blocks are included, separated by
// spaces.
func inlineText(n ast.Node, src []byte) string {
	if n == nil { // an empty list item has no block
		return ""
	}
	var b strings.Builder
	appendText(&b, n, src)
	t := b.String()
	if strings.IndexByte(t, '&') >= 0 {
		// goldmark keeps entity references as written: "United&nbsp;States"
		// is a place only once decoded.
		t = html.UnescapeString(t)
	}
	return clean(t)
}

func appendText(b *strings.Builder, n ast.Node, src []byte) {
	inSup := false // footnote marks (<sup>1</sup>) are not text
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		if inSup {
			if r, ok := c.(*ast.RawHTML); ok && supTag(r, src) < 0 {
				inSup = false
			}
			continue
		}
		switch t := c.(type) {
		case *ast.Text:
			b.Write(t.Segment.Value(src))
			if t.SoftLineBreak() || t.HardLineBreak() {
				b.WriteByte(' ')
			}
		case *ast.String:
			b.Write(t.Value)
		case *ast.AutoLink:
			b.Write(t.URL(src))
		case *ast.RawHTML:
			if supTag(t, src) > 0 {
				inSup = true
				continue
			}
			for i := 0; i < t.Segments.Len(); i++ {
				seg := t.Segments.At(i)
				if bytes.Contains(bytes.ToLower(seg.Value(src)), []byte("br")) {
					b.WriteByte(' ')
				}
			}
		case *ast.List:
			b.WriteByte(' ')
			appendListText(b, t, src)
		default:
			if c.Type() == ast.TypeBlock {
				b.WriteByte(' ')
			}
			appendText(b, c, src)
			if c.Type() == ast.TypeBlock {
				b.WriteByte(' ')
			}
		}
	}
}

// supTag reports whether raw HTML opens (1) or closes (-1) a <sup>
// element, or neither (0).
func supTag(r *ast.RawHTML, src []byte) int {
	var raw []byte
	for i := 0; i < r.Segments.Len(); i++ {
		seg := r.Segments.At(i)
		raw = append(raw, seg.Value(src)...)
	}
	switch l := bytes.ToLower(bytes.TrimSpace(raw)); {
	case bytes.HasPrefix(l, []byte("<sup")):
		return 1
	case bytes.HasPrefix(l, []byte("</sup")):
		return -1
	}
	return 0
}

// supMarks lists the footnote marks (<sup>N</sup>) inside n.
func supMarks(n ast.Node, src []byte) []string {
	var marks []string
	var cur *strings.Builder
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch t := c.(type) {
		case *ast.RawHTML:
			switch supTag(t, src) {
			case 1:
				cur = &strings.Builder{}
			case -1:
				if cur != nil {
					if m := strings.TrimSpace(cur.String()); m != "" {
						marks = append(marks, m)
					}
				}
				cur = nil
			}
		case *ast.Text:
			if cur != nil {
				cur.Write(t.Segment.Value(src))
			}
		}
		return ast.WalkContinue, nil
	})
	return marks
}

// appendListText writes a nested list's items separated by "; ".
func appendListText(b *strings.Builder, l *ast.List, src []byte) {
	first := true
	for it := l.FirstChild(); it != nil; it = it.NextSibling() {
		t := inlineText(it, src)
		if t == "" {
			continue
		}
		if !first {
			b.WriteString("; ")
		}
		first = false
		b.WriteString(t)
	}
}

// clean collapses runs of white space and trims s.
func clean(s string) string {
	if isClean(s) {
		return s // most texts are: no copy
	}
	return collapse(s)
}

// wordsAtLeast reports whether s has at least n words, as
// len(strings.Fields(s)) >= n does, without making the list.
func wordsAtLeast(s string, n int) bool {
	if n <= 0 {
		return true
	}
	word := false
	for i := 0; i < len(s); {
		var space bool
		if c := s[i]; c < utf8.RuneSelf {
			space = asciiSpace[c]
			i++
		} else {
			r, w := utf8.DecodeRuneInString(s[i:])
			space = unicode.IsSpace(r)
			i += w
		}
		switch {
		case space:
			word = false
		case !word:
			word = true
			if n--; n == 0 {
				return true
			}
		}
	}
	return false
}

// asciiSpace marks the ASCII bytes strings.Fields splits at.
var asciiSpace = [utf8.RuneSelf]bool{'\t': true, '\n': true, '\v': true, '\f': true, '\r': true, ' ': true}

// collapse is strings.Join(strings.Fields(s), " ") in one pass and one
// allocation: the words of s (runs of anything but white space as
// unicode.IsSpace sees it, invalid bytes kept as they are) joined by
// single spaces.
func collapse(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	word := false // within a word: a space before the next one is due
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if asciiSpace[c] {
				word = false
				i++
				continue
			}
			if !word && b.Len() > 0 {
				b.WriteByte(' ')
			}
			word = true
			b.WriteByte(c)
			i++
			continue
		}
		r, w := utf8.DecodeRuneInString(s[i:])
		if unicode.IsSpace(r) {
			word = false
		} else {
			if !word && b.Len() > 0 {
				b.WriteByte(' ')
			}
			word = true
			b.WriteString(s[i : i+w])
		}
		i += w
	}
	return b.String()
}

const (
	ones = 0x0101010101010101
	high = 0x8080808080808080
)

// load8 reads the eight bytes of s at i as one little-endian word.
func load8(s string, i int) uint64 {
	_ = s[i+7]
	return uint64(s[i]) | uint64(s[i+1])<<8 | uint64(s[i+2])<<16 | uint64(s[i+3])<<24 |
		uint64(s[i+4])<<32 | uint64(s[i+5])<<40 | uint64(s[i+6])<<48 | uint64(s[i+7])<<56
}

// spaces has the high bit set in each byte of the ASCII word w that is
// ' ' (no byte of w ^ ' ' carries into the next: all are below 0x80).
func spaces(w uint64) uint64 {
	t := w ^ 0x20*ones
	return ^(t + 0x7f*ones | t) & high
}

// isClean reports whether clean would return s as it is: no space at
// either end, and single ' ' between words.
func isClean(s string) bool {
	if s == "" {
		return true
	}
	if s[0] == ' ' || s[len(s)-1] == ' ' {
		return false
	}
	// Eight bytes at a time while they are printable ASCII or ' ': no
	// two spaces side by side, within the word or across from the last.
	i := 0
	for ; i+8 <= len(s); i += 8 {
		w := load8(s, i)
		if (w-0x20*ones|w)&high != 0 {
			break // a control or non-ASCII byte: byte by byte from here
		}
		sp := spaces(w)
		if sp&(sp<<8) != 0 || i > 0 && s[i-1] == ' ' && sp&0x80 != 0 {
			return false
		}
	}
	if i > 0 && i < len(s) && s[i-1] == ' ' && s[i] == ' ' {
		return false
	}
	for ; i < len(s); i++ {
		c := s[i]
		if c-0x21 < utf8.RuneSelf-0x21 {
			continue // printable ASCII other than ' ': most of a text
		}
		switch {
		case c == ' ':
			if s[i+1] == ' ' { // s does not end with ' '
				return false
			}
		case c < ' ':
			if c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r' {
				return false
			}
		default:
			r, w := utf8.DecodeRuneInString(s[i:])
			if unicode.IsSpace(r) {
				return false // U+0085, U+00A0 …: never the one ' '
			}
			i += w - 1
		}
	}
	return true
}

// cellText is the text of a GFM table cell.
func cellText(c *east.TableCell, src []byte) string { return inlineText(c, src) }

// leadStrong returns the text of n's first inline child when it is bold
// (**…**), and the node after it.
func leadStrong(para ast.Node, src []byte) (label string, rest ast.Node, ok bool) {
	if para == nil { // an empty list item has no block
		return "", nil, false
	}
	first := para.FirstChild()
	// Skip leading white space text nodes.
	for first != nil {
		if t, isText := first.(*ast.Text); isText && strings.TrimSpace(string(t.Segment.Value(src))) == "" {
			first = first.NextSibling()
			continue
		}
		break
	}
	em, isEm := first.(*ast.Emphasis)
	if !isEm || em.Level != 2 {
		return "", nil, false
	}
	var b strings.Builder
	appendText(&b, em, src)
	return clean(b.String()), em.NextSibling(), true
}

// boldLine is the text of a one-line paragraph written wholly in bold,
// and true. Bold spans written edge to edge ("**Records Management****
// Data Residency Commitments**") are one bold label as the writer meant
// it, though CommonMark reads the inner "****" as text.
func boldLine(para ast.Node, src []byte) (string, bool) {
	if para == nil || para.Lines().Len() != 1 {
		return "", false
	}
	seg := para.Lines().At(0)
	raw := bytes.TrimSpace(seg.Value(src))
	if len(raw) < 5 || !bytes.HasPrefix(raw, []byte("**")) || !bytes.HasSuffix(raw, []byte("**")) {
		return "", false
	}
	inner := string(raw[2 : len(raw)-2])
	if strings.TrimSpace(inner) == "" {
		return "", false
	}
	if strings.Contains(strings.ReplaceAll(inner, "****", ""), "**") {
		return "", false // bold spans with plain text between them
	}
	return clean(strings.ReplaceAll(inner, "****", " ")), true
}

// leadLink returns the text and destination of para's first inline child
// when it is a link, and the node after it.
func leadLink(para ast.Node, src []byte) (text, dest string, rest ast.Node, ok bool) {
	if para == nil {
		return "", "", nil, false
	}
	first := para.FirstChild()
	l, isLink := first.(*ast.Link)
	if !isLink {
		return "", "", nil, false
	}
	var b strings.Builder
	appendText(&b, l, src)
	return clean(b.String()), string(l.Destination), l.NextSibling(), true
}

// textFrom is the text of the inline siblings from n on.
func textFrom(n ast.Node, src []byte) string {
	var b strings.Builder
	for c := n; c != nil; c = c.NextSibling() {
		switch t := c.(type) {
		case *ast.Text:
			b.Write(t.Segment.Value(src))
			if t.SoftLineBreak() || t.HardLineBreak() {
				b.WriteByte(' ')
			}
		case *ast.String:
			b.Write(t.Value)
		default:
			appendText(&b, c, src)
		}
	}
	return clean(b.String())
}

// links lists the links inside n, in order.
func links(n ast.Node, src []byte) []linkRef {
	var out []linkRef
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		if a, ok := c.(*ast.AutoLink); ok && a.AutoLinkType == ast.AutoLinkURL {
			u := string(a.URL(src))
			if SafeURL(u) {
				out = append(out, linkRef{text: u, url: u, off: offsetOf(a)})
			}
			return ast.WalkSkipChildren, nil
		}
		if l, ok := c.(*ast.Link); ok {
			if !SafeURL(string(l.Destination)) {
				return ast.WalkSkipChildren, nil // javascript:, data: … never reach an output
			}
			var b strings.Builder
			appendText(&b, l, src)
			out = append(out, linkRef{text: clean(b.String()), url: string(l.Destination), off: offsetOf(l)})
			return ast.WalkSkipChildren, nil
		}
		if r, ok := c.(*ast.RawHTML); ok {
			if l, ok := htmlLink(r, src); ok {
				out = append(out, l)
			}
		}
		return ast.WalkContinue, nil
	})
	return out
}

// anchorOpenRe is an HTML anchor's opening tag and its href.
var anchorOpenRe = litmatch.MustCompile(`(?is)^<a\s[^>]*?\bhref\s*=\s*(?:"([^"]*)"|'([^']*)')[^>]*>$`)

// htmlLink reads a link written as inline HTML ("<a href="…"
// target="_blank">**webpage**</a>"): the tag's href and the text of the
// nodes up to "</a>", as a Markdown link's (BLIND4 class 13: Exchange
// Online's Product Terms pointer, written so, was no reference where the
// SharePoint page's Markdown link to the same terms is one).
func htmlLink(r *ast.RawHTML, src []byte) (linkRef, bool) {
	m := anchorOpenRe.FindSubmatch(bytes.TrimSpace(rawOf(r, src)))
	if m == nil {
		return linkRef{}, false
	}
	u := html.UnescapeString(string(m[1]) + string(m[2]))
	if !SafeURL(u) {
		return linkRef{}, false
	}
	var b strings.Builder
	for c := r.NextSibling(); c != nil; c = c.NextSibling() {
		if e, ok := c.(*ast.RawHTML); ok && bytes.HasPrefix(bytes.ToLower(bytes.TrimSpace(rawOf(e, src))), []byte("</a")) {
			break
		}
		switch t := c.(type) {
		case *ast.Text:
			b.Write(t.Segment.Value(src))
		case *ast.String:
			b.Write(t.Value)
		default:
			appendText(&b, c, src)
		}
	}
	return linkRef{text: clean(b.String()), url: u, off: offsetOf(r)}, true
}

// rawOf is the source text of inline raw HTML.
func rawOf(r *ast.RawHTML, src []byte) []byte {
	var raw []byte
	for i := 0; i < r.Segments.Len(); i++ {
		seg := r.Segments.At(i)
		raw = append(raw, seg.Value(src)...)
	}
	return raw
}

type linkRef struct {
	text, url string
	off       int
}

// SafeURL reports whether a link may be passed on to a reader: http, https
// and mailto, or a relative link (no scheme). javascript:, data:, vbscript:
// and every other scheme from an upstream page are dropped.
func SafeURL(u string) bool {
	u = strings.TrimSpace(u)
	i := strings.IndexAny(u, ":/?#")
	if i < 0 || u[i] != ':' {
		return true // relative
	}
	switch strings.ToLower(u[:i]) {
	case "http", "https", "mailto":
		return true
	}
	return false
}

// setOf is the set of the space-separated words of words.
func setOf(words string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(words) {
		m[w] = true
	}
	return m
}
