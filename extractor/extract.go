package extractor

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/residiff/residiff/serviceid"
	"github.com/residiff/residiff/source"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension"
	gast "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/text"
)

// Options name the page version being read.
type Options struct {
	// Page is the page's lineage name; "" derives it from Path.
	Page string
	// Path and Commit name the version in errors and warnings.
	Path   string
	Commit string
	// Profile is the docs source's vocabulary: regions, scopes, places,
	// generic headings. Required.
	Profile *source.Profile
	// Aliases gives services their canonical identity; nil means a
	// register of the profile's aliases.
	Aliases *serviceid.Register
}

// ErrNotText is returned for input that cannot be a Markdown page.
var ErrNotText = errors.New("not a text page")

// ErrNoProfile is returned when Options name no docs-source profile.
var ErrNoProfile = errors.New("no docs-source profile given")

// Extract reads one version of a residency page. It returns an error only
// when the input cannot be a page at all (binary data); everything it
// cannot understand in a page becomes a Warning.
func Extract(src []byte, opts Options) (*Page, error) {
	if bytes.IndexByte(src, 0) >= 0 {
		return nil, fmt.Errorf("extract %s: %w (it holds NUL bytes)", opts.where(), ErrNotText)
	}
	if opts.Profile == nil {
		return nil, fmt.Errorf("extract %s: %w", opts.where(), ErrNoProfile)
	}
	if opts.Aliases == nil {
		reg, err := serviceid.New(opts.Profile)
		if err != nil {
			return nil, fmt.Errorf("extract %s: %w", opts.where(), err)
		}
		opts.Aliases = reg
	}
	x := &extraction{opts: opts, page: &Page{Page: opts.pageName(), Records: []Record{}, References: []Reference{}, Warnings: []Warning{}}}
	if !utf8.Valid(src) {
		src = bytes.ToValidUTF8(src, []byte("\uFFFD"))
		x.warn(1, "the page is not valid UTF-8; invalid bytes were replaced")
	}
	src = normalise(src)
	fm := readFrontMatter(src)
	dateLine := bytes.Count(src[:max(bytes.Index(src, []byte("ms.date")), 0)], []byte("\n")) + 1
	if fm.end > 0 {
		// Blank the front matter out, keeping its lines, so that offsets
		// in the parsed document are lines of the original page.
		src = append([]byte(nil), src...)
		for i := 0; i < fm.end; i++ {
			if src[i] != '\n' {
				src[i] = ' '
			}
		}
	}
	x.src, x.lines = src, newLineIndex(src)
	if d, err := isoDate(fm.msDate); err != nil {
		x.warn(dateLine, "%s", err.Error())
	} else {
		x.page.MSDate = d
	}

	doc := goldmark.New(goldmark.WithExtensions(east.Table)).Parser().Parse(text.NewReader(src))
	x.page.Title = fm.title
	if h1 := firstH1(doc, src); h1 != "" {
		x.page.Title = h1
	}
	x.page.Region = regionOf(opts.Profile, x.page.Title, fm.title, opts.Path, opts.Page)
	x.run(doc)
	return x.page, nil
}

func (o Options) where() string {
	w := o.Path
	if w == "" {
		w = o.Page
	}
	if w == "" {
		w = "page"
	}
	if o.Commit != "" {
		c := o.Commit
		if len(c) > 7 {
			c = c[:7]
		}
		w += "@" + c
	}
	return w
}

func (o Options) pageName() string {
	if o.Page != "" {
		return o.Page
	}
	base := o.Path[strings.LastIndexAny(o.Path, `/\`)+1:]
	return strings.TrimSuffix(base, ".md")
}

// normalise makes line endings "\n" (CRLF and lone CR) and drops a BOM,
// without changing the number of lines.
func normalise(src []byte) []byte {
	src = bytes.TrimPrefix(src, []byte("\xef\xbb\xbf"))
	if bytes.IndexByte(src, '\r') < 0 {
		return src
	}
	src = bytes.ReplaceAll(src, []byte("\r\n"), []byte("\n"))
	return bytes.ReplaceAll(src, []byte("\r"), []byte("\n"))
}

func firstH1(doc ast.Node, src []byte) string {
	for n := doc.FirstChild(); n != nil; n = n.NextSibling() {
		if h, ok := n.(*ast.Heading); ok && h.Level == 1 {
			return inlineText(h, src)
		}
	}
	return ""
}

// section is one heading's part of the page and what it says about the
// residency of the services listed in it.
type section struct {
	level    int
	title    string
	line     int
	category Category // named by this heading or inherited
	scopes   []string // named by this heading or inherited
	// residency is true when the heading itself names a category: its
	// subtree is expected to list services or references.
	residency bool
	found     int // records and references found in the subtree
	// serviceHeading is true when the heading may name one service whose
	// residency the section's prose states (region pages).
	serviceHeading bool
	serviceDone    bool
}

// block is a fact block being read: "**Key** - value" bullets whose
// "**Services**" bullet closes it.
type block struct {
	facts map[string]string
	line  int
}

type extraction struct {
	opts  Options
	src   []byte
	lines lineIndex
	page  *Page

	stack    []*section // open sections, outermost first
	narrowed []string   // scope set by a "**EU Data Residency:**" label
	facts    block
	// inRegionLead is the location named by a paragraph that introduces a
	// list of services kept in the region, for the list that follows.
	inRegionLead string
}

func (x *extraction) warn(line int, format string, args ...any) {
	x.page.Warnings = append(x.page.Warnings, Warning{Line: max(line, 1), Message: fmt.Sprintf(format, args...)})
}

func (x *extraction) lineOf(n ast.Node) int {
	off := offsetOf(n)
	if off < 0 {
		return 1
	}
	return x.lines.line(off)
}

func (x *extraction) run(doc ast.Node) {
	x.stack = []*section{{level: 0, title: "", line: 1}}
	for n := doc.FirstChild(); n != nil; n = n.NextSibling() {
		switch b := n.(type) {
		case *ast.Heading:
			x.heading(b)
		case *ast.Paragraph:
			x.paragraph(b)
		case *ast.List:
			x.list(b)
		case *gast.Table:
			x.table(b)
		case *ast.HTMLBlock, *ast.Blockquote, *ast.ThematicBreak, *ast.FencedCodeBlock, *ast.CodeBlock:
			// Anchors, notes and code carry no residency facts.
		}
	}
	x.flushFacts()
	for len(x.stack) > 0 {
		x.closeSection()
	}
	if len(x.page.Records) == 0 && len(x.page.References) == 0 {
		x.warn(1, "no residency records recognised in the page (title %q): its layout may be new to residiff", x.page.Title)
	}
}

func (x *extraction) cur() *section { return x.stack[len(x.stack)-1] }

func (x *extraction) heading(h *ast.Heading) {
	x.flushFacts()
	for len(x.stack) > 1 && x.cur().level >= h.Level {
		x.closeSection()
	}
	title := inlineText(h, x.src)
	parent := x.cur()
	s := &section{level: h.Level, title: title, line: x.lineOf(h), category: categoryOf(title), scopes: x.opts.Profile.ScopesIn(title)}
	s.residency = s.category != ""
	if s.category == "" && h.Level > 1 {
		s.category = parent.category
	}
	if len(s.scopes) == 0 {
		s.scopes = parent.scopes
	}
	s.serviceHeading = h.Level > 1 && s.category == "" && len(x.opts.Profile.ScopesIn(title)) == 0 && !x.opts.Profile.IsGenericHeading(title)
	x.stack = append(x.stack, s)
	x.narrowed = nil
	x.inRegionLead = ""
}

func (x *extraction) closeSection() {
	s := x.cur()
	x.stack = x.stack[:len(x.stack)-1]
	if s.residency && s.found == 0 {
		x.warn(s.line, "section %q names a residency exclusion but no services or references were recognised in it", s.title)
	}
	if len(x.stack) > 0 {
		x.cur().found += s.found
	}
}

// scopes are the scopes facts stated here apply to.
func (x *extraction) scopes() []string {
	if len(x.narrowed) > 0 {
		return x.narrowed
	}
	if s := x.cur().scopes; len(s) > 0 {
		return s
	}
	return []string{x.page.Region}
}

func (x *extraction) paragraph(p *ast.Paragraph) {
	line := x.lineOf(p)
	txt := inlineText(p, x.src)
	if scope := scopeLabel(x.opts.Profile, txt); scope != "" {
		if _, _, ok := leadStrong(p, x.src); ok || strings.HasSuffix(txt, ":") {
			x.flushFacts()
			x.narrowed = []string{scope}
			return
		}
	}
	x.inRegionLead = ""
	if m := inRegionListRe.FindStringSubmatch(txt); m != nil {
		x.inRegionLead = m[3]
	}
	sec := x.cur()
	if sec.category != "" {
		if label, rest, ok := leadStrong(p, x.src); ok && factKey(label) != "" {
			x.fact(factKey(label), trimSeparator(textFrom(rest, x.src)), line)
			return
		}
		if name, _, rest, ok := leadLink(p, x.src); ok {
			if after := textFrom(rest, x.src); strings.HasPrefix(after, ":") || strings.HasPrefix(after, " -") || strings.HasPrefix(after, "-") {
				x.flushFacts()
				x.describedService(name, trimSeparator(after), "", line)
				return
			}
		}
		if ls := links(p, x.src); len(ls) > 0 && seeRe.MatchString(txt) && x.facts.facts == nil {
			x.reference(ls[len(ls)-1], line)
			return
		}
	}
	x.prose(txt, line)
}

// prose reads residency statements from sentences of ordinary prose.
func (x *extraction) prose(txt string, line int) {
	sec := x.cur()
	if sec.serviceHeading && !sec.serviceDone {
		if cat, loc, proc := proseFacts(x.opts.Profile, txt, x.page.Region); cat != "" {
			sec.serviceDone = true
			x.add(Record{Service: sec.title, Category: cat, LocationAtRest: loc, Processing: proc, Reason: txt, Scope: x.page.Region, Line: line})
			return
		}
	}
	if sec.category != "" && sec.residency {
		return // prose between fact blocks explains, it does not state facts
	}
	for _, s := range sentences(txt) {
		m := storesRe.FindStringSubmatch(s)
		if m == nil || !x.opts.Profile.PlaceAt(m[2]) {
			continue
		}
		name := strings.TrimSpace(m[1])
		if len(strings.Fields(name)) > 8 || strings.EqualFold(name, "it") {
			continue
		}
		loc, proc := strings.TrimPrefix(strings.TrimSpace(m[2]), "the "), strings.TrimSpace(m[3])
		cat := Outside
		switch {
		case strings.Contains(strings.ToLower(loc), "global"):
			cat = Global
		case strings.Contains(loc, " or "), strings.Contains(strings.ToLower(loc), strings.ToLower(x.page.Region)):
			cat = InRegion
		}
		x.add(Record{Service: name, Category: cat, LocationAtRest: loc, Processing: proc, Reason: s, Scope: x.page.Region, Line: line})
	}
}

// proseFacts reads the category, location and processing a paragraph
// under a service's own heading states, or "" when it states none.
func proseFacts(p *source.Profile, txt, region string) (Category, string, string) {
	l := strings.ToLower(txt)
	switch {
	case globalRe.MatchString(txt):
		return Global, "Global", ""
	case strings.Contains(l, "processes it globally") || strings.Contains(l, "processed globally"):
		loc := ""
		if m, name := p.OutsideIn(txt); m != "" && name != "Global" {
			loc = m
		}
		return Outside, loc, "Global"
	case region != "" && region != ScopeGlobal && strings.Contains(l, "within "+strings.ToLower(region)):
		return InRegion, region, ""
	}
	return "", "", ""
}

func (x *extraction) list(l *ast.List) {
	if lead := x.inRegionLead; lead != "" {
		x.inRegionLead = ""
		for it := l.FirstChild(); it != nil; it = it.NextSibling() {
			if name := inlineText(firstBlock(it), x.src); name != "" {
				x.add(Record{Service: name, Category: InRegion, LocationAtRest: lead, Scope: x.page.Region, Line: x.lineOf(it)})
			}
		}
		return
	}
	sec := x.cur()
	for it := l.FirstChild(); it != nil; it = it.NextSibling() {
		first := firstBlock(it)
		if first == nil {
			continue
		}
		line := x.lineOf(first)
		if label, rest, ok := leadStrong(first, x.src); ok {
			value := trimSeparator(textFrom(rest, x.src))
			if more := afterFirst(it, first, x.src); more != "" {
				value = strings.TrimSpace(value + " " + more)
			}
			if key := factKey(label); key != "" {
				x.fact(key, value, line)
				continue
			}
			if sec.category != "" {
				x.flushFacts()
				for _, name := range splitLabel(strings.TrimRight(label, ":")) {
					x.describedService(name, value, nestedItems(it, x.src), line)
				}
			}
			continue
		}
		if name, _, rest, ok := leadLink(first, x.src); ok && sec.category != "" {
			after := textFrom(rest, x.src)
			if strings.HasPrefix(after, ":") || strings.HasPrefix(after, "-") || strings.HasPrefix(after, " -") {
				x.flushFacts()
				x.describedService(name, trimSeparator(after), "", line)
			}
		}
	}
}

// firstBlock is a list item's first paragraph (or text block).
func firstBlock(item ast.Node) ast.Node {
	for c := item.FirstChild(); c != nil; c = c.NextSibling() {
		switch c.(type) {
		case *ast.Paragraph, *ast.TextBlock:
			return c
		}
	}
	return nil
}

// afterFirst is the text of a list item's blocks after its first one.
func afterFirst(item, first ast.Node, src []byte) string {
	var parts []string
	for c := first.NextSibling(); c != nil; c = c.NextSibling() {
		if t := blockText(c, src); t != "" {
			parts = append(parts, t)
		}
	}
	return strings.Join(parts, " ")
}

func blockText(n ast.Node, src []byte) string {
	if l, ok := n.(*ast.List); ok {
		var b strings.Builder
		appendListText(&b, l, src)
		return clean(b.String())
	}
	return inlineText(n, src)
}

// nestedItems lists the short items of a list nested in item — attribute
// names such as GivenName, Surname — or "" when its items are sentences.
func nestedItems(item ast.Node, src []byte) string {
	for c := item.FirstChild(); c != nil; c = c.NextSibling() {
		l, ok := c.(*ast.List)
		if !ok {
			continue
		}
		var names []string
		for it := l.FirstChild(); it != nil; it = it.NextSibling() {
			t := inlineText(firstBlock(it), src)
			if len(strings.Fields(t)) > 4 {
				return ""
			}
			names = append(names, t)
		}
		return strings.Join(names, ", ")
	}
	return ""
}

// fact adds one "**Key** - value" fact to the block being read; the
// Services fact closes the block.
func (x *extraction) fact(key, value string, line int) {
	if x.facts.facts == nil {
		x.facts = block{facts: map[string]string{}, line: line}
	}
	if key != "services" {
		if old := x.facts.facts[key]; old != "" {
			// A second value for a key starts a new block that lacks
			// its services: the old one was incomplete.
			x.flushFacts()
			x.facts = block{facts: map[string]string{}, line: line}
		}
		x.facts.facts[key] = value
		return
	}
	f := x.facts.facts
	x.facts = block{}
	names := splitServices(value)
	if len(names) == 0 {
		x.warn(line, "a Services fact lists no services")
		return
	}
	cat := x.cur().category
	if cat == "" {
		cat = Outside
		x.warn(line, "facts under heading %q name no category (permanent, temporary, optional); recorded as %q", x.cur().title, Outside)
	}
	for _, name := range names {
		for _, scope := range x.scopes() {
			x.add(Record{Service: name, Scope: scope, Category: cat,
				DataTypes: f["data_types"], LocationAtRest: f["location_at_rest"], Processing: f["processing"], Reason: f["reason"], Line: line})
		}
	}
}

// flushFacts ends a fact block that never named its services.
func (x *extraction) flushFacts() {
	if x.facts.facts != nil {
		x.warn(x.facts.line, "residency facts under heading %q name no services", x.cur().title)
	}
	x.facts = block{}
}

// describedService records a service named by a bold or linked label with
// a description ("**Application Proxy** - Allows customers…").
func (x *extraction) describedService(name, description, dataTypes string, line int) {
	sec := x.cur()
	loc := ""
	if sec.category == Outside {
		// Under "stored outside" headings only bullets that say where
		// the data goes are exclusions; others are advice.
		m, name := x.opts.Profile.OutsideIn(description)
		if m == "" {
			return
		}
		loc = name
	}
	for _, scope := range x.scopes() {
		x.add(Record{Service: name, Scope: scope, Category: sec.category, DataTypes: dataTypes, LocationAtRest: loc, Reason: description, Line: line})
	}
}

// twoServicesRe matches a label naming two services with their
// abbreviations: "Azure MFA (MFA) and Azure AD SSPR (SSPR)".
var twoServicesRe = regexp.MustCompile(`^(.+?\([^()]+\))\s+and\s+(.+\([^()]+\))$`)

// splitLabel splits a bold label that names two services.
func splitLabel(label string) []string {
	if m := twoServicesRe.FindStringSubmatch(label); m != nil {
		return []string{m[1], m[2]}
	}
	return []string{label}
}

func (x *extraction) reference(l linkRef, line int) {
	sec := x.cur()
	for _, scope := range x.scopes() {
		x.page.References = append(x.page.References, Reference{Scope: scope, Category: sec.category, URL: l.url, Text: l.text, Line: line})
		sec.found++
	}
}

// add appends a record, filling its identity and section.
func (x *extraction) add(r Record) {
	r.Service = strings.TrimSpace(r.Service)
	r.ServiceID = x.opts.Aliases.ID(r.Service)
	if r.ServiceID == "" {
		x.warn(r.Line, "a service name without letters (%q) was skipped", r.Service)
		return
	}
	r.Section = x.cur().title
	x.page.Records = append(x.page.Records, r)
	x.cur().found++
}

// table reads a GFM table whose columns name a service (component,
// feature…) and where its data is stored.
func (x *extraction) table(t *gast.Table) {
	var header []string
	var rows [][]*gast.TableCell
	for r := t.FirstChild(); r != nil; r = r.NextSibling() {
		var cells []*gast.TableCell
		for c := r.FirstChild(); c != nil; c = c.NextSibling() {
			if cell, ok := c.(*gast.TableCell); ok {
				cells = append(cells, cell)
			}
		}
		if _, ok := r.(*gast.TableHeader); ok {
			for _, c := range cells {
				header = append(header, cellText(c, x.src))
			}
			continue
		}
		rows = append(rows, cells)
	}
	svcCol, locCols := -1, []int{}
	for i, h := range header {
		switch {
		case svcCol < 0 && serviceColRe.MatchString(h) && !locationColRe.MatchString(h):
			svcCol = i
		case locationColRe.MatchString(h) && !customerColRe.MatchString(h):
			locCols = append(locCols, i)
		}
	}
	if svcCol < 0 || len(locCols) == 0 {
		return // a table of something else: models, event types, tenants
	}
	for _, cells := range rows {
		if svcCol >= len(cells) {
			continue
		}
		line := x.lineOf(cells[svcCol])
		if line <= 1 {
			line = x.lineOf(t)
		}
		var locs []string
		inRegion := true
		for _, i := range locCols {
			if i >= len(cells) {
				continue
			}
			v := cellText(cells[i], x.src)
			if v == "" {
				continue
			}
			if !inRegionValueRe.MatchString(v) {
				inRegion = false
			}
			if len(locCols) > 1 {
				v = header[i] + ": " + v
			}
			locs = append(locs, v)
		}
		if len(locs) == 0 {
			continue
		}
		cat := Outside
		if inRegion {
			cat = InRegion
		}
		for _, name := range splitServices(cellText(cells[svcCol], x.src)) {
			x.add(Record{Service: name, Scope: x.page.Region, Category: cat, LocationAtRest: strings.Join(locs, "; "), Line: line})
		}
	}
}
