package profiles

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestReadFile: a copy of a shipped profile loads as a file; a broken
// one is an error naming the file and the line of what is wrong.
func TestReadFile(t *testing.T) {
	entra, err := os.ReadFile("../entra/profile.yaml")
	if err != nil {
		t.Fatal(err)
	}
	lineOfText := func(s string) string {
		i := strings.Index(string(entra), s)
		if i < 0 {
			t.Fatalf("%q not in the entra profile", s)
		}
		return ":" + strconv.Itoa(strings.Count(string(entra[:i]), "\n")+1) + ": "
	}
	for _, tc := range []struct {
		name, from, to string
		want           []string // in the error, after the file's name
	}{
		{"good copy", "name: entra\n", "name: contoso\n", nil},
		{"unknown key", "company_prefix: Microsoft\n", "company_prefx: Microsoft\n",
			[]string{lineOfText("company_prefix: Microsoft"), "field company_prefx not found"}},
		{"bad pattern", `match: '\bstor(?:e|es|ed|ing|age)\b'`, `match: '\bstor(?:e|es'`,
			[]string{lineOfText("  - name: stored\n"), `claim_words[0] "stored"`, "missing closing )"}},
		{"no provenance", "    provenance: \"b2c-data-residency 2023-06-24: 'Data resides in Europe for the following locations: … Germany (DE) …'\"\n", "",
			[]string{lineOfText("  - place: Germany"), "within Germany in Europe"}},
		{"no name", "name: entra\n", "",
			[]string{":1: no name"}},
		{"not YAML", "name: entra\n", "name: [entra\n",
			[]string{":"}},
	} {
		data := strings.Replace(string(entra), tc.from, tc.to, 1)
		if data == string(entra) {
			t.Fatalf("%s: %q not replaced", tc.name, tc.from)
		}
		path := filepath.Join(t.TempDir(), "contoso.yaml")
		if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
		f, err := ReadFile(path)
		if tc.want == nil {
			if err != nil || f.Name != "contoso" || f.Digest == "" {
				t.Errorf("%s: %+v, %v", tc.name, f, err)
				continue
			}
			p, err := f.Profile()
			if err != nil || p.Name != "contoso" || p.PageDateKey != "ms.date" {
				t.Errorf("%s: profile %v, %v", tc.name, p, err)
			}
			continue
		}
		if err == nil {
			t.Errorf("%s: accepted", tc.name)
			continue
		}
		if !strings.HasPrefix(err.Error(), path+":") {
			t.Errorf("%s: %q does not start with the file's name", tc.name, err)
		}
		for _, w := range tc.want {
			if !strings.Contains(err.Error(), path+w) && !strings.Contains(err.Error(), w) {
				t.Errorf("%s: %q, want %q", tc.name, err, w)
			}
		}
		if !strings.Contains(err.Error(), path+tc.want[0]) {
			t.Errorf("%s: %q, want %q right after the file name", tc.name, err, tc.want[0])
		}
	}
	if _, err := ReadFile(filepath.Join(t.TempDir(), "missing.yaml")); err == nil || !strings.Contains(err.Error(), "missing.yaml") {
		t.Errorf("missing file: %v", err)
	}
}
