package extractor

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/residiff/residiff/internal/litmatch"
	"github.com/residiff/residiff/internal/textcase"
	"github.com/residiff/residiff/serviceid"
	"github.com/residiff/residiff/source"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension"
	gast "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/parser"
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
	// Limits bound the work of one page; a zero field means its
	// DefaultLimits value.
	Limits Limits
	// Now is the clock of the time limit; nil means time.Now.
	Now func() time.Time
	// Memo, when set, keeps what sentences say across the versions a run
	// reads (one Memo per run and profile); nil reads every version on
	// its own.
	Memo *Memo
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
	x := &extraction{opts: opts, page: &Page{Page: opts.pageName(), Records: []Record{}, References: []Reference{}, Warnings: []Warning{}, Claims: []Claim{}},
		covered: map[string][]int{}, fromProse: map[int]bool{}}
	if !utf8.Valid(src) {
		src = bytes.ToValidUTF8(src, []byte("\uFFFD"))
		x.warn(1, InvalidText, "the page is not valid UTF-8; invalid bytes were replaced")
	}
	src = normalise(src)
	limits := opts.Limits.orDefaults()
	x.now = opts.Now
	if x.now == nil {
		x.now = time.Now
	}
	x.deadline = x.now().Add(limits.MaxDuration)
	if why := limits.check(src); why != "" {
		x.warn(1, UnrecognisedPage, "the page was not read: it exceeds residiff's limits (%s)", why)
		return x.page, nil
	}
	fm := readFrontMatter(src, opts.Profile.PageDateKey)
	dateLine := keyLine(src, opts.Profile.PageDateKey)
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
	if d, err := isoDate(opts.Profile.PageDateKey, fm.pageDate); err != nil {
		x.warn(dateLine, InvalidDate, "%s", err.Error())
	} else {
		x.page.PageDate = d
	}

	doc := markdownParser().Parse(text.NewReader(src))
	x.page.Title = fm.title
	if h1 := firstH1(doc, src); h1 != "" {
		x.page.Title = h1
	}
	x.page.Region = x.region(fm.title)
	x.inside = insideOf(opts.Profile, x.page.Region)
	if x.run(doc) {
		x.ledger(doc)
		oneVerdictPerKey(x.page, func(i, j int) bool { return x.recSection[i] == x.recSection[j] })
	} else {
		// Half a page would read as services leaving: nothing of it is
		// kept.
		x.page.Records, x.page.References, x.page.Coverage, x.page.Claims = []Record{}, []Reference{}, Coverage{}, []Claim{}
		x.page.Warnings = []Warning{{Line: 1, Kind: UnrecognisedPage,
			Message: fmt.Sprintf("%s %s (limits.page_seconds)", overBudget, limits.MaxDuration)}}
	}
	return x.page, nil
}

// markdownParser is the Markdown parser of every page, with tables:
// built once (its set-up allocated ~13 KB and sorted its parsers for
// every page), never changed after, and safe for concurrent use (a parse
// keeps its state in its own context).
var markdownParser = sync.OnceValue(func() parser.Parser {
	return goldmark.New(goldmark.WithExtensions(east.Table)).Parser()
})

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

// text is inlineText(n, x.src), computed once per block of the page.
func (x *extraction) text(n ast.Node) string {
	if n == nil {
		return ""
	}
	if t, ok := x.texts[n]; ok {
		return t
	}
	if x.texts == nil {
		x.texts = map[ast.Node]string{}
	}
	t := inlineText(n, x.src)
	x.texts[n] = t
	return t
}

func firstH1(doc ast.Node, src []byte) string {
	for n := doc.FirstChild(); n != nil; n = n.NextSibling() {
		if h, ok := n.(*ast.Heading); ok && h.Level == 1 {
			return inlineText(h, src)
		}
	}
	return ""
}

// section is one heading's part of the page (or a bold label standing as
// a heading) and what it says about the residency of what it lists.
type section struct {
	level    int
	title    string
	line     int
	category Category // named by this heading, its lead-in, or inherited
	scopes   []string // named by this heading, or inherited
	// residency is true when the heading itself names a category: its
	// subtree is expected to list services or references.
	residency bool
	// service is the service this heading names, when it names one.
	service string
	// services are the services this heading names when it names
	// several ("NPS extension and AD FS adapter"): the subjects of a
	// table under it that is not keyed by services.
	services []string
	// group marks a heading that places a group of services it does not
	// name ("Microsoft 365 Services stored in "Europe"", placingClause):
	// its prose about tenants or data is about no one service, and the
	// page's product never stands in for one. A heading that names a
	// category ("Data stored outside of European datacenters") is a
	// residency section, read as before.
	group bool
	// located is set when location words stand in the section's own
	// text: a service heading with them is residency content.
	located bool
	// label marks a bold paragraph standing as a heading.
	label bool
	// warned is set once a warning says the section was not understood.
	warned bool
	found  int // records and references found in the subtree
	// leadInWarning is said when the section closes with nothing found:
	// a lead-in spoke of data leaving and nothing after it was read.
	leadInWarning *Warning
	// merged indexes the prose records of the section by service, scope
	// and category, so that several sentences make one record.
	merged map[string]int
	// claims indexes them by service and scope whatever their category,
	// and said holds the sentences each was read from.
	claims map[string]int
	said   map[int][]string
}

// looksResidency reports whether the section is residency content that
// must yield records, references or a warning.
func (s *section) looksResidency() bool {
	return s.residency || (s.service != "" && s.located)
}

// block is a fact block being read: "**Key** - value" bullets whose
// "**Services**" bullet closes it.
type block struct {
	facts map[string]string
	line  int
	lines []int // every fact's line
}

// lead is what a lead-in sentence says about the list that follows it:
// "The following services store customer data outside Japan:".
type lead struct {
	category Category
	scopes   []string
	location string
	line     int
	// data says the list is of data, not of services (the profile's
	// data_lead_ins): its items are the section's service's data.
	data bool
	// named is the service the lead-in's paragraph names, else the page's
	// (a data list under a heading that names none: "Multi-Geo add-on").
	named string
}

type extraction struct {
	// titleSvc is titleService's answer, once asked (tables.go).
	titleSvc *string
	// ownWarned is the page's warnings (by index) of one site each (a
	// bound of a commitment, data placed within other services:
	// claims.go's ownWarning), hiding no other.
	ownWarned map[int]bool
	// legend is the page's code legend (codes.go), read when a table
	// first needs it.
	legend map[string]string
	// named is the service the previous sentence of a paragraph named:
	// what "It" and "They" stand for.
	named string
	opts  Options
	src   []byte
	lines lineIndex
	page  *Page
	// inside reports whether a canonical place is within the page's
	// region.
	inside func(string) bool

	// now and deadline bound the time of the reading.
	now      func() time.Time
	deadline time.Time

	stack    []*section // open sections, outermost first
	narrowed []string   // scope set by a "**EU Data Residency:**" label
	facts    block
	// lead is the lead-in of the list that follows, if any; prevLead the
	// lead-in of the list just read, which governs a list that goes on
	// after a paragraph saying nothing of data (a loose list split by a
	// note).
	lead, prevLead *lead
	// afterTable is set after a table, until the next heading or list:
	// paragraphs then may be its footnotes; notes maps a footnote mark to
	// the rows it stands in.
	afterTable bool
	notes      map[string][]noteRow
	// subScope is the sub-scope prose read now is about (a footnote's
	// row).
	subScope string
	// customers is the place list after the paragraph being read (the
	// customers "for the following countries" speaks of), or "".
	customers string
	// customersInside is the inside test of customers, built on first use.
	customersInside func(string) bool
	// placeLists are the blocks read as place lists, or not (node nil).
	placeLists map[ast.Node]placeList
	// read memoises the statements of sentences read against the page's
	// own region; lead-ins and references read a sentence more than once.
	read map[string]statement
	// pageLead is a page-wide statement that everything listed below
	// leaves the region ("Everything listed below leaves Europe").
	pageLead *lead
	// texts keeps the plain text of the blocks read (text): the readers
	// and the claims ledger read the same paragraphs, headings and cells.
	texts map[ast.Node]string
	// titleFold is the page's title folded (foldedTitle), once known.
	titleFold *string

	// The ledger's view of the readers: recLines are the lines each
	// record was read from (by record index), factLines the lines of the
	// fact block being read, covered the records each prose sentence
	// became (by coverKey), fromProse the records the prose reader made.
	recLines  [][]int
	factLines []int
	// recSection is the section each record was read in (by record
	// index): the one verdict per key is the section's (onekey.go).
	recSection []*section
	covered    map[string][]int
	fromProse  map[int]bool
	// labels are the lines of bold paragraphs read as headings: the
	// ledger puts the sites under them in their context.
	labels map[int]string
	// conditions are the lists of a commitment's conditions (after a
	// lead-in of the profile's condition_lead_ins): read into no record,
	// their items are judged as conditions by the ledger.
	conditions map[ast.Node]bool
	// unfound are the service sections closed with nothing read, by their
	// warning: a commitment the page gives that service by pointer
	// elsewhere reads them (pointedSections).
	unfound []unfoundSection
}

// unfoundSection is a service's section closed with nothing read: the
// index of its warning and the service's identity.
type unfoundSection struct {
	warning int
	id      string
}

// pointedSections drops the warning of a service's section that yielded
// nothing when the page gives that service's commitment by pointer under
// another heading ("#### Office Message Encryption (OME):" lists its
// features; the sibling "#### Data Residency commitments available"
// refers to the ADR Commitment page for Office Message Encryption): the
// section is read.
func (x *extraction) pointedSections() {
	drop := map[int]bool{}
	for _, u := range x.unfound {
		if u.id != "" && slices.ContainsFunc(x.page.References, func(r Reference) bool { return r.Category == InRegion && r.ServiceID == u.id }) {
			drop[u.warning] = true
		}
	}
	if len(drop) == 0 {
		return
	}
	kept := x.page.Warnings[:0]
	for i, w := range x.page.Warnings {
		if drop[i] {
			x.page.Coverage.Read++
			continue
		}
		kept = append(kept, w)
	}
	x.page.Warnings = kept
}

func (x *extraction) warn(line int, kind WarningKind, format string, args ...any) {
	section := ""
	if len(x.stack) > 0 {
		section = x.cur().title
	}
	x.page.Warnings = append(x.page.Warnings, Warning{Line: max(line, 1), Kind: kind, Section: section, Message: fmt.Sprintf(format, args...)})
}

func (x *extraction) lineOf(n ast.Node) int {
	off := offsetOf(n)
	if off < 0 {
		return 1
	}
	return x.lines.line(off)
}

// region names the region the page speaks for: the profile's region the
// title or path names, else a region the title names that the profile does
// not know (with a warning), else Global.
func (x *extraction) region(fmTitle string) string {
	if r := x.opts.Profile.RegionOf(x.page.Title, fmTitle, x.opts.Path, x.opts.Page); r != "" {
		return r
	}
	for _, t := range []string{x.page.Title, fmTitle} {
		for _, re := range []*litmatch.Regexp{forRegionRe, inRegionRe} {
			m := re.FindStringSubmatch(t)
			if m == nil || notPlaceRe.MatchString(m[1]) || x.opts.Profile.NotPlace(m[1]) || productWord(x.opts.Profile, m[1]) {
				continue
			}
			name := strings.TrimSpace(m[1])
			x.warn(1, UnknownRegion, "the page speaks for %q, a region the %s profile does not know; records use it as written", name, x.opts.Profile.Name)
			return name
		}
	}
	return ScopeGlobal
}

var (
	forRegionRe = litmatch.MustCompile(`\bfor (?:the )?([A-Z][A-Za-z]+(?: (?:and )?[A-Z][A-Za-z]+)*) customers\b`)
	inRegionRe  = litmatch.MustCompile(`\bcustomers in (?:the )?([A-Z][A-Za-z]+(?: [A-Z][A-Za-z]+)*)`)
)

// insideOf returns whether a canonical place is within region.
func insideOf(p *source.Profile, region string) func(string) bool {
	in := p.Inside(region)
	if in == nil && region != ScopeGlobal {
		in = []string{region}
	}
	return func(place string) bool {
		return slices.ContainsFunc(in, func(s string) bool { return strings.EqualFold(s, place) })
	}
}

// run reads the blocks of doc; it returns false when the time limit ran
// out before the end.
func (x *extraction) run(doc ast.Node) bool {
	x.stack = []*section{{level: 0, title: "", line: 1}}
	chrome := 0 // level of the site-furniture heading being skipped
	for n := doc.FirstChild(); n != nil; n = n.NextSibling() {
		if x.now().After(x.deadline) {
			return false
		}
		if h, ok := n.(*ast.Heading); ok && chrome > 0 && h.Level <= chrome {
			chrome = 0
		}
		if h, ok := n.(*ast.Heading); ok && chrome == 0 && x.opts.Profile.IsChromeHeading(inlineText(h, x.src)) {
			chrome = h.Level
			x.flushFacts()
		}
		if chrome > 0 {
			continue // a scraped copy's feedback widget or teasers
		}
		switch b := n.(type) {
		case *ast.Heading:
			x.heading(b)
		case *ast.Paragraph:
			x.paragraph(b)
		case *ast.List:
			if x.lead == nil {
				x.lead = x.prevLead
			}
			x.prevLead = x.lead
			x.list(b)
			x.lead = nil
		case *gast.Table:
			x.table(b)
			x.lead, x.prevLead = nil, nil
		case *ast.Blockquote:
			x.blockquote(b)
		case *ast.HTMLBlock:
			x.htmlBlock(b)
		case *ast.ThematicBreak, *ast.FencedCodeBlock, *ast.CodeBlock:
			// Code carries no residency facts.
		}
	}
	x.flushFacts()
	for len(x.stack) > 0 {
		x.closeSection()
	}
	x.pointedSections()
	if len(x.page.Records) == 0 && len(x.page.References) == 0 {
		x.warn(1, UnrecognisedPage, "no residency records recognised in the page (title %q): its layout may be new to residiff", x.page.Title)
	}
	return true
}

// htmlBlock warns about raw HTML that speaks of data locations (an HTML
// table of services): residiff reads Markdown, not HTML. Anchors and
// comments say nothing and pass.
func (x *extraction) htmlBlock(b *ast.HTMLBlock) {
	var raw strings.Builder
	for i := 0; i < b.Lines().Len(); i++ {
		seg := b.Lines().At(i)
		raw.Write(seg.Value(x.src))
	}
	text := clean(htmlTagRe.ReplaceAllString(raw.String(), " "))
	if text == "" || !x.opts.Profile.SpeaksOfLocation(text) {
		return
	}
	x.cur().located = true
	x.warn(x.lineOf(b), UnrecognisedSection, "raw HTML that speaks of data locations is not read: %q", clipText(text, 120))
	x.cur().warned = true
}

var htmlTagRe = litmatch.MustCompile(`<[^>]*>`)

func (x *extraction) cur() *section { return x.stack[len(x.stack)-1] }

func (x *extraction) heading(h *ast.Heading) {
	x.flushFacts()
	x.afterTable = false
	for len(x.stack) > 1 && (x.cur().level >= h.Level || x.cur().label) {
		x.closeSection()
	}
	title := x.text(h)
	x.open(h.Level, title, x.lineOf(h), false)
}

// open starts a section under the current one.
func (x *extraction) open(level int, title string, line int, label bool) {
	p := x.opts.Profile
	parent := x.cur()
	s := &section{level: level, title: title, line: line, category: categoryOf(title), scopes: p.ScopesIn(title), label: label}
	s.residency = s.category != ""
	if s.category == "" && level > 1 {
		s.category = parent.category
	}
	if len(s.scopes) == 0 {
		s.scopes = parent.scopes
	}
	name := p.HeadingSubject(title)
	s.group = level > 1 && !s.residency && placingClause(p, name)
	if level > 1 && !s.residency && len(p.ScopesIn(name)) == 0 && !p.IsGenericHeading(name) && !clauseHeadingRe.MatchString(name) && !s.group {
		if x.isService(name) {
			s.service = strings.TrimSpace(name)
		} else {
			s.services = x.servicesNamed(name)
		}
	}
	if label {
		if x.labels == nil {
			x.labels = map[int]string{}
		}
		x.labels[line] = title
	}
	x.stack = append(x.stack, s)
	x.narrowed = nil
	x.lead, x.prevLead = nil, nil
}

// listAfter is the list n introduces: the next block, or the first list
// after paragraphs that say nothing of data ("Screenshots may differ"
// between a lead-in and its list).
func (x *extraction) listAfter(n ast.Node) *ast.List {
	for b := n.NextSibling(); b != nil; b = b.NextSibling() {
		switch b := b.(type) {
		case *ast.List:
			return b
		case *ast.Paragraph:
			if x.saysOfData(x.text(b)) {
				return nil
			}
		default:
			return nil
		}
	}
	return nil
}

// saysOfData reports whether text carries a residency signal: a data word
// or a place of the profile.
func (x *extraction) saysOfData(text string) bool {
	return x.opts.Profile.ClaimWordsIn(text) > 0 || len(x.opts.Profile.PlacesIn(text)) > 0
}

// servicesNamed splits a heading that names several services ("NPS
// extension and AD FS adapter", "A, B and C") into their names, or nil
// when any part is not a service.
func (x *extraction) servicesNamed(title string) []string {
	if !strings.Contains(title, " and ") {
		return nil
	}
	var out []string
	for _, part := range splitServices(strings.ReplaceAll(title, " and ", ", ")) {
		if !x.isService(part) {
			return nil
		}
		out = append(out, part)
	}
	if len(out) < 2 {
		return nil
	}
	return out
}

// clauseHeadingRe marks a heading that is a phrase about services, not a
// service's name ("Azure AD components that store data outside the geo").
var clauseHeadingRe = litmatch.MustCompile(`\s(?:that|which|where|whose)\s`)

// placedRe opens what follows a verb that places its subject: a
// preposition of place.
var placedRe = litmatch.MustCompile(`^\s+(?:in|into|outside|within|at|to|from|across)\b`)

// placingClause reports whether a heading is a phrase that places what it
// names, a data verb after the first word followed by a preposition of
// place ("Microsoft 365 Services stored in "Europe"", "Data kept outside
// the geo"): a clause about services, as clauseHeadingRe's relative
// clauses are, not a service's name (BLIND4 class 5: the Data Location
// Card's heading was the service of its sentence's record).
func placingClause(p *source.Profile, h string) bool {
	for _, v := range findVerbs(p, h) {
		if v[0] > 0 && placedRe.MatchString(h[v[1]:]) {
			return true
		}
	}
	return false
}

func (x *extraction) closeSection() {
	s := x.cur()
	if w := s.leadInWarning; w != nil && s.found == 0 && !s.warned {
		x.warn(w.Line, w.Kind, "%s", w.Message)
		s.warned = true
	}
	if s.looksResidency() {
		x.page.Coverage.Sections++
		if s.found > 0 {
			x.page.Coverage.Read++
		} else if s.warned {
			// already said
		} else if s.residency {
			x.warn(s.line, UnrecognisedSection, "section %q names a residency exclusion but no services or references were recognised in it", s.title)
		} else {
			x.warn(s.line, UnrecognisedSection, "section %q names a service and speaks of data locations, but no residency fact was recognised in it", s.title)
			x.unfound = append(x.unfound, unfoundSection{warning: len(x.page.Warnings) - 1, id: x.opts.Aliases.ID(strings.TrimRight(s.service, ".: "))})
		}
	}
	x.stack = x.stack[:len(x.stack)-1]
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
	if x.lead != nil && len(x.lead.scopes) > 0 {
		return x.lead.scopes
	}
	return []string{x.page.Region}
}

// isService reports whether a heading or label names a service: the name
// resolves in the alias register or the profile's services, or carries a
// vendor or company prefix or a parenthesised abbreviation.
func (x *extraction) isService(name string) bool {
	p := x.opts.Profile
	name = strings.TrimSpace(strings.TrimRight(name, ".:"))
	if name == "" || wordsAtLeast(name, 13) || strings.HasSuffix(name, "?") || p.IsGenericLabel(name) {
		return false
	}
	if _, ok := p.StripVendor(name); ok || p.StartsWithCompany(name) || p.IsService(name) {
		return true
	}
	// name is trimmed: a match ends with ")".
	if strings.HasSuffix(name, ")") && abbreviationRe.MatchString(name) {
		return true
	}
	if rest, ok := p.StripPlatform(name); ok && rest != "" && (p.IsService(rest) || x.opts.Aliases.Known(rest)) {
		return true
	}
	return x.opts.Aliases.Known(name)
}

var abbreviationRe = litmatch.MustCompile(`\S\s*\([A-Z][A-Za-z0-9 -]{0,14}\)\s*$`)

// add appends a record, filling its identity and section, and returns its
// index, or -1 when it was skipped.
func (x *extraction) add(r Record) int {
	r.Service = strings.TrimSpace(r.Service)
	r.ServiceID = x.opts.Aliases.ID(r.Service)
	if r.ServiceID == "" {
		x.warn(r.Line, InvalidText, "a service name without letters (%q) was skipped", r.Service)
		return -1
	}
	r.Section = x.cur().title
	x.page.Records = append(x.page.Records, r)
	x.recLines = append(x.recLines, append([]int{r.Line}, x.factLines...))
	x.recSection = append(x.recSection, x.cur())
	x.cur().found++
	return len(x.page.Records) - 1
}

// addMerged adds a record read from prose, or fills the fields of the
// section's record of the same service, scope and category: several
// sentences about one service make one record.
func (x *extraction) addMerged(r Record) int {
	sec := x.cur()
	key := strings.Join([]string{textcase.Lower(r.Service), r.Scope, string(r.Category), r.SubScope, r.From, r.Until}, "\x00")
	claim := strings.Join([]string{textcase.Lower(r.Service), r.Scope, r.SubScope, r.From, r.Until}, "\x00")
	if i, ok := sec.claims[claim]; ok && i < len(x.page.Records) && x.page.Records[i].Line == r.Line &&
		x.page.Records[i].Category != r.Category && readTogether(x.page.Records[i].Category) && readTogether(r.Category) {
		// The sentences of one paragraph disagree on where one service's
		// data is ("stores user data in the same location as the
		// customer-selected network. So, if the network is outside
		// Europe, the data is … stored outside Europe"): they decide
		// together, as the sentences of a list item do.
		have := &x.page.Records[i]
		x.recLines[i] = append(x.recLines[i], r.Line)
		sec.said[i] = append(sec.said[i], r.Reason)
		rd := x.claimFacts(sec.said[i])
		have.Category, have.LocationAtRest = InRegion, strings.Join(rd.atRest, ", ")
		switch {
		case rd.outside:
			have.Category = Outside
		case rd.global:
			have.Category, have.LocationAtRest = Global, "Global"
		}
		have.Processing = strings.Join(rd.process, ", ")
		sec.merged[strings.Join([]string{textcase.Lower(r.Service), r.Scope, string(have.Category), r.SubScope, r.From, r.Until}, "\x00")] = i
		return i
	}
	if i, ok := sec.merged[key]; ok && i < len(x.page.Records) {
		have := &x.page.Records[i]
		x.recLines[i] = append(x.recLines[i], r.Line)
		sec.said[i] = append(sec.said[i], r.Reason)
		have.LocationAtRest = joinDistinct(have.LocationAtRest, r.LocationAtRest)
		have.Processing = joinDistinct(have.Processing, r.Processing)
		// The data are the first sentence's: the sentences after it say
		// more of the same data in other words ("the data", "their chat
		// data"), and a reworded one must not read as new data.
		have.DataTypes = cmp.Or(have.DataTypes, r.DataTypes)
		have.From = cmp.Or(have.From, r.From)
		have.Until = cmp.Or(have.Until, r.Until)
		return i
	}
	i := x.add(r)
	if i < 0 {
		return i
	}
	if sec.merged == nil {
		sec.merged, sec.claims, sec.said = map[string]int{}, map[string]int{}, map[int][]string{}
	}
	sec.merged[key] = i
	if _, ok := sec.claims[claim]; !ok {
		sec.claims[claim] = i
	}
	sec.said[i] = []string{r.Reason}
	return i
}

// readTogether reports whether records of a category are read from where
// their sentences place data (not from a category word or heading), so
// that sentences disagreeing on it decide together.
func readTogether(c Category) bool { return c == InRegion || c == Outside || c == Global }

// joinDistinct joins two values of a field with "; " unless one holds the
// other.
func joinDistinct(a, b string) string {
	a, b = strings.TrimSpace(a), strings.TrimSpace(b)
	switch {
	case b == "" || strings.Contains(textcase.Lower(a), textcase.Lower(b)):
		return a
	case a == "" || strings.Contains(textcase.Lower(b), textcase.Lower(a)):
		return b
	}
	return a + "; " + b
}
