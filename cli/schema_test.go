package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/residiff/residiff/schema"
)

// TestJSONOutputsMatchSchema: every JSON changelog residiff writes —
// changelog --format json (one repository, filtered, --since), run
// --format json (a backfill and a run with nothing new), and the json
// report files of one and of two repositories — validates against
// schema/changelog.schema.json and carries schema_version 3, with the
// deprecated ms_date repeating every revision's page_date.
func TestJSONOutputsMatchSchema(t *testing.T) {
	fixtures, err := filepath.Abs("../fixtures/upstream.git")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	one := write("one.yaml", "repositories: [{path: "+fixtures+"}]\nstate: one-state.json\noutputs: {json: one.json}\n")
	two := write("two.yaml", "repositories: [{path: "+fixtures+", name: a}, {path: "+fixtures+", name: b}]\nstate: two-state.json\noutputs: {json: two.json}\n")
	run := func(args ...string) []byte {
		t.Helper()
		var out, errOut bytes.Buffer
		if code := Run(context.Background(), append(args, "-q"), Env{Streams: Streams{Out: &out, Err: &errOut}}); code != ExitOK {
			t.Fatalf("residiff %s: exit %d: %s", strings.Join(args, " "), code, errOut.String())
		}
		return out.Bytes()
	}
	outputs := map[string][]byte{
		"changelog":                run("changelog", "--repo", fixtures, "--format", "json"),
		"changelog --kind --since": run("changelog", "--repo", fixtures, "--format", "json", "--kind", "newly_excluded", "--since", "4898a2f"),
		"run --format json":        run("run", "--config", one, "--format", "json"),
		"run --format json again":  run("run", "--config", one, "--format", "json"),
	}
	run("run", "--config", two)
	for _, f := range []string{"one.json", "two.json"} {
		data, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil {
			t.Fatal(err)
		}
		outputs["report file "+f] = data
	}
	for name, data := range outputs {
		if err := schema.ValidateChangelog(data); err != nil {
			t.Errorf("%s: %v", name, err)
		}
		if !bytes.Contains(data, []byte(`"schema_version": 3`)) {
			t.Errorf("%s: no schema_version 3", name)
		}
		var doc struct {
			Revisions []struct {
				PageDate string `json:"page_date"`
				MSDate   string `json:"ms_date"`
			} `json:"revisions"`
		}
		if err := json.Unmarshal(data, &doc); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		dated := 0
		for i, r := range doc.Revisions {
			if r.MSDate != r.PageDate {
				t.Errorf("%s: revision %d: ms_date %q, page_date %q: the deprecated alias must repeat page_date", name, i, r.MSDate, r.PageDate)
			}
			if r.PageDate != "" {
				dated++
			}
		}
		if len(doc.Revisions) > 0 && dated == 0 {
			t.Errorf("%s: no revision has a page_date", name)
		}
	}
	if !bytes.Contains(outputs["report file two.json"], []byte(`"repositories": [`)) {
		t.Error("two.json does not combine the repositories")
	}
	if !bytes.Contains(outputs["run --format json"], []byte(`"kind": "newly_excluded"`)) {
		t.Error("run --format json of a backfill holds no change")
	}
}
