package differ

import (
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"unicode"
)

// The expressions the scanners stand for.
var (
	factWordExpr = regexp.MustCompile(`(?i)\d+|[\p{L}']+`)
	nameWordExpr = regexp.MustCompile(`\p{L}[\p{L}\d]*(?:['’-][\p{L}\d]+)*`)
	hyphenExpr   = regexp.MustCompile(`(\pL)[-\x{2010}\x{2011}](\pL)`)
)

// scannerTexts are texts the expressions' edges lie in: digits beside
// letters, inner and trailing hyphens and apostrophes, letters beyond
// ASCII, a combining mark that folds to a letter (U+0345), invalid UTF-8.
var scannerTexts = []string{
	"", "O365 and 365O", "U.S.", "isn't", "'quoted'", "co-located", "co--located", "trailing- ", "x-",
	"data’s", "São Paulo", "Türkiye's", "ͅ\u0345ι", "\xff\xfeab\xffc", "9a9", "a9-9b", "-a", "’a’b’",
	"Microsoft Entra ID (Entra ID) stores data in the EU: 13 in AS, 50 in US.",
}

// TestWordScannersMatchExpressions checks that the scanners find what
// their expressions find, on every line of every fixture page.
func TestWordScannersMatchExpressions(t *testing.T) {
	texts := append([]string(nil), scannerTexts...)
	err := filepath.WalkDir("../fixtures", func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".md") {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		texts = append(texts, strings.Split(string(b), "\n")...)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(texts) < 1000 {
		t.Fatalf("only %d lines of fixtures", len(texts))
	}
	for _, s := range texts {
		checkScanners(t, s)
	}
}

func checkScanners(t *testing.T, s string) {
	t.Helper()
	if got, want := factWordSpans(s), factWordExpr.FindAllStringIndex(s, -1); !reflect.DeepEqual(got, want) {
		t.Fatalf("factWordSpans(%q) = %v, the expression finds %v", s, got, want)
	}
	if got, want := factWordsOf(s), factWordExpr.FindAllString(s, -1); !reflect.DeepEqual(got, want) {
		t.Fatalf("factWordsOf(%q) = %q, the expression finds %q", s, got, want)
	}
	if got, want := nameWordSpans(s), nameWordExpr.FindAllStringIndex(s, -1); !reflect.DeepEqual(got, want) {
		t.Fatalf("nameWordSpans(%q) = %v, the expression finds %v", s, got, want)
	}
	if got, want := joinHyphenated(s), hyphenExpr.ReplaceAllString(s, "$1$2"); got != want {
		t.Fatalf("joinHyphenated(%q) = %q, the expression gives %q", s, got, want)
	}
	if got, want := lowerWords(s), lowerFields(s); got != want {
		t.Fatalf("lowerWords(%q) = %q, its fields lower-cased and joined are %q", s, got, want)
	}
}

// FuzzWordScanners checks the scanners against their expressions on any
// text.
func FuzzWordScanners(f *testing.F) {
	for _, s := range scannerTexts {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) { checkScanners(t, s) })
}

// lowerFields is what lowerWords stands for: the lower case's runs of
// letters and digits, joined by single spaces.
func lowerFields(s string) string {
	return strings.Join(strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	}), " ")
}
