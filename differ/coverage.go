package differ

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/residiff/residiff/extractor"
)

// A commitment scope (source.Scope.Commitment) is a list of the services
// a commitment keeps in the region: an add-on's workloads, a contract's
// services. Its records are in-region statements, and what changes is the
// list itself:
//
//   - a service that enters the list is newly_compliant: newly covered;
//   - a service that leaves it is newly_excluded: no longer covered;
//   - what the commitment keeps for a service that stays (its data, where
//     it rests) is compared as the facts of an exclusion are.
//
// Each is anchored on the text like every other change (anchor.go): a
// service whose sentences were already in the older version, or are still
// in the newer one, is read differently, not news.

// Covers reports whether c is about a commitment's coverage: a service
// entering or leaving the list of what a commitment keeps in the region
// (newly_compliant: newly covered; newly_excluded: no longer covered),
// rather than about an exclusion.
func (c Change) Covers() bool {
	return (c.Kind == NewlyCompliant || c.Kind == NewlyExcluded) && c.Category == string(extractor.InRegion)
}

// coverage returns the commitment changes between a and b. old is nil for
// a first version: a page's first list is its page_added, not a run of
// "newly covered" services.
func coverage(old, new *extractor.Page, a, b *version, opts Options) []Change {
	if old == nil || opts.Profile == nil {
		return nil
	}
	var out []Change
	var entering, leaving []slot
	for _, k := range commitmentSlots(a, b, opts) {
		ea, eb := a.entries[k], b.entries[k]
		switch {
		case ea == nil && covered(eb):
			entering = append(entering, k)
		case eb == nil && covered(ea):
			leaving = append(leaving, k)
		case covered(ea) && covered(eb):
			out = append(out, keeps(a, b, k, ea, eb, opts)...)
		}
	}
	var rowChanges []Change
	entering, leaving, rowChanges = rowCoverage(a, b, entering, leaving, opts)
	out = append(out, rowChanges...)
	// Each version's text, folded once, to look for a service's
	// sentences in.
	oldText, newText := foldedText(opts.oldText, len(entering) > 0), foldedText(opts.newText, len(leaving) > 0)
	pairs := renamedUnder(a, b, leaving, entering)
	for _, k := range entering {
		if was, ok := pairs[k]; ok {
			ea, eb := a.entries[was], b.entries[k]
			if opts.oldText.prints(ea.name) && opts.newText.prints(eb.name) {
				out = append(out, Change{Kind: Renamed, Service: eb.name, ServiceID: k.id, Before: ea.name, After: eb.name, Line: eb.line})
			}
			out = append(out, keeps(a, b, k, ea, eb, opts)...)
			continue
		}
		out = append(out, enters(a, b, k, b.entries[k], opts, anyIn(oldText, ownSites(new, k)), namedBefore(old, new, k, serviceNames(a, b, k.id, opts), opts)))
	}
	paired := map[slot]bool{}
	for _, was := range pairs {
		paired[was] = true
	}
	for _, k := range leaving {
		if !paired[k] {
			out = append(out, leaves(a, b, k, a.entries[k], opts, anyIn(newText, ownSites(old, k))))
		}
	}
	return out
}

// rowCoverage takes the rows of tables keyed by geography (a service's
// commitment per country: slots with a sub-scope) out of entering and
// leaving, and compares them per service and scope. A service that had
// rows in a scope and gains or loses some is offered in other
// geographies: one scope_changed, whichever rows moved. Rows of a scope
// the service had no rows in are a commitment entering only when the
// version does not list the service in that scope already without rows
// (a workload table's own "X"): one change, through enters, for all of
// them; the same holds for rows all gone. The rest of entering and leaving
// is returned as it was.
func rowCoverage(a, b *version, entering, leaving []slot, opts Options) ([]slot, []slot, []Change) {
	type group struct {
		id, scope     string
		entered, left []slot
	}
	var groups []*group
	byKey := map[[2]string]*group{}
	take := func(slots []slot, isEnter bool) []slot {
		var rest []slot
		for _, k := range slots {
			if !strings.Contains(k.scope, subScopeSep) {
				rest = append(rest, k)
				continue
			}
			key := [2]string{k.id, baseScope(k.scope)}
			g := byKey[key]
			if g == nil {
				g = &group{id: k.id, scope: key[1]}
				byKey[key] = g
				groups = append(groups, g)
			}
			if isEnter {
				g.entered = append(g.entered, k)
			} else {
				g.left = append(g.left, k)
			}
		}
		return rest
	}
	entering, leaving = take(entering, true), take(leaving, false)
	rowsOf := func(v *version, id, scope string) []string {
		var out []string
		for k, e := range v.entries {
			if base, sub, ok := strings.Cut(k.scope, subScopeSep); ok && k.id == id && base == scope && covered(e) {
				out = append(out, sub)
			}
		}
		sort.Strings(out)
		return out
	}
	subs := func(slots []slot) []string {
		var out []string
		for _, k := range slots {
			_, sub, _ := strings.Cut(k.scope, subScopeSep)
			out = append(out, sub)
		}
		sort.Strings(out)
		return out
	}
	var out []Change
	for _, g := range groups {
		had, has := rowsOf(a, g.id, g.scope), rowsOf(b, g.id, g.scope)
		plain := slot{g.id, g.scope}
		switch {
		case len(had) > 0 && len(has) > 0:
			// Rows before and after: the geographies it is offered in
			// changed.
			var e *entry
			if len(g.entered) > 0 {
				e = b.entries[g.entered[0]]
			} else {
				e = a.entries[g.left[0]]
			}
			var parts []string
			if len(g.entered) > 0 {
				parts = append(parts, "now also in "+strings.Join(subs(g.entered), ", "))
			}
			if len(g.left) > 0 {
				parts = append(parts, "no longer in "+strings.Join(subs(g.left), ", "))
			}
			c := Change{Kind: ScopeChanged, Service: e.name, ServiceID: g.id, Scope: g.scope, Category: string(extractor.InRegion),
				Before: strings.Join(had, ", "), After: strings.Join(has, ", "), Line: e.line,
				Detail: strings.Join(parts, "; ")}
			if a.unread || opts.OldUnread {
				c.Kind, c.Detail = ExtractionDrift, "the previous version could not be read; it may have listed these rows already; check the page before acting"
			}
			out = append(out, c)
		case len(g.entered) > 0 && len(had) == 0:
			if covered(b.entries[plain]) {
				continue // the version lists it in the scope already: the rows detail it
			}
			k := g.entered[0]
			c := enters(a, b, k, b.entries[k], opts, false, mentions(opts.OldSource, serviceNames(a, b, g.id, opts)))
			c.Scope = g.scope
			c.Detail = joinDetail(c.Detail, "; ", "in "+strings.Join(subs(g.entered), ", "))
			out = append(out, c)
		case len(g.left) > 0 && len(has) == 0:
			if covered(a.entries[plain]) {
				continue
			}
			k := g.left[0]
			c := leaves(a, b, k, a.entries[k], opts, false)
			c.Scope = g.scope
			c.Detail = joinDetail(c.Detail, "; ", "was in "+strings.Join(subs(g.left), ", "))
			out = append(out, c)
		}
	}
	return entering, leaving, out
}

// keeps compares what a commitment keeps in the region for a service
// listed in both versions (ea under its old name, eb under its new one):
// the data it lists, and its location only where a place outside the
// commitment appears. Inside the commitment every place is the region by
// definition ("Local Geography" and "Local Region Geography"); the
// reason is the sentence, whose rewording the anchor shows.
func keeps(a, b *version, k slot, ea, eb *entry, opts Options) []Change {
	fa, fb := ea.cats[extractor.InRegion], eb.cats[extractor.InRegion]
	fc := fieldChanges(opts, append(names(a, b, k.id), ea.name), fa, fb)
	fc = slices.DeleteFunc(fc, func(f FieldChange) bool {
		switch f.Field {
		case "data_types":
			return false
		case "location_at_rest", "processing":
			return !placesBeyond(opts, k.scope, f.After, f.Before)
		}
		return true
	})
	if len(fc) == 0 {
		return nil
	}
	return []Change{{Kind: FieldsChanged, Service: eb.name, ServiceID: k.id, Scope: k.scope, Category: string(extractor.InRegion),
		Fields: fc, Line: fb.line, BeforeLine: fa.line}}
}

// placesBeyond reports whether after names a place the scope does not
// hold and before did not name.
func placesBeyond(opts Options, scope, after, before string) bool {
	inside := opts.Profile.Inside(baseScope(scope))
	was := map[string]bool{}
	for _, l := range opts.Profile.LocationsIn(before) {
		was[l.Name] = true
	}
	for _, l := range opts.Profile.LocationsIn(after) {
		if !was[l.Name] && !slices.Contains(inside, l.Name) {
			return true
		}
	}
	return false
}

// renamedUnder pairs services leaving a commitment with services entering
// it under a name of the same words, fewer or more ("Purview Audit
// (Standard)" and "Audit (Standard)"; a heading that dropped a trailing
// "Data Residency Commitments"): the same listed service renamed. Pairs
// are one to one within a scope; a name two others could be is left
// unpaired. The result maps an entering slot to the leaving one.
func renamedUnder(a, b *version, leaving, entering []slot) map[slot]slot {
	cands := map[slot][]slot{}
	used := map[slot]int{}
	for _, n := range entering {
		for _, o := range leaving {
			if baseScope(o.scope) != baseScope(n.scope) {
				continue
			}
			wa, wb := wordsOf(a.entries[o].name), wordsOf(b.entries[n].name)
			if len(wa) == 0 || len(wb) == 0 || !subset(wa, wb) && !subset(wb, wa) {
				continue
			}
			cands[n] = append(cands[n], o)
			used[o]++
		}
	}
	out := map[slot]slot{}
	for n, os := range cands {
		if len(os) == 1 && used[os[0]] == 1 {
			out[n] = os[0]
		}
	}
	return out
}

// subset reports whether every word of x is a word of y.
func subset(x, y []string) bool {
	for _, w := range x {
		if !slices.Contains(y, w) {
			return false
		}
	}
	return true
}

// commitmentSlots are the slots of either version in a commitment scope,
// in a stable order.
func commitmentSlots(a, b *version, opts Options) []slot {
	seen := map[slot]bool{}
	var out []slot
	for _, v := range []*version{a, b} {
		for k := range v.entries {
			if !seen[k] && opts.Profile.IsCommitment(baseScope(k.scope)) {
				seen[k] = true
				out = append(out, k)
			}
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].id != out[j].id {
			return out[i].id < out[j].id
		}
		return out[i].scope < out[j].scope
	})
	return out
}

// covered reports whether e states the service in the region and nothing
// excluded: a listed, covered service.
func covered(e *entry) bool {
	return e != nil && e.cats[extractor.InRegion] != nil && len(e.excluded()) == 0
}

// enters is the change for a service the newer version lists under a
// commitment the older one did not list it under; wasThere says its
// sentences were already in the older text.
func enters(a, b *version, k slot, e *entry, opts Options, wasThere, named bool) Change {
	c := Change{Kind: NewlyCompliant, Service: e.name, ServiceID: k.id, Scope: k.scope, Category: string(extractor.InRegion), Line: e.line,
		Detail: joinDetail("listed in sentences new to the page", ": ", summary(e))}
	switch {
	case a.unread || opts.OldUnread:
		c.Kind, c.Before, c.After = ExtractionDrift, "not read", "listed"
		c.Detail = "the previous version could not be read; it may have listed the service already; check the page before acting"
	case wasThere:
		// Its sentences were already on the older page, in a form
		// residiff did not read: a first read, not news.
		c.Kind, c.Before, c.After = FirstRead, "not read", "listed"
		c.Detail = "its sentences were already on the previous version, which residiff did not read as listing it"
	case named:
		// Never "newly covered" for a service the older text already
		// named: it may have been covered in words residiff did not read.
		c.Kind = ClaimChanged
		c.Detail = fmt.Sprintf("now listed under %s; the previous version already named %s, so residiff cannot tell whether it was covered before; check the page", wording(opts, k.scope), e.name)
	}
	return c
}

// leaves is the change for a service the older version listed under a
// commitment and the newer one no longer lists; stillThere says its
// sentences are still in the newer text.
func leaves(a, b *version, k slot, e *entry, opts Options, stillThere bool) Change {
	c := Change{Kind: NewlyExcluded, Service: e.name, ServiceID: k.id, Scope: k.scope, Category: string(extractor.InRegion), Line: e.line, BeforeLine: e.line,
		Detail: joinDetail("the sentences that listed it are gone", "; was: ", summary(e))}
	why := ""
	switch {
	case b.unread:
		why = "the new version could not be fully read"
	case newlyBlind(a, b) != "":
		why = "part of the new version could not be read (" + newlyBlind(a, b) + ")"
	case unreadSection(b, e) != "":
		why = fmt.Sprintf("its section %q could not be read in the new version", unreadSection(b, e))
	case stillThere:
		why = "the sentences that listed it are still on the page, in a form residiff did not read"
	}
	if why != "" {
		c.Kind, c.Before, c.After = ExtractionDrift, "listed", "not read"
		c.Detail = why + "; check the page before acting"
	}
	return c
}

// wording names a commitment scope in a sentence ("the Multi-Geo add-on").
func wording(opts Options, scope string) string {
	if w, ok := opts.Profile.ScopeWording(baseScope(scope)); ok {
		return w
	}
	return baseScope(scope)
}

// namedBefore reports whether the older text names the service of slot
// k (by one of names) anywhere but in a data item it read as another
// service's: "Training classifiers" in Data Retention's list is data
// Data Retention keeps, not a Classifiers commitment left unread. When an
// item the newer version lists for k was such a data item before (data
// moved from one service's list to its own section), it still names it.
func namedBefore(old, new *extractor.Page, k slot, names []string, opts Options) bool {
	if !mentions(opts.OldSource, names) {
		return false
	}
	var mine []string
	for _, r := range new.Records {
		if r.ServiceID == k.id {
			mine = append(mine, items(r.DataTypes)...)
		}
	}
	text := " " + foldClaim(string(opts.OldSource)) + " "
	for _, r := range old.Records {
		if r.ServiceID == k.id {
			return true
		}
		for _, it := range items(r.DataTypes) {
			if slices.Contains(mine, it) {
				return true // the same data, listed under another service before
			}
			if f := foldClaim(it); f != "" {
				text = strings.ReplaceAll(text, " "+f+" ", " ")
			}
		}
	}
	return mentions([]byte(text), names)
}

// mentions reports whether src has one of names as words of its text,
// whatever follows it: "**Office for the Web Data Residency
// Commitments**" mentions Office for the Web.
func mentions(src []byte, names []string) bool {
	text := " " + foldClaim(string(src)) + " "
	for _, n := range names {
		if f := foldClaim(n); len(f) >= 3 && strings.Contains(text, " "+f+" ") {
			return true
		}
	}
	return false
}

// sameItems reports whether two data-type values list the same items,
// whatever their order and however they are joined: "Encryption
// policies, admin settings and encrypted messages" and "Encryption
// policies; Admin settings; Encrypted messages" are one list. A data type
// added, dropped or reworded is still a change.
func sameItems(x, y string) bool {
	ix, iy := items(x), items(y)
	return len(ix) > 0 && slices.Equal(ix, iy)
}

// items splits a data-type value into its items, folded and sorted, with
// repeats dropped.
func items(v string) []string {
	var out []string
	for _, part := range strings.FieldsFunc(v, func(r rune) bool { return r == ';' || r == ',' || r == '|' }) {
		for _, it := range strings.Split(" "+foldClaim(part)+" ", " and ") {
			if it = strings.TrimSpace(it); it != "" {
				out = append(out, it)
			}
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// joinDetail is what, then sep and the entry's summary when it has one.
func joinDetail(what, sep, summary string) string {
	if summary == "" {
		return what
	}
	return what + sep + summary
}

// ownSites are the texts of p's claim sites that state only service k.id
// in k's scope: a workload's items, not the lead-in every section shares.
func ownSites(p *extractor.Page, k slot) []string {
	if p == nil {
		return nil
	}
	var out []string
	for _, c := range p.Claims {
		own := len(c.Records) > 0
		for _, r := range c.Records {
			if r >= len(p.Records) || p.Records[r].ServiceID != k.id || p.Records[r].Scope != baseScope(k.scope) {
				own = false
			}
		}
		if own {
			out = append(out, c.Text)
		}
	}
	return out
}

// foldedText is src folded as claims are (" words … "), or "" when it is
// not needed.
func foldedText(t *pageText, needed bool) string {
	if !needed {
		return ""
	}
	return t.text()
}

// anyIn reports whether folded text holds one of texts (case,
// punctuation and markup aside: text inside an HTML cell counts).
func anyIn(text string, texts []string) bool {
	if text == "" {
		return false
	}
	for _, t := range texts {
		if f := foldClaim(t); len(f) >= 12 && strings.Contains(text, " "+f+" ") {
			return true
		}
	}
	return false
}

// addressPage is an address without its fragment.
func addressPage(url string) string {
	page, _, _ := strings.Cut(url, "#")
	return page
}

// pointers compares the commitments a page gives by pointer (references
// of category in_region naming a service: "Refer to the [ADR Commitment
// page](…) for the specific … commitment for X"). One that goes, comes,
// or points to another address is a claim changed: the sentence is the
// commitment, and no list moved. A reworded pointer to the same address
// is no change. old is nil for a first version: nothing changed.
// renamed reports whether two services are one under two names (the
// comparison's abbreviations and renames): only then is a pointer that
// goes and one that comes the same pointer.
func pointers(old, new *extractor.Page, renamed func(a, b extractor.Reference) bool) []Change {
	if old == nil || new == nil {
		return nil
	}
	type key struct{ id, scope string }
	index := func(p *extractor.Page) map[key]extractor.Reference {
		m := map[key]extractor.Reference{}
		for _, r := range p.References {
			if r.Category == extractor.InRegion && r.ServiceID != "" {
				m[key{r.ServiceID, r.Scope}] = r
			}
		}
		return m
	}
	ra, rb := index(old), index(new)
	keys := make([]key, 0, len(ra)+len(rb))
	for k := range ra {
		keys = append(keys, k)
	}
	for k := range rb {
		if _, ok := ra[k]; !ok {
			keys = append(keys, k)
		}
	}
	slices.SortFunc(keys, func(x, y key) int { return strings.Compare(x.id+"\x00"+x.scope, y.id+"\x00"+y.scope) })
	site := func(p *extractor.Page, r extractor.Reference) *Site {
		for _, c := range p.Claims {
			if c.Disposition == extractor.AsReference && c.Line == r.Line {
				return &Site{Line: c.Line, Text: c.Text}
			}
		}
		return &Site{Line: r.Line, Text: r.Text}
	}
	// A pointer that goes and one that comes in the same scope, to the
	// same page, for one service under two names, are one pointer renamed
	// or re-anchored ("Purview Audit (Standard)" at
	// #purview-audit-standard → "Audit (Standard)" at #audit-standard): a
	// low rewording, paired in page order. Two services' pointers are two
	// changes: one service lost its commitment, another gained one.
	var gone, came []key
	for _, k := range keys {
		_, inA := ra[k]
		_, inB := rb[k]
		if inA && !inB {
			gone = append(gone, k)
		} else if inB && !inA {
			came = append(came, k)
		}
	}
	byLine := func(m map[key]extractor.Reference, ks []key) {
		slices.SortStableFunc(ks, func(x, y key) int { return m[x].Line - m[y].Line })
	}
	byLine(ra, gone)
	byLine(rb, came)
	var out []Change
	paired := map[key]bool{}
	for _, ka := range gone {
		for _, kb := range came {
			a, b := ra[ka], rb[kb]
			if paired[kb] || ka.scope != kb.scope || addressPage(a.URL) != addressPage(b.URL) || !renamed(a, b) {
				continue
			}
			paired[ka], paired[kb] = true, true
			out = append(out, Change{Kind: Reworded, Service: b.Service, ServiceID: kb.id, Scope: kb.scope, Category: string(extractor.InRegion),
				Before: a.URL, After: b.URL, BeforeLine: a.Line, Line: b.Line, Evidence: &Evidence{Old: site(old, a), New: site(new, b)},
				Detail: "the commitment's pointer was re-anchored or its service renamed on the same page (" + a.Service + " → " + b.Service + ")"})
			break
		}
	}
	for _, k := range keys {
		a, inA := ra[k]
		b, inB := rb[k]
		if inA && inB && a.URL == b.URL || paired[k] {
			continue
		}
		c := Change{Kind: ClaimChanged, ServiceID: k.id, Scope: k.scope, Category: string(extractor.InRegion), Evidence: &Evidence{}}
		switch {
		case inA && inB:
			c.Service, c.Before, c.After, c.BeforeLine, c.Line = b.Service, a.URL, b.URL, a.Line, b.Line
			c.Evidence.Old, c.Evidence.New = site(old, a), site(new, b)
			c.Detail = "the commitment given by pointer now points to another page"
			if addressPage(a.URL) == addressPage(b.URL) {
				c.Kind, c.Detail = Reworded, "the commitment's pointer was re-anchored on the same page"
			}
		case inA:
			c.Service, c.Before, c.BeforeLine = a.Service, a.URL, a.Line
			c.Evidence.Old = site(old, a)
			c.Detail = "the commitment is no longer given by pointer to " + a.URL
		default:
			c.Service, c.After, c.Line = b.Service, b.URL, b.Line
			c.Evidence.New = site(new, b)
			c.Detail = "the commitment is now given by pointer to " + b.URL
		}
		out = append(out, c)
	}
	return out
}
