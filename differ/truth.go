package differ

import (
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/sergi/go-diff/diffmatchpatch"

	"github.com/residiff/residiff/extractor"
	"github.com/residiff/residiff/internal/litmatch"
	"github.com/residiff/residiff/serviceid"
	"github.com/residiff/residiff/source"
)

// The rules that keep the differ honest about what it could not read: a
// service is never "newly compliant" because the new version was not
// understood, and never "newly excluded" because the old one was not.

// drift turns each seemingly-leaving service into extraction_drift when the
// new version cannot be trusted to have dropped it: the page as a whole was
// not understood, the section the service stood in was not, or the new text
// still names the service under any of its names. The rest stay
// newly_compliant.
func drift(a, b *version, leaving []Change, opts Options) []Change {
	out := make([]Change, 0, len(leaving))
	fresh := newlyBlind(a, b)
	for _, c := range leaving {
		e := a.entries[slot{c.ServiceID, c.Scope}]
		why := ""
		switch {
		case b.unread:
			why = "the new version could not be fully read"
		case fresh != "":
			why = "part of the new version could not be read (" + fresh + ")"
		case unreadSection(b, e) != "":
			why = fmt.Sprintf("its section %q could not be read in the new version", unreadSection(b, e))
		case statesInRegion(b, c.ServiceID, c.Scope) && !sameInRegion(a, b, c.ServiceID, c.Scope):
			// The new version says in so many words that the data stays
			// in the region: a statement, not a silence.
			c.Detail = strings.TrimPrefix(c.Detail+"; the new version states its data stays in the region", "; ")
		default:
			if name := stillNamed(opts.newText, serviceNames(a, b, c.ServiceID, opts)); name != "" {
				why = fmt.Sprintf("the new version still names %s but no longer lists it as excluded", name)
			}
		}
		if why == "" {
			out = append(out, c)
			continue
		}
		c.Kind, c.Before, c.After = ExtractionDrift, "listed", "not read"
		c.Detail = why + "; check the page before acting"
		out = append(out, c)
	}
	return out
}

// statesInRegion reports whether v records service id in scope as in the
// region (a table cell or sentence saying so) and no longer excluded.
func statesInRegion(v *version, id, scope string) bool {
	e := v.entries[slot{id, scope}]
	if e == nil || len(e.excluded()) > 0 {
		return false
	}
	_, ok := e.cats[extractor.InRegion]
	return ok
}

// sameInRegion reports whether a already said what b says about service id
// being in the region in scope: then b's statement is not what changed,
// and the exclusion's disappearance still needs the usual checks.
func sameInRegion(a, b *version, id, scope string) bool {
	ea, eb := a.entries[slot{id, scope}], b.entries[slot{id, scope}]
	if ea == nil || eb == nil || ea.cats[extractor.InRegion] == nil {
		return false
	}
	return factText(ea.cats[extractor.InRegion]) == factText(eb.cats[extractor.InRegion])
}

// newlyBlind describes the first part of b that could not be read while a
// had no such warning, or "".
func newlyBlind(a, b *version) string {
	for _, w := range b.blind {
		if !knownBlind(a, b, w) {
			if w.Section != "" {
				return fmt.Sprintf("section %q, line %d", w.Section, w.Line)
			}
			return fmt.Sprintf("line %d", w.Line)
		}
	}
	return ""
}

// knownBlind reports whether a's reader was already as blind where b's
// warning w says b could not read: a has the same warning for the same
// section, or neither version was understood as a whole (an unrecognised
// page). A section heading added to a page read in neither version
// ("#### Data Retention:" over sentences both versions warn of) is no
// new blindness (BLIND3 class 16); its sentences keep their own warnings.
func knownBlind(a, b *version, w extractor.Warning) bool {
	if slices.ContainsFunc(a.blind, func(o extractor.Warning) bool { return o.Kind == w.Kind && sameWords(o.Section, w.Section) }) {
		return true
	}
	page := func(o extractor.Warning) bool { return o.Kind == extractor.UnrecognisedPage }
	return w.Kind == extractor.UnrecognisedSection && slices.ContainsFunc(a.blind, page) && slices.ContainsFunc(b.blind, page)
}

// unreadBefore says why a service that appears in the new version may have
// been listed in the old one, or "": the old version was not understood
// and names it (under any of the names drift looks for), or could not
// read the section the service now stands in.
func unreadBefore(a, b *version, e *entry, opts Options) string {
	if !a.unread && len(a.blind) == 0 {
		return ""
	}
	if name := stillNamed(opts.oldText, serviceNames(a, b, e.id, opts)); name != "" {
		return fmt.Sprintf("the previous version could not be read, and it names %s; check the page before acting", name)
	}
	if sec := unreadSection(a, e); sec != "" {
		return fmt.Sprintf("the previous version could not read its section %q; check the page before acting", sec)
	}
	return ""
}

// unreadSection is the title of a section of e that b has a warning for.
func unreadSection(b *version, e *entry) string {
	if e == nil {
		return ""
	}
	for _, w := range b.blind {
		for _, s := range e.sections {
			if w.Section != "" && sameWords(w.Section, s) {
				return s
			}
		}
	}
	return ""
}

// newlyUnread reports each part of the new version that could not be read
// while the old one could: residiff could not read part of this page. It
// says nothing when services already drifted (their changes say it).
func newlyUnread(a, b *version, drifted bool) []Change {
	if drifted {
		return nil
	}
	var out []Change
	for _, w := range b.blind {
		if knownBlind(a, b, w) {
			continue
		}
		where := "the page"
		if w.Section != "" {
			where = fmt.Sprintf("section %q", w.Section)
		}
		out = append(out, Change{Kind: ExtractionDrift, Before: "read", After: "not read", Line: w.Line,
			Detail: fmt.Sprintf("residiff could not read part of this page: %s (line %d): %s", where, w.Line, w.Message)})
	}
	return out
}

// serviceNames are every name a service goes by in both versions and in
// the alias register.
func serviceNames(a, b *version, id string, opts Options) []string {
	var out []string
	for _, v := range []*version{a, b} {
		for k, e := range v.entries {
			if k.id == id {
				out = append(out, e.name)
			}
		}
	}
	if opts.Aliases != nil {
		out = append(out, opts.Aliases.Names(id)...)
	}
	if p := opts.Profile; p != nil && id == p.Product.ID {
		// The product goes by every vendor prefix it ever had.
		out = append(out, p.Product.Name)
		for _, v := range p.VendorPrefixes {
			out = append(out, v.Name)
		}
	}
	if opts.Profile != nil {
		for _, n := range slices.Clone(out) {
			if rest, ok := opts.Profile.StripVendor(n); ok && (len(strings.Fields(rest)) > 1 || len(rest) >= 8) {
				out = append(out, rest)
			}
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// stillNamed returns the first of names that text mentions as a name of
// its own (not the start of a longer one: "Microsoft Entra Connect" is not
// named by "Microsoft Entra Connect Health"), or "".
func stillNamed(text *pageText, names []string) string {
	if text == nil || len(text.src) == 0 {
		return ""
	}
	orig, t := text.spaced()
	for _, n := range names {
		n = strings.ToLower(strings.Join(strings.Fields(n), " "))
		if len(n) < 3 {
			continue
		}
		for from := 0; ; {
			i := strings.Index(t[from:], n)
			if i < 0 {
				break
			}
			at := from + i
			end := at + len(n)
			from = end
			if at > 0 && isWord(rune(t[at-1])) {
				continue
			}
			if end < len(t) && isWord(rune(t[end])) {
				continue
			}
			if continuesName(orig, end) {
				continue
			}
			return n
		}
	}
	return ""
}

// continuesName reports whether the name match ending at end in the
// whitespace-normalised original text runs on into a capitalised word
// ("Microsoft Entra ID Governance" after "Microsoft Entra ID"): a longer
// name, not this one. orig is empty when its case is unknown.
func continuesName(orig string, end int) bool {
	if orig == "" || end >= len(orig) {
		return false
	}
	rest := strings.TrimLeft(orig[end:], " ")
	return rest != "" && unicode.IsUpper(rune(rest[0]))
}

func isWord(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-' }

// sameWords reports whether two headings are the same words.
func sameWords(a, b string) bool {
	return strings.Join(wordsOf(a), " ") == strings.Join(wordsOf(b), " ")
}

func wordsOf(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

// pairByFacts pairs services only in the old version with services only in
// the new one that stand in the same scope and category with the same
// facts: a rename the alias register does not know. When several services
// share those facts (one fact block listing many), the names must also
// share a word, so that a removal and an addition in one list are not
// taken for a rename; unrelated names are no rename either while the old
// name is still on the new page. Pairs are one to one; ambiguous ones are
// left.
func pairByFacts(a, b *version, already map[string]string, opts Options) map[string]string {
	gone, come := onlyIn(a, b), onlyIn(b, a)
	taken := map[string]bool{}
	for old, nw := range already {
		taken[old], taken[nw] = true, true
	}
	out := map[string]string{}
	if len(gone)*len(come) > opts.renamePairs() {
		return out // too many to compare; exact aliases only
	}
	skip := vendorWords(opts.Profile)
	for _, g := range gone {
		if taken[g] {
			continue
		}
		oldNamed := stillNamed(opts.newText, []string{a.names[g]}) != ""
		var match []string
		for _, c := range come {
			if taken[c] || !sameFacts(a, b, g, c) {
				continue
			}
			if knownApart(opts, a.names[g], b.names[c]) {
				continue // the register knows them as two services
			}
			related := nameRelated(opts, skip, a.names[g], b.names[c])
			if (shared(a, g) || shared(b, c)) && !related {
				continue
			}
			if !related && oldNamed {
				continue // the old name is still on the page: another service took its place
			}
			match = append(match, c)
		}
		if len(match) == 1 {
			out[g] = match[0]
			taken[g], taken[match[0]] = true, true
		}
	}
	return out
}

// onlyIn lists the service ids of v that w does not have, sorted.
func onlyIn(v, w *version) []string {
	var out []string
	for id := range v.names {
		if _, ok := w.names[id]; !ok {
			out = append(out, id)
		}
	}
	sort.Strings(out)
	return out
}

// sameFacts reports whether service g of a and c of b are excluded from the
// same scopes in the same categories with near-identical facts.
func sameFacts(a, b *version, g, c string) bool {
	sa, sb := excludedScopes(a, g), excludedScopes(b, c)
	if len(sa) == 0 || !slices.Equal(sa, sb) {
		return false
	}
	for _, s := range sa {
		ea, eb := a.entries[slot{g, s}], b.entries[slot{c, s}]
		if !slices.Equal(ea.excluded(), eb.excluded()) {
			return false
		}
		for _, cat := range ea.excluded() {
			fa, fb := ea.cats[extractor.Category(cat)], eb.cats[extractor.Category(cat)]
			if similarity(factText(fa), factText(fb)) < 0.8 {
				return false
			}
		}
	}
	return true
}

func factText(f *facts) string {
	var parts []string
	for _, n := range fieldNames {
		parts = append(parts, f.fields[n])
	}
	return strings.Join(parts, " ")
}

// similarity is the share of words two texts have in common (Dice); two
// empty texts are the same.
func similarity(x, y string) float64 {
	return wordSimilarity(wordsOf(x), wordsOf(y))
}

// Similarity is the share of words two texts have in common, case and
// punctuation aside (Dice's coefficient): 1 for the same words, 0 for
// none shared; two empty texts are the same.
func Similarity(x, y string) float64 { return similarity(x, y) }

// sortedSimilarity is wordSimilarity of two sorted lists of word
// numbers (anchorer.sortedWords), counted by merging them: the anchor
// compares every changed old site with every new one, so it must not
// build a map per pair.
func sortedSimilarity(wx, wy []int32) float64 {
	if len(wx) == 0 && len(wy) == 0 {
		return 1
	}
	common := 0
	for i, j := 0, 0; i < len(wx) && j < len(wy); {
		switch x, y := wx[i], wy[j]; {
		case x == y:
			common++
			i++
			j++
		case x < y:
			i++
		default:
			j++
		}
	}
	return 2 * float64(common) / float64(len(wx)+len(wy))
}

// wordSimilarity is similarity of two texts' words.
func wordSimilarity(wx, wy []string) float64 {
	if len(wx) == 0 && len(wy) == 0 {
		return 1
	}
	count := map[string]int{}
	for _, w := range wx {
		count[w]++
	}
	common := 0
	for _, w := range wy {
		if count[w] > 0 {
			count[w]--
			common++
		}
	}
	return 2 * float64(common) / float64(len(wx)+len(wy))
}

// shared reports whether other services of v stand in exactly the facts of
// service id (a fact block listing several).
func shared(v *version, id string) bool {
	var mine string
	for k, e := range v.entries {
		if k.id == id {
			for _, c := range e.excluded() {
				mine += k.scope + c + factText(e.cats[extractor.Category(c)])
			}
		}
	}
	for k, e := range v.entries {
		if k.id == id {
			continue
		}
		for _, c := range e.excluded() {
			if strings.Contains(mine, k.scope+c+factText(e.cats[extractor.Category(c)])) {
				return true
			}
		}
	}
	return false
}

// knownApart reports whether the register knows both names, as two
// different services.
func knownApart(opts Options, x, y string) bool {
	r := opts.Aliases
	return r != nil && r.Known(x) && r.Known(y) && r.ID(x) != r.ID(y)
}

// nameRelated reports whether two names have something of their own in
// common once vendor, company and platform words are set aside: a word of
// four letters or more, or one squashed name holding the other ("MyApps"
// and "My Apps portal").
func nameRelated(opts Options, skip map[string]bool, x, y string) bool {
	cx, cy := serviceid.Squash(x), serviceid.Squash(y)
	if opts.Aliases != nil {
		cx, cy = opts.Aliases.Core(x), opts.Aliases.Core(y)
	}
	if len(cx) >= 5 && len(cy) >= 5 && (strings.Contains(cx, cy) || strings.Contains(cy, cx)) {
		return true
	}
	return shareWord(x, y, skip)
}

// vendorWords are the words of the profile's company, product, vendor and
// platform names: sharing one of them makes two names no more related.
func vendorWords(p *source.Profile) map[string]bool {
	skip := map[string]bool{}
	if p == nil {
		return skip
	}
	for _, n := range append([]string{p.CompanyPrefix, p.Product.Name}, p.VendorNames()...) {
		for _, w := range wordsOf(n) {
			skip[w] = true
		}
	}
	for _, t := range p.PlatformPrefixes {
		for _, w := range wordsOf(t.Name) {
			skip[w] = true
		}
	}
	return skip
}

// names are the names service id goes by in the two versions: a field
// that differs only by them (the service's own rename inside its
// sentence) has not changed.
func names(a, b *version, id string) []string {
	var out []string
	for _, v := range []*version{a, b} {
		for k, e := range v.entries {
			if k.id == id {
				out = append(out, e.name)
			}
		}
	}
	return out
}

// Editorial edits: two values of a fact say the same when, after folding
// what never changes a fact (case, punctuation, articles, modal verbs,
// contractions, spelling and country-name updates, the profile's scope
// synonyms, vendor prefixes and the service's own names), the words left
// differ only by filler. Order matters: swapped places, "and" for "or", an
// added "not", "only" or "except", a new number, date, place or data type
// are real changes.

// restated reports whether two reasons that are the sentence stating a
// record's facts say the same once the sentence's grammar is set aside
// ("X stores Customer Data in the US" → "Customer Data for X is stored in
// the United States"): the same words, counted, after foldTokens (places
// by canonical name, the service, contractions), with filler and voice
// words dropped and word endings cut. The caller only asks when none of
// the record's other fields changed: the facts are the same, so a
// reworded sentence stating them is not a second change. A word added
// or removed ("not", "only", a place, a number, "may") is still a change.
func restated(p *source.Profile, own []string, x, y string) bool {
	count := func(s string) map[string]int {
		m := map[string]int{}
		for _, t := range foldTokens(p, own, s) {
			// The service is named, or stood for by "it", as the
			// sentence's voice wants: its mentions carry no fact.
			if t = stem(t); restateFiller[t] || t == "servic" {
				continue
			}
			m[t]++
		}
		return m
	}
	return maps.Equal(count(x), count(y))
}

// restateFiller are the words a sentence wraps facts in, in either voice.
// (Compared after stem: "are" is "are", "example" is "exampl".)
var restateFiller = map[string]bool{"in": true, "of": true, "to": true, "and": true, "it": true, "its": true, "is": true,
	"are": true, "be": true, "been": true, "by": true, "for": true, "on": true, "at": true, "exampl": true, "that": true,
	"customer": true, "they": true, "their": true, "them": true}

// stem cuts an English word's common endings so that "stores", "stored"
// and "store", or "services" and "service", compare equal; "all" and
// "each" read as "every".
func stem(w string) string {
	switch w {
	case "all", "each", "every":
		return "every"
	}
	for _, suf := range []string{"ing", "ed", "es", "s", "e"} {
		if r, ok := strings.CutSuffix(w, suf); ok && len(r) >= 3 {
			return r
		}
	}
	return w
}

var dataCenterRe = litmatch.MustCompile(`(?i)\bdata[ -]?cent(?:er|re)(s?)\b`)

// foldWording writes the spellings of one word as one: an abbreviation
// defined in place as the abbreviation ("multifactor authentication
// (MFA)" as "MFA"), "data centers" as "datacenters", a hyphenated word
// as one ("multi-factor" as "multifactor"). Whatever of these the pages
// change is wording.
func foldWording(s string) string {
	s = foldAcronyms(s)
	if mayHold(s, "cent") {
		s = dataCenterRe.ReplaceAllString(s, "datacenter$1")
	}
	if !strings.ContainsAny(s, "-\u2010\u2011") {
		return s
	}
	return joinHyphenated(s)
}

// definedRe is an abbreviation defined in place: "multifactor
// authentication (MFA)", "Azure role-based access control (Azure RBAC)".
var definedRe = litmatch.MustCompile(`((?:[A-Za-z]+[- ]){0,6}[A-Za-z]+)\s*\(((?:[A-Z][A-Za-z]* )?[A-Z]{2,6})\)`)

// foldAcronyms writes an abbreviation defined in place as the
// abbreviation alone, when the words before it spell it: spelling out
// "MFA" as "multifactor authentication (MFA)" is wording, not a fact.
func foldAcronyms(s string) string {
	var out strings.Builder
	copied := 0
	for from := 0; ; {
		m := nextDefined(s, from)
		if m == nil {
			break
		}
		out.WriteString(s[copied:m[0]])
		out.WriteString(spelledOut(s[m[0]:m[1]]))
		copied, from = m[1], m[1]
	}
	if copied == 0 {
		return s
	}
	out.WriteString(s[copied:])
	return out.String()
}

// spelledOut is the abbreviation alone for a match of definedRe whose
// words spell it, or the match as it is.
func spelledOut(m string) string {
	sub := definedRe.FindStringSubmatch(m)
	abbr := sub[2]
	letters := strings.ToLower(abbr[strings.LastIndex(abbr, " ")+1:])
	words := strings.FieldsFunc(sub[1], func(r rune) bool { return r == ' ' || r == '-' })
	// the shortest run of the last words that starts with its first
	// letter and holds its letters in order ("multifactor
	// authentication" for MFA)
	for i := len(words) - 1; i >= 0 && i >= len(words)-len(letters)-1; i-- {
		run := strings.ToLower(strings.Join(words[i:], ""))
		if run[0] == letters[0] && subsequence(letters, run) {
			return strings.TrimSpace(strings.Join(words[:i], " ") + " " + abbr)
		}
	}
	return m
}

// nextDefined is the leftmost match of definedRe in s starting at or
// after from, as the expression's own search finds it, but run only
// around each "(" that can open one. Every match holds "(" and an ASCII
// capital, ends at the first ")" after them, and has before its "("
// only letters, hyphens and white space: a match using the first such
// "(" at q starts no earlier than the run of those bytes before q, and
// none starts before it, so the expression is run on that run through
// the ")" alone.
func nextDefined(s string, from int) []int {
	for from < len(s) {
		i := strings.IndexByte(s[from:], '(')
		if i < 0 {
			return nil
		}
		q := from + i
		if q+1 >= len(s) || s[q+1] < 'A' || s[q+1] > 'Z' {
			from = q + 1
			continue
		}
		e := strings.IndexByte(s[q:], ')')
		if e < 0 {
			return nil // no match ends anywhere
		}
		e += q + 1
		w := q
		for w > from && definedRun(s[w-1]) {
			w--
		}
		if loc := definedRe.FindStringIndex(s[w:e]); loc != nil {
			return []int{w + loc[0], w + loc[1]}
		}
		from = q + 1
	}
	return nil
}

// definedRun reports whether b may stand in a match of definedRe before
// its "(": a letter of the words, a hyphen or white space between them.
func definedRun(b byte) bool {
	return 'A' <= b && b <= 'Z' || 'a' <= b && b <= 'z' || b == '-' || b == ' ' || b == '\t' || b == '\n' || b == '\f' || b == '\r'
}

// subsequence reports whether the letters of a stand in b in order.
func subsequence(a, b string) bool {
	i := 0
	for j := 0; j < len(b) && i < len(a); j++ {
		if b[j] == a[i] {
			i++
		}
	}
	return i == len(a)
}

// editorialEdit reports whether x → y changes no fact.
func editorialEdit(p *source.Profile, m *Memo, own []string, x, y string) bool {
	xs, ys := strings.Split(x, " | "), strings.Split(y, " | ")
	if len(xs) != len(ys) {
		return false // a fact block gained or lost a value
	}
	if len(xs) > 1 {
		// Values of several fact blocks: pair each with its nearest,
		// compared as folded (places by their canonical names: "US" and
		// "the United States" are one value, wherever the merge sorted
		// them), the values that fold equal first.
		fold := func(vs []string) []string {
			out := make([]string, len(vs))
			for i, v := range vs {
				out[i] = strings.Join(m.tokens(p, own, v), " ")
			}
			return out
		}
		fx, fy := fold(xs), fold(ys)
		used, done := make([]bool, len(ys)), make([]bool, len(xs))
		for i := range xs {
			for j := range ys {
				if !used[j] && fx[i] == fy[j] {
					used[j], done[i] = true, true
					break
				}
			}
		}
		for i, a := range xs {
			if done[i] {
				continue
			}
			best, bi := -1.0, -1
			for j := range ys {
				if s := similarity(fx[i], fy[j]); !used[j] && s > best {
					best, bi = s, j
				}
			}
			used[bi] = true
			if !editorialEdit(p, m, own, a, ys[bi]) {
				return false
			}
		}
		return true
	}
	tx, ty := m.tokens(p, own, x), m.tokens(p, own, y)
	if slices.Equal(tx, ty) {
		return true
	}
	inX, inY := set(tx), set(ty)
	for _, op := range tokenDiff(tx, ty) {
		for _, t := range op.tokens {
			switch {
			case factWord(t) && t != "and" && countOf(tx, t) != countOf(ty, t), isNumber(t):
				return false // "not" added, "or" for "and", a new number
			case op.insert && !filler[t] && (!inX[t] || !factWord(t) && countOf(ty, t) > countOf(tx, t)):
				return false // a new word, or one more of it: a place, a data type, a channel
			case !op.insert && !inY[t] && !filler[t]:
				return false // a word gone (one fewer of a repeated word is wording: "terms of use configuration")
			}
		}
	}
	// The same words, moved or repeated: places, or the "in" and
	// "outside" before them, in another order are a change ("in the EU;
	// backups outside" → "outside the EU; backups in"), anything else is
	// wording.
	return !placesMoved(p, x, y) && slices.Equal(relations(tx), relations(ty))
}

// relations lists a value's relation words (those of claimFacts, but
// for the conjunctions) in order.
func relations(ts []string) []string {
	var out []string
	for _, t := range ts {
		if t != "and" && t != "or" && relationWd.MatchString(t) {
			out = append(out, t)
		}
	}
	return out
}

// factWords change a fact whenever they come or go, with the negations
// of claimFacts (negationWd).
var factWords = map[string]bool{"except": true, "only": true, "excluding": true, "and": true, "or": true, "all": true,
	"nor": true, "unless": true, "until": true, "before": true, "after": true}

// factWord reports whether a token changes a fact whenever it comes or
// goes.
func factWord(t string) bool { return factWords[t] || negationWd.MatchString(t) }

// filler words carry no fact.
var filler = map[string]bool{"a": true, "an": true, "the": true, "such": true, "as": true, "of": true, "e": true, "g": true, "eg": true,
	"including": true, "like": true, "for": true, "example": true, "also": true, "some": true, "which": true, "that": true, "this": true,
	"these": true, "its": true, "their": true, "data": true, "customer": true, "s": true, "is": true, "are": true, "be": true}

// synonyms fold words whose change never changes a fact ("it" and "they"
// stand for the service, as its own name does).
var synonyms = map[string]string{"it": "service", "they": "service", "might": "may", "could": "can", "would": "will", "shall": "will",
	"datacenter": "datacenter", "datacentres": "datacenters",
	"centre": "center", "centres": "centers", "organisation": "organization", "organisations": "organizations"}

// contractions expand before tokens are compared.
var contractions = strings.NewReplacer("’", "'", "n't", " not", "'re", " are", "'s", " s", "'ll", " will", "'ve", " have", "can not", "cannot")

// scopePhraseRe folds "the region" inside a fact; the source's profile
// names its own ways ("outside the EU location" says "outside the
// region").
var scopePhraseRe = litmatch.MustCompile(`\bthe region\b`)

// scopePhraseCIRe is scopePhraseRe on text as written.
var scopePhraseCIRe = litmatch.MustCompile(`(?i)` + scopePhraseRe.String())

// canonicalPlaces writes every place s names as one word of its canonical
// name: "US" and "the United States" compare equal.
func canonicalPlaces(p *source.Profile, s string) string {
	return writePlaces(s, p.LocationsIn(s), false)
}

// writePlaces writes each of the places at (found in s, in order) as one
// word of its canonical name ("place" and the name's letters); with
// wholeWord, the word a place is part of goes with it ("globally" is the
// global place). Overlapping places after the first are skipped.
func writePlaces(s string, at []source.Location, wholeWord bool) string {
	if len(at) == 0 {
		return s
	}
	var b strings.Builder
	last := 0
	for _, l := range at {
		if l.Start < last {
			continue
		}
		end := l.End
		for wholeWord && end < len(s) {
			r, n := utf8.DecodeRuneInString(s[end:])
			if !unicode.IsLetter(r) {
				break
			}
			end += n
		}
		b.WriteString(s[last:l.Start])
		b.WriteString(" place" + strings.ToLower(strings.Join(strings.Fields(l.Name), "")) + " ")
		last = end
	}
	b.WriteString(s[last:])
	return b.String()
}

// foldTokens reduces a value to its comparable words.
func foldTokens(p *source.Profile, own []string, s string) []string {
	s = foldWording(s)
	if p != nil {
		// Scope phrases first ("the EU location" is the region, not a
		// place), then places to their canonical names.
		s = canonicalPlaces(p, scopePhraseCIRe.ReplaceAllString(p.ScopePhrasesTo(s, " region "), " region "))
	}
	l := strings.ToLower(s)
	for _, n := range own {
		if n = strings.ToLower(strings.TrimSpace(n)); n != "" {
			l = strings.ReplaceAll(l, n, " service ")
		}
	}
	if p != nil {
		l = p.NormaliseScopes(l)
		l = p.ReplaceVendorNames(l, " vendor ")
	}
	l = contractions.Replace(l)
	if p != nil {
		l = p.ScopePhrasesTo(l, " region ")
	}
	l = scopePhraseRe.ReplaceAllString(l, " region ")
	var out []string
	for _, w := range strings.FieldsFunc(l, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '/' }) {
		if v, ok := synonyms[w]; ok {
			w = v
		} else if p != nil {
			w, _ = p.PlaceSynonym(w)
		}
		if w == "the" || w == "a" || w == "an" {
			continue
		}
		out = append(out, w)
	}
	// "vendor" standing for several names in a row is one.
	return slices.Compact(out)
}

type tokenOp struct {
	insert bool
	tokens []string
}

// tokenDiff is the edit script from x to y, by the one word diff of the
// differ (go-diff over tokens coded as runes, as WordDiffs).
func tokenDiff(x, y []string) []tokenOp {
	if len(x) > MaxWordDiffTokens || len(y) > MaxWordDiffTokens {
		return []tokenOp{{false, x}, {true, y}} // too long to align: all changed
	}
	ex, ey, vocab := encodeTokens(x, y)
	dmp := diffmatchpatch.New()
	dmp.DiffTimeout = 0
	var out []tokenOp
	for _, d := range dmp.DiffMain(ex, ey, false) {
		if d.Type == diffmatchpatch.DiffEqual {
			continue
		}
		op := tokenOp{insert: d.Type == diffmatchpatch.DiffInsert}
		for _, r := range d.Text {
			op.tokens = append(op.tokens, vocab[r-firstRune])
		}
		out = append(out, op)
	}
	return out
}

func countOf(ts []string, t string) int {
	n := 0
	for _, x := range ts {
		if x == t {
			n++
		}
	}
	return n
}

func set(ts []string) map[string]bool {
	m := map[string]bool{}
	for _, t := range ts {
		m[t] = true
	}
	return m
}

// placesMoved reports whether the places two values name come in another
// order ("primary in the US, replica in Europe" → the other way round).
func placesMoved(p *source.Profile, x, y string) bool {
	if p == nil {
		return true
	}
	var px, py []string
	for _, l := range p.LocationsIn(x) {
		px = append(px, l.Name)
	}
	for _, l := range p.LocationsIn(y) {
		py = append(py, l.Name)
	}
	return !slices.Equal(px, py)
}

func isNumber(t string) bool {
	for _, r := range t {
		if unicode.IsDigit(r) {
			return true
		}
	}
	return false
}
