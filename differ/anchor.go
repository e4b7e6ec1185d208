package differ

import (
	"maps"
	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/residiff/residiff/extractor"
	"github.com/residiff/residiff/internal/litmatch"
	"github.com/residiff/residiff/internal/textcase"
	"github.com/residiff/residiff/source"
)

// Anchoring: every change the record comparison finds is held to the text
// of the two versions. The claim sites of each page (the extractor's
// ledger) are matched by their text; a site whose text is in one version
// only changed. A change whose claim sites kept their text, under the same
// headings and lead-in, is not news: the extractor read the same words
// differently, and the change is kept at low severity as read_differently
// (or first_read, when the older version had not read the site). A changed
// site that no change speaks for is reported as claim_changed, with the
// sentence old → new; editorial is said only when every changed site
// changed its wording alone.

// Evidence is the text a change rests on: the claim site of the older and
// of the newer version, and the word diff between them.
type Evidence struct {
	Old  *Site      `json:"old,omitempty"`
	New  *Site      `json:"new,omitempty"`
	Diff []WordDiff `json:"diff,omitempty"`
	// Note says what the evidence shows when it is not the sentence
	// itself that changed ("the heading or lead-in above the sentence
	// changed", "the text did not change").
	Note string `json:"note,omitempty"`
}

// Site is a claim site as evidence: its line and text.
type Site struct {
	Line int    `json:"line"`
	Text string `json:"text"`
	// Context is the heading chain and lead-in the site stands under,
	// when it is what changed.
	Context string `json:"context,omitempty"`
}

// The kinds anchoring adds.
const (
	// ClaimChanged: a claim site's text changed and no semantic change
	// explains it; the sentence old → new is the report.
	ClaimChanged Kind = "claim_changed"
	// ReadDifferently: the records changed but none of their claim
	// sites' text did: the same words were read differently.
	ReadDifferently Kind = "read_differently"
	// FirstRead: a service read for the first time from text that was
	// already on the older version, where it was not read.
	FirstRead Kind = "first_read"
	// Reworded: a service's facts were reworded: the same places,
	// numbers, dates, negations and modality, the same data types.
	Reworded Kind = "reworded"
)

// claimSet indexes one version's claim sites by their folded text.
type claimSet struct {
	claims []extractor.Claim
	// folds is the comparison's memo of folded texts, shared by both
	// versions' sets: sites are matched against each other many times.
	folds  folds
	byText map[string][]int
	page   *extractor.Page
	// sections are the version's text, folded, by the heading it stands
	// under: where a sentence no claim site holds can still be found.
	sections []textSection
	// joined is every site's folded text, each between newlines: one
	// search asks whether any site holds some words (folded texts hold
	// no newline).
	joined string
}

// textSection is the folded text under one heading.
type textSection struct{ heading, text string }

func newClaimSet(p *extractor.Page, src []byte, f folds) *claimSet {
	s := &claimSet{folds: f, byText: map[string][]int{}, page: p, sections: f.run.split(src)}
	if p == nil {
		return s
	}
	s.claims = p.Claims
	var joined strings.Builder
	joined.WriteByte('\n')
	for i, c := range p.Claims {
		k := f.of(c.Text)
		s.byText[k] = append(s.byText[k], i)
		joined.WriteString(k)
		joined.WriteByte('\n')
	}
	s.joined = joined.String()
	return s
}

// folds memoises foldClaim for one comparison, and through the run's
// memo (nil: none) for the run.
type folds struct {
	m   map[string]string
	run *Memo
}

// of is foldClaim(s), folded once per comparison.
func (f folds) of(s string) string {
	if v, ok := f.m[s]; ok {
		return v
	}
	v := f.run.fold(s)
	f.m[s] = v
	return v
}

// foldClaim is a claim's text for matching: lower case, letters, digits
// and single spaces, as the sentence is rendered. Punctuation, links'
// markup and destinations, HTML tags and spacing are not news: a reader
// sees the link's words, never its address.
func foldClaim(s string) string {
	if strings.Contains(s, "](") {
		s = linkDestRe.ReplaceAllString(s, "]")
	}
	if strings.IndexByte(s, '<') >= 0 {
		s = htmlTagRe.ReplaceAllString(s, " ")
	}
	return lowerWords(s)
}

// lowerWords is s lower-cased, its runs of letters and digits joined by
// single spaces: strings.FieldsFunc of its lower case at every rune that
// is neither, joined by " ", written once, ASCII byte by byte.
func lowerWords(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		if r < utf8.RuneSelf {
			c := byte(r)
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			if (c < 'a' || c > 'z') && (c < '0' || c > '9') {
				space = true
				continue
			}
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			b.WriteByte(c)
			space = false
			continue
		}
		if r = unicode.ToLower(r); unicode.IsLetter(r) || unicode.IsDigit(r) {
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			b.WriteRune(r)
			space = false
			continue
		}
		space = true
	}
	return b.String()
}

var (
	// linkDestRe is a Markdown link's destination (and title) after its
	// text: "[map](https://…)".
	linkDestRe = litmatch.MustCompile(`\]\([^)\n]*\)`)
	// htmlTagRe is an HTML tag: "<td>", "</tr>", "<br/>".
	htmlTagRe = litmatch.MustCompile(`</?[A-Za-z][^<>\n]*>`)
)

// headingRe is a Markdown ATX heading line.
var headingRe = litmatch.MustCompile(`^ {0,3}#{1,6}\s+(.*?)\s*#*\s*$`)

// splitSections cuts a page's text at its headings and folds each part.
func splitSections(src []byte) []textSection {
	if len(src) == 0 {
		return nil
	}
	var out []textSection
	var body strings.Builder
	heading := ""
	flush := func() {
		out = append(out, textSection{heading: foldClaim(heading), text: foldClaim(body.String())})
		body.Reset()
	}
	for _, line := range strings.Split(string(src), "\n") {
		if m := headingRe.FindStringSubmatch(strings.TrimRight(line, "\r")); m != nil {
			flush()
			heading = m[1]
			continue
		}
		body.WriteString(line)
		body.WriteByte('\n')
	}
	flush()
	return out
}

// lastHeading is the innermost heading of a claim's context ("A › B ‖
// lead-in" stands under B).
func lastHeading(context string) string {
	chain := headingChain(context)
	if len(chain) == 0 {
		return ""
	}
	return foldClaim(chain[len(chain)-1])
}

// unreadText reports whether the version's text holds c's words, under
// c's innermost heading, where no claim site of the version holds them:
// the sentence was there and was not read (raw HTML, a layout the
// extractor does not know). Its text did not change.
func (s *claimSet) unreadText(c extractor.Claim) bool {
	t := s.folds.of(c.Text)
	if len(strings.Fields(t)) < 4 || s.has(c) {
		return false
	}
	if !strings.Contains(t, "\n") && indexWords(s.joined, t, '\n') {
		return false // a site of the version holds the words: it was read
	}
	h := lastHeading(c.Context)
	for _, sec := range s.sections {
		if sec.heading == h && containsWords(sec.text, t) {
			return true
		}
	}
	return false
}

// containsWords reports whether the space-separated words of t stand in
// text as whole words: strings.Contains(" "+text+" ", " "+t+" ") without
// building either string.
func containsWords(text, t string) bool {
	if t == "" {
		return text == "" || text[0] == ' ' || text[len(text)-1] == ' ' || strings.Contains(text, "  ")
	}
	return indexWords(text, t, ' ')
}

// indexWords reports whether t (not empty) stands in text between word
// boundaries: the text's ends, a space or sep.
func indexWords(text, t string, sep byte) bool {
	bound := func(b byte) bool { return b == ' ' || b == sep }
	// A long t is looked for by its first bytes, which the vectorised
	// search takes (a long needle falls back to Rabin–Karp over the
	// whole text), then compared whole.
	probe := t[:min(len(t), probeLen)]
	for from := 0; from+len(t) <= len(text); {
		k := strings.Index(text[from:], probe)
		if k < 0 {
			return false
		}
		k += from
		if strings.HasPrefix(text[k:], t) && (k == 0 || bound(text[k-1])) && (k+len(t) == len(text) || bound(text[k+len(t)])) {
			return true
		}
		from = k + 1
	}
	return false
}

// probeLen is how many of a text's first bytes indexWords looks for.
const probeLen = 24

// has reports whether the set holds a site with the text of c.
func (s *claimSet) has(c extractor.Claim) bool { return len(s.byText[s.folds.of(c.Text)]) > 0 }

// sameContext reports whether the set holds c's text under c's context.
func (s *claimSet) sameContext(c extractor.Claim) bool {
	for _, i := range s.byText[s.folds.of(c.Text)] {
		if s.folds.of(s.claims[i].Context) == s.folds.of(c.Context) {
			return true
		}
	}
	return false
}

// counterpart is the site of the set with c's text, preferring c's
// context.
func (s *claimSet) counterpart(c extractor.Claim) (extractor.Claim, bool) {
	idx := s.byText[s.folds.of(c.Text)]
	for _, i := range idx {
		if s.folds.of(s.claims[i].Context) == s.folds.of(c.Context) {
			return s.claims[i], true
		}
	}
	if len(idx) > 0 {
		return s.claims[idx[0]], true
	}
	return extractor.Claim{}, false
}

// sitesOf lists the claim sites that hold a record of service id (any of
// ids) or stand at line.
func (s *claimSet) sitesOf(ids []string, scope string, line int, canon map[string]string) []int {
	var out []int
	for i, c := range s.claims {
		hit := line > 0 && (c.Line == line || c.Line <= line && line <= c.EndLine)
		for _, r := range c.Records {
			if r >= len(s.page.Records) {
				continue
			}
			rec := s.page.Records[r]
			if slices.Contains(ids, canonID(canon, rec.ServiceID)) && (scope == "" || baseScope(scope) == rec.Scope) {
				hit = true
			}
		}
		if hit {
			out = append(out, i)
		}
	}
	return out
}

// anchorer holds the changes of one comparison to the two versions' claim
// sites, and remembers the sites the changes speak for.
type anchorer struct {
	a, b     *claimSet
	opts     Options
	coveredA map[int]bool
	coveredB map[int]bool
	// newlyBlind is set when the newer version has a part it could not
	// read that the older one read (an unrecognised section or page).
	newlyBlind bool
	// canon maps service ids made one to the id kept.
	canon map[string]string
	// matchA and matchB say which sites have a counterpart of the same
	// text in the other version.
	matchA, matchB []bool
	// facts memoises claimFacts by text: uncovered compares every
	// changed site with every other.
	facts map[string][]string
	// words memoises sortedWords by text, for similarity; wordIDs
	// numbers the words.
	words   map[string][]int32
	wordIDs map[string]int32
	// keptOfA and keptOfB memoise keptA and keptB by site: every change
	// asks about the sites of its service, and their answers do not
	// change within a comparison.
	keptOfA, keptOfB map[int]bool
	// deleted memoises deletedOutright by old site.
	deleted map[int]bool
	// diffs memoises WordDiffs by the pair of texts: the changes of one
	// service often show the same two sentences.
	diffs map[[2]string][]WordDiff
}

// wordDiffs is WordDiffs(a, b), aligned once per comparison. The result
// is shared by the changes that show it: it must not be changed.
func (an *anchorer) wordDiffs(a, b string) []WordDiff {
	k := [2]string{a, b}
	if d, ok := an.diffs[k]; ok {
		return d
	}
	if an.diffs == nil {
		an.diffs = map[[2]string][]WordDiff{}
	}
	d := WordDiffs(a, b)
	an.diffs[k] = d
	return d
}

// sortedWords is s's words as numbers (one per distinct word of the
// comparison), sorted, memoised for the comparison: similarity then
// merges two lists of numbers.
func (an *anchorer) sortedWords(s string) []int32 {
	if w, ok := an.words[s]; ok {
		return w
	}
	if an.wordIDs == nil {
		an.wordIDs = map[string]int32{}
	}
	ws := wordsOf(s)
	w := make([]int32, len(ws))
	for k, x := range ws {
		id, ok := an.wordIDs[x]
		if !ok {
			id = int32(len(an.wordIDs))
			an.wordIDs[x] = id
		}
		w[k] = id
	}
	slices.Sort(w)
	an.words[s] = w
	return w
}

// wording is Wording with the run's memo (Options.Memo), else the
// comparison's.
func (an *anchorer) wording(a, b string) bool {
	return sameClaimFacts(an.claimFacts(a), an.claimFacts(b))
}

// claimFacts is claimFacts of s under the newer version's region, kept
// for the comparison (or the run).
func (an *anchorer) claimFacts(s string) []string {
	if an.opts.Memo != nil {
		return an.opts.Memo.claimFacts(an.opts.Profile, an.region(), s)
	}
	if f, ok := an.facts[s]; ok {
		return f
	}
	f := claimFacts(an.opts.Profile, an.region(), s)
	an.facts[s] = f
	return f
}

// unrecordedChange says what two versions of a claim site changed that
// no record's field holds, in the sentences of each that name a place:
// "certainty" when a negation or a word of possibility or necessity
// ("may", "can", "must", "always", "only") one states the other does not
// ("are validated in the EU" → "may be validated in the EU"), "dates"
// when a date or duration does ("From April 15, 2022, Microsoft began
// storing … within the Japanese datacenters" → "… 2024 …"); "" when
// neither, or when a version's site names no place. A record says where
// data goes, not how surely nor since when: the records' comparison
// cannot speak for such a change. Quantifiers ("all", "some") and the
// conditional "would" ("without carriers, texts would not be
// delivered") are no certainty.
func (an *anchorer) unrecordedChange(a, b string) string {
	fa, fb := unrecordedFacts(an.opts.Profile, a), unrecordedFacts(an.opts.Profile, b)
	if fa == nil || fb == nil {
		return ""
	}
	only := func(f []string, prefix string) []string {
		var out []string
		for _, x := range f {
			if strings.HasPrefix(x, prefix) {
				out = append(out, x)
			}
		}
		return out
	}
	switch {
	case !slices.Equal(only(fa, "certain:"), only(fb, "certain:")):
		return "certainty"
	case !slices.Equal(only(fa, "date:"), only(fb, "date:")):
		return "dates"
	}
	return ""
}

// unrecordedFacts lists, as a sorted set, the negations, the words of
// possibility and necessity (by class), the months and the numbers of
// dates and durations of the sentences of s that name a place; nil when
// none does.
func unrecordedFacts(p *source.Profile, s string) []string {
	_, placed := signalled(p, foldWording(s))
	if placed == "" {
		return nil
	}
	out := []string{}
	ws := factWordsOf(placed)
	for i, w := range ws {
		switch {
		case w == "May" && i+1 < len(ws) && ws[i+1][0] >= '0' && ws[i+1][0] <= '9':
			out = append(out, "date:may") // the month: "May 1, 2025"
		case negationWd.MatchString(w):
			out = append(out, "certain:negated")
		case certaintyWd.MatchString(w):
			out = append(out, "certain:"+modalClass(w))
		case monthWd.MatchString(w), isDateNumber(ws, i):
			out = append(out, "date:"+strings.ToLower(w))
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// isDateNumber reports whether word i of ws is a number of a date or a
// duration: a year, a day beside its month ("April 15", "15 April"), a
// count of a unit of time ("30 days"). Other counts ("13 in AS") are no
// date: a version that stops counting contradicts nothing.
func isDateNumber(ws []string, i int) bool {
	w := ws[i]
	if w[0] < '0' || w[0] > '9' {
		return false
	}
	if len(w) == 4 && (strings.HasPrefix(w, "19") || strings.HasPrefix(w, "20")) {
		return true
	}
	month := func(j int) bool { return j >= 0 && j < len(ws) && (monthWd.MatchString(ws[j]) || ws[j] == "May") }
	return month(i-1) || month(i+1) || i+1 < len(ws) && timeUnitWd.MatchString(ws[i+1])
}

// timeUnitWd are the units of time a duration counts.
var timeUnitWd = litmatch.MustCompile(`(?i)^(?:hours?|days?|weeks?|months?|years?)$`)

// certaintyWd are the words of possibility and necessity.
var certaintyWd = litmatch.MustCompile(`(?i)^(?:may|might|can|could|must|shall|should|always|only)$`)

// sameClaimFacts compares two claims' facts. Counts ("13 in AS, 50 in
// US") and roles (see placeFacts) are compared only when both claims
// state them: a claim that stops counting contradicts nothing it said
// before; one that counts otherwise does.
func sameClaimFacts(fa, fb []string) bool {
	if !sameNames(fa, fb) {
		return false
	}
	fa, fb = withoutWords(fa), withoutWords(fb)
	for _, kind := range []string{"count:", "role:"} {
		has := func(f []string) bool {
			return slices.ContainsFunc(f, func(x string) bool { return strings.HasPrefix(x, kind) })
		}
		if has(fa) != has(fb) {
			drop := func(f []string) []string {
				return slices.DeleteFunc(slices.Clone(f), func(x string) bool { return strings.HasPrefix(x, kind) })
			}
			fa, fb = drop(fa), drop(fb)
		}
	}
	return slices.Equal(fa, fb)
}

// keptA reports whether old site i's text stands in the newer version: as
// a site of its own (a text written twice needs two), or as text the
// newer version did not read.
func (an *anchorer) keptA(i int) bool {
	if k, ok := an.keptOfA[i]; ok {
		return k
	}
	k := an.matchA[i] || an.b.unreadText(an.a.claims[i]) || an.b.headedText(an.a.folds.of(an.a.claims[i].Text))
	if an.keptOfA == nil {
		an.keptOfA = map[int]bool{}
	}
	an.keptOfA[i] = k
	return k
}

// keptB is keptA for new site j.
func (an *anchorer) keptB(j int) bool {
	if k, ok := an.keptOfB[j]; ok {
		return k
	}
	k := an.matchB[j] || an.a.unreadText(an.b.claims[j]) || an.leadHeld(an.b.claims[j])
	if an.keptOfB == nil {
		an.keptOfB = map[int]bool{}
	}
	an.keptOfB[j] = k
	return k
}

// headedText reports whether folded text t is, word for word, a heading
// of this version and the whole text under it: a list item led by its
// service's name ("**Azure AD DS** Azure AD DS stores …") that became a
// heading over the same sentences. Its text did not change.
func (s *claimSet) headedText(t string) bool {
	for _, sec := range s.sections {
		if sec.heading != "" && sec.text != "" && t == sec.heading+" "+sec.text {
			return true
		}
	}
	return false
}

// leadHeld reports whether a new site stands under a heading whose words,
// with the whole text under it, are an old site word for word: headedText
// seen from the newer version.
func (an *anchorer) leadHeld(c extractor.Claim) bool {
	h := lastHeading(c.Context)
	if h == "" {
		return false
	}
	for _, sec := range an.b.sections {
		if sec.heading != h || sec.text == "" || !containsWords(sec.text, an.a.folds.of(c.Text)) {
			continue
		}
		whole := sec.heading + " " + sec.text
		for _, o := range an.a.claims {
			if an.a.folds.of(o.Text) == whole {
				return true
			}
		}
	}
	return false
}

// matchOccurrences pairs the sites of two versions that have the same
// text. A lead-in is paired one to one, the nearest lines first: a lead-in
// the newer version writes once more than the older one ("Data resides in
// Australia …" over a second list) is a new claim, though its words stood
// on the page.
func matchOccurrences(a, b *claimSet) (ma, mb []bool) {
	ma, mb = make([]bool, len(a.claims)), make([]bool, len(b.claims))
	for t, ia := range a.byText {
		ib := b.byText[t]
		if len(ia) == len(ib) || len(ib) > 0 && !isLeadIn(a.claims[ia[0]]) {
			// The same sentence written once more or once less says
			// nothing new; a lead-in says it of another list.
			for _, i := range ia {
				ma[i] = true
			}
			for _, j := range ib {
				mb[j] = true
			}
			continue
		}
		type pair struct{ i, j, d int }
		var pairs []pair
		for _, i := range ia {
			for _, j := range ib {
				d := a.claims[i].Line - b.claims[j].Line
				pairs = append(pairs, pair{i, j, max(d, -d)})
			}
		}
		sort.SliceStable(pairs, func(x, y int) bool { return pairs[x].d < pairs[y].d })
		for _, p := range pairs {
			if !ma[p.i] && !mb[p.j] {
				ma[p.i], mb[p.j] = true, true
			}
		}
	}
	return ma, mb
}

// canonID is the id service id was made one with, or id.
func canonID(canon map[string]string, id string) string {
	if to, ok := canon[id]; ok {
		return to
	}
	return id
}

// anchor holds every change to the text and reports changed claim sites no
// change speaks for. It returns the changes to keep and whether any claim
// site changed at all.
//
// canon maps the service ids the differ made one (unifyAbbreviations) to
// the id kept.
func anchor(changes []Change, old, new *extractor.Page, opts Options, newlyBlind bool, canon map[string]string) ([]Change, bool) {
	if len(changes) == 0 && old != nil && new != nil && sameSites(old.Claims, new.Claims) {
		// The records did not change and every claim site stands as it
		// stood, word for word, under the same headings: nothing to hold
		// and nothing uncovered.
		return nil, false
	}
	f := folds{m: map[string]string{}, run: opts.Memo}
	an := &anchorer{a: newClaimSet(old, opts.OldSource, f), b: newClaimSet(new, opts.NewSource, f), opts: opts, facts: map[string][]string{}, words: map[string][]int32{}, coveredA: map[int]bool{}, coveredB: map[int]bool{}, newlyBlind: newlyBlind, canon: canon}
	an.matchA, an.matchB = matchOccurrences(an.a, an.b)
	var out []Change
	for _, c := range changes {
		wasA, wasB := maps.Clone(an.coveredA), maps.Clone(an.coveredB)
		c, keep := an.hold(c)
		if keep && c.Severity < Medium && c.Kind != Renamed {
			// A low change (the same facts reworded, read differently)
			// cannot speak for a sentence whose text changed beyond it:
			// those stay to be compared on their own (uncovered).
			an.release(wasA, wasB)
		}
		if keep {
			out = append(out, c)
		}
	}
	if old == nil {
		return out, false // a first version: its sentences are not changes
	}
	extra, changed := an.uncovered()
	return append(out, extra...), changed
}

// sameSites reports whether two versions hold the same claim sites in
// the same order, with the same text and context.
func sameSites(a, b []extractor.Claim) bool {
	return slices.EqualFunc(a, b, func(x, y extractor.Claim) bool { return x.Text == y.Text && x.Context == y.Context })
}

// release uncovers the changed sites the last change covered, given the
// coverage before it.
func (an *anchorer) release(wasA, wasB map[int]bool) {
	for i := range an.coveredA {
		if !wasA[i] && !an.keptA(i) {
			delete(an.coveredA, i)
		}
	}
	for i := range an.coveredB {
		if !wasB[i] && !an.keptB(i) {
			delete(an.coveredB, i)
		}
	}
}

// anchorable kinds are held to the text; the others (pages, renames, the
// extractor's own "check the page") pass as they are, with evidence when
// it can be found.
func anchorable(k Kind) bool {
	switch k {
	case NewlyExcluded, NewlyCompliant, CategoryChanged, ScopeChanged, FieldsChanged, Delegated, Restored:
		return true
	}
	return false
}

// hold anchors one change; it reports false for a change that is none:
// the same sentences, gathered in another order.
func (an *anchorer) hold(c Change) (Change, bool) {
	if c.Kind == PageAdded || c.Kind == PageRemoved || c.Kind == PageMoved || c.Kind == Editorial {
		return c, true
	}
	if c.withdrawn {
		// Its sentence is its evidence, set when it was made: the
		// withdrawing sentence and the pointer that went say what it
		// says.
		an.coverEvidence(c.Evidence)
		an.coverBounds(c.Service)
		return c, true
	}
	if c.Kind == FieldsChanged && an.reworded(c.Fields, an.stillStated(c)) {
		// fields_changed is for facts; the same facts in other words are
		// reported low, with their word diff.
		c.Kind, c.Severity = Reworded, SeverityOf(Reworded)
		c.ID = changeID(an.opts.Lineage, an.opts.Key, c)
	}
	ids := append([]string{c.ServiceID}, c.alsoIDs...)
	if an.opts.Aliases != nil && c.Before != "" && c.Kind == Renamed {
		ids = append(ids, an.opts.Aliases.ID(c.Before))
	}
	scope := c.Scope
	if c.Kind == ScopeChanged {
		scope = ""
	}
	newLine, oldLine := c.Line, c.BeforeLine
	if c.Kind == NewlyCompliant {
		newLine = 0
	}
	sa, sb := an.a.sitesOf(ids, scope, oldLine, an.canon), an.b.sitesOf(ids, scope, newLine, an.canon)
	var changedA, changedB []int
	ctxChanged := -1
	for _, i := range sa {
		if !an.keptA(i) {
			changedA = append(changedA, i)
		} else if an.matchA[i] && !an.b.sameContext(an.a.claims[i]) && ctxChanged < 0 {
			ctxChanged = i
		}
	}
	for _, i := range sb {
		if !an.keptB(i) {
			changedB = append(changedB, i)
		}
	}
	// A rename speaks for sentences rewritten under the new name, not for
	// a sentence deleted outright: with no changed site of the newer
	// version, its old sites stay to be compared (uncovered).
	covers := c.Kind != Renamed || len(changedB) > 0
	for _, i := range sa {
		an.coveredA[i] = an.coveredA[i] || covers
	}
	for _, i := range sb {
		an.coveredB[i] = true
	}
	if c.Kind == NewlyExcluded {
		// A sentence of the newer version that bounds the commitment and
		// names the service ("Microsoft 365 Copilot is no longer a
		// supported workload in ADR") says what this change says.
		an.coverBounds(c.Service)
	}
	// The sentences that stated the exclusions the change ends. They are
	// deleted when one of them was deleted outright, none was rewritten
	// (the others stand word for word: a footnote whose row was
	// deleted), no new sentence states a transfer in the scope (a table
	// rebuilt under other keys is no deletion), and nothing the newer
	// version newly left unread names the service.
	lost := an.lostSites(c)
	deleted := slices.ContainsFunc(lost, an.deletedOutright) &&
		!slices.ContainsFunc(lost, func(i int) bool { return !an.keptA(i) && !an.deletedOutright(i) }) &&
		an.quietAround(c) && !an.newUnreadNaming(c.Service) && !an.newlyBlind
	// An in_region record under the key never stands in for a transfer
	// whose sentence is gone: the change stays high.
	// The rule is one way: a transfer whose sentence is new beside an
	// in_region statement of the older version is left to the summary
	// rule (EU 2018-05-01's "operational data … stored in the U.S." is no
	// new exclusion of the product, by the real history).
	standIn := slices.ContainsFunc(lost, func(i int) bool { return !an.keptA(i) }) && holdsInRegion(an.b.page, c, an.canon) && !an.newlyBlind
	if c.Kind == ExtractionDrift && c.Before == "listed" && deleted && standIn {
		// "Still named, no longer listed" is for a list the new version
		// may have failed to read (a row that vanished while its service
		// is named stays that). Here the sentences of the transfer are
		// gone from the text, nothing in their place, and the key holds
		// a statement that the data stays: the exclusion ended.
		c.Kind, c.Before, c.After = NewlyCompliant, "", ""
		c.Detail = "the sentence that stated it was removed; the page still says its data stays in the region"
		c.Severity = SeverityOf(c.Kind)
		c.ID = changeID(an.opts.Lineage, an.opts.Key, c)
	}
	if c.Kind == ExtractionDrift && an.opts.Profile != nil && c.ServiceID == an.opts.Profile.Product.ID && len(sa) > 0 && len(changedA) == len(sa) &&
		!an.unreadNaming(c.Service) && !an.newlyBlind {
		// The page's own product is named everywhere, so "still named, no
		// longer listed" says nothing for it: every sentence that stated
		// its transfer is gone from the text, and nothing the new
		// version left unread names it. The claim was deleted.
		c.Kind, c.Before, c.After = NewlyCompliant, "", ""
		c.Detail = "the sentence that stated it was removed"
		c.Severity = SeverityOf(c.Kind)
		c.ID = changeID(an.opts.Lineage, an.opts.Key, c)
	}
	if len(changedA) > 0 || len(changedB) > 0 {
		names := []string{c.Service, c.Before, c.After}
		var was, now []string
		for _, f := range c.Fields {
			was, now = append(was, f.Before), append(now, f.After)
		}
		orderedA := holding(an.a.claims, atLine(an.a.claims, naming(an.a, changedA, names), oldLine), was)
		orderedB := holding(an.b.claims, atLine(an.b.claims, naming(an.b, changedB, names), c.Line), now)
		// The sentence of the exclusion that ended comes first: one that
		// names the service or that its record's reason quotes, then one
		// deleted outright before one reworded. Never an in_region
		// sentence read into the same record.
		orderedA = first(orderedA, func(i int) bool { return slices.Contains(lost, i) && an.deletedOutright(i) })
		orderedA = first(orderedA, func(i int) bool { return slices.Contains(lost, i) })
		named := map[int]bool{}
		for _, i := range naming(an.a, changedA, names) {
			named[i] = an.names(an.a.claims[i].Text, names)
		}
		orderedA = first(orderedA, func(i int) bool { return slices.Contains(lost, i) && (named[i] || an.statesReason(i)) })
		c.Evidence = an.evidence(orderedA, orderedB, oldLine, c.Line)
		if c.Kind == NewlyExcluded {
			an.ownSite(c.Evidence, orderedA, orderedB, c.Line)
		}
		if standIn && (an.summarised(c) || an.admitted(c)) {
			c.Detail = strings.TrimPrefix(c.Detail+"; "+StandInNote, "; ")
		} else if an.summarised(c) {
			// The product's own sentence names no data of its own and
			// only places where the page's entries already put data:
			// it sums up the list. The list's entries carry the facts;
			// the product as a whole was not newly excluded, nor is it
			// compliant while they stand.
			c.Kind, c.Severity = ClaimChanged, SeverityOf(ClaimChanged)
			c.Detail = "the page's summary of its list changed; its entries state the facts"
			c.ID = changeID(an.opts.Lineage, an.opts.Key, c)
		} else if c.Kind == NewlyExcluded && an.admitted(c) {
			// The older version said only most of the data stays; the
			// newer names some data that does not: the exception was
			// there, now it is named.
			c.Kind, c.Severity = ClaimChanged, SeverityOf(ClaimChanged)
			c.Detail = joinDetail("the older version said most of its data stays in the region; the newer names data that does not", ": ", c.Detail)
			c.ID = changeID(an.opts.Lineage, an.opts.Key, c)
		}
		if e := c.Evidence; c.Kind == Reworded && e != nil && e.Old != nil && e.New != nil && !an.wording(e.Old.Text, e.New.Text) {
			// The fields read the same, but the sentence that states them
			// now names other places, actions or numbers: the records
			// missed what changed, the text did not.
			c.Kind, c.Severity = ClaimChanged, SeverityOf(ClaimChanged)
			c.Detail = "the sentence changed what it says; the records do not show how"
			c.ID = changeID(an.opts.Lineage, an.opts.Key, c)
		}
		return c, true
	}
	if len(sa) == 0 && len(sb) == 0 || !anchorable(c.Kind) {
		return c, true // nothing to hold it to: the records' own lines stand
	}
	if ctxChanged >= 0 {
		// The words stayed; what they stand under changed (a heading or
		// lead-in): the change rests on that.
		ca := an.a.claims[ctxChanged]
		cb, _ := an.b.counterpart(ca)
		c.Evidence = &Evidence{Old: &Site{Line: ca.Line, Text: ca.Text, Context: ca.Context}, New: &Site{Line: cb.Line, Text: cb.Text, Context: cb.Context},
			Diff: WordDiffs(ca.Context, cb.Context), Note: "the heading or lead-in above the sentence changed"}
		if c.Kind == NewlyCompliant {
			// Never "no longer excluded" while the sentence is still there.
			c.Kind, c.Severity = ClaimChanged, SeverityOf(ClaimChanged)
			c.ID = changeID(an.opts.Lineage, an.opts.Key, c)
		}
		return c, true
	}
	// The same words under the same headings: read differently, unless
	// only their order changed (two items swapped): facts gathered from
	// several sites are a set, and the same set is no change at all.
	if (c.Kind == FieldsChanged || c.Kind == Reworded) && reordered(an.a.claims, sa, an.b.claims, sb) {
		return c, false
	}
	site := an.siteText(sa, sb)
	was := c.Kind
	c.Kind = ReadDifferently
	if was == NewlyExcluded && an.wasUnread(sb) {
		c.Kind = FirstRead
	}
	if was == NewlyCompliant && an.nowUnread(sa) {
		// The sentence is still there and the new version did not read
		// it: a person must look.
		c.Kind = ExtractionDrift
		c.Before, c.After = "listed", "not read"
	}
	c.Detail = "read differently, text unchanged (was " + strings.ReplaceAll(string(was), "_", " ") + "): " + site.Text
	c.Evidence = &Evidence{Old: site, New: site, Note: "the text did not change"}
	c.Severity = SeverityOf(c.Kind)
	c.ID = changeID(an.opts.Lineage, an.opts.Key, c)
	return c, true
}

// StandInNote ends the detail of a change that the summary rule (or the
// admitted rule, seen backwards) would have made a medium claim_changed, kept high because the newer version
// holds an in_region record under the key whose transfer sentence was
// removed: that record does not stand in for the removed sentence.
const StandInNote = "the in_region statement left under this key does not stand in for the removed sentence"

// lostSites are the older version's claim sites that cite a record of
// the change's service and key (scope, sub-scope) in a category the
// change says ended: all of them for newly_compliant (and for
// extraction_drift's "listed → not read"), those of the categories that
// left for category_changed.
func (an *anchorer) lostSites(c Change) []int {
	var cats []string
	switch {
	case c.Kind == NewlyCompliant, c.Kind == ExtractionDrift && c.Before == "listed":
		cats = strings.Split(c.Category, ", ")
	case c.Kind == CategoryChanged:
		cats = minus(strings.Split(c.Before, ", "), strings.Split(c.After, ", "))
	}
	return keySites(an.a, c, cats, an.canon)
}

// minus is xs less the members of ys.
func minus(xs, ys []string) []string {
	var out []string
	for _, x := range xs {
		if !slices.Contains(ys, x) {
			out = append(out, x)
		}
	}
	return out
}

// keySites are the sites of s that cite a record of the change's service
// and key in one of categories cats.
func keySites(s *claimSet, c Change, cats []string, canon map[string]string) []int {
	if len(cats) == 0 || s.page == nil {
		return nil
	}
	var out []int
	for i, cl := range s.claims {
		for _, r := range cl.Records {
			if r >= len(s.page.Records) {
				continue
			}
			rec := s.page.Records[r]
			if canonID(canon, rec.ServiceID) == canonID(canon, c.ServiceID) && rec.Scope == baseScope(c.Scope) && rec.SubScope == c.SubScope &&
				slices.Contains(cats, string(rec.Category)) {
				out = append(out, i)
				break
			}
		}
	}
	return out
}

// names reports whether text names one of names (folded).
func (an *anchorer) names(text string, names []string) bool {
	t := an.a.folds.of(text)
	for _, n := range names {
		if n = an.a.folds.of(n); n != "" && strings.Contains(t, n) {
			return true
		}
	}
	return false
}

// statesReason reports whether old site i's text holds the reason of a
// record it was read into: the sentence the record's category came from.
func (an *anchorer) statesReason(i int) bool {
	if an.a.page == nil {
		return false
	}
	t := an.a.folds.of(an.a.claims[i].Text)
	for _, r := range an.a.claims[i].Records {
		if r >= len(an.a.page.Records) {
			continue
		}
		if why := an.a.folds.of(strings.Split(an.a.page.Records[r].Reason, "; ")[0]); len(why) > 3 && strings.Contains(t, why) {
			return true
		}
	}
	return false
}

// deletedOutright reports whether old site i's text is gone from the newer
// version and no changed site of the newer version resembles it: deleted,
// not rewritten.
func (an *anchorer) deletedOutright(i int) bool {
	if d, ok := an.deleted[i]; ok {
		return d
	}
	d := !an.keptA(i)
	if d {
		_, rewritten := an.rewrittenAs(i, false)
		d = !rewritten
	}
	if an.deleted == nil {
		an.deleted = map[int]bool{}
	}
	an.deleted[i] = d
	return d
}

// rewrittenAs is the changed site of the newer version most like old
// site i (Dice's coefficient of their words at least 0.5), under the same
// headings and lead-in when inPlace: the sentence as the newer version
// writes it. ok is false when none is.
func (an *anchorer) rewrittenAs(i int, inPlace bool) (j int, ok bool) {
	w := an.sortedWords(an.a.claims[i].Text)
	best, score := -1, 0.5
	for k, cb := range an.b.claims {
		if an.keptB(k) || inPlace && cb.Context != an.a.claims[i].Context {
			continue
		}
		if s := sortedSimilarity(w, an.sortedWords(cb.Text)); s >= score {
			best, score = k, s
			if s == 1 {
				break
			}
		}
	}
	return best, best >= 0
}

// quietAround reports whether the newer version added or rewrote no claim
// site that states a transfer in the change's scope: a table rebuilt
// under other keys, or facts moved under another name ("Cloud MFA"), is
// no deletion.
func (an *anchorer) quietAround(c Change) bool {
	if an.b.page == nil {
		return true
	}
	for j, cb := range an.b.claims {
		if an.keptB(j) {
			continue
		}
		for _, r := range cb.Records {
			if r < len(an.b.page.Records) && an.b.page.Records[r].Category.Excluding() && an.b.page.Records[r].Scope == baseScope(c.Scope) {
				return false
			}
		}
	}
	return true
}

// holdsInRegion reports whether page p holds an in_region record under
// the change's key: the record that would stand in for the exclusion the
// change ends (or, seen backwards, begins).
func holdsInRegion(p *extractor.Page, c Change, canon map[string]string) bool {
	if p == nil {
		return false
	}
	for _, r := range p.Records {
		if r.Category == extractor.InRegion && canonID(canon, r.ServiceID) == canonID(canon, c.ServiceID) && r.Scope == baseScope(c.Scope) && r.SubScope == c.SubScope {
			return true
		}
	}
	return false
}

// summarised reports whether a high or fact change of the page's own
// product only sums up the page's entries: on each side that has the
// product's record, the record names no data of its own, keeps data
// outside the region, and every place it names is a place where another
// entry of the same version and scope keeps data outside. ("While most
// identity data stays in European datacenters, five user-related
// attributes are typically stored in U.S. datacenters" above a list whose
// entries keep those attributes in the United States.)
func (an *anchorer) summarised(c Change) bool {
	p := an.opts.Profile
	if p == nil || c.ServiceID != p.Product.ID {
		return false
	}
	switch c.Kind {
	case NewlyExcluded, NewlyCompliant, CategoryChanged, FieldsChanged:
	default:
		return false
	}
	held := 0
	for _, pg := range []*extractor.Page{an.a.page, an.b.page} {
		if pg == nil {
			continue
		}
		own, ok := summaryOf(p, pg, c.ServiceID, c.Scope)
		if !ok {
			return false
		}
		held += own
	}
	return held > 0
}

// admitted reports whether a newly_excluded change names an exception
// the older version already admitted: that version's in_region record of
// the key says only most of the data stays ("Most European
// identity-related data stays in Europe"), and every record of the key
// the newer version keeps outside is about part of the data ("some
// operational, service-specific data … stored in the U.S."). A transfer
// of data not so qualified ("MFA data is stored in the US") stays newly
// excluded. For a newly_compliant change it reports the same seen
// backwards (the rule is one way: a removed transfer stays high, see
// StandInNote).
func (an *anchorer) admitted(c Change) bool {
	from, to := an.a.page, an.b.page
	switch c.Kind {
	case NewlyExcluded:
	case NewlyCompliant:
		from, to = to, from
	default:
		return false
	}
	if from == nil || to == nil {
		return false
	}
	key := func(r extractor.Record) bool {
		return canonID(an.canon, r.ServiceID) == canonID(an.canon, c.ServiceID) && r.Scope == baseScope(c.Scope) && r.SubScope == c.SubScope
	}
	most := slices.ContainsFunc(from.Records, func(r extractor.Record) bool {
		return key(r) && r.Category == extractor.InRegion && aboutMost(r.Reason)
	})
	if !most {
		return false
	}
	n := 0
	for _, r := range to.Records {
		if !key(r) || r.Category == extractor.InRegion {
			continue
		}
		if !partRe.MatchString(r.DataTypes) {
			return false
		}
		n++
	}
	return n > 0
}

var (
	// mostRe finds a statement about most of the data, not all of it,
	// in a sentence's first words ("Most European identity data stays
	// …", "Azure AD keeps most of the identity data …"); the superlative
	// ("the most sensitive data", "for the most part") is no quantity:
	// aboutMost looks at the word before.
	mostRe = litmatch.MustCompile(`(?i)^(?:\S+\s+){0,3}?(most|the majority of|almost all|nearly all)\b`)
	// partRe is data named as part of some whole ("some operational
	// data", "a few attributes", "certain logs").
	partRe = litmatch.MustCompile(`(?i)^(?:some|a few|certain|a small set of|a subset of|part of)\b`)
)

// summaryOf counts a version's records of the product in scope and
// reports whether each is a summary: in the region (says nothing of its
// own), or outside with no data types, no universal ("all other
// services"), and only places other entries of the version keep data
// outside at.
func summaryOf(p *source.Profile, pg *extractor.Page, id, scope string) (int, bool) {
	if pg == nil {
		return 0, true
	}
	covered := placesOutside(p, pg, id, scope)
	n := 0
	for i, r := range pg.Records {
		if r.ServiceID != id || r.Scope != scope || r.Category == extractor.InRegion {
			continue
		}
		n++
		places := recordPlaces(p, r)
		if strings.TrimSpace(r.DataTypes) != "" || len(places) == 0 || !covered(places) || universal(pg, i) {
			return n, false
		}
	}
	return n, true
}

// universal reports whether a sentence the record was read from ranges
// over all of something ("All other services store customer data in
// global datacenters"): it says more than the entries it stands beside.
func universal(pg *extractor.Page, rec int) bool {
	for _, c := range pg.Claims {
		if !slices.Contains(c.Records, rec) {
			continue
		}
		for _, m := range factWordsOf(c.Text) {
			if modalClass(m) == "all" && !strings.EqualFold(m, "any") {
				return true // "doesn't include any personal data" ranges over nothing
			}
		}
	}
	return false
}

// placesOutside returns a test that a list of places is among those
// where a version's entries other than the service keep data outside the
// scope.
func placesOutside(p *source.Profile, pg *extractor.Page, id, scope string) func([]string) bool {
	set := map[string]bool{}
	if pg != nil {
		for _, r := range pg.Records {
			if r.ServiceID == id || r.Scope != scope || r.Category == extractor.InRegion {
				continue
			}
			for _, pl := range recordPlaces(p, r) {
				set[pl] = true
			}
		}
	}
	return func(places []string) bool {
		if len(places) == 0 {
			return false
		}
		for _, pl := range places {
			if !set[pl] {
				return false
			}
		}
		return true
	}
}

// reordered reports whether two lists of sites hold the same texts in
// another order.
func reordered(ca []extractor.Claim, sa []int, cb []extractor.Claim, sb []int) bool {
	var ta, tb []string
	for _, i := range sa {
		ta = append(ta, foldClaim(ca[i].Text))
	}
	for _, j := range sb {
		tb = append(tb, foldClaim(cb[j].Text))
	}
	if slices.Equal(ta, tb) {
		return false
	}
	slices.Sort(ta)
	slices.Sort(tb)
	return slices.Equal(ta, tb)
}

// reworded reports whether every changed field keeps its facts: no data
// type added or dropped, and the same places, numbers, months, negations
// and modality in each field.
func (an *anchorer) reworded(fields []FieldChange, stated func(FieldChange) bool) bool {
	if len(fields) == 0 {
		return false
	}
	for _, f := range fields {
		if stated(f) {
			continue
		}
		if f.Field == "data_types" && foldClaim(f.Before) != foldClaim(f.After) {
			return false
		}
		if location(f.Field) {
			if !sameClaimFacts(an.placeFacts(f.Before), an.placeFacts(f.After)) {
				return false
			}
			continue
		}
		before, after := f.Before, f.After
		if f.Field == "reason" {
			// "While most identity data stays in European datacenters,
			// there is some operational data … stored in the U.S.": the
			// concessive clause states the contrast, not the record's
			// facts, which the fields compared above hold.
			before, after = concessiveRe.ReplaceAllString(before, ""), concessiveRe.ReplaceAllString(after, "")
		}
		if !an.wording(before, after) {
			return false
		}
	}
	return true
}

// concessiveRe is a leading concessive clause: "While …, ", "Although …, ".
var concessiveRe = litmatch.MustCompile(`(?i)^(?:while|although|though|whereas|even though)\b[^,]*,\s*`)

// stillStated reports, for a field of change c, whether the newer reading
// left the data types empty while the newer version's sentences of the
// service still name every word of the old value: the reader lost the
// field, the page did not drop the data ("EOP stores at rest the
// following customer data: …" rewritten as "Exchange Online Protection
// (EOP). The following customer data will be stored at rest in …:
// service configuration data and policies, …").
func (an *anchorer) stillStated(c Change) func(FieldChange) bool {
	var have map[string]bool
	return func(f FieldChange) bool {
		if f.Field != "data_types" || strings.TrimSpace(f.Before) == "" || strings.TrimSpace(f.After) != "" {
			return false
		}
		if have == nil {
			have = map[string]bool{}
			for _, i := range an.b.sitesOf([]string{c.ServiceID}, c.Scope, c.Line, an.canon) {
				for _, w := range wordsOf(an.b.claims[i].Text) {
					have[w] = true
				}
			}
		}
		for _, w := range wordsOf(f.Before) {
			if !have[w] {
				return false
			}
		}
		return true
	}
}

// location reports whether a field's value is a location: where data
// rests or is processed.
func location(field string) bool { return field == "location_at_rest" || field == "processing" }

// placeFacts are the facts of a location field's value, which names where
// data is. Each block's places are a set, "in" being what the field says
// of each, with the other relations ("outside Europe"), measures, negation
// and modality kept; the blocks (one per fact block, see mergeValue) are a
// set too. A block that gives its places each their own relation ("primary
// copy in the US, with a replica in Asia/Pacific") has an order, kept
// apart as a role: sameClaimFacts compares roles, like counts, only when
// both values state them. "US and Asia/Pacific" states none, so it says
// the same as "13 in AS (Asia/Pacific), 50 in US".
func (an *anchorer) placeFacts(v string) []string {
	var blocks, apart []string
	for _, b := range strings.Split(v, " | ") {
		var set []string
		for _, f := range claimFacts(an.opts.Profile, an.region(), b) {
			switch {
			case f == "conj:and", isWordFact(f):
				continue
			case strings.HasPrefix(f, "order:"):
				if own := strings.Count(f, "place:") - strings.Count(f, "place:and:") - strings.Count(f, "place:or:"); own > 1 {
					apart = append(apart, "role:"+f)
				}
				continue
			case strings.HasPrefix(f, "count:"):
				apart = append(apart, f)
				continue
			case strings.HasPrefix(f, "place:in:"), strings.HasPrefix(f, "place:and:"):
				f = "place:" + f[strings.LastIndex(f, ":")+1:]
			}
			if !slices.Contains(set, f) {
				set = append(set, f)
			}
		}
		sort.Strings(set)
		blocks = append(blocks, "block:"+strings.Join(set, ","))
	}
	sort.Strings(blocks)
	sort.Strings(apart)
	return append(slices.Compact(blocks), apart...)
}

// unreadNaming reports whether a site the newer version left unread names
// the service.
func (an *anchorer) unreadNaming(service string) bool {
	name := foldClaim(service)
	for _, c := range an.b.claims {
		if c.Disposition == extractor.Unread && name != "" && strings.Contains(foldClaim(c.Text), name) {
			return true
		}
	}
	return false
}

// coverEvidence covers the sites a change's evidence quotes, in each
// version.
func (an *anchorer) coverEvidence(e *Evidence) {
	if e == nil {
		return
	}
	for _, at := range []struct {
		set     *claimSet
		site    *Site
		covered map[int]bool
	}{{an.a, e.Old, an.coveredA}, {an.b, e.New, an.coveredB}} {
		if at.site == nil {
			continue
		}
		for i, c := range at.set.claims {
			if c.Line == at.site.Line && c.Text == at.site.Text {
				at.covered[i] = true
			}
		}
	}
}

// coverBounds covers the sites of the newer version that state a bound of
// a commitment (the profile's Bounds: a service withdrawn from a scope, a
// guarantee denied) and name the service.
func (an *anchorer) coverBounds(service string) {
	name := foldClaim(service)
	if an.opts.Profile == nil || name == "" {
		return
	}
	for j, c := range an.b.claims {
		if c.Disposition == extractor.Unread && strings.Contains(foldClaim(c.Text), name) && an.opts.Profile.Bound(c.Text) != "" {
			an.coveredB[j] = true
		}
	}
}

// newUnreadNaming reports whether a site the newer version left unread,
// whose text the older version does not hold, names the service: where a
// deleted sentence may have gone. A sentence left unread in both versions
// is not where it went.
func (an *anchorer) newUnreadNaming(service string) bool {
	name := foldClaim(service)
	for j, c := range an.b.claims {
		if c.Disposition == extractor.Unread && !an.matchB[j] && name != "" && strings.Contains(foldClaim(c.Text), name) {
			return true
		}
	}
	return false
}

// wasUnread reports whether the older version left the text of the newer
// version's sites unread (or did not make them records).
func (an *anchorer) wasUnread(sb []int) bool {
	for _, i := range sb {
		if old, ok := an.a.counterpart(an.b.claims[i]); ok && old.Disposition != extractor.AsRecord || an.a.unreadText(an.b.claims[i]) {
			return true
		}
	}
	return false
}

// nowUnread reports whether the newer version left the text of the older
// version's sites unread.
func (an *anchorer) nowUnread(sa []int) bool {
	for _, i := range sa {
		if nw, ok := an.b.counterpart(an.a.claims[i]); ok && nw.Disposition == extractor.Unread || an.b.unreadText(an.a.claims[i]) {
			return true
		}
	}
	return false
}

func (an *anchorer) siteText(sa, sb []int) *Site {
	if len(sb) > 0 {
		c := an.b.claims[sb[0]]
		return &Site{Line: c.Line, Text: c.Text}
	}
	c := an.a.claims[sa[0]]
	return &Site{Line: c.Line, Text: c.Text}
}

// naming orders sites so that those naming the service come first: the
// "Services - A, B" line of a fact block is the evidence that A left, more
// than its reason.
func naming(s *claimSet, sites []int, names []string) []int {
	folded := make([]string, 0, len(names))
	for _, n := range names {
		if n = s.folds.of(n); n != "" {
			folded = append(folded, n)
		}
	}
	named := func(i int) bool {
		t := s.folds.of(s.claims[i].Text)
		for _, n := range folded {
			if strings.Contains(t, n) {
				return true
			}
		}
		return false
	}
	return first(sites, named)
}

// first orders the sites for which pred holds before the others, keeping
// the order within each part.
func first(sites []int, pred func(int) bool) []int {
	out := make([]int, 0, len(sites))
	var rest []int
	for _, i := range sites {
		if pred(i) {
			out = append(out, i)
		} else {
			rest = append(rest, i)
		}
	}
	return append(out, rest...)
}

// atLine orders the sites that stand at line (the change's own record)
// first: when a service changed in several places, each change shows its
// own sentence.
func atLine(claims []extractor.Claim, sites []int, line int) []int {
	if line <= 0 {
		return sites
	}
	at := func(i int) bool { return claims[i].Line == line || claims[i].Line <= line && line <= claims[i].EndLine }
	return first(sites, at)
}

// holding orders the sites whose text holds one of the changed values
// first: a changed field shows the sentence it was read from.
func holding(claims []extractor.Claim, sites []int, values []string) []int {
	var folded []string
	for _, v := range values {
		if v = foldClaim(v); len(v) > 3 {
			folded = append(folded, v)
		}
	}
	if len(folded) == 0 {
		return sites
	}
	holds := func(i int) bool {
		t := foldClaim(claims[i].Text)
		return slices.ContainsFunc(folded, func(v string) bool { return strings.Contains(t, v) })
	}
	return first(sites, holds)
}

// evidence pairs the first changed old site with the most similar changed
// new site, or, when that old site stands at the change's old line (its
// record's row), with the changed new site at the change's new line.
func (an *anchorer) evidence(changedA, changedB []int, oldLine, newLine int) *Evidence {
	e := &Evidence{}
	at := func(c extractor.Claim, line int) bool {
		return line > 0 && (c.Line == line || c.Line <= line && line <= c.EndLine)
	}
	mostSimilar := func(text string, set *claimSet, sites []int) int {
		best, score := sites[0], -1.0
		for _, j := range sites {
			if s := sortedSimilarity(an.sortedWords(text), an.sortedWords(set.claims[j].Text)); s > score {
				best, score = j, s
			}
		}
		return best
	}
	switch {
	case len(changedA) > 0 && len(changedB) > 0:
		ia, ib := changedA[0], -1
		if at(an.a.claims[ia], oldLine) {
			// The record's own old site: its own new site, when it
			// changed, is the other side (a table row old → new),
			// however similar another row may be.
			for _, j := range changedB {
				if at(an.b.claims[j], newLine) {
					ib = j
					break
				}
			}
		}
		if ib < 0 {
			ib = mostSimilar(an.a.claims[ia].Text, an.b, changedB)
		}
		ca, cb := an.a.claims[ia], an.b.claims[ib]
		e.Old, e.New = &Site{Line: ca.Line, Text: ca.Text}, &Site{Line: cb.Line, Text: cb.Text}
		e.Diff = an.wordDiffs(ca.Text, cb.Text)
	case len(changedA) > 0:
		ca := an.a.claims[changedA[0]]
		e.Old = &Site{Line: ca.Line, Text: ca.Text}
		if j, ok := an.rewrittenAs(changedA[0], true); ok {
			// The sentence was rewritten in place, not deleted, and no
			// longer speaks of the change's service or scope ("are not
			// stored in the United States"): the reader sees it as it
			// reads now.
			cb := an.b.claims[j]
			e.New, e.Diff = &Site{Line: cb.Line, Text: cb.Text}, an.wordDiffs(ca.Text, cb.Text)
		}
	default:
		cb := an.b.claims[changedB[0]]
		e.New = &Site{Line: cb.Line, Text: cb.Text}
	}
	return e
}

// ownSite makes a new exclusion's evidence the changed site it was read
// from (its row, at line), with the old site that most resembles it, if
// any does: the service had no such record before, so another of its
// sentences is no "before".
func (an *anchorer) ownSite(e *Evidence, changedA, changedB []int, line int) {
	for _, j := range changedB {
		cb := an.b.claims[j]
		if line <= 0 || cb.Line != line && (cb.Line > line || line > cb.EndLine) {
			continue
		}
		e.New, e.Old, e.Diff = &Site{Line: cb.Line, Text: cb.Text}, nil, nil
		best, score := -1, 0.5
		for _, i := range changedA {
			if s := similarity(cb.Text, an.a.claims[i].Text); s >= score {
				best, score = i, s
			}
		}
		if best >= 0 {
			ca := an.a.claims[best]
			e.Old, e.Diff = &Site{Line: ca.Line, Text: ca.Text}, an.wordDiffs(ca.Text, cb.Text)
		}
		return
	}
}

// claimCounts reports whether a changed site is a claim changing. A
// reference to another page is compared as a reference (delegated,
// restored), not as a sentence.
func claimCounts(c extractor.Claim) bool {
	switch c.Disposition {
	case extractor.AsReference:
		return false
	case extractor.StatedInRegion:
		// A lead-in ("Data resides in Europe for the following
		// locations:") says where its items' data is: it counts, though
		// a change its items' records report speaks for it (leadInSpoken).
		return true
	case extractor.NotTransfer:
		return !c.StatesNoFact()
	}
	return true
}

// isCondition reports whether a claim site is a condition a commitment
// holds under: a conditional site (it says when data is where the page
// says, not where it goes) that a lead-in of the profile's
// condition_lead_ins governs ("… ‖ Required Conditions:" in its context).
// A sentence the profile reads as conditional by its own words ("If you
// have purchased a Multi-Geo subscription, then …") is no such condition.
func isCondition(p *source.Profile, c extractor.Claim) bool {
	if c.Disposition != extractor.NotTransfer || c.Reason != "conditional" || p == nil {
		return false
	}
	i := strings.LastIndex(c.Context, " ‖ ")
	return i >= 0 && p.IsConditionLeadIn(strings.TrimSpace(c.Context[i+len(" ‖ "):]))
}

// isLeadIn reports whether a claim site introduces the list or table
// below it.
func isLeadIn(c extractor.Claim) bool { return strings.HasSuffix(strings.TrimSpace(c.Text), ":") }

// leadInSpoken reports whether c is a lead-in and a reported change rests
// on a site it introduces.
func (s *claimSet) leadInSpoken(c extractor.Claim, covered map[int]bool) bool {
	if !isLeadIn(c) {
		return false
	}
	lead := " ‖ " + strings.TrimSpace(c.Text)
	for i := range covered {
		if covered[i] && strings.HasSuffix(s.claims[i].Context, lead) {
			return true
		}
	}
	return false
}

// itemsKept reports whether c is a lead-in of the older version with
// items under it, every one of them kept by the newer version.
func (an *anchorer) itemsKept(c extractor.Claim) bool {
	if !isLeadIn(c) {
		return false
	}
	lead := " ‖ " + strings.TrimSpace(c.Text)
	items := 0
	for i, o := range an.a.claims {
		if o.Kind != "item" || !strings.HasSuffix(o.Context, lead) {
			continue
		}
		if !an.keptA(i) {
			return false
		}
		items++
	}
	return items > 0
}

// uncovered reports the changed claim sites no change speaks for, pairing
// an old site with its most similar new one; a pair that changed only
// its wording is no claim changing. It also reports whether any claim site
// changed at all.
func (an *anchorer) uncovered() ([]Change, bool) {
	var goneA, newB []int
	for i, c := range an.a.claims {
		if !an.keptA(i) && c.Disposition != extractor.AsReference {
			goneA = append(goneA, i)
		}
	}
	for i, c := range an.b.claims {
		if !an.keptB(i) && c.Disposition != extractor.AsReference {
			newB = append(newB, i)
		}
	}
	// A site whose text changed changes a claim unless it pairs below with
	// a site of the other version that says the same in other words.
	changed := false
	for i, c := range an.b.claims {
		if an.a.has(c) && !an.a.sameContext(c) && claimCounts(c) && !an.coveredB[i] && c.Disposition != extractor.NotTransfer {
			changed = true
		}
	}
	// Pair old and new sites by similarity, most similar first.
	type pair struct {
		i, j int
		s    float64
	}
	var pairs []pair
	wordsB := make([][]int32, len(newB))
	for k, j := range newB {
		wordsB[k] = an.sortedWords(an.b.claims[j].Text)
	}
	for _, i := range goneA {
		wa := an.sortedWords(an.a.claims[i].Text)
		for k, j := range newB {
			// Dice's coefficient is at most 2·min/(len+len): a pair
			// whose lengths alone keep it under the bar is not compared.
			if n, m := len(wa), len(wordsB[k]); n+m > 0 && 2*float64(min(n, m)) < 0.3*float64(n+m) {
				continue
			}
			if s := sortedSimilarity(wa, wordsB[k]); s >= 0.3 {
				pairs = append(pairs, pair{i, j, s})
			}
		}
	}
	sort.SliceStable(pairs, func(x, y int) bool { return pairs[x].s > pairs[y].s })
	usedA, usedB := map[int]bool{}, map[int]bool{}
	var out []Change
	report := func(ca, cb *extractor.Claim, i, j int) {
		// A semantic change speaks for it, unless it is a row keeping its
		// customers' data in the region that is gone (no change of
		// exclusions speaks for the row of those customers).
		rowGone := ca != nil && ca.Kind == "row" && ca.Disposition == extractor.StatedInRegion && (cb == nil || an.otherCustomers(*ca, *cb))
		if i >= 0 && an.coveredA[i] && !rowGone || j >= 0 && an.coveredB[j] {
			return
		}
		if (ca == nil || !claimCounts(*ca)) && (cb == nil || !claimCounts(*cb)) {
			return // advice, the page's scope: no claim changed
		}
		if (ca == nil || an.a.leadInSpoken(*ca, an.coveredA)) && (cb == nil || an.b.leadInSpoken(*cb, an.coveredB)) && (ca != nil && isLeadIn(*ca) || cb != nil && isLeadIn(*cb)) {
			return // a change of the items under it speaks for the lead-in
		}
		if ca != nil && cb == nil && an.itemsKept(*ca) {
			// A lead-in deleted outright whose every item the newer
			// version still holds (under another lead-in or heading):
			// the list was regrouped, its items say what changed.
			return
		}
		// A sentence deleted outright (no counterpart) was only
		// restructured if what it said (places, dates, numbers,
		// negation) a sentence of the newer version still says: a
		// deleted claim is news whatever other sentences still name
		// its service.
		deleted := ca != nil && cb == nil
		unrecorded := ""
		if (ca == nil || !claimCounts(*ca) || servicesIn(an.opts.Profile, ca, an.a.page, an.b.page, an.canon) && (!deleted || an.factsStand(*ca, an.b))) &&
			(cb == nil || !claimCounts(*cb) || servicesIn(an.opts.Profile, cb, an.b.page, an.a.page, an.canon)) {
			// Its services stand in both versions: the text was
			// restructured, and the records' comparison, which found no
			// change of theirs, speaks for its facts — unless what
			// changed is how surely data goes where it says, which no
			// record's field holds.
			if ca != nil && cb != nil {
				unrecorded = an.unrecordedChange(ca.Text, cb.Text)
			}
			if unrecorded == "" {
				return
			}
		}
		c := Change{Kind: ClaimChanged}
		e := &Evidence{}
		switch {
		case ca != nil && cb != nil:
			e.Old, e.New = &Site{Line: ca.Line, Text: ca.Text}, &Site{Line: cb.Line, Text: cb.Text}
			e.Diff = an.wordDiffs(ca.Text, cb.Text)
			c.Line, c.BeforeLine = cb.Line, ca.Line
			c.Before, c.After = ca.Text, cb.Text
			c.Detail = "a sentence that says where data goes changed; residiff cannot tell what it changes"
			switch unrecorded {
			case "certainty":
				c.Detail = "a sentence that says where data goes changed whether or how surely it does (a negation or a word such as may, always, only); check the page"
			case "dates":
				c.Detail = "a sentence that says where data goes changed its dates or durations; check the page"
			}
			if isCondition(an.opts.Profile, *ca) || isCondition(an.opts.Profile, *cb) {
				c.Detail = "a condition the commitment holds under changed (whom it covers or what it requires); check the page"
			}
		case ca != nil:
			e.Old = &Site{Line: ca.Line, Text: ca.Text}
			c.BeforeLine, c.Before = ca.Line, ca.Text
			c.Detail = "a sentence that said where data goes was removed"
			if isCondition(an.opts.Profile, *ca) {
				c.Detail = "a condition the commitment held under was removed"
			}
		default:
			e.New = &Site{Line: cb.Line, Text: cb.Text}
			c.Line, c.After = cb.Line, cb.Text
			c.Detail = "a sentence that says where data goes was added"
			if cb.Disposition == extractor.Unread {
				c.Detail += "; residiff could not read it"
			}
			if isCondition(an.opts.Profile, *cb) {
				c.Detail = "a condition the commitment holds under was added"
			}
		}
		c.Evidence = e
		c.Severity = SeverityOf(c.Kind)
		c.ID = changeID(an.opts.Lineage, an.opts.Key, c)
		out = append(out, c)
	}
	for _, p := range pairs {
		if usedA[p.i] || usedB[p.j] {
			continue
		}
		usedA[p.i], usedB[p.j] = true, true
		ca, cb := an.a.claims[p.i], an.b.claims[p.j]
		if isCondition(an.opts.Profile, ca) || isCondition(an.opts.Profile, cb) {
			// A condition names no place as often as not: its words are
			// compared whole (conditionFacts).
			if sameClaimFacts(conditionFacts(an.opts.Profile, an.region(), ca.Text), conditionFacts(an.opts.Profile, an.region(), cb.Text)) {
				continue
			}
		} else if an.wording(ca.Text, cb.Text) && !an.otherCustomers(ca, cb) {
			continue
		}
		changed = changed || claimCounts(ca) || claimCounts(cb)
		report(&ca, &cb, p.i, p.j)
	}
	changed = changed || slices.ContainsFunc(goneA, func(i int) bool { return !usedA[i] && claimCounts(an.a.claims[i]) }) ||
		slices.ContainsFunc(newB, func(j int) bool { return !usedB[j] && claimCounts(an.b.claims[j]) })
	for _, i := range goneA {
		if !usedA[i] {
			ca := an.a.claims[i]
			report(&ca, nil, i, -1)
		}
	}
	for _, j := range newB {
		if !usedB[j] {
			cb := an.b.claims[j]
			report(nil, &cb, -1, j)
		}
	}
	return out, changed
}

// factsStand reports whether a claim site of the other version states
// every fact of c (its places, numbers, dates, negation, modality and
// data words, in any order): c's sentence was merged or restructured,
// not deleted.
func (an *anchorer) factsStand(c extractor.Claim, other *claimSet) bool {
	var want []string
	for _, f := range an.coreFacts(c.Text) {
		// A capitalised word after "in" or "and" that the profile does
		// not know as a place ("in Compliance Portal") stands if the
		// other version still prints it anywhere.
		if w, ok := strings.CutPrefix(f, "place:?"); ok && slices.ContainsFunc(other.sections, func(s textSection) bool {
			return strings.Contains(" "+s.heading+" "+s.text+" ", " "+w+" ")
		}) {
			continue
		}
		want = append(want, f)
	}
	for _, o := range other.claims {
		if !claimCounts(o) {
			continue
		}
		have := an.coreFacts(o.Text)
		if !slices.ContainsFunc(want, func(f string) bool { return !slices.Contains(have, f) }) {
			return true
		}
	}
	return false
}

// coreFacts are the facts of a sentence that survive any restructuring:
// its places (whatever relation word a table or lead-in puts before
// them), numbers, months and negation.
func (an *anchorer) coreFacts(s string) []string {
	var out []string
	for _, f := range claimFacts(an.opts.Profile, an.region(), s) {
		switch {
		case strings.HasPrefix(f, "place:"):
			out = append(out, "place:"+f[strings.LastIndex(f, ":")+1:])
		case strings.HasPrefix(f, "number:"), strings.HasPrefix(f, "month:"), f == "negated":
			out = append(out, f)
		}
	}
	return out
}

// servicesIn reports whether a site of page p holds records and every one
// of them has a record of the same service, scope and category, naming
// the same places, in page q: only then does the records' comparison
// speak for the site's facts (it does not compare the places of records
// that keep data in the region).
func servicesIn(prof *source.Profile, c *extractor.Claim, p, q *extractor.Page, canon map[string]string) bool {
	if len(c.Records) == 0 {
		return false
	}
	for _, r := range c.Records {
		if r >= len(p.Records) {
			return false
		}
		want := p.Records[r]
		if !slices.ContainsFunc(q.Records, func(o extractor.Record) bool {
			return canonID(canon, o.ServiceID) == canonID(canon, want.ServiceID) && o.Scope == want.Scope && o.Category == want.Category &&
				slices.Equal(recordPlaces(prof, o), recordPlaces(prof, want)) && !otherRow(p, want, o, canon)
		}) {
			return false
		}
	}
	return true
}

// otherCustomers reports whether two table rows are about different
// customers: their records' sub-scopes (the row keys: a customer region,
// a cloud) share less than half their words. Such rows stating the same
// places are not one row reworded: the Government cloud's row is no
// rewording of another region's.
func (an *anchorer) otherCustomers(ca, cb extractor.Claim) bool {
	if ca.Kind != "row" || cb.Kind != "row" || len(ca.Records) == 0 || len(cb.Records) == 0 {
		return false
	}
	ra, rb := ca.Records[0], cb.Records[0]
	if ra >= len(an.a.page.Records) || rb >= len(an.b.page.Records) {
		return false
	}
	sa, sb := an.a.page.Records[ra].SubScope, an.b.page.Records[rb].SubScope
	return sa != "" && sb != "" && sortedSimilarity(an.sortedWords(sa), an.sortedWords(sb)) < 0.5
}

// otherRow reports whether o is the record of another row of p than
// want's: a row of other customers (the Government cloud's) that states
// the same places does not stand for a deleted row (the United States
// customers'). A sub-scope p does not have is want's row respelled. A
// record with no sub-scope stands for a row only when p has none such of
// the service (a table that became prose): a sentence p already held
// ("General purpose … requests are processed based on the user's
// location") does not stand for a deleted row ("Cloud MFA | Standard voice
// calls … | Cloud in-region").
func otherRow(p *extractor.Page, want, o extractor.Record, canon map[string]string) bool {
	if o.SubScope == want.SubScope {
		return false
	}
	return slices.ContainsFunc(p.Records, func(r extractor.Record) bool {
		return r.SubScope == o.SubScope && r.Scope == o.Scope && canonID(canon, r.ServiceID) == canonID(canon, o.ServiceID)
	})
}

// recordPlaces are the canonical places a record's location and
// processing name, but those within another of them.
func recordPlaces(prof *source.Profile, r extractor.Record) []string {
	if prof == nil {
		return []string{r.LocationAtRest, r.Processing}
	}
	out := append(prof.PlacesIn(r.LocationAtRest), prof.PlacesIn(r.Processing)...)
	// A place named as a part of another the record names is no place
	// of its own (outermost).
	out = slices.DeleteFunc(slices.Clone(out), func(pl string) bool { return withinAnother(prof, pl, out) })
	sort.Strings(out)
	return slices.Compact(out)
}

// Wording reports whether two versions of a claim differ in their wording
// alone: the same places, the same numbers and dates, the same negations
// and the same modality, the same data words. Anything else may change
// what the claim says.
//
// region is the region of the page: "the region" and "the geo" name it.
func Wording(p *source.Profile, region, a, b string) bool {
	return sameClaimFacts(claimFacts(p, region, a), claimFacts(p, region, b))
}

// region is the newer version's region.
func (an *anchorer) region() string {
	if an.b.page != nil {
		return an.b.page.Region
	}
	return ""
}

// customerRegionRe names the customer's own region.
var customerRegionRe = litmatch.MustCompile(`(?i)\bthe (?:customer|user|tenant)[’']s (?:own )?(?:region|location|geo|geography|country)\b`)

// mayHold reports whether s may hold one of the lower-case ASCII words,
// in any case: a cheap test before a case-insensitive expression that
// needs one of them. Text with non-ASCII letters (which (?i) may fold to
// ASCII ones: "ſ" is "s") may always hold them.
func mayHold(s string, words ...string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return true
		}
	}
	l := textcase.Lower(s)
	for _, w := range words {
		if strings.Contains(l, w) {
			return true
		}
	}
	return false
}

// theRegionRe names the page's own region without naming a place.
var theRegionRe = litmatch.MustCompile(`(?i)\bthe (?:region|geo|geography|geo location)\b`)

var (
	negationWd = litmatch.MustCompile(`(?i)^(?:not|no|never|none|without|isn't|aren't|doesn't|don't|won't|can't|cannot|wasn't|weren't)$`)
	// modalWd are the words of modality. Future "will" is tense, no
	// modality: "will automatically redirect" and "automatically
	// redirects" say the same (BLIND3 class 14).
	modalWd    = litmatch.MustCompile(`(?i)^(?:may|might|can|could|would|must|shall|should|always|only|some|all|every|each|any)$`)
	monthWd    = litmatch.MustCompile(`(?i)^(?:january|february|march|april|june|july|august|september|october|november|december)$`)
	relationWd = litmatch.MustCompile(`(?i)^(?:in|outside|inside|within|out|from|to|into|at|across|between|until|after|before|since|and|or)$`)
)

// modalClass folds modal words that mean the same ("may" and "might",
// "all" and "every") into one.
func modalClass(w string) string {
	switch strings.ToLower(w) {
	case "may", "might", "can", "could":
		return "may"
	case "shall":
		return "must" // an obligation, in the terms' language
	case "would":
		return "may" // "configurations that would cause data to egress": a possibility
	case "all", "every", "each", "any":
		return "all"
	case "must", "always", "should":
		return "must"
	}
	return strings.ToLower(w)
}

// claimFacts lists what a claim's wording cannot change without changing
// the claim: each place with the relation word before it (in, outside,
// from, to…; "inside" and "within" are "in"), the conjunctions between
// places, numbers, months, negations and modality, as a set. "the region"
// names the page's region; a capitalised word after a relation word is a
// place even when the profile does not know it ("US and India").
func claimFacts(p *source.Profile, region, s string) []string {
	return factsOf(p, region, s, false)
}

// conditionFacts are the facts of a condition a commitment holds under
// ("Customer must have an active Enterprise Agreement."): claimFacts of
// all its sentences, whether or not they say anything of data, with every
// name it writes with a capital (not only the members of a list) — whom
// the condition asks what is in its names, its negation, its modality,
// its numbers and dates. A name written again in lower case in the other
// version, or an abbreviation in parentheses after its name ("Enterprise
// Agreement (EA)"), is no new name.
func conditionFacts(p *source.Profile, region, s string) []string {
	return factsOf(p, region, s, true)
}

// parenAbbrRe is an abbreviation in parentheses: "(EA)".
var parenAbbrRe = litmatch.MustCompile(`\s*\([A-Z]{2,6}\)`)

// factsOf is claimFacts, or conditionFacts when whole.
func factsOf(p *source.Profile, region, s string, whole bool) []string {
	// One wording normaliser first ("data centers" is "datacenters"),
	// so that which sentences carry a signal does not hang on spelling.
	var placed string
	if whole {
		// An abbreviation given after its name ("Enterprise Agreement
		// (EA)") names nothing new: the name stands, the abbreviation goes.
		s = foldWording(parenAbbrRe.ReplaceAllString(s, ""))
		placed = s
	} else {
		s, placed = signalled(p, foldWording(s))
	}
	if region != "" && mayHold(s, "region", "geo") {
		s = theRegionRe.ReplaceAllString(s, region)
	}
	s0 := s
	var places []source.Location
	var names []source.Name
	vendor := map[string]bool{}
	if p != nil {
		places = p.PlacesAt(s)
		names = p.NamesAt(s)
		for _, v := range p.VendorNames() {
			vendor[strings.ToLower(v)] = true // "within Microsoft Entra ID" names no place
		}
	}
	if mayHold(s, "'s ") {
		s = customerRegionRe.ReplaceAllString(s, "CustomerRegion")
	}
	places = outermost(p, places)
	set := map[string]bool{}
	var order []string // the places in the order they are named, with their relation
	rel, negations, afterPlace := "", 0, false
	placeEnd := 0 // the end of the place the last word was part of
	words := factWordSpans(s)
	for k, m := range words {
		if m[0] < placeEnd {
			continue // "S" of "U.S.", "States" of "United States"
		}
		place := ""
		for _, pl := range places {
			if m[0] >= pl.Start && m[0] < pl.End {
				place, placeEnd = pl.Name, pl.End
				break
			}
		}
		raw := s[m[0]:m[1]]
		w := strings.ToLower(raw)
		if place == "" && rel != "" && raw[0] >= 'A' && raw[0] <= 'Z' && (rel != "and" && rel != "or" || afterPlace) && !vendor[w] {
			switch {
			case slices.ContainsFunc(names, func(n source.Name) bool { return m[0] >= n.Start && m[0] < n.End }):
				// A capitalised word the profile knows as a service, a
				// scope or the product ("to Microsoft", "to SharePoint",
				// "to the ADR Commitment page") names no place, and the
				// relation was its.
				rel = ""
				continue
			case monthWd.MatchString(w), m[1] < len(s) && s[m[1]] >= '0' && s[m[1]] <= '9':
				// A month ("to November 1") or a name written with
				// digits ("in O365") names no place.
			case whole:
				// In a condition every capitalised word is a name
				// (namedFacts), written in lower case or not:
				// "in the _Tenant_" places nothing.
			default:
				place = "?" + w // "in India", "US and India"
			}
		}
		afterPlace = false
		switch {
		case place != "" && rel == "" && len(order) > 0 && strings.HasSuffix(order[len(order)-1], ":"+place):
			// The same place again with no relation word of its own, in
			// apposition: "the United States (US)".
			afterPlace = true
			continue
		case place != "" && place[0] != '?' && rel == "" && len(order) > 0 && strings.Contains(order[len(order)-1], ":?") && strings.HasSuffix(s[:m[0]], "("):
			// A known place in parentheses right after a word read as an
			// unknown place spells that word out: "AS (Asia/Pacific)".
			last := order[len(order)-1]
			delete(set, last)
			key := last[:strings.LastIndex(last, ":?")+1] + place
			set[key], order[len(order)-1] = true, key
			afterPlace = true
			continue
		case place != "":
			key := "place:" + place
			if rel != "" {
				key = "place:" + rel + ":" + place
			}
			set[key] = true
			if len(order) == 0 || order[len(order)-1] != key {
				order = append(order, key)
			}
			rel, afterPlace = "", true
			continue
		case w[0] >= '0' && w[0] <= '9':
			if measure(s, words, k) {
				set["number:"+w] = true
			} else if !partOfName(s, m) {
				set["count:"+w] = true
			}
		case monthWd.MatchString(w):
			set["month:"+w] = true
		case negationWd.MatchString(w) || strings.HasSuffix(w, "n't"):
			negations++
		case modalWd.MatchString(w):
			set["modal:"+modalClass(w)] = true
		case w == "and" || w == "or":
			if afterPlace {
				// "US and India" and "US or India" differ; "cloud and
				// on-premises applications" is no residency fact.
				set["conj:"+w] = true
			}
			rel, afterPlace = w, afterPlace || len(order) > 0 && rel == ""
			continue
		case relationWd.MatchString(w):
			rel = relationClass(w)
			if rel == "to" && k > 0 && strings.EqualFold(s[words[k-1][0]:words[k-1][1]], "prior") {
				rel = "before" // "prior to the move" is "before the move"
			}
			continue
		}
		if rel != "" && len(w) > 3 {
			rel = "" // the relation governs the next few words only
		}
	}
	if negations%2 == 1 {
		set["negated"] = true
	}
	namedFacts(p, s0, places, names, set, whole)
	if p != nil {
		for _, w := range p.ActionsIn(foldWording(placed)) {
			set["data:"+w] = true // "stays in Europe" and "is stored and processed in Europe" differ
		}
	}
	out := make([]string, 0, len(set)+1)
	for k := range set {
		out = append(out, k)
	}
	sort.Strings(out)
	// "in X; copies outside X" and "outside X; copies in X" name the same
	// places and mean the opposite: the order counts.
	return append(out, "order:"+strings.Join(order, ","))
}

// outermost leaves out of places those that lie within another place
// the text names: "13 in AS (Asia/Pacific {Seoul, Singapore, Busan})"
// names Singapore as a part of Asia/Pacific, no place of its own, and
// says what "US and Asia/Pacific" says. A place beside one it does not lie
// within ("the United States and India"; "Europe and Switzerland", where
// Europe is the EU's) stays.
func outermost(p *source.Profile, places []source.Location) []source.Location {
	if len(places) < 2 {
		return places
	}
	names := make([]string, len(places))
	for i, l := range places {
		names[i] = l.Name
	}
	return slices.DeleteFunc(slices.Clone(places), func(l source.Location) bool { return withinAnother(p, l.Name, names) })
}

// withinAnother reports whether place lies within another of names.
func withinAnother(p *source.Profile, place string, names []string) bool {
	return slices.ContainsFunc(names, func(o string) bool { return o != place && p.LiesWithin(place, o) })
}

// unitWd are the units that make a number an amount of time or data.
var unitWd = litmatch.MustCompile(`(?i)^(?:seconds?|minutes?|hours?|days?|weeks?|months?|years?|percent|[kmgtp]b|bytes?)$`)

// measure reports whether the number at words[k] measures: a year, a day
// of a month, an amount of time or data, or a percentage ("for 30 days",
// "March 2019", "May 1", "100%"). Other numbers count things ("13 country
// codes", "63 tenants", "13 in AS") or are part of a name ("B2B").
func measure(s string, words [][]int, k int) bool {
	m := words[k]
	w := s[m[0]:m[1]]
	if partOfName(s, m) {
		return false
	}
	if len(w) == 4 && (strings.HasPrefix(w, "19") || strings.HasPrefix(w, "20")) {
		return true
	}
	if m[1] < len(s) && s[m[1]] == '%' {
		return true
	}
	if k > 0 && monthWd.MatchString(s[words[k-1][0]:words[k-1][1]]) {
		return true // "May 1"
	}
	if k+1 < len(words) {
		next := s[words[k+1][0]:words[k+1][1]]
		if unitWd.MatchString(next) || monthWd.MatchString(next) {
			return true // "30 days", "1 May"
		}
	}
	return false
}

// partOfName reports whether the digits at m are written into a word
// ("B2B", "M365").
func partOfName(s string, m []int) bool {
	return m[0] > 0 && isLetter(s[m[0]-1]) || m[1] < len(s) && isLetter(s[m[1]]) && !ordinal(s, m)
}

// ordinalRe is an ordinal's suffix: "1st", "22nd", "3rd", "4th".
var ordinalRe = litmatch.MustCompile(`^(?i:st|nd|rd|th)\b`)

// ordinal reports whether the digits at m are an ordinal number ("1st"):
// "November 1st" and "November 1" are the same date.
func ordinal(s string, m []int) bool { return ordinalRe.MatchString(s[m[1]:]) }

// isLetter reports whether an ASCII byte is a letter.
func isLetter(b byte) bool { return b|0x20 >= 'a' && b|0x20 <= 'z' }

// signalled keeps the sentences of s that carry a residency signal: a
// place, a data word of the profile or the customer's region. A sentence
// with none of them ("Application proxy allows customers to access
// on-premises applications") states no residency fact, so rewording it
// changes none. placed holds those that name a place: only there do the
// data words say what happens where ("tenant to tenant sync" in a list of
// scenarios says nothing of where data goes).
func signalled(p *source.Profile, s string) (kept, placed string) {
	if p == nil || len(p.ClaimWords) == 0 {
		return s, s // a profile with no data words cannot tell: every sentence counts
	}
	var keep, where []string
	for _, sent := range extractor.Sentences(s) {
		place := len(p.PlacesIn(sent)) > 0 || p.InCustomerRegion(sent) || mayHold(sent, "region", "geo") && theRegionRe.MatchString(sent)
		if place {
			where = append(where, sent)
		}
		if place || p.ClaimWordsIn(sent) > 0 {
			keep = append(keep, sent)
		}
	}
	return strings.Join(keep, ". "), strings.Join(where, ". ")
}

// relationClass folds relation words that say the same.
func relationClass(w string) string {
	switch w {
	case "in", "inside", "within", "at", "across":
		return "in"
	case "outside", "out":
		return "out"
	case "to", "into":
		return "to"
	}
	return w
}

// namedFacts adds to set what s names that is no place (placesAt and
// namesAt are the profile's PlacesAt and NamesAt of s): each service and
// scope of the profile by its name ("service:sharepoint", a pair such as
// "SharePoint and OneDrive" as its two services), and each other
// capitalised word that is a member of a list ("name:shared" in
// "Private and Shared Channels"), with the sentence's other words in
// lower case (one fact, "low: private shared … ") so that a name written
// in lower case in the other version is the same name. The product's own
// names (vendor and platform prefixes, the company) and places are no
// such fact: renaming the product changes no claim, and places are facts
// of their own.
//
// A service or name added to or removed from a sentence changes what the
// sentence is about ("… including Exchange Online, SharePoint/OneDrive,
// Microsoft Teams, and Microsoft 365 Copilot").
//
// With every, each capitalised word is a name, listed or not.
func namedFacts(p *source.Profile, s string, placesAt []source.Location, namesAt []source.Name, set map[string]bool, every bool) {
	var spans [][2]int
	inSpan := func(i int) bool {
		return slices.ContainsFunc(spans, func(sp [2]int) bool { return i >= sp[0] && i < sp[1] })
	}
	if p != nil {
		for _, pl := range placesAt {
			spans = append(spans, [2]int{pl.Start, pl.End})
		}
		places := len(spans)
		for _, n := range namesAt {
			if slices.ContainsFunc(spans[:places], func(sp [2]int) bool { return n.Start < sp[1] && sp[0] < n.End }) {
				continue // a place ("EU Data Boundary"): a fact of its own
			}
			spans = append(spans, [2]int{n.Start, n.End})
			switch n.Kind {
			case "service":
				for _, part := range servicesOf(p, n.Name) {
					set["service:"+strings.ToLower(part)] = true
				}
			case "scope":
				set["scope:"+strings.ToLower(n.Name)] = true
			}
		}
	}
	words := nameWordSpans(s)
	capital := make([]bool, len(words))
	var low strings.Builder // the words any version may capitalise, as " a b … "
	low.WriteString("low: ")
	for k, m := range words {
		r, _ := utf8.DecodeRuneInString(s[m[0]:])
		capital[k] = unicode.IsUpper(r) && !sentenceStart(s, m[0])
		if !capital[k] {
			low.WriteString(strings.ToLower(s[m[0]:m[1]]))
			low.WriteByte(' ')
		}
	}
	set[low.String()] = true
	for k, m := range words {
		w := s[m[0]:m[1]]
		if !capital[k] || utf8.RuneCountInString(w) < 2 || inSpan(m[0]) || monthWd.MatchString(w) {
			continue
		}
		if !every && !listed(s, words, capital, k) {
			continue
		}
		set["name:"+strings.ToLower(w)] = true
	}
}

// listed reports whether the capitalised word words[k] is part of a name
// that is a member of a list: the run of capitalised words (and digits)
// around it follows or precedes a comma, a slash, "and" or "or"
// ("Private and Shared Channels", "users, SharePoint sites, Microsoft 365
// Groups, and …"). A capitalised word elsewhere is as often a term the
// page defines ("_Geography_", "_Tenant_") written with or without its
// capital as a name: only a list says that things are being enumerated,
// so that one more or fewer is news.
func listed(s string, words [][]int, capital []bool, k int) bool {
	gap := func(a, b int) string { return s[words[a][1]:words[b][0]] } // the text between words a and b
	joined := func(g string) bool { return strings.Trim(g, " 0123456789") == "" }
	lo, hi := k, k
	for lo > 0 && capital[lo-1] && joined(gap(lo-1, lo)) {
		lo--
	}
	for hi+1 < len(words) && capital[hi+1] && joined(gap(hi, hi+1)) {
		hi++
	}
	conj := func(w string) bool { w = strings.ToLower(w); return w == "and" || w == "or" }
	// Before the run, "and", "or", a slash or an ampersand join it to
	// the member before; a comma only when the run ends the sentence
	// ("…, and Teams."): "For example, Microsoft Azure AD …" starts a
	// clause. After the run, a comma joins it to the next member too.
	end := hi+1 == len(words) || strings.ContainsAny(gap(hi, hi+1), ".;:")
	if lo > 0 {
		g := gap(lo-1, lo)
		if strings.ContainsAny(g, "/&") || conj(s[words[lo-1][0]:words[lo-1][1]]) && joined(g) || end && strings.Contains(g, ",") {
			return true
		}
	}
	if hi+1 < len(words) {
		g := gap(hi, hi+1)
		if strings.ContainsAny(g, ",/&") && !strings.ContainsAny(g, ".;:") || conj(s[words[hi+1][0]:words[hi+1][1]]) && joined(g) {
			return true
		}
	}
	return false
}

// servicesOf splits a service's name that joins two of the profile's
// services ("SharePoint and OneDrive") into them; any other name is one
// service.
func servicesOf(p *source.Profile, name string) []string {
	a, b, ok := strings.Cut(name, " and ")
	if ok && p.IsService(a) && p.IsService(b) {
		return []string{a, b}
	}
	return []string{name}
}

// sentenceStart reports whether the word at i starts a sentence, a
// clause after a colon, or a table cell: its capital says nothing.
func sentenceStart(s string, i int) bool {
	for i > 0 {
		r, n := utf8.DecodeLastRuneInString(s[:i])
		switch {
		case unicode.IsSpace(r) || strings.ContainsRune("*_[]>#\"'“”‘(`", r):
			i -= n
			continue
		case strings.ContainsRune(".!?:;|-•", r):
			return true
		}
		return false
	}
	return true
}

// sameNames compares the services, scopes and names of two claims'
// facts: the services and scopes as sets; a name is kept when the other
// claim writes it, in any case.
func sameNames(fa, fb []string) bool {
	pick := func(f []string, kinds ...string) []string {
		var out []string
		for _, x := range f {
			for _, k := range kinds {
				if strings.HasPrefix(x, k) {
					out = append(out, x)
				}
			}
		}
		return out
	}
	if !slices.Equal(pick(fa, "service:", "scope:"), pick(fb, "service:", "scope:")) {
		return false
	}
	kept := func(names, other []string) bool {
		low := ""
		if i := slices.IndexFunc(other, func(x string) bool { return strings.HasPrefix(x, "low:") }); i >= 0 {
			low = other[i]
		}
		for _, n := range pick(names, "name:") {
			w := strings.TrimPrefix(n, "name:")
			if !slices.Contains(other, n) && !strings.Contains(low, " "+w+" ") {
				return false
			}
		}
		return true
	}
	return kept(fa, fb) && kept(fb, fa)
}

// withoutWords drops the facts sameNames compares.
func withoutWords(f []string) []string {
	if !slices.ContainsFunc(f, isWordFact) {
		return f
	}
	return slices.DeleteFunc(slices.Clone(f), isWordFact)
}

// isWordFact reports whether a fact is one of namedFacts'.
func isWordFact(x string) bool {
	return strings.HasPrefix(x, "service:") || strings.HasPrefix(x, "scope:") || strings.HasPrefix(x, "name:") || strings.HasPrefix(x, "low:")
}

// aboutMost reports whether a sentence is about most of its data, by its
// first words (mostRe), and not about "the most" of something.
func aboutMost(sentence string) bool {
	m := mostRe.FindStringSubmatchIndex(sentence)
	if m == nil {
		return false
	}
	before := strings.ToLower(strings.TrimSpace(sentence[:m[2]]))
	return !strings.HasSuffix(before, "the") || strings.ToLower(sentence[m[2]:m[3]]) != "most"
}
