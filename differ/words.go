package differ

import (
	"strings"
	"unicode"

	"github.com/sergi/go-diff/diffmatchpatch"
)

// WordDiffs returns the word-level difference from a to b. Words and the
// white space between them are the units, so a changed word is shown whole.
// The result is deterministic: the diff runs without a time limit.
//
// Texts of more than MaxWordDiffTokens words and spaces are not aligned:
// the result is then the whole of a deleted and the whole of b inserted.
func WordDiffs(a, b string) []WordDiff { return wordDiffs(a, b, MaxWordDiffTokens) }

// wordDiffs is WordDiffs with a bound of maxTokens (0: MaxWordDiffTokens).
func wordDiffs(a, b string, maxTokens int) []WordDiff {
	if maxTokens <= 0 {
		maxTokens = MaxWordDiffTokens
	}
	if len(tokens(a)) > maxTokens || len(tokens(b)) > maxTokens {
		var out []WordDiff
		if a != "" {
			out = append(out, WordDiff{Op: "delete", Text: a})
		}
		if b != "" {
			out = append(out, WordDiff{Op: "insert", Text: b})
		}
		return out
	}
	dmp := diffmatchpatch.New()
	dmp.DiffTimeout = 0
	ta, tb, vocab := encodeWords(a, b)
	var out []WordDiff
	for _, d := range dmp.DiffMain(ta, tb, false) {
		var text strings.Builder
		for _, r := range d.Text {
			text.WriteString(vocab[r-firstRune])
		}
		op := "equal"
		switch d.Type {
		case diffmatchpatch.DiffInsert:
			op = "insert"
		case diffmatchpatch.DiffDelete:
			op = "delete"
		}
		if n := len(out); n > 0 && out[n-1].Op == op {
			out[n-1].Text += text.String()
			continue
		}
		out = append(out, WordDiff{Op: op, Text: text.String()})
	}
	return out
}

// MaxWordDiffTokens bounds the words and spaces of a text that WordDiffs
// aligns word by word; the codes it uses run out at 131,071 distinct
// tokens, and a diff of texts that long helps no reader.
const MaxWordDiffTokens = 20000

// firstRune is where word codes start: above the surrogates, in a private
// use plane, so no code collides with text dmp might treat specially.
const firstRune = 0xF0000

// encodeWords maps every word and every run of white space of a and b to
// one rune, so that a character diff of the encodings is a word diff.
func encodeWords(a, b string) (string, string, []string) {
	return encodeTokens(tokens(a), tokens(b))
}

// encodeTokens maps every distinct token of a and b to one rune, from
// firstRune up; vocab[r-firstRune] is the token of rune r.
func encodeTokens(a, b []string) (ea, eb string, vocab []string) {
	codes := map[string]rune{}
	enc := func(ts []string) string {
		var out strings.Builder
		for _, tok := range ts {
			r, ok := codes[tok]
			if !ok {
				r = firstRune + rune(len(vocab))
				codes[tok] = r
				vocab = append(vocab, tok)
			}
			out.WriteRune(r)
		}
		return out.String()
	}
	ea = enc(a)
	eb = enc(b)
	return ea, eb, vocab
}

// tokens splits s into words, punctuation and white-space runs.
func tokens(s string) []string {
	var out []string
	start := -1
	class := func(r rune) int {
		switch {
		case unicode.IsSpace(r):
			return 1
		case unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-' || r == '\'':
			return 2
		}
		return 3
	}
	prev := 0
	for i, r := range s {
		c := class(r)
		if start >= 0 && (c != prev || c == 3) {
			out = append(out, s[start:i])
			start = -1
		}
		if start < 0 {
			start = i
		}
		prev = c
	}
	if start >= 0 {
		out = append(out, s[start:])
	}
	return out
}
