package job

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/residiff/residiff/differ"
	"github.com/residiff/residiff/model"
	"github.com/residiff/residiff/outbox"
	"github.com/residiff/residiff/state"
)

// line is a linear first-parent fiveCommits c1 … cN; gone commits are not in
// it (a rewritten upstream).
type line struct{ commits []string }

func (l line) HasCommit(h string) bool { return slices.Contains(l.commits, h) }

func (l line) IsAncestor(_ context.Context, a, d string) (bool, error) {
	i, j := slices.Index(l.commits, a), slices.Index(l.commits, d)
	if i < 0 || j < 0 {
		return false, fmt.Errorf("no commit %s or %s", a, d)
	}
	return i <= j, nil
}

// fiveCommits is five commits, each changing one page: eu at c1-c3, jp at
// c4-c5.
var fiveCommits = line{commits: []string{"c1", "c2", "c3", "c4", "c5"}}

func itemAt(commit, page string) model.Item {
	return model.Item{Page: page, Commit: commit, Date: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC),
		Change: differ.Change{ID: "id-" + commit, Severity: differ.High}}
}

// allItems are the changes of the whole history.
func allItems() []model.Item {
	return []model.Item{itemAt("c1", "eu"), itemAt("c2", "eu"), itemAt("c3", "eu"), itemAt("c4", "jp"), itemAt("c5", "jp")}
}

var lineages = map[string]model.Lineage{"eu": {ID: "L-eu", Path: "eu.md"}, "jp": {ID: "L-jp", Path: "jp.md"}}

const aliases = "hash-a"

// stateVersions are the records of one repository that each state format
// (and each settings change) leaves, all having processed c3.
func stateVersions() map[string]*state.Repository {
	euOnly := map[string]model.Lineage{"eu": lineages["eu"]}
	return map[string]*state.Repository{
		"none":                         nil,
		"v1/v2: no lineages":           {Processed: "c3", Profile: "entra"},
		"v3 before globs were kept":    {Processed: "c3", Profile: "entra", Lineages: euOnly},
		"v3 current":                   {Processed: "c3", Profile: "entra", Lineages: euOnly, Globs: []string{"*.md"}, Aliases: aliases},
		"v3, globs changed":            {Processed: "c3", Profile: "entra", Lineages: euOnly, Globs: []string{"eu.md"}, Aliases: aliases},
		"v3, profile changed":          {Processed: "c3", Profile: "m365", Lineages: euOnly, Globs: []string{"*.md"}, Aliases: aliases},
		"v3, aliases changed":          {Processed: "c3", Profile: "entra", Lineages: euOnly, Globs: []string{"*.md"}, Aliases: "hash-b"},
		"v3, processed commit gone":    {Processed: "x3", Profile: "entra", Lineages: euOnly, Globs: []string{"*.md"}, Aliases: aliases},
		"v3, processed at the tip":     {Processed: "c5", Profile: "entra", Lineages: lineages, Globs: []string{"*.md"}, Aliases: aliases},
		"v3, processed off the branch": {Processed: "c3", Profile: "entra", Lineages: euOnly, Globs: []string{"*.md"}, Aliases: aliases},
	}
}

func policyFor(rs *state.Repository) resume {
	return resume{St: rs, Tip: "c5", Profile: "entra", Globs: []string{"*.md"}, Aliases: aliases}
}

// walked is what a walk with w finds: from Since on, or everything.
func walked(w walk) []model.Item {
	items := allItems()
	if w.Since == "" {
		return items
	}
	i := slices.IndexFunc(items, func(it model.Item) bool { return it.Commit == w.Since })
	return items[i+1:]
}

// TestResumePlan: the walk each state version gets.
func TestResumePlan(t *testing.T) {

	want := map[string]struct {
		first, upToDate, resettled, migrate bool
		since                               string
		note                                string
	}{
		"none":                         {first: true},
		"v1/v2: no lineages":           {migrate: true, note: "no page lineages yet"},
		"v3 before globs were kept":    {since: "c3"},
		"v3 current":                   {since: "c3"},
		"v3, globs changed":            {resettled: true, migrate: true, note: "globs, profile or aliases changed"},
		"v3, profile changed":          {resettled: true, migrate: true, note: "globs, profile or aliases changed"},
		"v3, aliases changed":          {resettled: true, migrate: true, note: "globs, profile or aliases changed"},
		"v3, processed commit gone":    {note: "gone from the upstream history"},
		"v3, processed at the tip":     {upToDate: true},
		"v3, processed off the branch": {note: "history was rewritten"},
	}
	for name, rs := range stateVersions() {
		t.Run(name, func(t *testing.T) {
			repo := ancestry(fiveCommits)
			if name == "v3, processed off the branch" {
				// c3 exists but is no ancestor of the tip.
				repo = offBranch{fiveCommits}
			}
			w, err := policyFor(rs).plan(context.Background(), repo)
			if err != nil {
				t.Fatal(err)
			}
			exp := want[name]
			if w.First != exp.first || w.UpToDate != exp.upToDate || w.Resettled != exp.resettled || w.Migrate != exp.migrate || w.Since != exp.since {
				t.Errorf("walk %+v, want %+v", w, exp)
			}
			if exp.since != "" && len(w.Known) == 0 {
				t.Error("an incremental walk carries no lineages on")
			}
			if notes := strings.Join(w.Notes, "\n"); !strings.Contains(notes, exp.note) || exp.note == "" && notes != "" {
				t.Errorf("notes %q, want %q", notes, exp.note)
			}
		})
	}
}

// offBranch is a fiveCommits where every commit exists but none is an
// ancestor of another (a force-push kept the old objects).
type offBranch struct{ line }

func (offBranch) IsAncestor(context.Context, string, string) (bool, error) { return false, nil }

// TestResumeExactlyOnce: for every state version and every crash point of
// a run, the run after it delivers each change at most once, and every
// change not notified before the state was written is delivered or
// pending — never lost, never twice.
//
// The state an earlier residiff wrote delivered c1-c3 (or, for "none",
// nothing). A run plans, queues and records; it is then killed at a
// crash point, and a second run starts from the state on disk.
func TestResumeExactlyOnce(t *testing.T) {
	crashPoints := []string{"after-fetch (nothing saved)", "before-rename (the state save lost)", "after-send (the state saved, one message journaled)", "no crash"}
	now := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	p := outbox.Policy{MinSeverity: differ.Low, Default: "#dest", FirstRun: "all"}
	for name, rs0 := range stateVersions() {
		for _, crash := range crashPoints {
			t.Run(name+"/"+crash, func(t *testing.T) {
				st := state.New()
				if rs0 != nil {
					cp := *rs0
					st.Repositories["r"] = &cp
					// A state without lineages recorded its deliveries
					// under ids of an older scheme: none matches.
					for _, it := range allItems()[:3] {
						if len(rs0.Lineages) > 0 {
							st.Delivered[state.Key("#dest", it.Change.ID)] = now
						}
					}
					if rs0.Processed == "c5" {
						for _, it := range allItems() {
							st.Delivered[state.Key("#dest", it.Change.ID)] = now
						}
					}
				}
				saved := clone(t, st)
				runOnce(t, st, p, now)
				var next *state.State
				switch {
				case strings.HasPrefix(crash, "after-fetch"), strings.HasPrefix(crash, "before-rename"):
					next = saved
				case strings.HasPrefix(crash, "after-send"):
					next = clone(t, st)
					if len(next.Outbox) > 0 {
						first := next.Outbox[0]
						next.Deliver(first.Destination, []string{first.Item.Change.ID}, now)
					}
				default:
					next = clone(t, st)
				}
				delivered := map[string]int{}
				for k := range next.Delivered {
					delivered[k]++
				}
				runOnce(t, next, p, now)
				pending := map[string]int{}
				for _, pe := range next.Outbox {
					pending[pe.Key()]++
				}
				for _, it := range allItems() {
					k := state.Key("#dest", it.Change.ID)
					if pending[k] > 1 || pending[k]+delivered[k] > 1 {
						t.Errorf("%s: queued %d time(s), delivered %d", it.Change.ID, pending[k], delivered[k])
					}
					if rs0 != nil && it.Commit <= "c3" && pending[k] > 0 {
						t.Errorf("%s: notified by the earlier state, queued again", it.Change.ID)
					}
					if pending[k]+delivered[k] == 0 {
						if _, ok := next.Delivered[k]; !ok {
							t.Errorf("%s: lost (neither delivered nor pending)", it.Change.ID)
						}
					}
				}
				if rs := next.Repositories["r"]; rs == nil || rs.Processed != "c5" || len(rs.Globs) == 0 || rs.Aliases != aliases || rs.Profile != "entra" {
					t.Errorf("record after the run: %+v", rs)
				}
			})
		}
	}
}

// runOnce is the policy's part of a run: plan, walk, queue, record.
func runOnce(t *testing.T, st *state.State, p outbox.Policy, now time.Time) {
	t.Helper()
	repo := fiveCommits
	pol := policyFor(st.Repositories["r"])
	w, err := pol.plan(context.Background(), repo)
	if err != nil {
		t.Fatal(err)
	}
	if w.UpToDate {
		return
	}
	qs, err := pol.queues(context.Background(), repo, w, walked(w), lineages)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range qs {
		qp := p
		if q.FirstRun != "" {
			qp.FirstRun = q.FirstRun
		}
		outbox.Queue(st, q.Items, qp, q.First, now)
	}
	st.Repositories["r"] = pol.record(w, "src", "main", lineages, nil)
}

func clone(t *testing.T, st *state.State) *state.State {
	t.Helper()
	path := t.TempDir() + "/s.json"
	if err := state.Save(path, st, state.SaveOptions{}); err != nil {
		t.Fatal(err)
	}
	out, err := state.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestResumeQueues: how each migrating walk splits what it found.
func TestResumeQueues(t *testing.T) {
	ids := func(items []model.Item) string {
		var out []string
		for _, it := range items {
			out = append(out, strings.TrimPrefix(it.Change.ID, "id-"))
		}
		sort.Strings(out)
		return strings.Join(out, ",")
	}
	for _, tt := range []struct {
		name                  string
		old, backfill, rest   string
		firstNone, firstOther bool
	}{
		// An older state: what c3 contains was notified then.
		{name: "v1/v2: no lineages", old: "c1,c2,c3", backfill: "", rest: "c4,c5"},
		// New globs: the eu page was followed, jp is newly matched; only
		// what c3 contains is split, the rest is news.
		{name: "v3, globs changed", old: "c1,c2,c3", backfill: "", rest: "c4,c5"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			pol := policyFor(stateVersions()[tt.name])
			w, err := pol.plan(context.Background(), fiveCommits)
			if err != nil {
				t.Fatal(err)
			}
			qs, err := pol.queues(context.Background(), fiveCommits, w, walked(w), lineages)
			if err != nil {
				t.Fatal(err)
			}
			if len(qs) != 3 || qs[0].FirstRun != "none" || !qs[0].First || !qs[1].First || qs[2].First {
				t.Fatalf("queues %+v", qs)
			}
			if got := ids(qs[0].Items) + "|" + ids(qs[1].Items) + "|" + ids(qs[2].Items); got != tt.old+"|"+tt.backfill+"|"+tt.rest {
				t.Errorf("old|backfill|rest = %s, want %s|%s|%s", got, tt.old, tt.backfill, tt.rest)
			}
		})
	}
	// A page newly matched that changed before c3 is a backfill, not
	// fiveCommits already notified.
	pol := policyFor(stateVersions()["v3, globs changed"])
	w, _ := pol.plan(context.Background(), fiveCommits)
	items := append(allItems(), itemAt("c2", "mars"))
	found := map[string]model.Lineage{"eu": lineages["eu"], "jp": lineages["jp"], "mars": {ID: "L-mars"}}
	qs, err := pol.queues(context.Background(), fiveCommits, w, items, found)
	if err != nil {
		t.Fatal(err)
	}
	if len(qs[1].Items) != 1 || qs[1].Items[0].Page != "mars" {
		t.Errorf("backfill %+v, want the mars change", qs[1].Items)
	}
}
