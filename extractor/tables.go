package extractor

import (
	"bytes"
	"cmp"
	"slices"
	"strings"

	"github.com/residiff/residiff/internal/litmatch"
	"github.com/residiff/residiff/internal/textcase"
	"github.com/yuin/goldmark/ast"
	gast "github.com/yuin/goldmark/extension/ast"
)

// Tables: every GFM table with a location column is read, whatever its rows
// are keyed by — a service or component, the customer's region, an
// authentication method, a cloud instance, an event type. The first column
// is the key. When it names services, each row is a record of those
// services; otherwise the rows are records of the service the section is
// about, with the key as their sub-scope. A location cell that names a place
// outside the region makes the row "outside" whatever else it says; a cell
// with no location at all (a cross-reference, "Varies") is a warning, not a
// record.

// column roles of a table.
type tableColumns struct {
	key        int
	serviceKey bool // the key column names services
	regionKey  bool // the key column names the customer's region
	locations  []int
	processing []int
	// subScopes are columns that narrow a service row ("Customer
	// region", "Authentication method").
	subScopes []int
	// reason and dataTypes are the columns of a fact block laid out as a
	// table ("Reason for customer data egress", "Types of customer data");
	// -1 when absent.
	reason, dataTypes int
	// status are columns saying whether a row's transfer is permanent or
	// temporary, and until when ("Temporary, ends June 30, 2025").
	status []int
	// commitment are columns saying the row's service is within the
	// scope's commitment, and since when ("Added November 1, 2022").
	commitment []int
	// scoped are commitment columns headed by one scope's name ("| Service
	// Name | Product Terms | Multi-Geo | ADR |"): a cell the profile reads
	// as a commitment puts the row's service in that scope; a dash leaves
	// it out.
	scoped []int
	// descriptions are the columns that describe the row in sentences
	// ("Description"): the row's claim text, whose data and reason fill
	// its record where no reason or data types column does.
	descriptions []int
}

func (x *extraction) table(t *gast.Table) {
	x.afterTable, x.notes = true, map[string][]noteRow{}
	header, rows := x.tableCells(t)
	if len(header) == 0 {
		return
	}
	if x.codeTable(t, header, rows) || x.placeCodeTable(t, header, rows) {
		return
	}
	cols := x.columns(header, rows)
	if len(cols.locations) == 0 && len(cols.processing) == 0 && len(cols.commitment) == 0 && len(cols.scoped) == 0 {
		x.sentenceCells(rows, cols)
		return // a table of something else: event types, data stores
	}
	if !cols.serviceKey && !x.col("key_kind", header[cols.key]) {
		switch {
		case x.mostlyServices(rows, cols.key):
			cols.serviceKey = true // a header it does not know over a column of services
		case x.opts.Profile.IsGenericHeading(x.cur().title):
			return // rows that are neither services nor places (cloud solution models)
		default:
			x.cur().located = true
			x.warn(x.lineOf(t), UnrecognisedSection, "a table of data locations keyed by %q was not read: residiff does not know what its rows are", clipText(header[cols.key], 60))
			x.cur().warned = true
			return
		}
	}
	x.cur().located = true
	for _, cells := range rows {
		if cols.key >= len(cells) {
			continue
		}
		line := x.lineOf(cells[cols.key])
		if line <= 1 {
			line = x.lineOf(t)
		}
		key := x.text(cells[cols.key])
		inside := x.inside
		sub := ""
		for _, i := range cols.subScopes {
			if i < len(cells) {
				v := x.text(cells[i])
				sub = joinDistinct(sub, v)
				if x.col("region_key", header[i]) && x.namesPlace(v) {
					inside = x.keyInside(v) // the row is about customers there
				}
			}
		}
		if cols.regionKey || !cols.serviceKey && x.namesPlace(key) {
			inside = x.keyInside(key)
		}
		cat, located := Category(""), false
		var unknown []string
		// read reads the cells of columns, naming each by its header when
		// there are several.
		read := func(columns []int, named bool) []string {
			var out []string
			for _, i := range columns {
				v, c, u := x.cell(cells, i, inside)
				if v == "" {
					continue
				}
				if c != "" {
					located = true
					cat = worse(cat, c)
					unknown = append(unknown, u...)
				}
				if named && len(columns) > 1 {
					v = header[i] + ": " + v
				}
				out = append(out, v)
			}
			return out
		}
		locs, procs := read(cols.locations, true), read(cols.processing, false)
		committed, from := x.commitment(cells, cols.commitment, key, line)
		if cols.serviceKey {
			x.scopedCommitments(cells, header, cols.scoped, key, line)
		}
		if len(locs) == 0 && len(procs) == 0 && !committed {
			continue
		}
		if committed && !located {
			// Within the commitment: its data rests where the scope says.
			cat, located = InRegion, true
		}
		if !located {
			x.warn(line, AmbiguousLocation, "table row %q names no location (%s); no record made for it", key, strings.Join(append(locs, procs...), "; "))
			continue
		}
		for _, u := range unknown {
			x.warn(line, UnknownPlace, "table row %q names %q, a place the %s profile does not know; kept as written", key, u, x.opts.Profile.Name)
		}
		services := splitServices(key)
		if !cols.serviceKey {
			services, sub = x.tableServices(), joinDistinct(key, sub)
		}
		for _, c := range cells {
			for _, m := range supMarks(c, x.src) {
				x.notes[m] = append(x.notes[m], noteRow{key: key, service: services[0], inside: inside})
			}
		}
		if sc := x.cur().category; sc != "" && cat.Excluding() {
			cat = sc // under "Services that temporarily transfer …", a row leaving is temporary
		}
		var until string
		for _, i := range cols.status {
			c, u := statusOf(cellAt(cells, i, x.src))
			if c != "" && cat.Excluding() {
				cat = c // the row's own status says how its data leaves
			}
			until = cmp.Or(until, u)
		}
		leaving := cols.serviceKey && !cat.Excluding()
		data, reason := x.described(cells, cols, leaving)
		for _, name := range services {
			for _, scope := range x.scopes() {
				x.add(Record{Service: name, Scope: scope, Category: cat, SubScope: sub,
					LocationAtRest: strings.Join(locs, "; "), Processing: strings.Join(procs, "; "), Line: line, From: from, Until: until,
					Reason: cmp.Or(cellAt(cells, cols.reason, x.src), reason), DataTypes: cmp.Or(cellAt(cells, cols.dataTypes, x.src), data)})
			}
		}
		if leaving {
			x.rowLeaving(cells, cols, services, line)
		}
	}
}

// rowLeaving reads the sentence cells of a row whose location cell keeps
// its services in the region ("| managed identities | … writes
// certificates it issues in Azure Cosmos DB in the East US region … puts
// a read-only copy in each region … | In geo location |"): the sentences
// of the row that send the service's data elsewhere are one claim of
// their own, read together as an item's are (one record, with every
// place they name, the data they name and all of them as the reason), so
// the cell's "in region" never silences the row's own words.
func (x *extraction) rowLeaving(cells []*gast.TableCell, cols tableColumns, services []string, line int) {
	var sents []string
	for i, c := range cells {
		if i == cols.key || slices.Contains(cols.locations, i) || slices.Contains(cols.processing, i) {
			continue
		}
		v := x.text(c)
		if !x.isSentenceCell(v) {
			continue
		}
		for _, s := range sentences(v) {
			if factless[x.opts.Profile.NotTransfer(s)] {
				continue // advice, a definition
			}
			if st := x.statement(s); (st.outside || st.global) && !st.negated && st.category != "" {
				sents = append(sents, s)
			}
		}
	}
	if len(sents) == 0 {
		return
	}
	r := x.claimFacts(sents)
	cat, loc := Global, ScopeGlobal
	if r.outside {
		cat, loc = Outside, ""
	}
	if len(r.atRest) > 0 && cat != Global {
		loc = strings.Join(r.atRest, ", ")
	}
	cat = r.dated(cat)
	for _, u := range r.unknown {
		x.warn(line, UnknownPlace, "table row %q names %q, a place the %s profile does not know; kept as written", services[0], u, x.opts.Profile.Name)
	}
	for _, name := range services {
		for _, scope := range x.scopes() {
			x.add(Record{Service: name, Scope: scope, Category: cat, LocationAtRest: loc, Processing: strings.Join(r.process, ", "),
				DataTypes: strings.Join(r.data, "; "), Reason: strings.Join(r.said, ". "), From: r.from, Until: r.until, Line: line})
		}
	}
}

// described reads a row's description cells as the row's claim text, as
// a list item's text is read (itemFacts): the data its sentences name and
// the sentences that say something of the data (advice and pointers
// beside them left out) are the data types and reason of the record its
// location cells make ("| Application Proxy | … stores metadata about the
// tenant, connector machines, and configuration data in Azure SQL. | In
// region |"). When the row's own sentences may send data elsewhere
// (leaving: rowLeaving reads them into records of their own), those
// sentences are theirs, not the in-region record's.
func (x *extraction) described(cells []*gast.TableCell, cols tableColumns, leaving bool) (data, reason string) {
	var sents []string
	for _, i := range cols.descriptions {
		if i >= len(cells) {
			continue
		}
		for _, s := range sentences(x.text(cells[i])) {
			if leaving {
				if st := x.statement(s); (st.outside || st.global) && !st.negated {
					continue
				}
			}
			sents = append(sents, s)
		}
	}
	if len(sents) == 0 {
		return "", ""
	}
	r := x.claimFacts(sents)
	if len(r.said) == 0 {
		return "", ""
	}
	return strings.Join(r.data, "; "), strings.Join(r.said, ". ")
}

// sentenceCells reads the cells of a table with no location column that
// are sentences saying where data goes ("| Azure AD B2C | Azure AD B2C
// stores customer data in …|"), whatever their column is called, as
// prose about the row's service; a key naming two services ("MFA and
// SSPR") gives two records, as a bold lead does. A cell that opens with
// a bold service label ("**MFA and SSPR.** …") is the entry of the
// services the label names, read as the list item it would be (all its
// sentences together). Cells that are names or values say nothing.
func (x *extraction) sentenceCells(rows [][]*gast.TableCell, cols tableColumns) {
	for _, cells := range rows {
		if cols.key >= len(cells) {
			continue
		}
		key := x.text(cells[cols.key])
		subject := ""
		if cols.serviceKey || x.isService(key) {
			subject = key
		}
		for i, c := range cells {
			v := x.text(c)
			if i == cols.key || !x.isSentenceCell(v) {
				continue
			}
			line := x.lineOf(c)
			if line <= 1 {
				line = x.lineOf(cells[cols.key])
			}
			if label, rest, ok := leadStrong(c, x.src); ok && x.isService(strings.TrimRight(label, ".:")) {
				name := strings.TrimSpace(strings.TrimRight(label, ".:"))
				if x.entry(name, x.splitLabel(name), trimSeparator(textFrom(rest, x.src)), line) {
					continue
				}
			}
			if subject == "" {
				x.statements(v, line, "", modeProse)
				continue
			}
			for _, name := range x.splitLabel(subject) {
				x.statements(v, line, name, modeProse)
			}
		}
	}
}

// isSentenceCell reports whether a cell is a sentence (five words or
// more, with a verb) rather than a name or a value.
func (x *extraction) isSentenceCell(v string) bool {
	return wordsAtLeast(v, 5) && len(findVerbs(x.opts.Profile, v)) > 0
}

// commitment reads a row's commitment cells: whether one says the row's
// service is within the scope's commitment, and the date it was added, if
// any. A cell the profile does not know is a warning.
func (x *extraction) commitment(cells []*gast.TableCell, columns []int, key string, line int) (bool, string) {
	committed, from := false, ""
	for _, i := range columns {
		v := cellAt(cells, i, x.src)
		if v == "" {
			continue
		}
		if x.opts.Profile.Commitment(v) == "" {
			x.warn(line, AmbiguousLocation, "table row %q: %q is no commitment the %s profile knows; not read", key, v, x.opts.Profile.Name)
			continue
		}
		committed = true
		if m := dateRe.FindStringSubmatchIndex(v); m != nil && from == "" {
			from = isoOf(v, m)
		}
	}
	return committed, from
}

// scopedCommitments reads a row's scope-headed commitment cells: each
// the profile reads as a commitment is an in-region record of the row's
// services in the column's scope (its data rests where the scope says); a
// dash is no record, another value a warning.
func (x *extraction) scopedCommitments(cells []*gast.TableCell, header []string, columns []int, key string, line int) {
	for _, i := range columns {
		v := cellAt(cells, i, x.src)
		if v == "" || isDash(v) {
			continue
		}
		if x.opts.Profile.Commitment(v) == "" {
			x.warn(line, AmbiguousLocation, "table row %q: %q under %q is no commitment the %s profile knows; not read", key, v, header[i], x.opts.Profile.Name)
			continue
		}
		scope := x.opts.Profile.ScopeLabel(header[i])
		for _, name := range splitServices(key) {
			x.add(Record{Service: name, Scope: scope, Category: InRegion, Line: line})
		}
	}
}

// marksCommitment reports whether a cell is a commitment the profile
// knows or a dash (not in it).
func (x *extraction) marksCommitment(v string) bool {
	return isDash(v) || x.opts.Profile.Commitment(v) != ""
}

// isDash reports whether a cell is nothing but a dash: "not this one".
func isDash(v string) bool {
	return strings.Trim(strings.TrimSpace(v), "-–—") == "" && strings.TrimSpace(v) != ""
}

// statusOf reads a status cell: the category it names (permanent,
// temporary, optional) and the date it says the transfer ends, if any
// ("Temporary, ends June 30, 2025", "Temporary until 2025-06-30").
func statusOf(v string) (Category, string) {
	cat := categoryWords(v)
	if cat == "" {
		return "", ""
	}
	_, until := datesIn(v)
	if until == "" && cat == Temporary {
		for _, m := range dateRe.FindAllStringSubmatchIndex(v, -1) {
			if endsRe.MatchString(tail(v[:m[0]], 30)) {
				until = isoOf(v, m)
				break
			}
		}
	}
	return cat, until
}

// endsRe is the word before a status cell's end date.
var endsRe = litmatch.MustCompile(`(?i)\b(?:ends?|ending|expires?|expiring)(?: on)?\s*$`)

// cellAt is the text of cell i of a row, "" when i is -1 or past the row.
func cellAt(cells []*gast.TableCell, i int, src []byte) string {
	if i < 0 || i >= len(cells) {
		return ""
	}
	return cellText(cells[i], src)
}

// noteRow is a table row a footnote mark stands in.
type noteRow struct {
	key, service string
	inside       func(string) bool
}

// tableCells returns the header texts and the body rows of a table.
func (x *extraction) tableCells(t *gast.Table) ([]string, [][]*gast.TableCell) {
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
				header = append(header, x.text(c))
			}
			continue
		}
		rows = append(rows, cells)
	}
	return header, rows
}

// columns finds the key, location and processing columns: by their
// headers, or, for headers that say nothing (a "Sign-in logs" column), by
// cells that mostly name locations.
func (x *extraction) columns(header []string, rows [][]*gast.TableCell) tableColumns {
	cols := tableColumns{key: 0, reason: -1, dataTypes: -1}
	for i, h := range header {
		if x.col("service", h) && !x.col("location", h) && !x.col("description", h) {
			cols.key, cols.serviceKey = i, true
			break
		}
	}
	if !cols.serviceKey && x.col("region_key", header[0]) && !x.col("location", header[0]) {
		cols.regionKey = true
	}
	for i, h := range header {
		located := false
		if i != cols.key && !x.col("location", h) && !x.col("description", h) && !x.col("processing", h) {
			located = x.mostlyLocations(rows, i)
		}
		switch {
		case i != cols.key && x.factKey(h) == "reason":
			cols.reason = i
		case i != cols.key && x.factKey(h) == "data_types":
			cols.dataTypes = i
		case i == cols.key:
		case x.col("description", h) && !x.col("location", h):
			cols.descriptions = append(cols.descriptions, i)
		case x.col("status", h):
			cols.status = append(cols.status, i)
		case x.col("commitment", h):
			cols.commitment = append(cols.commitment, i)
		case x.opts.Profile.ScopeLabel(h) != "" && x.mostly(rows, i, x.marksCommitment):
			cols.scoped = append(cols.scoped, i)
		case x.col("processing", h):
			cols.processing = append(cols.processing, i)
		case x.col("key_kind", h) && !x.col("location", h) && !located || x.col("region_key", h) && !x.col("location", h):
			cols.subScopes = append(cols.subScopes, i)
		case x.col("location", h):
			cols.locations = append(cols.locations, i)
		case located:
			cols.locations = append(cols.locations, i)
		}
	}
	return cols
}

// mostlyServices reports whether most non-empty cells of column i name a
// service and not a region, scope or place (a column of clouds is not one
// of services).
func (x *extraction) mostlyServices(rows [][]*gast.TableCell, i int) bool {
	p := x.opts.Profile
	return x.mostly(rows, i, func(v string) bool {
		return x.isService(v) && !x.namesPlace(v) && p.RegionOf(v) == "" && p.ScopeLabel(v) == "" && len(p.ScopesIn(v)) == 0
	})
}

// mostlyLocations reports whether most non-empty cells of column i name a
// location.
func (x *extraction) mostlyLocations(rows [][]*gast.TableCell, i int) bool {
	return x.mostly(rows, i, func(v string) bool {
		_, c, _ := x.classifyCell(v, x.inside)
		return c != ""
	})
}

// mostly reports whether more than half of the non-empty cells of column
// i are what is says; a cell of prose (a description) says no.
func (x *extraction) mostly(rows [][]*gast.TableCell, i int, is func(string) bool) bool {
	n, yes := 0, 0
	for _, cells := range rows {
		if i >= len(cells) {
			continue
		}
		v := x.text(cells[i])
		if v == "" {
			continue
		}
		if len(v) > 80 || x.isSentenceCell(v) {
			return false // prose: a description, not a key or a location
		}
		n++
		if is(v) {
			yes++
		}
	}
	return n > 0 && yes*2 > n
}

// cell classifies cell i of a row.
func (x *extraction) cell(cells []*gast.TableCell, i int, inside func(string) bool) (string, Category, []string) {
	if i >= len(cells) {
		return "", "", nil
	}
	return x.classifyCell(x.text(cells[i]), inside)
}

// classifyCell reads a location cell: the category it implies (outside
// when it names any place outside the region, even beside "in geo";
// in_region for in-region phrases and places; global), or "" when it
// names no location. It returns the text without footnote marks and the
// unknown places it names.
func (x *extraction) classifyCell(v string, inside func(string) bool) (string, Category, []string) {
	if strings.ContainsAny(v, "(¹²³⁴⁵0123456789") {
		v = footnoteMarkRe.ReplaceAllString(v, "")
	}
	v = strings.TrimSpace(v)
	if v == "" {
		return "", "", nil
	}
	p := x.opts.Profile
	cat := Category("")
	for _, l := range p.LocationsIn(v) {
		if inside(l.Name) {
			cat = worse(cat, InRegion)
		} else {
			cat = worse(cat, Outside)
		}
	}
	if outsidePhraseRe.MatchString(v) {
		cat = worse(cat, Outside)
	}
	if mayBeInRegion(v) && (inRegionPhraseRe.MatchString(v) || inRegionValueRe.MatchString(v)) {
		cat = worse(cat, InRegion)
	}
	if l := textcase.Lower(v); (strings.Contains(l, "global") || strings.Contains(l, "worldwide") || strings.Contains(l, "all locations")) && (globalRestRe.MatchString(v) || globalCellRe.MatchString(v) || globalProcessRe.MatchString(v) || globalWordAt(x.opts.Profile, v) != nil) {
		cat = worse(cat, Global)
	}
	var unknown []string
	if cat == "" && !seeCellRe.MatchString(v) {
		if u := x.unknownPlaces(v); len(u) > 0 {
			cat, unknown = Outside, u
		} else if inside(strings.TrimSpace(v)) {
			cat = InRegion
		}
	}
	return v, cat, unknown
}

var (
	footnoteMarkRe = litmatch.MustCompile(`(?:\s*\(\d\))+\s*$|(?:[a-z)])\d$|[¹²³⁴⁵]`)
	seeCellRe      = litmatch.MustCompile(`(?i)^\s*see\b`)
	globalCellRe   = litmatch.MustCompile(`(?i)^\s*(?:global(?:ly)?|worldwide|all locations)\s*\.?\s*$`)
)

// worse is the more excluding of two categories: outside over global
// over in_region.
func worse(a, b Category) Category {
	rank := map[Category]int{"": 0, InRegion: 1, Global: 2, Outside: 3}
	if rank[b] > rank[a] {
		return b
	}
	return a
}

// keyInside is the inside test for a row keyed by the customer's region:
// places within that region.
func (x *extraction) keyInside(key string) func(string) bool {
	names := []string{}
	for _, l := range x.opts.Profile.LocationsIn(key) {
		names = append(names, l.Name)
	}
	// A list of countries ("Algeria (DZ), Austria (AT), … Germany (DE)")
	// is in a region its known countries all lie within: the page is
	// saying where those customers' data resides.
	if len(listItems(key)) >= 3 && len(names) > 0 {
		names = append(names, x.commonRegions(names)...)
	}
	if r := x.opts.Profile.RegionOf(key); r != "" {
		names = append(names, x.opts.Profile.Inside(r)...)
	}
	if c := x.opts.Profile.CloudOf(key); c != "" {
		// A cloud instance's customers: their data is inside where
		// that cloud keeps it ("Microsoft Government Cloud": the US).
		names = append(names, x.opts.Profile.Inside(c)...)
	}
	return func(place string) bool {
		for _, n := range names {
			if strings.EqualFold(n, place) || x.liesWithin(place, n) {
				return true
			}
		}
		return strings.EqualFold(strings.TrimSpace(key), place)
	}
}

// liesWithin reports whether the profile places place within region
// (source.Profile.LiesWithin).
func (x *extraction) liesWithin(place, region string) bool {
	return x.opts.Profile.LiesWithin(place, region)
}

// commonRegions are the profile's own locations that every one of places
// the profile places within one of them lies within. A place the profile
// places nowhere (Algeria or Norway for Entra, whose "Europe" is the EU's)
// says nothing of the list's region, as a place it does not know: the
// world vocabulary's regions ("Northern Africa") are no profile's, and
// the page's grouping ("Data resides in Europe for … Algeria (DZ), Austria
// (AT) …") stands.
func (x *extraction) commonRegions(places []string) []string {
	p := x.opts.Profile
	var common []string
	placed := false
	for _, pl := range places {
		around := slices.DeleteFunc(p.RegionsAround(pl), p.WorldPlace)
		if len(around) == 0 {
			continue
		}
		if !placed {
			common, placed = around, true
			continue
		}
		common = slices.DeleteFunc(common, func(r string) bool { return !slices.Contains(around, r) })
	}
	return common
}

// listItems splits a list written as prose ("A (AA), B (BB) and C (CC)").
func listItems(s string) []string {
	var out []string
	for _, part := range strings.Split(s, ",") {
		for _, item := range strings.Split(part, " and ") {
			if item = strings.TrimSpace(item); item != "" {
				out = append(out, item)
			}
		}
	}
	return out
}

// tableServices are the services a table not keyed by services is
// about: the services its heading names when it names several ("### NPS
// extension and AD FS adapter" over rows keyed by authentication method:
// each row is a record of each component), else tableService.
func (x *extraction) tableServices() []string {
	for i := len(x.stack) - 1; i > 0; i-- {
		if s := x.stack[i]; s.service != "" || s.residency {
			break
		} else if len(s.services) > 0 {
			return s.services
		}
	}
	return []string{x.tableService()}
}

// tableService is the service a table not keyed by services is about: the
// service its heading names, else the service the page is about, else the
// heading itself (a data set such as "service logs"), else the product.
func (x *extraction) tableService() string {
	if s := x.sectionService(); s != "" {
		return s
	}
	if s := x.pageSubject(); s != x.opts.Profile.Product.Name {
		return s
	}
	sec := x.cur()
	if sec.level > 1 && !x.opts.Profile.IsGenericHeading(sec.title) && sec.category == "" {
		return sec.title
	}
	return x.opts.Profile.Product.Name
}

// pageSubject is the service the page is about: what its title names after
// "for" ("… for Microsoft Entra multifactor authentication") or before a
// colon ("Azure Active Directory B2C: Region availability …") when that is
// a service other than the product itself, else the source's product.
func (x *extraction) pageSubject() string {
	for _, s := range []string{x.opts.Profile.TitleSubject(x.page.Title), titleColonSubject(x.page.Title)} {
		if s != "" && x.isService(s) && x.opts.Aliases.ID(s) != x.opts.Profile.Product.ID {
			return strings.TrimSpace(s)
		}
	}
	if s := x.titleService(); s != "" {
		return s
	}
	return x.opts.Profile.Product.Name
}

// titleService is the one service other than the product a title names,
// wherever it stands ("Multi-Geo Capabilities in Exchange Online"), or ""
// when it names none or several: a page about one service's data, whose
// sentences about "the mailbox" are that service's, never the product's
// (BLIND5 class 4: "the mailbox for those users will be automatically
// moved to the specified geo location after multi-geo is enabled on the
// Microsoft 365 tenant" was a record of Microsoft 365).
func (x *extraction) titleService() string {
	if x.titleSvc != nil {
		return *x.titleSvc
	}
	name := ""
	rest := x.page.Title
	for rest != "" {
		n := x.knownIn(rest)
		if n == "" {
			break
		}
		if name != "" && x.opts.Aliases.ID(n) != x.opts.Aliases.ID(name) {
			name = "" // two services: the page is about neither alone
			break
		}
		name = n
		i := strings.Index(rest, n)
		if i < 0 {
			break
		}
		rest = rest[:i] + " " + rest[i+len(n):]
	}
	x.titleSvc = &name
	return name
}

var titleColonRe = litmatch.MustCompile(`^([^:]{3,60}):`)

// titleColonSubject is what a title names before a colon, or "".
func titleColonSubject(title string) string {
	if m := titleColonRe.FindStringSubmatch(title); m != nil {
		return m[1]
	}
	return ""
}

// col reports whether header h is a column of the role in the source's
// grammar.
func (x *extraction) col(role, h string) bool { return x.opts.Profile.IsColumn(role, h) }

// namesPlace reports whether a key names a known place, region or cloud
// instance: where the row's customers are.
func (x *extraction) namesPlace(key string) bool {
	return len(x.opts.Profile.LocationsIn(key)) > 0 || x.opts.Profile.RegionOf(key) != "" || x.opts.Profile.CloudOf(key) != ""
}

// footnote reads a paragraph of notes under a table ("<sup>1</sup>OATH
// logs are stored in Australia", "(2) Tenants outside the national clouds
// …"). A note whose mark stands in rows is a fact about those rows' service
// for their key; a note whose mark stands nowhere is a fact about every
// tenant, the page's subject's. It reports whether p was a footnote.
func (x *extraction) footnote(p ast.Node, txt string, line int) bool {
	off := offsetOf(p)
	if !x.afterTable || off < 0 {
		return false
	}
	raw := string(x.src[off:min(len(x.src), off+40)])
	var notes []struct{ mark, text string }
	if m := supLeadRe.FindStringSubmatch(raw); m != nil {
		notes = append(notes, struct{ mark, text string }{m[1], txt})
	} else if parenLeadRe.MatchString(txt) {
		idx := parenMarkRe.FindAllStringSubmatchIndex(txt, -1)
		for i, m := range idx {
			end := len(txt)
			if i+1 < len(idx) {
				end = idx[i+1][0]
			}
			notes = append(notes, struct{ mark, text string }{txt[m[2]:m[3]], strings.TrimSpace(txt[m[1]:end])})
		}
	} else {
		return false
	}
	for _, n := range notes {
		nline := x.lineOfText(off, n.text, line)
		rows := x.notes[n.mark]
		if len(rows) == 0 {
			x.statements(n.text, nline, x.pageSubject(), modeFootnote)
			continue
		}
		saved := x.inside
		for _, r := range rows {
			x.inside, x.subScope = r.inside, r.key
			x.statements(n.text, nline, r.service, modeFootnote)
		}
		x.inside, x.subScope = saved, ""
	}
	return true
}

// lineOfText is the line where text starts in the source after off, or
// fallback.
func (x *extraction) lineOfText(off int, text string, fallback int) int {
	start, end := longWord(text, 0)
	if start < 0 {
		return fallback
	}
	probe := text[start:end]
	if i := bytes.Index(x.src[off:], []byte(probe)); i >= 0 { // no copy of the rest of the page
		return x.lines.line(off + i)
	}
	return fallback
}

// longWord finds the first word of four ASCII letters or more in s from
// at (what `[A-Za-z]{4,}` matches: a whole run of letters), or -1, -1.
func longWord(s string, at int) (start, end int) {
	for i := at; i < len(s); {
		if !isASCIILetter(s[i]) {
			i++
			continue
		}
		j := i + 1
		for j < len(s) && isASCIILetter(s[j]) {
			j++
		}
		if j-i >= 4 {
			return i, j
		}
		i = j
	}
	return -1, -1
}

func isASCIILetter(b byte) bool { return 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z' }

var (
	supLeadRe   = litmatch.MustCompile(`^\s*<sup>\s*(\d+)\s*</sup>`)
	parenLeadRe = litmatch.MustCompile(`^\s*\(\d+\)\s`)
	parenMarkRe = litmatch.MustCompile(`(?:^|\s)\((\d+)\)\s`)
)
