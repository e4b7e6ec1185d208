package extractor

import (
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/residiff/residiff/internal/litmatch"
	"github.com/residiff/residiff/internal/textcase"
	"github.com/residiff/residiff/source"
)

// statement is what one sentence says about where data is: who (the
// grammatical subject before the residency verb), where it rests and where
// it is processed, in which category, for which scopes and from or until
// when. It is read from the sentence's words; the caller decides which
// service it is about.
type statement struct {
	subject string
	negated bool
	blanket bool // "all other services …": the page's product as a whole
	// existential is the subject phrase of "there is/are X that …":
	// the sentence names its own subject, X.
	existential string
	category    Category
	scopes      []string
	atRest      []string // places, by canonical name (source.Profile.PlaceNames)
	process     []string
	unknown     []string // places the profile does not know, as written
	data        []string // the data the verb moves, as written (datatypes.go)
	inRegion    bool     // a phrase saying the data stays in region or geo
	global      bool     // stored or synced globally
	outside     bool     // a place or phrase outside the region
	// example marks an illustration of what a person can or cannot do
	// ("For example, a user in the European Union can't use Outlook on
	// the web to open a shared folder in a mailbox located in the United
	// States"): its places are the example's, it states nothing of where
	// the service keeps data (illustrates).
	example bool
	// subScope is the customer geography a "for customers in …"
	// statement is about.
	subScope string
	// customers is the group the sentence says its data is for, as
	// written before its verb ("… Customer Data for new tenants in the
	// EUDB and in the United Kingdom will be stored …"): where those
	// customers are is where its data is judged against.
	customers   string
	from, until string
}

// located reports whether the sentence says where data is.
func (s statement) located() bool {
	return len(s.atRest) > 0 || len(s.process) > 0 || s.inRegion || s.global || s.outside
}

var (
	// pastRe marks a statement about how things were, not how they are.
	// It is read on the words between subject and verb ("X previously
	// stored"), never on the subject: "Microsoft Entra ID (formerly Azure
	// AD) stores …" is about now.
	pastRe = litmatch.MustCompile(`(?i)\b(?:previously|formerly|originally)\b`)
	// contrastEndRe ends a contrast phrase: the clause goes on with what
	// is so ("not in the EU but in the US").
	contrastEndRe = litmatch.MustCompile(`[;.:]|,|\s(?:but|while|whereas|and also|yet)\s`)
	// leadInRe drops connectives before a subject.
	leadInRe = litmatch.MustCompile(`(?i)^(?:for example|for instance|however|additionally|in addition|also|so|today|currently|as a result|then|otherwise|e\.g\.)\s*,?\s*`)
	// existentialRe opens a clause that introduces its own subject.
	existentialRe = litmatch.MustCompile(`(?i)^there (?:is|are|was|were)\b`)
	// blanketRe marks a subject that stands for every other service.
	blanketRe = litmatch.MustCompile(`(?i)^(?:all|any|every|each|the remaining|remaining|other)\b.*\b(?:services?|features?|capabilities|workloads|components?|products?)\b`)
	// genericSubjectRe marks subjects that are data, tenants or pronouns,
	// not a service: the statement is about the service in context. It
	// looks at the subject's head noun, its last word.
	genericSubjectRe = litmatch.MustCompile(`(?i)(?:^|\s)(?:data|tenants?|logs?|information|history|records?|reports?|detections?|definitions|assignments|state|lists?|metadata|copies|copy|calls|messages|notifications|objects|attributes|traffic|alerts|it|they|these|those|we|which|that|who|customers?|users?|organi[sz]ations?|scoring|configuration|backups?)$|^(?:this|the|that|each) (?:service|feature|capability)$|^there (?:is|are)\b`)
	// copulaRe is the verb of "… might be outside Europe" (see findVerbs).
	copulaRe = litmatch.MustCompile(`^(?:be|is|are)$`)
	// subordinateRe starts a sentence whose first clause is not the main
	// one ("While most data stays in Europe, …").
	subordinateRe = litmatch.MustCompile(`^(?:While|Although|Though|Whereas|Because|Since|When|Unless|If)\b[^,]*,\s*`)
	// qualifierAfterRe marks a place used as a qualifier ("an Australian
	// billing address"), not as where data is.
	// Both are searched in a clause (no '.', ',' or ';'): their leftmost
	// matches end where `^[^.,;]*?` before them would.
	qualifierAfterRe = litmatch.MustCompile(`(?i)\b(?:billing address|address|customers|tenants|users|organi[sz]ations|government)\b`)
	dataPlaceAfterRe = litmatch.MustCompile(`(?i)\b(?:data\s*cent(?:er|re)s?|regions?|geo)\b`)
	// outsideBeforeRe ends the text before a place that data is said to
	// be outside of ("… outside of the "). Not "out of": "served out of
	// that Geography" is served from it.
	outsideBeforeRe = litmatch.MustCompile(`\b[Oo]utside(?: of)?\s+(?:the\s+)?$`)
	// outsidePhraseRe reads "outside (of) (the) X" and "out of the X".
	outsidePhraseRe = litmatch.MustCompile(`\b(?:[Oo]utside(?: of)?|[Oo]ut of)(?: the)? ((?:[A-Z][\w/.-]*)(?: (?:[A-Z][\w/.-]*|and|of))*)`)
	// userOutsideRe is "outside" a place that is not named: the user's or
	// customer's own location or region.
	userOutsideRe = litmatch.MustCompile(`(?i)\boutside (?:of )?(?:the )?(?:user|customer|tenant)(?:[’']s)?(?: and (?:the )?(?:company|organi[sz]ation)(?:[’']s)?)? (?:own )?(?:location|region|geo(?:graphy)?|country)`)
	// otherTenantRe places data in other customers' tenants, or where
	// another tenant is ("stored and processed in the location of the
	// collaborating tenant"): a place this customer did not choose.
	otherTenantRe = litmatch.MustCompile(`(?i)\b(?:in|to|into|with) (?:an|the )?other (?:customers['’] )?tenants?\b|\b(?:in|to|into|at) the (?:locations?|regions?|geo(?:graph(?:y|ies))?|countr(?:y|ies)) of (?:the |an? )?(?:other|another|collaborating|partner|external) (?:customers['’] )?tenants?\b`)
	// globalRestRe says data rests globally; globalProcessRe that it is
	// processed or routed globally.
	globalRestRe = litmatch.MustCompile(`(?i)\b(?:stored|synced|replicated|kept|held)\s+globally\b|\bglobal\s+(?:data\s+)?(?:replication|synchroni[sz]ation|storage|backups?)\b|\bglobal\s+data\s*cent(?:er|re)s?\b|\bworldwide\s+data\s*cent(?:er|re)s?\b`)
	// The bare words that place data everywhere ("globally",
	// "worldwide") are the profile's (globalWordAt).
	globalProcessRe = litmatch.MustCompile(`(?i)\bglobal\s+(?:providers?|carriers?|network)\b`)
	// globalNounRe is a noun of a data verb said to be global ("global
	// data replication"), which places data as "replicated globally"
	// does.
	globalNounRe = litmatch.MustCompile(`(?i)\bglobal\s+(?:data\s+)?(?:replication|synchroni[sz]ation|storage|backups?)\b`)
	// everywhereRe places data in every region or datacenter: globally.
	everywhereRe = litmatch.MustCompile(`(?i)\b(?:in|to|into|across) (?:each|every|all) (?:regions?|locations?|geos?|geograph(?:y|ies)|data ?cent(?:er|re)s?)\b`)
	// inRegionPhraseRe says data stays where the customer is.
	inRegionPhraseRe = litmatch.MustCompile(`(?i)\bregional\s+data\s*cent(?:er|re)s\b|\bin the (?:customer|user)[’']s (?:region|location)\b|\bbased on the user[’']s location\b|\bin[- ]?geo\b|\bgeo[- ]?location\b|\bin[- ]region\b|\bcloud in-region\b|\bcustomer[- ]select(?:ed|able)\b|\bgeography (?:you|they|the customer) (?:select|choose|chose)s?\b|\bwithin the (?:region|geo)\b`)
	// capitalPlaceRe reads a capitalised place name after a preposition
	// of location, for places the profile does not know.
	capitalPlaceRe = litmatch.MustCompile(`\b(?:in|to|from|within)\s+(?:the\s+)?((?:[A-Z][a-z]+)(?:\s+[A-Z][a-z]+){0,2})(?:\s+(?:data\s*cent(?:er|re)s?|region|regions|datacenter)\b|\s*[.,;]|\s+and\b|\s*$)`)
	// notPlaceRe are capitalised words that are not places.
	// Product words are the profile's (see productWord).
	notPlaceRe = litmatch.MustCompile(`^(?:The|A|An|This|These|Some|All|Each|January|February|March|April|May|June|July|August|September|October|November|December|Monday|Customer|Customers|Data|Services?|Features?|Tables?|Global|Learn|See|Note|Important)\b`)
	// forCustomersRe reads "for (customers in) the following countries",
	// which makes the location the customers' own.
	// ownCustomersRe finds the customers a subject's data is for ("…
	// data for new tenants in <where>", "for customers based in <where>"):
	// group 1 is where they are.
	ownCustomersRe = litmatch.MustCompile(`\bfor (?:(?:new|existing|all) )?(?:tenants|customers|organizations)(?: (?:based|located))? in (.+)`)
	forCustomersRe = litmatch.MustCompile(`(?i)\bfor (?:customers (?:in|from) )?the following (?:countries|regions|countries/regions|geographies|locations)\b|\bfor customers (?:in|from) (?:those|these|that) (?:countries|regions)\b|\bwhen the (?:tenant|customer|organization)[’']s (?:country|region|country/region|location) is (?:one of the following|in the following)`)
	// usesOfferRe is a sentence that opens on the customers of one
	// offer: "For customers who … use(s) <offer>, …" (the offer is group
	// 1).
	usesOfferRe = litmatch.MustCompile(`(?i)^\s*for (?:customers|tenants|organizations)\b[^,.;:]{0,160}?\bwho\b[^,.;:]{0,160}?\b(?:use|uses|are using)\s+(?:the\s+)?([^,.;:]{3,80}?)\s*,`)
	// migrateRe marks a move of existing data.
	migrateRe = litmatch.MustCompile(`(?i)\bmigrat(?:e|es|ed|ion)\b|\bmoved?\b`)
	// orListRe: a choice of locations ("in either the US, Europe or Asia")
	// is where the customer chose to be.
	orListRe = litmatch.MustCompile(`(?i:\beither\b)|(?:\w|,) or (?:the )?[A-Z]`)
	// anywhereRe says places are an area the data may be anywhere in
	// ("store Customer Data at rest anywhere within the European Union or
	// North America"), not a choice of one.
	anywhereRe = litmatch.MustCompile(`(?i)\banywhere\b`)
)

// demonstrativeRe marks a place written as one pointing back ("that
// Geo", "the stated Geo", "this region").
var demonstrativeRe = litmatch.MustCompile(`(?i)^(?:that|this|the stated|the same|said)\s`)

// antecedentPlaces are the places a list before a sentence's verb names
// ("in Australia, Brazil, …, or United States"), by canonical name, and
// the list as written; none when an item of the list is no place the
// profile knows (a place kept as written is never dropped from a list).
func antecedentPlaces(p *source.Profile, text string) (names []string, span string) {
	locs := p.LocationsIn(text)
	if len(locs) == 0 {
		return nil, ""
	}
	span = text[locs[0].Start:locs[len(locs)-1].End]
	items := 0
	for _, part := range strings.Split(span, ",") {
		for _, item := range strings.Split(part, " or ") {
			if strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(item), "or ")) != "" {
				items++
			}
		}
	}
	if items != len(locs) {
		return nil, ""
	}
	return p.PlaceNames(span), span
}

// statement reads a sentence against the region prose is read in now,
// once per sentence for the page's own region.
func (x *extraction) statement(sentence string) statement {
	if x.subScope != "" { // a footnote row's own region
		return readStatement(x.opts.Profile, sentence, x.inside)
	}
	inside, scope := x.insideHere()
	key := sentence
	if scope != "" {
		key = scope + "\x00" + sentence
	}
	st := x.readOnce(key, key, sentence, inside)
	if s := x.scopeOfPlaces(st); s != "" && s != scope {
		// "… stored in the relevant Satellite Geography": a place only
		// the Multi-Geo add-on defines speaks of that add-on, wherever
		// the sentence stands.
		in := x.opts.Profile.Inside(s)
		// What is inside depends on the scope read in and s: the run's
		// memo keeps it under both.
		st = x.readOnce(s+"\x00"+sentence, scope+"\x00"+s+"\x00"+sentence, sentence, func(place string) bool {
			return inside(place) || slices.ContainsFunc(in, func(i string) bool { return strings.EqualFold(i, place) })
		})
		st.scopes = []string{s}
	}
	return st
}

// scopeOfPlaces is the one scope of the profile that holds every place a
// statement names, when the statement names no scope and no region of
// the profile holds any of its places: a place only a scope defines (the
// Multi-Geo add-on's Satellite Geography) is that scope's. Else "".
func (x *extraction) scopeOfPlaces(st statement) string {
	p := x.opts.Profile
	if len(st.scopes) > 0 || !st.located() {
		return ""
	}
	holds := func(ss []source.Scope, place string) []string {
		var out []string
		for _, s := range ss {
			if slices.ContainsFunc(s.Inside, func(i string) bool { return strings.EqualFold(i, place) }) {
				out = append(out, s.Name)
			}
		}
		return out
	}
	one := ""
	for _, text := range append(slices.Clone(st.atRest), st.process...) {
		places := p.PlacesIn(text)
		if len(places) == 0 {
			return ""
		}
		for _, place := range places {
			if len(holds(p.Regions, place)) > 0 {
				return ""
			}
			in := holds(p.Scopes, place)
			if len(in) != 1 || one != "" && in[0] != one {
				return ""
			}
			one = in[0]
		}
	}
	return one
}

// pageStatement reads a sentence against the page's own region, as
// statement does outside any other scope's section (and sharing its
// memo).
func (x *extraction) pageStatement(sentence string) statement {
	return x.readOnce(sentence, sentence, sentence, x.inside)
}

// readOnce is readStatement of sentence, once per key in the page, and
// once per run for the page's region and runKey when Options name a Memo:
// the region and runKey (the scopes read in, and the sentence) decide
// what inside is.
func (x *extraction) readOnce(key, runKey, sentence string, inside func(string) bool) statement {
	if st, ok := x.read[key]; ok {
		return st
	}
	var st statement
	if m := x.opts.Memo; m != nil {
		runKey = x.page.Region + "\x00" + runKey
		var ok bool
		if st, ok = m.statement(x.opts.Profile, runKey); !ok {
			st = readStatement(x.opts.Profile, sentence, inside)
			m.keep(x.opts.Profile, runKey, st)
		}
	} else {
		st = readStatement(x.opts.Profile, sentence, inside)
	}
	if x.read == nil {
		x.read = map[string]statement{}
	}
	x.read[key] = st
	return st
}

// insideHere is what lies within the region where prose is read now: the
// page's region, and under a section about one other scope (a workload
// page's "Multi-Geo add-on"), the places that scope keeps data in too. It
// names that scope, or "".
func (x *extraction) insideHere() (func(string) bool, string) {
	sc := x.scopes()
	if len(sc) != 1 || sc[0] == x.page.Region {
		return x.inside, ""
	}
	in := x.opts.Profile.Inside(sc[0])
	if len(in) == 0 {
		return x.inside, ""
	}
	return func(place string) bool {
		return x.inside(place) || slices.ContainsFunc(in, func(s string) bool { return strings.EqualFold(s, place) })
	}, sc[0]
}

// readStatement reads one sentence relative to the page's region (inside
// reports whether a canonical place is within it).
func readStatement(p *source.Profile, sentence string, inside func(string) bool) statement {
	if i := clauseBreak(sentence); i > 0 {
		// "X previously stored data in the US; it now stores it in
		// Japan": a clause that is negated or past hands its subject to
		// the clause that says how things are.
		first := readStatement(p, sentence[:i], inside)
		if first.negated {
			next := readStatement(p, sentence[i+2:], inside)
			if next.located() && !next.negated && (next.subject == "" || genericSubjectRe.MatchString(next.subject)) {
				next.subject, next.blanket = first.subject, first.blanket
				return next
			}
			return first
		}
	}
	var st statement
	whole, before := sentence, ""
	if m := subordinateRe.FindStringIndex(sentence); m != nil && p.HasDataVerb(sentence[m[1]:]) {
		sentence, before = sentence[m[1]:], sentence[:m[1]]
	}
	verbs := findVerbs(p, sentence)
	st.category = categoryWords(sentence)
	if len(verbs) == 0 && strings.Contains(textcase.Lower(sentence), "global") {
		// "geo-redundancy occurs by global data replication": the noun
		// says what the verb would, the data is replicated globally.
		if m := globalNounRe.FindStringIndex(sentence); m != nil {
			verbs = [][2]int{{m[0], m[1]}}
		}
	}
	if len(verbs) == 0 {
		return st
	}
	st.scopes = p.ScopesIn(withoutQualifiers(sentence))
	st.from, st.until = datesIn(whole)
	first := verbs[0]
	head := sentence[:first[0]]
	if illustrates(p, head) {
		return statement{example: true}
	}
	st.subject = subjectOf(head)
	if h := leadInRe.ReplaceAllString(strings.TrimSpace(head), ""); existentialRe.MatchString(h) {
		st.existential = h
	}
	st.data = dataPhrases(p, sentence, first, before)
	for _, v := range verbs[1:] {
		// "… stores its configuration in an Azure Cosmos DB, which stores
		// the group membership data …": a relative clause's own data verb
		// names more data the sentence places.
		if h := strings.TrimRight(sentence[:v[0]], " "); strings.HasSuffix(h, " which") || strings.HasSuffix(h, " that") {
			if o := objectPhrase(p, sentence[v[1]:]); o != "" && dataHeadRe.MatchString(o) && !bare(o) && !slices.Contains(st.data, o) {
				st.data = append(st.data, withoutOwner(o))
			}
		}
	}
	st.blanket = blanketRe.MatchString(st.subject)
	// Negation of the verb, not of a relative clause in the subject ("all
	// services not listed here keep …").
	_, aux := trimAux(head)
	st.negated = p.Negated(aux) || p.NegatedAfter(sentence[first[1]:]) ||
		pastRe.MatchString(aux)

	// Locations count only after the first residency verb: what comes
	// before it qualifies the subject ("customers in Australia who …").
	rest := sentence[first[0]:]
	offset := first[0]
	role := func(at int) bool { // true: processing
		last, from := "", 0
		for i, v := range verbs {
			if v[0] <= at {
				last = sentence[v[0]:v[1]]
				from = 0
				if i > 0 {
					from = verbs[i-1][1]
				}
			}
		}
		if copulaRe.MatchString(last) {
			// "X is (might be) outside Europe" places X: where data is
			// when X is data, else where the party X (a vendor's
			// service, a network, a carrier) handles it.
			return !dataHeadRe.MatchString(sentence[from:at]) // "the data is outside Europe": where it rests
		}
		v, _ := p.DataVerb(last)
		return v.Process
	}
	// put writes a place phrase into a field by its canonical place
	// names (source.Profile.PlaceNames): "U.S. datacenters" and "US" are
	// one place, "globally" the global place, and a phrase naming no
	// place ("geo-location") is no value of a place field.
	put := func(field *[]string, text string) {
		text = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(text), "the "))
		for _, n := range p.PlaceNames(text) {
			if !slices.Contains(*field, n) {
				*field = append(*field, n)
			}
		}
	}
	// both reports whether the verb before at is one of two joined by
	// "and" or "or" that say different things ("stored and processed in
	// the location of …"): the place is where the data rests and where
	// it is processed.
	both := func(at int) bool {
		for i := len(verbs) - 1; i > 0; i-- {
			if verbs[i][0] > at {
				continue
			}
			if verbs[i-1][1] > verbs[i][0] {
				return false
			}
			if j := strings.TrimSpace(sentence[verbs[i-1][1]:verbs[i][0]]); j != "and" && j != "or" {
				return false
			}
			a, _ := p.DataVerb(sentence[verbs[i-1][0]:verbs[i-1][1]])
			b, _ := p.DataVerb(sentence[verbs[i][0]:verbs[i][1]])
			return a.Process != b.Process
		}
		return false
	}
	add := func(at int, text string) {
		proc := role(at)
		if proc || both(at) {
			put(&st.process, text)
		}
		if !proc || both(at) {
			put(&st.atRest, text)
		}
	}
	covered := func(at int, spans [][2]int) bool {
		for _, s := range spans {
			if at >= s[0] && at < s[1] {
				return true
			}
		}
		return false
	}
	// Places in a contrast ("instead of the US") or in a later negated
	// clause ("and doesn't transfer it to the US") are not where data is:
	// their spans are covered before any place is read.
	spans := contrastSpans(p, rest[first[1]-first[0]:], first[1]-first[0])
	// A purpose clause says why, not where: "a backup copy … will be
	// stored in Asia to ensure a smooth transition to the Japanese
	// datacenters" keeps the copy in Asia.
	spans = append(spans, purposeSpans(rest[first[1]-first[0]:], first[1]-first[0])...)
	// An access clause says who may reach the data, not where it rests:
	// "Personal files are then kept in that Satellite Geography location,
	// though they can be shared with users in other … locations" keeps
	// the files in the satellite (BLIND3 class 8).
	var later []int
	for _, v := range verbs[1:] {
		later = append(later, v[0]-first[1])
	}
	spans = append(spans, accessSpans(p, rest[first[1]-first[0]:], first[1]-first[0], later)...)
	// beyond are the places data is said to be outside of; beyondOther
	// is set when an outside phrase names something else (a scope, a
	// region by its name).
	var beyond []string
	beyondOther := false
	for _, m := range outsidePhrases(rest) {
		if covered(m[0], spans) {
			continue
		}
		what := rest[m[2]:m[3]]
		known := p.LocationsIn(what)
		if len(known) == 0 {
			known = p.LocationsIn(placeOfAdjective(what)) // "outside of the European datacenters"
		}
		scope := p.ScopeLabel(what) != "" || len(p.ScopesIn(what)) > 0
		if len(known) == 0 && !scope && p.RegionOf(what) == "" {
			continue
		}
		for _, k := range known {
			beyond = append(beyond, k.Name)
		}
		beyondOther = beyondOther || len(known) == 0
		st.outside = true
		end := m[1]
		if end-m[0] > 1 && rest[end-1] == '.' && unicode.IsLower(rune(rest[end-2])) {
			end-- // the sentence's full stop, not an abbreviation's ("U.S.")
		}
		add(offset+m[0], rest[m[0]:end])
		spans = append(spans, [2]int{m[0], m[1]})
	}
	lrest := textcase.Lower(rest)
	mayGlobal := strings.Contains(lrest, "global") || strings.Contains(lrest, "worldwide")
	if loc := userOutsideRe.FindStringIndex(rest); loc != nil && !covered(loc[0], spans) {
		// "outside the user's location": outside, wherever that is.
		st.outside = true
		add(offset+loc[0], rest[loc[0]:loc[1]])
		spans = append(spans, [2]int{loc[0], loc[1]})
	}
	if strings.Contains(lrest, " tenant") {
		if loc := otherTenantRe.FindStringIndex(rest); loc != nil && !covered(loc[0], spans) {
			// "user data copied in other tenants": where another
			// customer's tenant is, not where this one chose.
			st.outside = true
			add(offset+loc[0], rest[loc[0]:loc[1]])
			spans = append(spans, [2]int{loc[0], loc[1]})
		}
	}
	// A global phrase in a contrast or a later negated clause ("is stored
	// in the European datacenters and can't be replicated globally") is
	// not where the data is, as no place there is.
	if mayGlobal && globalRestRe.MatchString(rest) {
		if loc := globalRestRe.FindStringIndex(rest); !covered(loc[0], spans) {
			st.global = true
			add(offset+loc[0], "Global")
		}
	} else if loc := globalIndex(p, mayGlobal, rest); loc != nil && !covered(loc[0], spans) {
		if role(offset+loc[0]) || strings.Contains(textcase.Lower(rest[loc[0]:loc[1]]), "provider") || strings.Contains(textcase.Lower(rest[loc[0]:loc[1]]), "carrier") {
			st.outside = true
			put(&st.process, rest[loc[0]:loc[1]])
		} else {
			st.global = true
			add(offset+loc[0], "Global")
		}
	}
	if !st.global && first[0] > 0 {
		// "Azure RBAC data is globally synced": the global word right
		// before the verb says where it does what it does.
		before := strings.TrimRight(sentence[:first[0]], " ")
		word := before[strings.LastIndexByte(before, ' ')+1:]
		if loc := globalWordAt(p, word); loc != nil && loc[0] == 0 && loc[1] == len(word) {
			if role(first[0]) {
				st.outside = true
				put(&st.process, word)
			} else {
				st.global = true
				add(first[0], globalPlace)
			}
		}
	}
	if !st.global && containsAny(lrest, "each ", "every ", "all ") {
		if loc := everywhereRe.FindStringIndex(rest); loc != nil && !covered(loc[0], spans) {
			// "puts a read-only copy in each region": a copy everywhere
			// is a copy kept globally.
			st.global = true
			add(offset+loc[0], "Global")
		}
	}
	if mayBeInRegionLower(lrest) && inRegionPhraseRe.MatchString(rest) {
		st.inRegion = true
		loc := inRegionPhraseRe.FindStringIndex(rest)
		from := loc[0]
		if w := lastWordBefore(rest, from); w >= 0 && len(p.PlaceNames(rest[from:loc[1]])) == 0 && len(p.PlaceNames(rest[w:loc[1]])) > 0 {
			// "moved to the specified geo location": the place a setting
			// gives, relative to whose it is (the profile's PlaceNames
			// keeps such a phrase as written), not "geo location" alone,
			// which names none.
			from = w
		}
		add(offset+from, rest[from:loc[1]])
	}
	var places []string
	for _, l := range p.LocationsIn(rest) {
		if covered(l.Start, spans) || qualifier(rest[l.End:]) {
			continue
		}
		if m := outsideBeforeRe.FindStringIndex(rest[max(0, l.Start-24):l.Start]); m != nil {
			// "outside of the stated Geo": a place written in lower case
			// after "outside" (outsidePhraseRe reads capitalised ones) is
			// where data is not.
			from := max(0, l.Start-24) + m[0]
			st.outside = true
			beyond = append(beyond, l.Name)
			add(offset+from, rest[from:l.End])
			spans = append(spans, [2]int{from, l.End})
			continue
		}
		places = append(places, l.Name)
		text := placePhrase(rest, l)
		if inside(l.Name) {
			st.inRegion = true
		} else {
			st.outside = true
		}
		add(offset+l.Start, text)
	}
	for _, m := range capitalPlaces(rest) {
		name := rest[m[2]:m[3]]
		if covered(m[2], spans) || notPlaceRe.MatchString(name) || p.NotPlace(name) || productWord(p, name) || len(p.LocationsIn(name)) > 0 || p.RegionOf(name) != "" || p.ScopeLabel(name) != "" || inside(name) {
			if inside(name) && len(p.LocationsIn(name)) == 0 {
				st.inRegion = true // an unknown region's own name
			}
			continue
		}
		if !strings.Contains(textcase.Lower(rest[m[0]:m[1]]), "datacenter") && !strings.Contains(textcase.Lower(rest[m[0]:m[1]]), "region") && !p.HasDataVerb(rest[max(0, m[0]-40):m[0]]) {
			continue
		}
		st.outside = true
		st.unknown = append(st.unknown, name)
		add(offset+m[2], name)
	}
	if len(places) > 0 && containsAny(sentence, "for ", "when ") && forCustomersRe.MatchString(sentence) {
		// "Data resides in Europe for the following countries": the
		// customers' own geography.
		st.subScope, st.inRegion, st.outside = places[0], true, false
	}
	if st.outside && st.subScope == "" && strings.Contains(head, "for ") {
		if m := ownCustomersRe.FindStringSubmatch(head); m != nil {
			// "X's data for tenants in the EUDB … will be stored in the
			// EU": the customers are named before the verb, and their
			// own place is what the data's place is judged against.
			st.customers = strings.TrimSpace(m[1])
		}
	}
	if t := strings.TrimSpace(sentence); st.subScope == "" && len(t) > 4 && (t[:4] == "For " || t[:4] == "for ") && containsAny(t, " use", "using") {
		if m := usesOfferRe.FindStringSubmatch(sentence); m != nil {
			// "For customers who … use Azure AD free edition, …": the
			// claim is about the customers of one offer, not all of the
			// service's customers. Another sentence may say the opposite
			// of the others ("All other premium services …"): the offer
			// keys the record apart.
			st.subScope = strings.TrimSpace(m[1])
		}
	}
	if len(places) > 1 && orListRe.MatchString(rest) && !st.global && len(st.unknown) == 0 && !anywhereRe.MatchString(rest) {
		st.inRegion, st.outside = true, false // a choice: where the customer signed up
	}
	if st.from != "" && st.until != "" && migrateRe.MatchString(sentence) {
		// A migration window: the data is in its new place once it ends.
		st.from, st.until = st.until, ""
	}
	if st.negated && st.outside && !st.global && !beyondOther && len(places) == 0 && len(st.unknown) == 0 && len(beyond) > 0 && allInside(beyond, inside) &&
		firmDenial(p, head, aux) {
		// "Microsoft won't store Intune customer data at rest outside the
		// stated geo": denying that data leaves a place of the region
		// keeps it there.
		st.negated, st.outside, st.inRegion = false, false, true
		st.atRest, st.process = nil, nil
		for _, b := range beyond {
			if !slices.Contains(st.atRest, b) {
				st.atRest = append(st.atRest, b)
			}
		}
		if st.category == Outside {
			st.category = ""
		}
	}
	if i := slices.IndexFunc(st.atRest, demonstrativeRe.MatchString); i >= 0 && st.customers == "" && st.subScope == "" {
		// "If Customer provisions its tenant in Australia, …, or United
		// States, Microsoft will store … only within that Geo": the place
		// the sentence points back to is the places it named before its
		// verb, where the customer's tenant is (BLIND4 class 4: "that
		// Geo" was kept, the 17 geos dropped).
		if names, span := antecedentPlaces(p, whole[:len(whole)-len(sentence)+first[0]]); len(names) > 0 {
			st.customers = span
			st.atRest = slices.Delete(st.atRest, i, i+1)
			for _, n := range names {
				if !slices.Contains(st.atRest, n) {
					st.atRest = append(st.atRest, n)
				}
			}
		}
	}
	if st.category == "" {
		switch {
		case st.outside:
			st.category = Outside
		case st.global:
			st.category = Global
		case st.inRegion:
			st.category = InRegion
		}
	}
	return st
}

// lastWordBefore is where the word of s that ends before at (after one
// space) begins, or -1.
func lastWordBefore(s string, at int) int {
	if at < 2 || s[at-1] != ' ' {
		return -1
	}
	i := strings.LastIndexAny(s[:at-1], " \t(") + 1
	if i >= at-1 {
		return -1
	}
	return i
}

var (
	// illustrationRe opens a sentence that illustrates what was said
	// before it.
	illustrationRe = litmatch.MustCompile(`(?i)^\s*(?:for example|for instance|e\.g\.)\s*,?\s*`)
	// abilityRe is a person and what they can or cannot do, written
	// before a sentence's first data verb: group 1 is the verb that
	// modal governs.
	abilityRe = litmatch.MustCompile(`(?i)^(?:(?:a|an|the|some|any|each|every|all|other|many|one)\s+)?(?:users?|admins?|administrators?|people|persons?|you|customers?|members?|employees?|guests?|owners?|recipients?|senders?)\b[^,;:]*?\b(?:can|cannot|can['’]t|could|couldn['’]t|may|might|will be able to|won['’]t be able to|is able to|isn['’]t able to|are able to|aren['’]t able to|is unable to|are unable to)\s+(?:not\s+|also\s+|only\s+|still\s+)?([a-z]+)\b`)
)

// illustrates reports whether head, a sentence's words before its first
// data verb, opens an illustration ("For example, …", "e.g.") of what a
// person can or cannot do with a verb that is not a data verb: the data
// verb after it stands in that person's object ("… can't use Outlook on
// the web to open a shared folder in a mailbox located in the United
// States"), a case made up to show a limit, not where the service keeps
// data (BLIND4 class 1). An illustration whose own verb places data
// ("For example, users can store files in …") is read as any sentence.
func illustrates(p *source.Profile, head string) bool {
	m := illustrationRe.FindStringIndex(head)
	if m == nil {
		return false
	}
	rest := head[m[1]:]
	a := abilityRe.FindStringSubmatchIndex(rest)
	if a == nil || p.HasDataVerb(rest[a[2]:a[3]]) || ownActVerbs[textcase.Lower(rest[a[2]:a[3]])] {
		return false
	}
	// "… can choose to store", "… can ask for it to be moved": the data
	// verb is the person's own act, which places data.
	between := strings.Fields(textcase.Lower(rest[a[1]:]))
	n := len(between)
	toAct := n > 0 && between[n-1] == "to" || n > 1 && between[n-2] == "to" && between[n-1] == "be"
	return !toAct
}

// ownActVerbs are the verbs whose object is where the person has data
// put ("customers can choose …", "users can have their mailbox stored
// …"): an illustration with one of them may state a location of data.
var ownActVerbs = setOf("choose select elect opt decide request require ask want prefer have get keep make set configure specify assign move")

// qualifierRe opens a phrase that says by whose terms a word is meant
// ("the Data at Rest … as defined by the product terms", "as described
// in", "under the terms of"): the scope it names defines the words, it is
// not the commitment the sentence states (BLIND4 class 3).
var qualifierRe = litmatch.MustCompile(`(?i)\b(?:as (?:defined|described|specified|stated|set out|set forth) (?:by|in|under)|under the terms of)\s`)

// withoutQualifiers blanks the qualifying phrases of a sentence
// (qualifierRe, up to the next auxiliary, verb-like auxiliary or
// punctuation), so that a scope named only inside one does not re-scope
// the statement: "The Data at Rest … for the mailbox as defined by the
// product terms shall be stored in the assigned Satellite Geography"
// states the commitment of the section it stands in.
func withoutQualifiers(s string) string {
	if !strings.Contains(s, " as ") && !strings.Contains(s, "under the terms") {
		return s
	}
	ms := qualifierRe.FindAllStringIndex(s, -1)
	if ms == nil {
		return s
	}
	b := []byte(s)
	for _, m := range ms {
		end := m[1]
		for end < len(s) {
			if c := s[end]; c == ',' || c == ';' || c == ':' || c == '.' || c == '(' || c == ')' {
				break
			}
			w := end
			for w < len(s) && s[w] != ' ' && s[w] != ',' && s[w] != ';' && s[w] != ':' && s[w] != '.' {
				w++
			}
			if auxWords[textcase.Lower(s[end:w])] && end > m[1] {
				break
			}
			end = w
			for end < len(s) && s[end] == ' ' {
				end++
			}
		}
		for i := m[0]; i < end; i++ {
			b[i] = ' '
		}
	}
	return string(b)
}

// clauseBreak is where a sentence's second clause starts ("; " or ": "),
// or -1.
func clauseBreak(s string) int {
	i, j := strings.Index(s, "; "), strings.Index(s, ": ")
	switch {
	case i < 0:
		return j
	case j < 0:
		return i
	}
	return min(i, j)
}

// contrastSpans finds the phrases of s (the text after a statement's
// first verb) that say where data is not, from a negation or contrast
// phrase of the profile ("instead of the US", "and doesn't transfer it to
// the US") to the clause's end, as spans shifted by base. "not only" is no
// contrast, and a list of places runs on across its commas ("instead of
// the US, Canada and Australia").
func contrastSpans(p *source.Profile, s string, base int) [][2]int {
	var spans [][2]int
	for _, m := range p.Contrasts(s) {
		if strings.HasPrefix(textcase.Lower(s[m[0]:]), "not only") {
			continue
		}
		spans = append(spans, [2]int{base + m[0], base + clauseEnd(p, s, m[1])})
	}
	return spans
}

// clauseEnd is where the clause of s going on at from ends: at a ";",
// ".", ":" or a conjunction that starts another clause ("but", "while"),
// or at a comma unless a list of places goes on after it.
func clauseEnd(p *source.Profile, s string, from int) int {
	end := from
	for {
		e := contrastEndRe.FindStringIndex(s[end:])
		if e == nil {
			return len(s)
		}
		stop := end + e[0]
		if next := strings.TrimLeft(s[stop+1:], " "); s[stop] == ',' && (p.PlaceAt(next) || startsUpper(next)) {
			end = stop + 1 // the list of places goes on
			continue
		}
		return stop
	}
}

// accessSpans finds the access clauses of s, the text after a
// statement's first verb (the profile's access verbs: "though they can
// be shared with users in other … locations"), from the access phrase to
// the clause's end or the next data verb (verbs: their starts in s), as
// spans shifted by base: the places there are where people who may reach
// the data are, not where it rests.
func accessSpans(p *source.Profile, s string, base int, verbs []int) [][2]int {
	var spans [][2]int
	for _, m := range p.Accesses(s) {
		end := clauseEnd(p, s, m[1])
		for _, v := range verbs {
			if v >= m[1] && v < end {
				end = v
			}
		}
		spans = append(spans, [2]int{base + m[0], base + end})
	}
	return spans
}

// purposeRe starts a clause saying what a transfer is for.
var purposeRe = litmatch.MustCompile(`(?i)\b(?:in order to|so as to|so that|to (?:ensure|make sure|allow|enable|provide|support|help|guarantee|avoid|prevent|improve|reduce|facilitate|maintain|meet|comply|achieve|deliver a|keep up))\b`)

// purposeSpans finds the purpose clauses of s (the text after a
// statement's first verb), from their first word to the clause's end
// (";" or the sentence's end), as spans shifted by base.
func purposeSpans(s string, base int) [][2]int {
	var spans [][2]int
	for _, m := range purposeRe.FindAllStringIndex(s, -1) {
		end := len(s)
		if i := strings.IndexByte(s[m[1]:], ';'); i >= 0 {
			end = m[1] + i
		}
		spans = append(spans, [2]int{base + m[0], base + end})
	}
	return spans
}

// placeOfAdjective turns a place's adjective into its name: European →
// Europe, Australian → Australia, Japanese → Japan.
func placeOfAdjective(w string) string {
	switch {
	case strings.HasSuffix(w, "ean"):
		return strings.TrimSuffix(w, "an")
	case strings.HasSuffix(w, "ian"):
		return strings.TrimSuffix(w, "n")
	case strings.HasSuffix(w, "ese"):
		return strings.TrimSuffix(w, "ese")
	}
	return w
}

// startsUpper reports whether s starts with a capital letter (a name).
func startsUpper(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsUpper(r)
}

// wordByte marks the bytes findVerbs reads as a word's: ASCII letters and
// '-'.
var wordByte = func() (t [256]bool) {
	for c := 'a'; c <= 'z'; c++ {
		t[c], t[c-'a'+'A'] = true, true
	}
	t['-'] = true
	return t
}()

// findVerbs finds the residency verbs of s: the profile's data verbs
// (source.Profile.DataVerbEnd), "be outside" and the verb "log".
func findVerbs(p *source.Profile, s string) [][2]int {
	var out [][2]int
	start := -1
	for i := 0; i <= len(s); i++ {
		letter := i < len(s) && wordByte[s[i]]
		if letter && start < 0 {
			start = i
		}
		if !letter && start >= 0 {
			w := s[start:i]
			if end, ok := p.DataVerbEnd(w, s[i:]); ok {
				out = append(out, [2]int{start, i + end})
			} else if (w == "be" || w == "is" || w == "are") && strings.HasPrefix(s[i:], " outside ") {
				// "… which might be outside Europe": where the data is.
				out = append(out, [2]int{start, i})
			} else if w[0] == 'l' && loggingVerb(w, s[i:]) {
				out = append(out, [2]int{start, i})
			}
			start = -1
		}
	}
	return out
}

// loggingVerb reports whether the word w, followed by after, is the verb
// "log" ("MFA logs the User Principal Name …", "the service logged a
// device token"), not the noun ("Sign-in logs are …"): a determiner
// after it starts its object.
func loggingVerb(w, after string) bool {
	if w != "logs" && w != "logged" && w != "log" {
		return false
	}
	for _, d := range loggedObject {
		if strings.HasPrefix(after, d) {
			return true
		}
	}
	return false
}

// loggedObject are the determiners that start the object of "log".
var loggedObject = []string{" the ", " a ", " an ", " its ", " their ", " all ", " each ", " every ", " some "}

// globalIndex finds the first phrase placing data everywhere: a bare
// word the profile's places name Global by ("globally", "worldwide",
// "across the world": globalWordAt), or global parties ("global
// providers") when they may be there.
func globalIndex(p *source.Profile, may bool, s string) []int {
	loc := globalWordAt(p, s)
	if may {
		if m := globalProcessRe.FindStringIndex(s); m != nil && (loc == nil || m[0] < loc[0]) {
			loc = m
		}
	}
	return loc
}

// globalWordAt finds the first place of s the profile names Global
// (source.Profile.GlobalAt) that stands as a word of its own ("globally",
// "worldwide", "across the world"): an adverb that places data
// everywhere. The adjective "global" before its noun is globalRestRe's and
// globalProcessRe's ("global datacenters", "global providers"), and a
// place inside a longer word ("o365-worldwide") is none.
func globalWordAt(p *source.Profile, s string) []int {
	for from := 0; from < len(s); {
		m := p.GlobalAt(s[from:])
		if m == nil {
			return nil
		}
		start, end := from+m[0], from+m[1]
		from = max(end, start+1)
		if start > 0 && wordByte[s[start-1]] {
			continue
		}
		for end < len(s) && wordByte[s[end]] && s[end] != '-' {
			end++ // "global" of "globally"
		}
		if end < len(s) && s[end] == '-' || textcase.Lower(s[start:end]) == "global" {
			continue
		}
		return []int{start, end}
	}
	return nil
}

// mayBeInRegion is a cheap test before inRegionPhraseRe: the words every
// in-region phrase holds.
func mayBeInRegion(s string) bool { return mayBeInRegionLower(textcase.Lower(s)) }

// mayBeInRegionLower is mayBeInRegion of a text already lower-cased.
func mayBeInRegionLower(l string) bool {
	return containsAny(l, "geo", "in-region", "in region", "select", "within the", "regional data", "'s region", "’s region", "'s location", "’s location")
}

// containsAny reports whether s contains one of words.
func containsAny(s string, words ...string) bool {
	for _, w := range words {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

// auxWords stand between a subject and its verb: auxiliaries, adverbs,
// negations.
var auxWords = setOf("is are was were can could may might will would shall should must be been being has have had also always only now currently still typically usually all its their not don't doesn't don’t doesn’t won't won’t isn't isn’t aren't aren’t wasn't wasn’t weren't weren’t do does began begins continues yet never no longer previously formerly originally")

// firmDenial reports whether the verb's negation is a plain denial: the
// only negation before the verb, in auxiliaries that neither hedge nor
// qualify it ("won't store", "is not stored", "will never be stored"),
// not "can't guarantee that it won't store", "won't always store" or
// "may not store".
func firmDenial(p *source.Profile, head, aux string) bool {
	if len(p.Contrasts(head)) != 1 {
		return false
	}
	for _, w := range strings.Fields(textcase.Lower(aux)) {
		if !firmAux[w] && !p.Negated(w) {
			return false
		}
	}
	return true
}

// firmAux are the auxiliaries a plain denial is written with: tense,
// voice and "do", no modality that hedges ("may", "might", "could",
// "should") and no adverb that qualifies ("always", "typically").
var firmAux = setOf("is are was were will would shall can be been being has have had do does did")

// trimAux splits the auxiliaries and adverbs off the end of the text
// before a verb: "Microsoft Entra ID permanently" → "Microsoft Entra ID",
// "permanently".
func trimAux(head string) (subject, aux string) {
	h := strings.TrimRight(head, " ")
	end := len(h)
	for end > 0 {
		i := strings.LastIndexByte(h[:end], ' ')
		w := h[i+1 : end]
		lw := textcase.Lower(w)
		adverb := strings.HasSuffix(w, "ly") && w == lw && len(w) > 3
		if !auxWords[lw] && !adverb {
			break
		}
		end = max(i, 0)
		if i < 0 {
			break
		}
	}
	return strings.TrimSpace(h[:end]), strings.TrimSpace(h[end:])
}

// qualifier reports whether the text after a place makes it a qualifier
// of people ("… New Zealand billing address") rather than where data is.
func qualifier(after string) bool {
	// Both patterns stop at the clause's end; bound the look-ahead so a
	// long unpunctuated paragraph stays linear.
	if i := strings.IndexAny(after, ".,;"); i >= 0 {
		after = after[:i]
	}
	if len(after) > maxQualifierLookahead {
		after = after[:maxQualifierLookahead]
	}
	// after holds no '.', ',' or ';' now: the leftmost match of each
	// expression is the match of the expression after `^[^.,;]*?`.
	q := qualifierAfterRe.FindStringIndex(after)
	if q == nil {
		return false
	}
	d := dataPlaceAfterRe.FindStringIndex(after)
	return d == nil || q[1] < d[1]
}

// maxQualifierLookahead bounds how far after a place qualifier looks for
// the noun the place qualifies ("an Australian billing address").
const maxQualifierLookahead = 120

// outsidePhrases finds "outside X" phrases when the text has any.
func outsidePhrases(s string) [][]int {
	if !strings.Contains(s, "utside") && !strings.Contains(s, "ut of") {
		return nil
	}
	return outsidePhraseRe.FindAllStringSubmatchIndex(s, -1)
}

// capitalPlaces finds capitalised names after a preposition of location,
// when the text has any.
func capitalPlaces(s string) [][]int {
	if !containsAny(s, "in ", "to ", "from ", "within ") {
		return nil
	}
	return capitalPlaceRe.FindAllStringSubmatchIndex(s, -1)
}

// productWord reports whether name starts with a word of the product's
// names, its vendor prefixes or the company's name ("Azure Virtual
// Network", "Microsoft 365"): a product, not a place.
func productWord(p *source.Profile, name string) bool {
	first := textcase.Lower(strings.Fields(name + " x")[0])
	if strings.EqualFold(first, p.CompanyPrefix) {
		return true
	}
	for _, n := range append([]string{p.Product.Name}, p.VendorNames()...) {
		for _, w := range strings.Fields(textcase.Lower(n)) {
			if w == first && len(w) > 2 {
				return true
			}
		}
	}
	return false
}

// placePhrase is the place as written, with the word for datacenters
// after it when there is one ("Australian datacenters").
func placePhrase(s string, l source.Location) string {
	text := s[l.Start:l.End]
	rest := s[l.End:]
	if m := dcAfterRe.FindString(rest); m != "" {
		text += m
	}
	return text
}

var dcAfterRe = litmatch.MustCompile(`^\s+data\s*cent(?:er|re)s?\b`)

// subjectOf is the subject of a clause from the text before its verb:
// the part after the last comma (leading clauses and dates qualify it),
// without connectives and auxiliaries.
func subjectOf(head string) string {
	h := strings.TrimSpace(head)
	if i := strings.LastIndex(h, ", "); i >= 0 {
		h = h[i+2:]
	}
	h = leadInRe.ReplaceAllString(h, "")
	h, _ = trimAux(h)
	h = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(h), ","))
	// "customer data of X", "Customer Data for X": X is the subject.
	l := textcase.Lower(" " + h) // lower-cased once for the three
	for _, of := range []string{" data of ", " data for ", " data from "} {
		if i := strings.Index(l, of); i >= 0 {
			h = h[i-1+len(of):]
			break
		}
	}
	return strings.TrimSpace(h)
}

// categoryWords names the category a text states in words.
func categoryWords(s string) Category {
	if !categoryWordSet.inLower(s) {
		return "" // none of the words the cases below need: most sentences
	}
	l := textcase.Lower(s)
	switch {
	case strings.Contains(l, "permanent") && permanentRe.MatchString(s):
		return Permanent
	case strings.Contains(l, "temporar") && temporaryRe.MatchString(s):
		return Temporary
	case strings.Contains(l, "optional") && optionalRe.MatchString(s):
		return Optional
	}
	return ""
}

// categoryWordList are the words categoryWords' cases each need one of;
// categoryWordSet finds them.
var (
	categoryWordList = []string{"permanent", "temporar", "optional"}
	categoryWordSet  = newWordSet(categoryWordList...)
)

var (
	month  = `(January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.?`
	dateRe = litmatch.MustCompile(`\b` + month + `\s+(\d{1,2}),?\s+(\d{4})\b|\b(\d{1,2})\s+` + month + `,?\s+(\d{4})\b|\b(\d{4})-(\d{2})-(\d{2})\b`)
	// fromRe and untilRe are the words that make a date a start or an
	// end; a date after "before" or "created" selects tenants and is
	// neither.
	fromRe    = litmatch.MustCompile(`(?i)\b(?:from|starting(?: on| from)?|beginning(?: on)?|as of|since|effective(?: on| from)?|after)\s*$`)
	untilRe   = litmatch.MustCompile(`(?i)\b(?:until|till|through|to|up to)\s*$`)
	betweenRe = litmatch.MustCompile(`(?i)\bbetween\s*$`)
)

// tail is the last n bytes of s (whole runes).
func tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	i := len(s) - n
	for i < len(s) && !utf8.RuneStart(s[i]) {
		i++
	}
	return s[i:]
}

// datesIn reads the start and end dates a sentence states, as YYYY-MM-DD.
func datesIn(s string) (from, until string) {
	if !hasYear(s) {
		return "", ""
	}
	ms := dateRe.FindAllStringSubmatchIndex(s, -1)
	for i, m := range ms {
		d := isoOf(s, m)
		if d == "" {
			continue
		}
		before := tail(s[:m[0]], 30)
		switch {
		case betweenRe.MatchString(before) && i+1 < len(ms):
			if from == "" {
				from = d
			}
			if until == "" {
				until = isoOf(s, ms[i+1])
			}
		case fromRe.MatchString(before):
			if from == "" {
				from = d
			}
		case untilRe.MatchString(before) || (strings.HasSuffix(strings.TrimSpace(textcase.Lower(before)), "and") && from != "" && until == ""):
			if until == "" {
				until = d
			}
		}
	}
	return from, until
}

// hasYear reports whether s holds a year (19xx or 20xx).
func hasYear(s string) bool {
	for i := 0; i+4 <= len(s); i++ {
		if (s[i] == '1' && s[i+1] == '9' || s[i] == '2' && s[i+1] == '0') && isDigit(s[i+2]) && isDigit(s[i+3]) {
			return true
		}
	}
	return false
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// isoOf formats the date dateRe matched at m.
func isoOf(s string, m []int) string {
	group := func(i int) string {
		if m[2*i] < 0 {
			return ""
		}
		return s[m[2*i]:m[2*i+1]]
	}
	var text, layout string
	switch {
	case group(1) != "":
		text, layout = group(1)[:3]+" "+group(2)+" "+group(3), "Jan 2 2006"
	case group(4) != "":
		text, layout = group(5)[:3]+" "+group(4)+" "+group(6), "Jan 2 2006"
	default:
		text, layout = group(7)+"-"+group(8)+"-"+group(9), "2006-01-02"
	}
	t, err := time.Parse(layout, text)
	if err != nil {
		return ""
	}
	return t.Format("2006-01-02")
}

// globalPlace is the canonical name the profiles give everywhere: the
// place a global record's fields name.
const globalPlace = source.GlobalPlace
