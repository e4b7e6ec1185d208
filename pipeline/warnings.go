package pipeline

import "fmt"

// A page's unchanged problem is found again in every version of it: the
// same table row naming no location, version after version. The result
// says it once, with the versions it applies to counted, instead of once
// per version.

// warningKey is one warning: the page (lineage), the line and the text.
type warningKey struct {
	lineage string
	line    int
	message string
}

// warningCount is where a warning is in Result.Warnings, as first
// written, and in how many versions it was found.
type warningCount struct {
	at       int
	text     string
	versions int
}

// warnOnce adds text, the warning message at line of a version of the
// page lineage, to the result's warnings unless the same message at the
// same line of the page is there: then it counts one more version
// ("… (in 214 versions)"), naming the first version it was found in.
func (res *Result) warnOnce(lineage string, line int, message, text string) {
	k := warningKey{lineage, line, message}
	if w, ok := res.warned[k]; ok {
		w.versions++
		res.Warnings[w.at] = fmt.Sprintf("%s (in %d versions)", w.text, w.versions)
		return
	}
	if res.warned == nil {
		res.warned = map[warningKey]*warningCount{}
	}
	res.warned[k] = &warningCount{at: len(res.Warnings), text: text, versions: 1}
	res.Warnings = append(res.Warnings, text)
}
