package extractor

import (
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode"

	"github.com/residiff/residiff/internal/corpustext"
	"github.com/residiff/residiff/internal/litmatch"
	"github.com/residiff/residiff/internal/textcase"
	"github.com/residiff/residiff/source"
	"github.com/residiff/residiff/source/entra"
	"github.com/residiff/residiff/source/m365"
)

// The hand-written scans that replace expressions in hot loops must answer
// as the expressions did.

var longWordRe = regexp.MustCompile(`[A-Za-z]{4,}`)

// The expressions qualifier ran before it searched the clause for the
// words alone.
var (
	qualifierWasRe = regexp.MustCompile(`(?i)^[^.,;]*?\b(?:billing address|address|customers|tenants|users|organi[sz]ations|government)\b`)
	dataPlaceWasRe = regexp.MustCompile(`(?i)^[^.,;]*?\b(?:data\s*cent(?:er|re)s?|regions?|geo)\b`)
)

// sentencesWas is sentences as it was, reading every byte.
func sentencesWas(s string) []string {
	var out []string
	start := 0
	for i := 0; i+2 < len(s); i++ {
		if s[i] != '.' || s[i+1] != ' ' || !unicode.IsUpper(rune(s[i+2])) && !noteMarkAt(s, i+2) {
			continue
		}
		word := s[strings.LastIndexByte(s[:i], ' ')+1 : i]
		end := i
		if strings.Contains(word, ".") || len(word) == 1 {
			if !lettersAndDots(word) || !opensSentence(s[i+2:]) {
				continue
			}
			end = i + 1
		}
		out = append(out, strings.TrimSpace(s[start:end]))
		start = i + 2
	}
	rest := strings.TrimSpace(s[start:])
	if last := rest[strings.LastIndexByte(rest, ' ')+1:]; !strings.Contains(strings.TrimSuffix(last, "."), ".") {
		rest = strings.TrimSpace(strings.TrimSuffix(rest, "."))
	}
	if rest != "" {
		out = append(out, rest)
	}
	return out
}

// qualifierWas is qualifier as it was.
func qualifierWas(after string) bool {
	if i := strings.IndexAny(after, ".,;"); i >= 0 {
		after = after[:i]
	}
	if len(after) > maxQualifierLookahead {
		after = after[:maxQualifierLookahead]
	}
	q := qualifierWasRe.FindStringIndex(after)
	if q == nil {
		return false
	}
	d := dataPlaceWasRe.FindStringIndex(after)
	return d == nil || q[1] < d[1]
}

// longWords lists the words longWord finds in s, one after another.
func longWords(s string) []string {
	var out []string
	for at := 0; ; {
		start, end := longWord(s, at)
		if start < 0 {
			return out
		}
		out = append(out, s[start:end])
		at = end
	}
}

// checkScans compares longWord and complementTail with the expressions on
// s, and clean with what it was.
func checkScans(t *testing.T, s string) {
	if got, want := clean(s), strings.Join(strings.Fields(s), " "); got != want {
		t.Errorf("clean(%q) = %q, want %q", s, got, want)
	}
	if got, want := longWords(s), longWordRe.FindAllString(s, -1); !reflect.DeepEqual(got, want) {
		t.Errorf("longWord on %q: %q, want %q", s, got, want)
	}
	got, want := complementRe.FindStringSubmatch(s[complementTail(s):]), complementRe.Regexp.FindStringSubmatch(s)
	if !reflect.DeepEqual(got, want) {
		t.Errorf("complement of %q: %q, want %q", s, got, want)
	}
	// isService asks abbreviationRe of a trimmed name only when it ends
	// with ")".
	if n := strings.TrimSpace(strings.TrimRight(s, ".:")); abbreviationRe.Regexp.MatchString(n) && !strings.HasSuffix(n, ")") {
		t.Errorf("abbreviationRe matches %q, which does not end with \")\"", n)
	}
	if got, want := sentences(s), sentencesWas(s); !reflect.DeepEqual(got, want) {
		t.Errorf("sentences(%q) = %q, want %q", s, got, want)
	}
	// qualifier is asked of the text after a place: every tail of s.
	for i := range s {
		if got, want := qualifier(s[i:]), qualifierWas(s[i:]); got != want {
			t.Errorf("qualifier(%q) = %v, want %v", s[i:], got, want)
		}
	}
}

// TestScansAgree checks the scans on every line and sentence of both
// corpora.
func TestScansAgree(t *testing.T) {
	files := corpusFiles(t)
	m365, err := filepath.Glob("../fixtures/m365/corpus/*/*.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range append(files, m365...) {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, line := range strings.Split(string(data), "\n") {
			checkScans(t, line)
			checkScans(t, strings.TrimSpace(line))
			for _, s := range sentences(line) {
				checkScans(t, s)
			}
		}
	}
	for _, s := range []string{"One example is Microsoft Entra ID.", "this, is Azure AD", "For instance, Azure AD", "x.yz, example, Foo bar.",
		"Data: it is Foo, for example, Bar", "é, is Café Services", "abc", "", " ", "a  b", "a\u00a0b", "a\tb", "a b ", "\xffa b",
		" billing address in the region", " regional customers", " data center for customers, users", " geo\xffusers", " Customers' data centres",
		"It is. Stored. X", "U.S. Data. Then", "a. B", ". A", "x.. Y", "end.", "x. \xc3", "x. \xc3\x89t\xc3\xa9", "one. two. Three.", "It is stored. (1) A note.", "x. (2) ", "y. (3)",
		"Azure AD (AAD) \u00a0", "Azure AD (AAD)\t.:", "X (MFA):",
		" government region", "users; region", " subusers of the region", " the nongeo customers", strings.Repeat("x ", 60) + "customers"} {
		checkScans(t, s)
	}
	// A space, a control byte or a non-ASCII one at every offset of a
	// word, and at its ends.
	const word = "abcdefghij0123~\x7f"
	for k := 0; k <= len(word); k++ {
		for _, ins := range []string{" ", "  ", "\t", "\n", "\v", "\f", "\r", "\x00", "\x1f", "\u00a0", "\u0085", "\u2003", "é", "\xff", "\xc2"} {
			checkScans(t, word[:k]+ins+word[k:])
		}
	}
}

// FuzzScans checks the scans on any text.
func FuzzScans(f *testing.F) {
	f.Add("The examples are, for instance, Azure AD and Microsoft Entra ID.")
	f.Add("Data is stored; one example is Multi-Factor Authentication")
	f.Fuzz(func(t *testing.T, s string) { checkScans(t, s) })
}

// TestWordSetIsContainsAny compares the category words' one-pass search
// with containsAny on every corpus text and, of lines and sentences, the
// tail from each word, folded
// as inLower folds them, and on texts holding each word at its
// start, its end and nowhere but cut short.
func TestWordSetIsContainsAny(t *testing.T) {
	words := categoryWordList
	set := newWordSet(words...)
	texts := corpustext.Texts(t, "..")
	for _, w := range words {
		texts = append(texts, w, "x "+w, w+" x", w[:len(w)-1], " "+w[1:])
	}
	n := 0
	for _, text := range texts {
		text = textcase.Lower(text)
		for i := range text {
			if i > 0 && (len(text) > 300 || text[i-1] != ' ') {
				continue // the tails of sentences and lines, from each word on
			}
			s := text[i:]
			if got, want := set.in(s), containsAny(s, words...); got != want {
				t.Fatalf("wordSet.in(%q) = %v, containsAny %v", s, got, want)
			}
			n++
		}
	}
	if n < 10000 {
		t.Fatalf("only %d texts compared", n)
	}
}

// TestWordSetInLower checks inLower, which folds ASCII text as it reads
// it, against in of the text lower-cased, for the category words, on the tails of every corpus text (as they are,
// not lower-cased) and on texts with the words in capitals, cut short, or
// next to runes strings.ToLower folds to ASCII or to more bytes.
func TestWordSetInLower(t *testing.T) {
	for name, words := range map[string][]string{"category": categoryWordList} {
		set := newWordSet(words...)
		texts := corpustext.Texts(t, "..")
		for _, w := range words {
			up := strings.ToUpper(w)
			texts = append(texts, w, up, "x "+up, up+" x", up[:len(up)-1], " "+up[1:], "\u212a "+up, "\u0130"+up,
				strings.Replace(up, "A", "\u212b", 1), "İ"+w[:len(w)-1], "é"+w+"é", "\xff"+up)
		}
		texts = append(texts, "\u212aeep", "REGIO\u212a", "")
		n := 0
		for _, text := range texts {
			for i := range text {
				if i > 0 && (len(text) > 300 || text[i-1] != ' ') {
					continue
				}
				s := text[i:]
				if got, want := set.inLower(s), set.in(textcase.Lower(s)); got != want {
					t.Fatalf("%s: inLower(%q) = %v, in of it lower-cased %v", name, s, got, want)
				}
				n++
			}
		}
		if n < 10000 {
			t.Fatalf("%s: only %d texts compared", name, n)
		}
	}
}

// verbFormsOf are the forms of p's data verbs, each phrase by its first
// word: what findVerbs finds, listed apart from the profile's index.
func verbFormsOf(t *testing.T, p *source.Profile) (words map[string]bool, phrases map[string][]string) {
	words, phrases = map[string]bool{}, map[string][]string{}
	for _, v := range p.DataVerbs {
		forms, ok := litmatch.Words(regexp.MustCompile(v.Match))
		if !ok {
			t.Fatalf("%s: not a list of words", v.Name)
		}
		for _, f := range forms {
			words[f] = true
			if first, rest, ok := strings.Cut(f, " "); ok {
				phrases[first] = append(phrases[first], " "+rest)
			}
		}
	}
	return words, phrases
}

// findVerbsLookingUpAll is findVerbs without the profile's index: every
// word looked up in the forms, every phrase tried.
func findVerbsLookingUpAll(words map[string]bool, phrases map[string][]string, s string) [][2]int {
	var out [][2]int
	start := -1
	letter := func(i int) bool {
		return i < len(s) && (s[i] >= 'a' && s[i] <= 'z' || s[i] >= 'A' && s[i] <= 'Z' || s[i] == '-')
	}
	for i := 0; i <= len(s); i++ {
		if letter(i) && start < 0 {
			start = i
		}
		if !letter(i) && start >= 0 {
			w := s[start:i]
			phrase := -1
			for _, rest := range phrases[w] {
				if strings.HasPrefix(s[i:], rest) && !letter(i+len(rest)) {
					phrase = len(rest)
					break
				}
			}
			if words[w] {
				out = append(out, [2]int{start, i})
			} else if phrase >= 0 {
				out = append(out, [2]int{start, i + phrase})
			} else if (w == "be" || w == "is" || w == "are") && strings.HasPrefix(s[i:], " outside ") {
				out = append(out, [2]int{start, i})
			} else if loggingVerb(w, s[i:]) {
				out = append(out, [2]int{start, i})
			}
			start = -1
		}
	}
	return out
}

// TestFindVerbsShapes checks that the profile's index of its data verbs
// keeps every form (each alone, in a sentence, with a suffix or a hyphen
// joined on) and that findVerbs finds what looking every word up finds on
// every corpus text, for both profiles.
func TestFindVerbsShapes(t *testing.T) {
	corpus := corpustext.Texts(t, "..")
	for name, p := range map[string]*source.Profile{"entra": entra.Profile(), "m365": m365.Profile()} {
		words, phrases := verbFormsOf(t, p)
		texts := slices.Clone(corpus)
		for w := range words {
			texts = append(texts, w, "Data is "+w+" in Europe.", w+"s", "-"+w, w+"-", strings.ToUpper(w[:1])+w[1:], w+"aurant")
		}
		texts = append(texts, "It is outside Europe", "at rest", "at restaurants", "", "-", strings.Repeat("stored", 3))
		found := 0
		for _, s := range texts {
			got, want := findVerbs(p, s), findVerbsLookingUpAll(words, phrases, s)
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("%s: findVerbs(%q) = %v, want %v", name, s, got, want)
			}
			found += len(got)
		}
		if found < len(words) {
			t.Fatalf("%s: only %d verbs found", name, found)
		}
	}
}
