package extractor

import (
	"regexp"
	"slices"
	"strings"

	"github.com/residiff/residiff/internal/litmatch"
	"github.com/residiff/residiff/internal/textcase"
	"github.com/residiff/residiff/source"
)

// Data types of a prose claim: the noun phrase that names the data a
// residency verb moves. In the passive or with a verb of resting ("All
// policy configuration data is stored only in the US", "Role definitions,
// role assignments, and deny assignments are stored globally") it is the
// verb's subject; in the active ("Azure AD B2B stores a set of metadata in
// tables within the US datacenters") it is the verb's object, up to where
// the place or purpose begins. A phrase names data only when one of its
// words is a noun for data (dataHeadRe); a pronoun subject ("they are
// published globally") stands for the subject of the clause before it.
// A later clause or sentence of the claim that says what the data includes
// ("This table includes fields like …", "its entities include …") adds to
// the phrase it follows.

var (
	// dataHeadRe finds a noun that names data in a phrase: the data types
	// of a claim, and whether the subject of "X is outside Y" is data
	// (where it rests) or a party (where it is processed).
	dataHeadRe = litmatch.MustCompile(`(?i)\b(?:data|information|logs?|metadata|records?|copy|copies|backups?|attributes|definitions|assignments|content|files?|fields|identifiers|invitations|credentials|certificates|tokens|settings|polic(?:y|ies)|secrets|keys|history|reports?|tenants?|directory)\b`)
	// includesRe finds "… includes X" / "… contain X": what the data
	// named before holds.
	includesRe = litmatch.MustCompile(`(?i)\b(?:include|includes|contain|contains)\s+`)
	// elaborationSubjectRe is the subject of an includes-clause that
	// points back at the data named before it.
	elaborationSubjectRe = litmatch.MustCompile(`(?i)^(?:and\s+)?(?:this|these|that|those|its|their|it|they|types? of|examples? of|the (?:table|list|data|set))\b`)
)

// phraseStop are the words a data noun phrase, read back from its verb,
// does not reach across: prepositions of place and time, conjunctions that
// start a clause, verbs of being and causing, connectives.
var phraseStop = setOf("in on at to into from by within across outside over under through via when while if because since although though whereas unless where resulting result are is was were be been being there allow allows allowed cause causes caused enable enables let lets have has had can could may might will would should must then so also however additionally addition example instance today currently e.g. i.e. see")

// objectStop are the words that end a verb's object: where the place,
// the time, the purpose or the next clause begins.
var objectStop = setOf("in within at on to into outside out across from globally locally worldwide for until through based so when if while because unless as by regardless")

// relatives start a relative clause: read back over, they belong to the
// noun phrase before them.
var relatives = map[string]bool{"that": true, "that's": true, "that’s": true, "which": true, "who": true}

// prepositions may stand inside a relative clause of a noun phrase.
var prepositions = map[string]bool{"in": true, "on": true, "at": true, "to": true, "into": true, "from": true, "by": true, "within": true, "across": true, "over": true, "under": true, "through": true, "via": true}

// determiners start a noun phrase.
var determiners = map[string]bool{"a": true, "an": true, "the": true, "its": true, "their": true, "our": true, "your": true, "his": true, "her": true, "some": true, "all": true, "any": true, "each": true, "every": true, "most": true, "these": true, "those": true, "this": true}

// pronouns stand for a noun phrase named before.
var pronouns = map[string]bool{"it": true, "they": true, "these": true, "those": true, "this": true}

// passiveAux are the auxiliaries of the passive and of "be outside".
var passiveAux = map[string]bool{"is": true, "are": true, "was": true, "were": true, "be": true, "been": true, "being": true}

// dataPhrases reads the data a clause's residency verb (at verb in
// sentence) speaks of. before is the clause cut off in front of it (a
// leading "When …," clause) whose subject a pronoun stands for.
func dataPhrases(p *source.Profile, sentence string, verb [2]int, before string) []string {
	if !dataHeadRe.MatchString(sentence) && !pronounBefore(sentence[:verb[0]]) {
		return nil // no noun for data, and no pronoun standing for one
	}
	head := sentence[:verb[0]]
	for _, c := range []string{"'re ", "’re "} {
		if strings.HasSuffix(head, c) {
			head = head[:len(head)-len(c)] + " are " // "they're published"
		}
	}
	_, aux := trimAux(head)
	// A verb whose subject is the data ("data stays", "logs reside", "it
	// is outside Europe") reads it as a passive does.
	v, _ := p.DataVerb(sentence[verb[0]:verb[1]])
	passive := v.Resting || copulaRe.MatchString(sentence[verb[0]:verb[1]])
	for _, w := range strings.Fields(textcase.Lower(aux)) {
		passive = passive || passiveAux[w]
	}
	subject := subjectPhrase(p, head)
	object := objectPhrase(p, sentence[verb[1]:])
	if pronouns[textcase.Lower(subject)] {
		if !passive && dataHeadRe.MatchString(object) {
			// "It generates log and usage data stored in …": the
			// pronoun is who acts; its object names the data.
			return withElaboration(p, []string{withoutOwner(object)}, sentence[verb[1]:])
		}
		if subject = antecedent(p, before); subject != "" {
			return withElaboration(p, []string{subject}, sentence[verb[1]:])
		}
		return nil
	}
	var out []string
	switch {
	case passive && dataHeadRe.MatchString(subject):
		out = []string{subject}
	case !passive && (dataHeadRe.MatchString(object) || object != "" && loggingVerb(textcase.Lower(sentence[verb[0]:verb[1]]), sentence[verb[1]:])):
		// What a service logs is data whatever its noun ("logs the User
		// Principal Name (UPN), voice-call telephone numbers, and SMS
		// challenges").
		out = []string{object}
	case dataHeadRe.MatchString(subject):
		// "… resulting in some customer data … stored and processed in
		// …": a participle whose noun stands before it.
		out = []string{subject}
	}
	if out != nil {
		out[0] = withoutOwner(out[0])
	}
	if out == nil || strings.Contains(textcase.Lower(out[0]), "following") || bare(out[0]) {
		return nil // "The following customer data will be stored …:" names the list after it
	}
	return withElaboration(p, out, sentence[verb[1]:])
}

// pronounBefore reports whether head may end in a pronoun subject (a
// cheap test before subjectPhrase).
func pronounBefore(head string) bool {
	return containsAny(textcase.Lower(head), "it ", "they", "these", "those", "this ")
}

// withElaboration appends what a later clause of the sentence says the
// data includes ("… is globally synced and its entities include role
// assignments and role definitions").
func withElaboration(p *source.Profile, data []string, after string) []string {
	if e := elaboration(p, after); e != "" && len(data) > 0 {
		data[len(data)-1] += ": " + e
	}
	return data
}

// elaboration is X of a clause "this/its … include(s) X" in s, or "" —
// never of a negated one ("It doesn't include any personal data").
func elaboration(p *source.Profile, s string) string {
	m := includesRe.FindStringIndex(s)
	if m == nil {
		// "… to egress outside of X, including user account data, …".
		if i := strings.Index(s, ", including "); i >= 0 {
			return strings.TrimSpace(strings.TrimRight(s[i+len(", including "):], ". "))
		}
		return ""
	}
	clause := s[:m[0]]
	if i := strings.LastIndexAny(clause, ",;"); i >= 0 {
		clause = clause[i+1:]
	}
	clause = strings.TrimSpace(clause)
	if !elaborationSubjectRe.MatchString(clause) || p.Negated(clause) {
		return ""
	}
	what := s[m[1]:]
	if i := strings.IndexAny(what, ".;"); i >= 0 && (i+1 == len(what) || what[i+1] == ' ') {
		what = what[:i]
	}
	if w := textcase.Lower(what); strings.HasPrefix(w, "no ") || strings.HasPrefix(w, "none") {
		return "" // "this metadata contains no personal data": what it holds not
	}
	return strings.TrimSpace(what)
}

// subjectPhrase is the noun phrase that ends the text before a verb, read
// back from the verb over its auxiliaries, a trailing relative pronoun
// ("…, which are stored") and "to" ("allow customer data to egress"), up
// to a word no noun phrase crosses.
func subjectPhrase(p *source.Profile, head string) string {
	h, _ := trimAux(head)
	words := strings.Fields(h)
	for len(words) > 0 {
		w := textcase.Lower(strings.TrimRight(words[len(words)-1], ","))
		if !relatives[w] && w != "to" {
			break
		}
		words = words[:len(words)-1]
	}
	if len(words) > 0 {
		words[len(words)-1] = strings.TrimRight(words[len(words)-1], ",")
	}
	start := len(words)
	for start > 0 && len(words)-start < maxDataWords {
		w := words[start-1]
		lw := textcase.Lower(strings.Trim(w, ",()"))
		if phraseStop[lw] || strings.HasSuffix(w, ":") || isNumber(strings.Trim(w, ",.")) {
			// A relative clause read back over belongs to the noun
			// before it: "email address of users that unsubscribe from
			// receiving B2B invitations".
			if r := slices.IndexFunc(words[max(0, start-8):start-1], func(w string) bool { return relatives[textcase.Lower(w)] }); r >= 0 && prepositions[lw] {
				start = max(0, start-8) + r
				continue
			}
			if reducedRelative(p, words[:start]) {
				// "All customer data sourced from these services covered
				// by data residency commitments": a participle and its
				// preposition belong to the noun before them.
				start--
				continue
			}
			break
		}
		start--
		if determiners[lw] && start > 0 {
			// A determiner starts the phrase unless the phrase goes on
			// before it: "a backup copy of the …", "X and the Y", "data
			// sourced from these services".
			if pl := textcase.Lower(strings.Trim(words[start-1], "()")); pl != "of" && pl != "for" && pl != "with" && pl != "and" && pl != "or" && !reducedRelative(p, words[:start]) {
				break
			}
		}
	}
	if start == len(words) {
		return ""
	}
	out := words[start:]
	for len(out) > 0 && relatives[textcase.Lower(out[0])] {
		out = out[1:]
	}
	return strings.TrimSpace(strings.Join(out, " "))
}

// reducedRelative reports whether words end in a participle that is no
// verb of residency and a preposition ("sourced from", "covered by"): a
// clause that says which of the noun before it, whose own noun is not the
// phrase's. ("data stored in …" is no such clause: its place is the
// claim's.)
func reducedRelative(p *source.Profile, words []string) bool {
	n := len(words)
	if n < 3 || !prepositions[textcase.Lower(words[n-1])] {
		return false
	}
	w := textcase.Lower(strings.Trim(words[n-2], ",()"))
	// After a noun, not an auxiliary: "data is added to a queue" is
	// a clause of its own.
	return len(w) > 4 && strings.HasSuffix(w, "ed") && !isDataVerb(p, w) && !strings.HasSuffix(words[n-2], ",") &&
		!passiveAux[textcase.Lower(words[n-3])] && !phraseStop[textcase.Lower(words[n-3])]
}

// objectPhrase is the noun phrase right after a verb, up to where the
// place, time or purpose begins, or the next verb or relative clause
// ("log and usage data stored in …", "log and usage data that goes to
// …"); a list it introduces (", such as …", ", including …") is part of
// it, and so is a list of its own ("metadata about the tenant, connector
// machines, and configuration data").
func objectPhrase(p *source.Profile, after string) string {
	words := strings.Fields(after)
	var out []string
	list := false // the phrase is a list "A, B, and C"
	for i := 0; i < len(words) && len(out) < maxDataWords; i++ {
		w := words[i]
		lw := textcase.Lower(strings.TrimRight(w, ".,;:"))
		if objectStop[lw] || strings.HasPrefix(lw, "(") && len(out) == 0 {
			break
		}
		if len(out) == 0 && (lw == "at-rest" || lw == "it" || lw == "them") {
			break
		}
		if len(out) > 0 && (relatives[lw] || isDataVerb(p, strings.TrimRight(w, ".,;:"))) {
			break
		}
		if strings.HasSuffix(w, ".") || strings.HasSuffix(w, ";") || strings.HasSuffix(w, ":") {
			out = append(out, strings.TrimRight(w, ".;:"))
			break
		}
		if strings.HasSuffix(w, ",") {
			next := ""
			if i+1 < len(words) {
				next = textcase.Lower(words[i+1])
			}
			list = list && (next == "and" || next == "or") || listAhead(p, words[i+1:])
			if next != "such" && next != "including" && next != "like" && !list {
				out = append(out, strings.TrimRight(w, ","))
				break
			}
		}
		out = append(out, w)
	}
	return strings.TrimSpace(strings.Join(out, " "))
}

// listAhead reports whether words, after a comma in a noun phrase, go on
// as the items of a list that ends in "and" or "or" (", connector
// machines, and configuration data"): a short item, a comma, the
// conjunction. A clause after the comma ("…, and it is processed …") is
// no item.
func listAhead(p *source.Profile, words []string) bool {
	for i, w := range words {
		if i >= 5 {
			return false
		}
		lw := textcase.Lower(strings.TrimRight(w, ","))
		if i == 0 && (lw == "and" || lw == "or") || objectStop[lw] || relatives[lw] || isDataVerb(p, strings.TrimRight(w, ",")) || passiveAux[lw] || pronouns[lw] {
			return false
		}
		if strings.HasSuffix(w, ".") || strings.HasSuffix(w, ";") || strings.HasSuffix(w, ":") {
			return false
		}
		if strings.HasSuffix(w, ",") {
			if i+1 < len(words) {
				next := textcase.Lower(words[i+1])
				return next == "and" || next == "or"
			}
			return false
		}
	}
	return false
}

// antecedent is the subject of a leading clause ("When an IP Address or
// phone number is determined to be used …") that a pronoun after it
// stands for, or "".
func antecedent(p *source.Profile, clause string) string {
	if clause == "" {
		return ""
	}
	words := strings.Fields(clause)
	for i, w := range words {
		if i > 0 && passiveAux[textcase.Lower(w)] {
			return subjectPhrase(p, strings.Join(words[:i], " "))
		}
	}
	return ""
}

// withoutOwner drops a trailing "for/of/from <Name>" from a data phrase:
// it says whose data ("Customer Data for Microsoft Entra multifactor
// authentication"), which is the record's service, not what data — the
// active "MFA stores Customer Data" names the same data.
// So does "for <customers>" ("a backup copy of the Azure AD's Customer
// Data for these new tenants"): whose data, not which.
func withoutOwner(phrase string) string {
	m := ownerRe.FindStringIndex(phrase)
	if strings.Contains(phrase, " for ") || strings.Contains(phrase, " For ") {
		if p := partyRe.FindStringIndex(phrase); p != nil && (m == nil || p[0] < m[0]) {
			m = p
		}
	}
	if m == nil || m[0] == 0 {
		return phrase
	}
	return strings.TrimSpace(phrase[:m[0]])
}

var (
	// ownerRe is a qualifier naming an owner by its name.
	ownerRe = litmatch.MustCompile(`\s(?:for|of|from)\s+[A-Z]`)
	// partyRe is a qualifier naming the customers the data is for.
	// (A plain expression: the case-folded literals of these words would
	// make litmatch's guard an automaton of thousands of variants.)
	partyRe = regexp.MustCompile(`(?i)\sfor\s+(?:(?:these|those|the|new|existing|all|its|their)\s+)*(?:tenants?|customers?|organi[sz]ations?)\b`)
)

// bare reports whether a data phrase is only a noun for data after its
// determiners ("Data", "the data", "their data"): it names no data type.
func bare(phrase string) bool {
	var rest []string
	for _, w := range strings.Fields(phrase) {
		if !determiners[textcase.Lower(w)] {
			rest = append(rest, w)
		}
	}
	return len(rest) == 1 && dataHeadRe.MatchString(rest[0])
}

// anaphoric reports whether a data phrase points back at data named
// before it ("the Teams data", "all their chat data", "the operational
// logs"): in prose it restates, and a restatement reworded must not read
// as other data.
func anaphoric(phrase string) bool {
	for _, w := range strings.Fields(textcase.Lower(phrase)) {
		switch w {
		case "the", "their", "its", "this", "that", "these", "those", "such":
			return true
		case "all", "of", "most", "some":
			continue
		}
		return false
	}
	return false
}

// isNumber reports whether w is all digits: a day or a year of a date
// before the phrase ("From April 15, 2022 to June 30, 2022 a backup copy
// …").
func isNumber(w string) bool {
	for i := 0; i < len(w); i++ {
		if !isDigit(w[i]) {
			return false
		}
	}
	return w != ""
}

// maxDataWords bounds a data phrase.
const maxDataWords = 40

// isDataVerb reports whether the word w is a form of one of the profile's
// data verbs.
func isDataVerb(p *source.Profile, w string) bool {
	_, ok := p.DataVerb(w)
	return ok
}
