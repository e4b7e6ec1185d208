package source

import (
	"slices"
	"strings"
	"testing"

	"github.com/residiff/residiff/internal/corpustext"
	"github.com/residiff/residiff/internal/racetest"
)

// TestDialectNeedles checks the dialect's patterns, run only on texts
// holding one of their literals, against the patterns run on every text:
// IsMedia, IsInclude, StripCallout and SplitCallouts on every line,
// sentence, paragraph and page of both corpora (and a text with two
// callouts), for both profiles; and that the Entra profile's patterns have
// literals, so that the check can fail.
func TestDialectNeedles(t *testing.T) {
	racetest.SkipHeavy(t)
	texts := append(corpustext.Texts(t, ".."), "[!NOTE] One thing. > [!IMPORTANT] Another.",
		":::image type=\"content\" source=\"a.png\":::", "[!INCLUDE [x](y.md)]", " [!TIP] x")
	for name, p := range testProfiles(t) {
		g := &p.Grammar
		if name == "entra" && (g.calloutNeedles == nil || g.mediaNeedles == nil || g.includeNeedles == nil) {
			t.Fatalf("entra: needles callout %q, media %q, include %q", g.calloutNeedles, g.mediaNeedles, g.includeNeedles)
		}
		bad := 0
		for _, s := range texts {
			got := []any{p.IsMedia(s), p.IsInclude(s), p.StripCallout(s), p.splitCallouts(s)}
			want := []any{g.media != nil && g.media.MatchString(s), g.include != nil && g.include.MatchString(s), s, nil}
			if g.callout != nil {
				want[2] = g.callout.ReplaceAllString(s, "")
				want[3] = splitCalloutsEverywhere(g.callout.MatchString, g.callout.ReplaceAllString, s)
			} else {
				got[3] = nil
			}
			for i := range got {
				if !equalAnswer(got[i], want[i]) && bad < 5 {
					bad++
					t.Errorf("%s: answer %d for %q: got %q, want %q", name, i, s, got[i], want[i])
				}
			}
		}
	}
}

// splitCalloutsEverywhere is splitCallouts with the marker tried after
// every space of every text.
func splitCalloutsEverywhere(match func(string) bool, replace func(string, string) string, text string) []string {
	var out []string
	add := func(part string) {
		if part = strings.TrimSpace(replace(part, "")); part != "" {
			out = append(out, part)
		}
	}
	start := 0
	for i := 1; i < len(text); i++ {
		if text[i-1] == ' ' && text[i] != ' ' && match(text[i:]) {
			add(text[start:i])
			start = i
		}
	}
	add(text[start:])
	return out
}

func equalAnswer(a, b any) bool {
	if as, ok := a.([]string); ok {
		bs, _ := b.([]string)
		return slices.Equal(as, bs)
	}
	return a == b
}
