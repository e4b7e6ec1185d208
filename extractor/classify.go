package extractor

import (
	"strings"
	"unicode"

	"github.com/residiff/residiff/internal/litmatch"
	"github.com/residiff/residiff/internal/textcase"
	"github.com/residiff/residiff/serviceid"
	"github.com/residiff/residiff/source"
)

// Small patterns over the text of one node: what a heading, label or
// sentence says. None of them is applied to the raw page.
var (
	permanentRe = litmatch.MustCompile(`(?i)\bpermanent`)
	temporaryRe = litmatch.MustCompile(`(?i)\btemporar`)
	optionalRe  = litmatch.MustCompile(`(?i)\boptional\b`)
	globalRe    = litmatch.MustCompile(`(?i)\bstored\s+globally\b|\bglobal\s+data\s*cent(er|re)s\b`)
	outsideRe   = litmatch.MustCompile(`(?i)\b(stored|processed|stores|transfer\w*|egress\w*)\b.*\b(outside|out of)\b|\bexclu(ded|sions?)\b|\bexceptions?\b`)

	// inRegionValueRe reads a table cell saying the data stays in the
	// region or geo.
	inRegionValueRe = litmatch.MustCompile(`(?i)\bin[- ]?(geo|region)\b|\bgeo[- ]?location\b|\bcustomer[- ]selectable\b|\bin\s+region\b`)
)

// categoryOf returns the category a heading names, or "".
func categoryOf(heading string) Category {
	if c := categoryWords(heading); c != "" {
		return c
	}
	l := textcase.Lower(heading)
	if !containsAny(l, "global", "outside", "out of", "exclu", "exception") {
		return ""
	}
	switch {
	case permanentRe.MatchString(heading):
		return Permanent
	case temporaryRe.MatchString(heading):
		return Temporary
	case optionalRe.MatchString(heading):
		return Optional
	case globalRe.MatchString(heading):
		return Global
	case outsideRe.MatchString(heading):
		return Outside
	}
	return ""
}

// factKey is factKey of the page's profile, kept in the run's Memo.
func (x *extraction) factKey(label string) string {
	if k, ok := x.opts.Memo.factKey(x.opts.Profile, label); ok {
		return k
	}
	k := factKey(x.opts.Profile, label)
	x.opts.Memo.keepFactKey(x.opts.Profile, label, k)
	return k
}

// factKey names the record field a fact label fills, or "": by the
// source's fact labels, or within two edits of a label as its pages spell
// it ("Customer data procesing").
func factKey(p *source.Profile, label string) string {
	l := strings.TrimSpace(strings.TrimRight(clean(label), ":-–— "))
	if key := p.FactField(l); key != "" {
		return key
	}
	for _, c := range p.Grammar.LabelSpellings {
		if len(l) >= 10 && serviceid.Near(l, c.Match, 2) {
			return c.Name
		}
	}
	return ""
}

// scopeLabel returns the scope a paragraph such as "**EU Data Residency:**"
// narrows to, or "".
func scopeLabel(p *source.Profile, text string) string {
	return p.ScopeLabel(strings.TrimRight(clean(text), ":"))
}

// trimSeparator removes the separator between a label and its value:
// " - ", "-", ":", dashes.
func trimSeparator(s string) string {
	return strings.TrimSpace(strings.TrimLeft(strings.TrimSpace(s), "-–—:"))
}

// splitServices splits "A, B, and C" into names, leaving commas inside
// parentheses alone.
func splitServices(s string) []string {
	var out []string
	depth, start := 0, 0
	add := func(part string) {
		part = strings.TrimSpace(strings.TrimRight(strings.TrimSpace(part), ".;"))
		part = strings.TrimSpace(strings.TrimPrefix(part, "and "))
		if part != "" {
			out = append(out, part)
		}
	}
	for i, c := range s {
		switch c {
		case '(', '[':
			depth++
		case ')', ']':
			if depth > 0 {
				depth--
			}
		case ',', ';':
			if depth == 0 {
				add(s[start:i])
				start = i + 1
			}
		}
	}
	add(s[start:])
	return out
}

// sentences splits prose into sentences at a period followed by a space
// and a capital letter or a numbered note's mark ("(2) "), keeping
// abbreviations such as "U.S." whole.
func sentences(s string) []string {
	var out []string
	start := 0
	for i := 0; i+2 < len(s); i++ {
		// The next '.' with two bytes after it.
		j := strings.IndexByte(s[i:len(s)-2], '.')
		if j < 0 {
			break
		}
		i += j
		if s[i+1] != ' ' || !unicode.IsUpper(rune(s[i+2])) && !noteMarkAt(s, i+2) {
			continue
		}
		word := s[strings.LastIndexByte(s[:i], ' ')+1 : i]
		end := i                                           // the full stop is dropped
		if strings.Contains(word, ".") || len(word) == 1 { // U.S., e.g., initials
			if !lettersAndDots(word) || !opensSentence(s[i+2:]) {
				continue
			}
			end = i + 1 // the abbreviation's own period stays ("in the U.S.")
		}
		out = append(out, strings.TrimSpace(s[start:end]))
		start = i + 2
	}
	rest := strings.TrimSpace(s[start:])
	if last := rest[strings.LastIndexByte(rest, ' ')+1:]; !strings.Contains(strings.TrimSuffix(last, "."), ".") {
		rest = strings.TrimSpace(strings.TrimSuffix(rest, ".")) // the full stop, not the one of "U.S."
	}
	if rest != "" {
		out = append(out, rest)
	}
	return out
}

// openers are the function words a sentence starts with that never
// continue a name after an abbreviation ("… stored only in the U.S. For
// more info …", not "the U.S. Government").
var openers = map[string]bool{"the": true, "this": true, "these": true, "those": true, "that": true, "there": true,
	"for": true, "if": true, "in": true, "it": true, "its": true, "a": true, "an": true, "all": true, "some": true,
	"when": true, "while": true, "to": true, "as": true, "on": true, "at": true, "by": true, "with": true,
	"they": true, "we": true, "you": true, "each": true, "any": true, "but": true, "so": true}

// opensSentence reports whether s, the text after an abbreviation's
// period and a space, starts a new sentence: a function word that opens
// one, or a capitalised word and a comma ("Additionally, …", "However,
// …"), which no name goes on with.
func opensSentence(s string) bool {
	n := 0
	for n < len(s) && (unicode.IsLetter(rune(s[n])) || s[n] == '\'' || s[n] == '-') {
		n++
	}
	if n == 0 || !unicode.IsUpper(rune(s[0])) {
		return false
	}
	return n < len(s) && s[n] == ',' || openers[textcase.Lower(s[:n])]
}

// lettersAndDots reports whether word is an abbreviation of letters and
// periods ("U.S", "e.g"), not a number or a section ("4.1.3)").
func lettersAndDots(word string) bool {
	for _, r := range word {
		if r != '.' && !unicode.IsLetter(r) {
			return false
		}
	}
	return word != ""
}

// noteMarkAt reports whether a numbered note's mark ("(2) ") starts at
// s[i]: the next sentence is the next note ("… 21Vianet. (2)
// Authentication data: …").
func noteMarkAt(s string, i int) bool {
	return i+3 < len(s) && s[i] == '(' && '0' <= s[i+1] && s[i+1] <= '9' && s[i+2] == ')' && s[i+3] == ' '
}
