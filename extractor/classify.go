package extractor

import (
	"regexp"
	"strings"
	"unicode"

	"github.com/residiff/residiff/serviceid"
	"github.com/residiff/residiff/source"
)

// Small patterns over the text of one node: what a heading, label or
// sentence says. None of them is applied to the raw page.
var (
	permanentRe = regexp.MustCompile(`(?i)\bpermanent`)
	temporaryRe = regexp.MustCompile(`(?i)\btemporar`)
	optionalRe  = regexp.MustCompile(`(?i)\boptional\b`)
	globalRe    = regexp.MustCompile(`(?i)\bstored\s+globally\b|\bglobal\s+data\s*cent(er|re)s\b`)
	outsideRe   = regexp.MustCompile(`(?i)\b(stored|processed|stores|transfer\w*|egress\w*)\b.*\b(outside|out of)\b|\bexclu(ded|sions?)\b|\bexceptions?\b`)

	// labelRe reads a fact label such as "Types of customer data being
	// egressed" or "Customer data location at rest".
	reasonLabelRe     = regexp.MustCompile(`(?i)^(reason|why)\b`)
	dataTypesLabelRe  = regexp.MustCompile(`(?i)^(types?\s+of\b|data\s+types?\b|customer\s+data\s+types?\b|data\s+egressed\b|(customer\s+)?data\s+(transferred|egressed|affected|involved)$|what\s+(customer\s+)?data\b)`)
	locationLabelRe   = regexp.MustCompile(`(?i)^(customer\s+data\s+)?(location|stored|storage)\b|\bat\s+rest\b|^where\s+(the\s+)?(customer\s+)?data\s+(is|are)\s+(stored|kept|held)\b`)
	processingLabelRe = regexp.MustCompile(`(?i)^(customer\s+data\s+)?processing\b|^processed\b|^where\s+(the\s+)?(customer\s+)?data\s+(is|are)\s+processed\b`)
	servicesLabelRe   = regexp.MustCompile(`(?i)^(affected\s+|impacted\s+)?(services?|features?|components?|capabilities)$`)

	// seeRe marks a paragraph that sends the reader to another page for
	// the list.
	seeRe = regexp.MustCompile(`(?i)\bsee\b|\bmore information\b|\brefer to\b|\blisted\s+(in|on|at)\b|\bdetails\b|\bmaintained\b|\blist of\b`)

	// inRegionValueRe reads a table cell saying the data stays in the
	// region or geo.
	inRegionValueRe = regexp.MustCompile(`(?i)\bin[- ]?(geo|region)\b|\bgeo[- ]?location\b|\bcustomer[- ]selectable\b|\bin\s+region\b`)
)

// categoryOf returns the category a heading names, or "".
func categoryOf(heading string) Category {
	if c := categoryWords(heading); c != "" {
		return c
	}
	l := strings.ToLower(heading)
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

// factKey names the record field a fact label fills, or "".
func factKey(label string) string {
	l := strings.TrimSpace(strings.TrimRight(clean(label), ":-–— "))
	switch {
	case servicesLabelRe.MatchString(l):
		return "services"
	case reasonLabelRe.MatchString(l):
		return "reason"
	case dataTypesLabelRe.MatchString(l):
		return "data_types"
	case processingLabelRe.MatchString(l):
		return "processing"
	case locationLabelRe.MatchString(l):
		return "location_at_rest"
	}
	// A label with a typo ("Customer data procesing") is still a label.
	for _, c := range canonicalLabels {
		if len(l) >= 10 && serviceid.Near(l, c.label, 2) {
			return c.key
		}
	}
	return ""
}

// canonicalLabels are the fact labels as the pages write them, for labels
// with a typo.
var canonicalLabels = []struct{ label, key string }{
	{"Reason for customer data egress", "reason"},
	{"Types of customer data being egressed", "data_types"},
	{"Customer data location at rest", "location_at_rest"},
	{"Customer data processing", "processing"},
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
// and a capital letter, keeping abbreviations such as "U.S." whole.
func sentences(s string) []string {
	var out []string
	start := 0
	for i := 0; i+2 < len(s); i++ {
		if s[i] != '.' || s[i+1] != ' ' || !unicode.IsUpper(rune(s[i+2])) {
			continue
		}
		word := s[strings.LastIndexByte(s[:i], ' ')+1 : i]
		if strings.Contains(word, ".") || len(word) == 1 { // U.S., e.g., initials
			continue
		}
		out = append(out, strings.TrimSpace(s[start:i]))
		start = i + 2
	}
	if rest := strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s[start:]), ".")); rest != "" {
		out = append(out, rest)
	}
	return out
}
