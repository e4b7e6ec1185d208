package pipeline

import (
	"bytes"
	"encoding/json"
	"errors"
	"testing"

	"github.com/residiff/residiff/render"
)

// reload is r after a trip through JSON, as a report model kept on disk
// between runs comes back.
func reload(t *testing.T, r *Result) *Result {
	t.Helper()
	data, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	var out Result
	if err := json.Unmarshal(data, &out); err != nil {
		t.Fatal(err)
	}
	return &out
}

// reportOf is what the report files are drawn from, as JSON.
func reportOf(t *testing.T, r *Result) string {
	t.Helper()
	var buf bytes.Buffer
	if err := render.JSON(&buf, r.Changelog); err != nil {
		t.Fatal(err)
	}
	versions, err := json.MarshalIndent(r.Versions, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	return buf.String() + string(versions)
}

// TestExtendMatchesFullWalk: at every commit of the fixture history, the
// report of the history up to it extended with the walk after it is, byte
// for byte, the report of a whole walk — page names after moves, version
// counts, change ids, versions. This is what lets a run with one new
// commit skip re-walking the history for its report files.
func TestExtendMatchesFullWalk(t *testing.T) {
	full := buildWith(t, Options{})
	want := reportOf(t, full)
	var commits []string
	seen := map[string]bool{}
	for _, r := range full.Changelog.Revisions {
		if !seen[r.Commit] {
			seen[r.Commit] = true
			commits = append(commits, r.Commit)
		}
	}
	joined := 0
	for _, at := range commits[:len(commits)-1] {
		prev := buildWith(t, Options{Tip: at})
		known := map[string]Lineage{}
		for _, l := range prev.Lineages {
			known[l.Path] = l
		}
		next := buildWith(t, Options{Since: at, Known: known})
		got, err := Extend(reload(t, prev), next)
		if errors.Is(err, ErrNotExtendable) {
			t.Logf("at %.7s: %v", at, err)
			continue
		}
		if err != nil {
			t.Fatalf("at %.7s: %v", at, err)
		}
		joined++
		if have := reportOf(t, got); have != want {
			t.Errorf("at %.7s: the extended report differs from the whole walk's:\n%s", at, firstDiff(have, want))
		}
	}
	if joined < len(commits)*3/4 {
		t.Errorf("only %d of %d join points could be extended", joined, len(commits)-1)
	}
	t.Logf("%d of %d join points extended", joined, len(commits)-1)
}

// TestExtendRefuses: results that do not meet are an error, never a
// report with a hole or a page twice.
func TestExtendRefuses(t *testing.T) {
	full := buildWith(t, Options{})
	first := full.Changelog.Revisions[0].Commit
	prev := buildWith(t, Options{Tip: first})
	for name, next := range map[string]*Result{
		"whole walk":        full,
		"another start":     buildWith(t, Options{Since: full.Changelog.Revisions[len(full.Changelog.Revisions)-1].Commit}),
		"loaded, not built": reload(t, buildWith(t, Options{Since: first})),
	} {
		if _, err := Extend(prev, next); !errors.Is(err, ErrNotExtendable) {
			t.Errorf("%s: err %v, want ErrNotExtendable", name, err)
		}
	}
}

// firstDiff shows where two long texts first differ.
func firstDiff(a, b string) string {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	lo := max(i-200, 0)
	return "got:  …" + a[lo:min(i+200, len(a))] + "\nwant: …" + b[lo:min(i+200, len(b))]
}
