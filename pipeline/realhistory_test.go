package pipeline

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/residiff/residiff/differ"
	"github.com/residiff/residiff/history"
	"github.com/residiff/residiff/model"
	"github.com/residiff/residiff/source/entra"
	"github.com/residiff/residiff/timeline"
)

// The real history of the EU and Japan pages (fixtures/realhistory), read by
// an analyst: what residiff must report, what it must never report, and what
// `at` must show. The repository is built as the shared build-repo.py builds
// it: thirteen real versions at their upstream paths, unrelated commits
// between them, one publication through a merge.

type realEvent struct{ date, file, path, lineage string }

func realHistoryEvents() []realEvent {
	const (
		old  = "articles/active-directory/active-directory-data-storage-eu.md"
		fund = "articles/active-directory/fundamentals/active-directory-data-storage-eu.md"
		ren  = "articles/active-directory/fundamentals/data-storage-eu.md"
		docs = "docs/fundamentals/data-storage-eu.md"
		jpA  = "articles/active-directory/fundamentals/data-storage-japan.md"
		jpD  = "docs/fundamentals/data-storage-japan.md"
	)
	ev := []realEvent{
		{"2018-04-23", "data-storage-eu/2018-04-23.md", old, "eu"},
		{"2018-05-01", "data-storage-eu/2018-05-01.md", old, "eu"},
		{"2018-05-17", "data-storage-eu/2018-05-17.md", fund, "eu"},
		{"2019-03-04", "data-storage-eu/2019-03-04.md", fund, "eu"},
		{"2022-08-17", "data-storage-eu/2022-08-17.md", fund, "eu"},
		{"2022-12-01", "data-storage-eu/2022-07-20.md", ren, "eu"},
		{"2023-08-17", "data-storage-eu/2023-08-17.md", ren, "eu"},
		{"2023-09-20", "data-storage-eu/2023-08-17.2.md", ren, "eu"},
		{"2024-02-16", "data-storage-eu/2024-02-16.md", docs, "eu"},
		{"2025-01-07", "data-storage-eu/2025-01-07.md", docs, "eu"},
		{"2022-04-12", "data-storage-japan/2022-04-12.md", jpA, "jp"},
		{"2022-08-08", "data-storage-japan/2022-08-08.md", jpA, "jp"},
		{"2024-01-03", "data-storage-japan/2024-01-03.md", jpD, "jp"},
	}
	slices.SortStableFunc(ev, func(a, b realEvent) int {
		return strings.Compare(a.date+a.file+a.path+a.lineage, b.date+b.file+b.path+b.lineage)
	})
	return ev
}

// buildRealHistory writes the real history into a new repository with
// native git and returns its path.
func buildRealHistory(t testing.TB) string {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not installed")
	}
	out := t.TempDir()
	corpus, err := filepath.Abs("../fixtures/corpus")
	if err != nil {
		t.Fatal(err)
	}
	git := func(env []string, args ...string) {
		t.Helper()
		cmd := exec.Command("git", append([]string{"-C", out}, args...)...)
		cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=Docs Bot", "GIT_AUTHOR_EMAIL=docs@example.invalid",
			"GIT_COMMITTER_NAME=Docs Bot", "GIT_COMMITTER_EMAIL=docs@example.invalid", "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1")
		cmd.Env = append(cmd.Env, env...)
		if b, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, b)
		}
	}
	at := func(d string, hour int) []string {
		s := fmt.Sprintf("%sT%02d:00:00Z", d, hour)
		return []string{"GIT_AUTHOR_DATE=" + s, "GIT_COMMITTER_DATE=" + s}
	}
	write := func(rel string, data []byte, appendTo bool) {
		t.Helper()
		p := filepath.Join(out, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		flag := os.O_CREATE | os.O_WRONLY | os.O_TRUNC
		if appendTo {
			flag = os.O_CREATE | os.O_WRONLY | os.O_APPEND
		}
		f, err := os.OpenFile(p, flag, 0o644)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.Write(data); err != nil {
			t.Fatal(err)
		}
		if err := f.Close(); err != nil {
			t.Fatal(err)
		}
	}
	git(nil, "init", "-q", "-b", "main")
	current, n := map[string]string{}, 0
	for _, e := range realHistoryEvents() {
		for k := 0; k < 3; k++ { // unrelated edits before each page version
			n++
			write(fmt.Sprintf("docs/other/page%d.md", n%7), fmt.Appendf(nil, "noise %d\n", n), true)
			git(nil, "add", "-A")
			git(at(e.date, k), "commit", "-q", "-m", fmt.Sprintf("unrelated edit %d", n))
		}
		if old := current[e.lineage]; old != "" && old != e.path {
			if err := os.MkdirAll(filepath.Dir(filepath.Join(out, e.path)), 0o755); err != nil {
				t.Fatal(err)
			}
			git(nil, "mv", old, e.path)
		}
		data, err := os.ReadFile(filepath.Join(corpus, e.file))
		if err != nil {
			t.Fatal(err)
		}
		write(e.path, data, false)
		current[e.lineage] = e.path
		git(nil, "add", "-A")
		msg := fmt.Sprintf("update %s (%s)", filepath.Base(e.path), e.date)
		if e.lineage == "eu" && e.date == "2023-08-17" { // published through a merge
			git(nil, "checkout", "-q", "-b", "topic")
			git(at(e.date, 12), "commit", "-q", "-m", msg)
			git(nil, "checkout", "-q", "main")
			write("docs/other/side.md", []byte("side\n"), true)
			git(nil, "add", "-A")
			git(at(e.date, 12), "commit", "-q", "-m", "unrelated on main")
			git(at(e.date, 12), "merge", "-q", "--no-ff", "-m", "Merge topic", "topic")
			continue
		}
		git(at(e.date, 12), "commit", "-q", "-m", msg)
	}
	return out
}

// expectation is one line of fixtures/realhistory/expected.json.
type expectation struct {
	Date     string   `json:"date"`
	Kind     string   `json:"kind"`
	Service  string   `json:"service"`
	Scope    string   `json:"scope"`
	Category string   `json:"category"`
	Exact    bool     `json:"exact"`
	Why      string   `json:"why"`
	Page     string   `json:"page"`
	MustAny  []string `json:"must_any"`
	Forbid   string   `json:"forbid_text"`
}

type expectations struct {
	Must   []expectation `json:"must"`
	Forbid []expectation `json:"forbid"`
	At     []expectation `json:"at"`
}

// fold keeps a name's letters and digits, lower-cased: the analyst matched
// names with case and punctuation ignored.
func fold(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// matches reports whether change c of a revision dated date is what e
// names.
func (e expectation) matches(date string, c differ.Change) bool {
	if date != e.Date || string(c.Kind) != e.Kind {
		return false
	}
	if e.Scope != "" && c.Scope != e.Scope {
		return false
	}
	if e.Category != "" && !strings.Contains(c.Category, e.Category) {
		return false
	}
	if e.Service == "" {
		return true
	}
	want := fold(e.Service)
	for _, name := range []string{c.Service, c.Before, c.After} {
		got := fold(name)
		if got == "" {
			continue
		}
		if e.Exact && got == want || !e.Exact && (strings.Contains(got, want) || strings.Contains(want, got) && len(got) > 3) {
			return true
		}
	}
	return false
}

func (e expectation) String() string {
	s := fmt.Sprintf("%s %s %q scope %q", e.Date, e.Kind, e.Service, e.Scope)
	if e.Category != "" {
		s += " category " + e.Category
	}
	return s + " (" + e.Why + ")"
}

// TestRealHistory runs the whole changelog of the real EU and Japan history
// and holds it to the analyst's reading: every change that must be
// reported is, no forbidden alert is, and `at` shows what was in force.
func TestRealHistory(t *testing.T) {
	raw, err := os.ReadFile("../fixtures/realhistory/expected.json")
	if err != nil {
		t.Fatal(err)
	}
	var want expectations
	if err := json.Unmarshal(raw, &want); err != nil {
		t.Fatal(err)
	}
	dir := buildRealHistory(t)
	repo, err := history.Open(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { repo.Close() })
	res, err := Build(context.Background(), repo, Options{Profile: entra.Profile()})
	if err != nil {
		t.Fatal(err)
	}
	type dated struct {
		date string
		rev  model.Revision
		c    differ.Change
	}
	var all []dated
	for _, r := range res.Changelog.Revisions {
		for _, c := range r.Changes {
			all = append(all, dated{r.Date.UTC().Format(time.DateOnly), r, c})
		}
	}
	describe := func(d dated) string {
		return fmt.Sprintf("%s %s %s %s %q scope %q (%s) before %q after %q: %s", d.date, d.rev.Page, d.c.Severity, d.c.Kind, d.c.Service, d.c.Scope, d.c.Category, d.c.Before, d.c.After, d.c.Detail)
	}
	// A ratchet: the analyst's every line is checked and every miss is
	// logged; the test fails when residiff reports fewer required changes
	// or more forbidden alerts than it did when the anchored diff landed
	// (43 of 43 reported, 6 forbidden alerts; 4 since rewording is judged
	// on the sentences that say where data goes; 3 since a list item led
	// by its service's name that became a heading over the same sentences
	// is unchanged text; 1 since a product sentence that sums up the page's entries is claim_changed; 0 since a location field's places compare as a set per block and counts only when both count). Raise the floor as misses are fixed by general
	// rules; never lower it.
	const floorMust, ceilingForbidden = 43, 0
	missed := 0
	for _, e := range want.Must {
		if !slices.ContainsFunc(all, func(d dated) bool { return e.matches(d.date, d.c) }) {
			missed++
			t.Logf("missed: %s", e)
		}
	}
	false_ := 0
	for _, e := range want.Forbid {
		for _, d := range all {
			if e.Kind == string(differ.PageRemoved) && d.c.Kind == differ.PageRemoved && d.date == e.Date || e.matches(d.date, d.c) {
				false_++
				t.Logf("forbidden: %s\n\treported: %s", e, describe(d))
			}
		}
	}
	// No alert without its sentence: every medium or high change carries
	// the claim site it rests on.
	for _, d := range all {
		if d.c.Severity >= differ.Medium && d.c.Kind != differ.PageRemoved && (d.c.Evidence == nil || d.c.Evidence.Old == nil && d.c.Evidence.New == nil) {
			t.Errorf("no evidence: %s", describe(d))
		}
	}
	if got := len(want.Must) - missed; got < floorMust {
		t.Errorf("real history: %d of %d required changes reported, want at least %d", got, len(want.Must), floorMust)
	}
	if false_ > ceilingForbidden {
		t.Errorf("real history: %d forbidden alerts, want at most %d", false_, ceilingForbidden)
	}
	for _, e := range want.At {
		date, err := time.Parse(time.DateOnly, e.Date)
		if err != nil {
			t.Fatal(err)
		}
		snap := timeline.AsOf(date.Add(24*time.Hour-time.Second), res.Versions)
		b, err := json.Marshal(snap)
		if err != nil {
			t.Fatal(err)
		}
		text := string(b)
		if e.Page != "" {
			text = ""
			for _, p := range snap.Pages {
				if p.Page == e.Page {
					pb, _ := json.Marshal(p)
					text = string(pb)
				}
			}
		}
		for _, s := range e.MustAny {
			if !strings.Contains(strings.ToLower(text), strings.ToLower(s)) {
				t.Errorf("at %s: %q not shown (%s)", e.Date, s, e.Why)
			}
		}
		if e.Forbid != "" && strings.Contains(text, e.Forbid) {
			t.Errorf("at %s: %q shown (%s)", e.Date, e.Forbid, e.Why)
		}
	}
	t.Logf("real history: %d of %d required changes reported, %d forbidden alerts", len(want.Must)-missed, len(want.Must), false_)
	if testing.Verbose() {
		for _, d := range all {
			t.Log(describe(d))
		}
	}
}
