package schema

import (
	"os"
	"strings"
	"testing"
)

// TestValidateChangelog: the golden changelog passes; documents that break
// the contract (a missing field, an unknown kind, a wrong type, a bad
// date) fail and say where.
func TestValidateChangelog(t *testing.T) {
	good, err := os.ReadFile("../render/testdata/small.json")
	if err != nil {
		t.Fatal(err)
	}
	good = []byte(strings.Replace(string(good), "{", `{"schema_version": 3, `, 1))
	if err := ValidateChangelog(good); err != nil {
		t.Fatalf("small.json: %v", err)
	}
	for _, tc := range []struct{ name, from, to, want string }{
		{"no schema_version", `"schema_version": 3, `, ``, "schema_version"},
		{"unknown kind", `"kind": "renamed"`, `"kind": "renamed_maybe"`, "/kind"},
		{"severity as a number", `"severity": "high"`, `"severity": 3`, "/severity"},
		{"bad date", `"date": "2023-08-17T09:00:00Z"`, `"date": "17 August 2023"`, "/date"},
		{"bad page_date", `"page_date": "2023-08-17"`, `"page_date": "08/17/2023"`, "/page_date"},
		{"bad ms_date", `"ms_date": "2023-08-17"`, `"ms_date": "08/17/2023"`, "/ms_date"},
		{"short commit", `"commit": "ca7e4e352e656d74fa7cd128110c75a890d43a64"`, `"commit": "ca7e4e3"`, "/commit"},
		{"relative url", `"url": "https://github.com/MicrosoftDocs/entra-docs/blob/ca7e4e3/docs/fundamentals/data-storage-eu.md#L48"`, `"url": "blob/x y"`, "/url"},
	} {
		bad := strings.Replace(string(good), tc.from, tc.to, 1)
		if bad == string(good) {
			t.Fatalf("%s: %q not in small.json", tc.name, tc.from)
		}
		err := ValidateChangelog([]byte(bad))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want an error naming %q", tc.name, err, tc.want)
		}
	}
}
