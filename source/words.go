package source

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/residiff/residiff/internal/litmatch"
)

// DataVerb is a verb that says where data is or goes ("stored",
// "replicated", "routed", "at rest"): its Match names a finite set of
// forms, each one or more words (ASCII letters and hyphens), matched as
// written.
type DataVerb struct {
	Term `yaml:",inline"`
	// Process marks a verb whose place is where data is processed, not
	// where it rests ("routed", "validated", "sent", "placed").
	Process bool `yaml:"process,omitempty"`
	// Resting marks a verb whose subject is the data itself ("data
	// stays", "logs reside"), as a passive's is.
	Resting bool `yaml:"resting,omitempty"`
}

// Negation is a word or phrase that says what is not so ("not", "never",
// "n't"), or, marked Contrast, names what is not so beside what is
// ("instead of").
type Negation struct {
	Term `yaml:",inline"`
	// Contrast marks a phrase that sets off what is not so without
	// negating a verb ("instead of the US", "rather than").
	Contrast bool `yaml:"contrast,omitempty"`
	// Object marks a negation of the noun after it ("no"): it negates a
	// verb it follows ("keeps no data"), never one it stands before.
	Object bool `yaml:"object,omitempty"`
}

// AdviceMarker is a phrase that sends the reader elsewhere ("see", "refer
// to"). Reference and Navigation say which question it answers; a marker
// may answer both.
type AdviceMarker struct {
	Term `yaml:",inline"`
	// Reference marks a phrase that makes a linked paragraph under a
	// service's name a reference to the page it links ("see", "more
	// information", "details").
	Reference bool `yaml:"reference,omitempty"`
	// Navigation marks a phrase that makes a linked sentence send the
	// reader to another page for a list ("go to", "listed in", "moved
	// to").
	Navigation bool `yaml:"navigation,omitempty"`
}

// verbIndex is the data verbs' forms for looking words up.
type verbIndex struct {
	forms map[string]DataVerb // every form, a phrase's too
	// phrases are, by their first word, the rest of each form of more
	// than one word (" rest" after "at").
	phrases map[string][]string
	// shapes marks, by the first byte of every form's first word shorter
	// than 16 bytes, the bit of its length: most words are ruled out
	// without a lookup.
	shapes [256]uint16
}

// compileWords compiles the data verbs, negations and advice markers,
// keeping the first error in *err.
func (p *Profile) compileWords(err *error) {
	verbs := make([]Term, len(p.DataVerbs))
	for i, v := range p.DataVerbs {
		verbs[i] = v.Term
	}
	p.dataVerbs = compileTerms("data_verbs", verbs, "", err)
	negs := make([]Term, len(p.Negations))
	for i, n := range p.Negations {
		negs[i] = n.Term
	}
	p.negations = compileTerms("negations", negs, "(?i)", err)
	markers := make([]Term, len(p.AdviceMarkers))
	for i, m := range p.AdviceMarkers {
		markers[i] = m.Term
		if !m.Reference && !m.Navigation && *err == nil {
			*err = fmt.Errorf("advice_markers[%d] %q: reference, navigation or both", i, m.Name)
		}
	}
	p.advice = compileTerms("advice_markers", markers, "(?i)", err)
	compileTerms("access_verbs", p.AccessVerbs, "(?i)", err)
	if *err != nil {
		return
	}
	if re, aerr := anyOf(p.AccessVerbs, "(?i)"); aerr == nil && re != nil {
		p.access = litmatch.MustCompile(re.String())
	}
	compileTerms("move_times", p.MoveTimes, "(?i)", err)
	if *err != nil {
		return
	}
	if re, merr := anyOf(p.MoveTimes, "(?i)"); merr == nil && re != nil {
		p.moveTimes = litmatch.MustCompile(re.String())
	}
	p.verbs = verbIndex{forms: map[string]DataVerb{}, phrases: map[string][]string{}}
	for i, re := range p.dataVerbs {
		forms, ok := litmatch.Words(re)
		for _, f := range forms {
			ok = ok && strings.Trim(f, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ- ") == ""
		}
		if !ok {
			*err = fmt.Errorf("data_verbs[%d] %q: match must name a few forms, words of letters and hyphens matched as written (`\\bstor(?:e|es|ed)\\b`)", i, p.DataVerbs[i].Name)
			return
		}
		for _, f := range forms {
			p.verbs.forms[f] = p.DataVerbs[i]
			first, rest, phrase := strings.Cut(f, " ")
			if phrase {
				p.verbs.phrases[first] = append(p.verbs.phrases[first], " "+rest)
			}
			if len(first) < 16 {
				p.verbs.shapes[first[0]] |= 1 << len(first)
			}
		}
	}
	var after []string
	for _, n := range p.Negations {
		if !n.Contrast {
			after = append(after, "(?i:"+n.Match+")")
		}
	}
	if len(after) > 0 {
		p.negatedAfter = litmatch.MustCompile(`^\s+(?:` + strings.Join(after, "|") + `)`)
	}
	p.anyNegation, *err = anyOf(negs, "(?i)")
}

// DataVerbEnd reports whether the word w (ASCII letters and hyphens),
// followed in its text by after, is or starts a data verb, and where in
// after the verb ends: 0 for a verb of one word, past its other words for
// a phrase ("at" before " rest"), which must end a word there.
func (p *Profile) DataVerbEnd(w, after string) (end int, ok bool) {
	if w == "" || len(w) < 16 && p.verbs.shapes[w[0]]>>len(w)&1 == 0 {
		return 0, false // most words: inlined, no lookup
	}
	return p.dataVerbEnd(w, after)
}

// dataVerbEnd is DataVerbEnd of a word of a verb's shape.
func (p *Profile) dataVerbEnd(w, after string) (end int, ok bool) {
	if _, ok := p.verbs.forms[w]; ok {
		return 0, true
	}
	for _, rest := range p.verbs.phrases[w] {
		if strings.HasPrefix(after, rest) && (len(after) == len(rest) || !wordByte(after[len(rest)])) {
			return len(rest), true
		}
	}
	return 0, false
}

// wordByte reports whether b is part of a word as DataVerbEnd reads it:
// an ASCII letter or a hyphen.
func wordByte(b byte) bool {
	return 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z' || b == '-'
}

// DataVerb is the data verb of which verb (a form as written, "routed",
// "at rest") is a form.
func (p *Profile) DataVerb(verb string) (DataVerb, bool) {
	v, ok := p.verbs.forms[verb]
	return v, ok
}

// HasDataVerb reports whether s uses a data verb.
func (p *Profile) HasDataVerb(s string) bool {
	if v := p.matchers().dataVerbs; v != nil {
		if found, ok := v.Any(s); ok {
			return found
		}
	}
	return anyOfKind(nil, p.dataVerbs, s, func(int) bool { return true })
}

// Negated reports whether s negates what follows it ("is not", "never",
// "doesn't"): a negation that is neither a contrast nor a noun's ("no").
func (p *Profile) Negated(s string) bool {
	return anyOfKind(p.matchers().negations, p.negations, s, func(i int) bool {
		return !p.Negations[i].Contrast && !p.Negations[i].Object
	})
}

// NegatedAfter reports whether s, the text after a verb, starts (after
// white space) with a negation of it ("stored not in …", "keeps no …").
func (p *Profile) NegatedAfter(s string) bool {
	return p.negatedAfter != nil && p.negatedAfter.MatchString(s)
}

// Contrasts lists where s says what is not so: every negation and
// contrast phrase, leftmost first, without overlaps, as start and end.
func (p *Profile) Contrasts(s string) [][2]int {
	var out [][2]int
	if v := p.matchers().negations; v != nil {
		var buf [8]litmatch.Hit
		if hs, ok := v.Hits(s, buf[:0]); ok {
			for _, h := range litmatch.LeftmostFirst(hs) {
				out = append(out, [2]int{h.Start, h.End})
			}
			return out
		}
	}
	for _, m := range matchesOf(p.anyNegation, s) {
		out = append(out, [2]int{m[0], m[1]})
	}
	return out
}

// Accesses lists where s says who may reach data (the profile's access
// verbs: "can be shared with", "accessed by"), leftmost first, as start
// and end.
func (p *Profile) Accesses(s string) [][2]int {
	if p.access == nil {
		return nil
	}
	var out [][2]int
	for _, m := range p.access.FindAllStringIndex(s, -1) {
		out = append(out, [2]int{m[0], m[1]})
	}
	return out
}

// MoveTimesIn lists where s ties a clause to the time before or during a
// move of data (the profile's move times: "until", "while", "being
// moved"), in order.
func (p *Profile) MoveTimesIn(s string) [][2]int {
	if p.moveTimes == nil {
		return nil
	}
	var out [][2]int
	for _, m := range p.moveTimes.FindAllStringIndex(s, -1) {
		out = append(out, [2]int{m[0], m[1]})
	}
	return out
}

// RefersElsewhere reports whether s uses an advice marker that makes a
// linked paragraph under a service's name a reference ("see", "details").
func (p *Profile) RefersElsewhere(s string) bool {
	v := p.matchers()
	return v.refersElsewhere.get(s, func(s string) bool {
		return anyOfKind(v.advice, p.advice, s, func(i int) bool { return p.AdviceMarkers[i].Reference })
	})
}

// Navigates reports whether s uses an advice marker that sends the reader
// to another page for a list ("see", "go to", "listed in").
func (p *Profile) Navigates(s string) bool {
	v := p.matchers()
	return v.navigates.get(s, func(s string) bool {
		return anyOfKind(v.advice, p.advice, s, func(i int) bool { return p.AdviceMarkers[i].Navigation })
	})
}

// anyOfKind reports whether s holds a term of a vocabulary (its one-pass
// matcher v, or its expressions res when v cannot answer) for which kind
// holds.
func anyOfKind(v *litmatch.Vocab, res []*regexp.Regexp, s string, kind func(int) bool) bool {
	if v != nil {
		var buf [8]litmatch.Hit
		if hs, ok := v.Hits(s, buf[:0]); ok {
			for _, h := range hs {
				if kind(h.Term) {
					return true
				}
			}
			return false
		}
	}
	for i, re := range res {
		if kind(i) && re.MatchString(s) {
			return true
		}
	}
	return false
}
