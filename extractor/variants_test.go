package extractor

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	goldenfile "github.com/residiff/residiff/internal/golden"
	"github.com/residiff/residiff/source/entra"
	"github.com/rogpeppe/go-internal/txtar"
)

// TestVariants reads testdata/variants/*.txtar: hand-written pages in
// plausible rewordings and layouts that are not in the corpus, each with
// what a careful reader would extract. Each archive holds page.md and
// want.json; its comment says what is expected and why.
//
// want.json names what is checked: "region"; "records" as a multiset with
// an equal count, where service (case-insensitive), scope, category, from,
// until and sub_scope must be equal and data_types, location_at_rest,
// processing and reason must contain the wanted text (case-insensitive);
// "references" as a multiset of scope and url; "warnings" as the multiset
// of warning kinds. A key left out is not checked.
func TestVariants(t *testing.T) {
	files, err := filepath.Glob("testdata/variants/*.txtar")
	if err != nil || len(files) < 60 {
		t.Fatalf("want at least 60 variant cases, found %d (%v)", len(files), err)
	}
	prof, reg := entra.Profile(), entra.Register()
	for _, f := range files {
		t.Run(strings.TrimSuffix(filepath.Base(f), ".txtar"), func(t *testing.T) {
			comment, parts := goldenfile.Archive(t, f, "page.md", "want.json")
			page, want := parts["page.md"], parts["want.json"]
			got, err := Extract(page, Options{Profile: prof, Aliases: reg, Path: "docs/fundamentals/" + filepath.Base(f) + ".md"})
			if err != nil {
				t.Fatal(err)
			}
			for _, problem := range checkVariant(got, want) {
				t.Error(problem)
			}
			if t.Failed() {
				data, _ := json.MarshalIndent(got, "", "  ")
				t.Logf("comment: %s\ngot:\n%s", comment, data)
			}
		})
	}
}

// variantWant is want.json; absent keys are nil.
type variantWant struct {
	Region     *string              `json:"region"`
	Records    *[]map[string]string `json:"records"`
	References *[]map[string]string `json:"references"`
	Warnings   *[]map[string]string `json:"warnings"`
}

// checkVariant lists the differences between a page and what want.json
// asks for.
func checkVariant(got *Page, wantJSON []byte) []string {
	var want variantWant
	if err := json.Unmarshal(wantJSON, &want); err != nil {
		return []string{"want.json: " + err.Error()}
	}
	var problems []string
	if want.Region != nil && *want.Region != got.Region {
		problems = append(problems, fmt.Sprintf("region = %q, want %q", got.Region, *want.Region))
	}
	if want.Records != nil {
		have := make([]map[string]string, len(got.Records))
		for i, r := range got.Records {
			have[i] = map[string]string{"service": r.Service, "scope": r.Scope, "category": string(r.Category),
				"data_types": r.DataTypes, "location_at_rest": r.LocationAtRest, "processing": r.Processing, "reason": r.Reason,
				"from": r.From, "until": r.Until, "sub_scope": r.SubScope, "service_id": r.ServiceID}
		}
		problems = append(problems, matchAll("record", *want.Records, have, recordMatches)...)
	}
	if want.References != nil {
		have := make([]map[string]string, len(got.References))
		for i, r := range got.References {
			have[i] = map[string]string{"scope": r.Scope, "url": r.URL, "category": string(r.Category)}
		}
		problems = append(problems, matchAll("reference", *want.References, have, exactMatches)...)
	}
	if want.Warnings != nil {
		var wk, hk []string
		for _, w := range *want.Warnings {
			wk = append(wk, w["kind"])
		}
		for _, w := range got.Warnings {
			hk = append(hk, string(w.Kind))
		}
		slices.Sort(wk)
		slices.Sort(hk)
		if !slices.Equal(wk, hk) {
			var msgs []string
			for _, w := range got.Warnings {
				msgs = append(msgs, fmt.Sprintf("%s (line %d: %s)", w.Kind, w.Line, w.Message))
			}
			problems = append(problems, fmt.Sprintf("warning kinds = %v, want %v; warnings: %s", hk, wk, strings.Join(msgs, "; ")))
		}
	}
	return problems
}

// matchAll pairs every wanted item with a distinct item had, greedily in
// order, and reports what is left on either side.
func matchAll(what string, want, have []map[string]string, match func(w, h map[string]string) bool) []string {
	used := make([]bool, len(have))
	var problems []string
	for _, w := range want {
		found := false
		for i, h := range have {
			if !used[i] && match(w, h) {
				used[i], found = true, true
				break
			}
		}
		if !found {
			problems = append(problems, fmt.Sprintf("missing %s %v", what, w))
		}
	}
	for i, h := range have {
		if !used[i] {
			problems = append(problems, fmt.Sprintf("unexpected %s %v", what, compact(h)))
		}
	}
	return problems
}

func recordMatches(w, h map[string]string) bool {
	for k, v := range w {
		switch k {
		case "service":
			if !strings.EqualFold(strings.TrimSpace(v), h[k]) {
				return false
			}
		case "data_types", "location_at_rest", "processing", "reason":
			if !strings.Contains(strings.ToLower(h[k]), strings.ToLower(v)) {
				return false
			}
		default:
			if h[k] != v {
				return false
			}
		}
	}
	return true
}

func exactMatches(w, h map[string]string) bool {
	for k, v := range w {
		if h[k] != v {
			return false
		}
	}
	return true
}

// compact drops the empty fields of m, for messages.
func compact(m map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range m {
		if v != "" {
			out[k] = v
		}
	}
	return out
}

// TestVariantsHaveComments keeps the cases honest: each says what a
// careful reader would extract.
func TestVariantsHaveComments(t *testing.T) {
	files, _ := filepath.Glob("testdata/variants/*.txtar")
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if ar := txtar.Parse(data); len(strings.TrimSpace(string(ar.Comment))) < 20 {
			t.Errorf("%s: no comment saying what is expected", f)
		}
	}
}
