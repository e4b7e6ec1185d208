package job

import (
	"context"
	"fmt"
	"slices"

	"github.com/residiff/residiff/internal/short"
	"github.com/residiff/residiff/model"
	"github.com/residiff/residiff/state"
)

// ancestry is what the resume policy asks of a repository.
type ancestry interface {
	HasCommit(hash string) bool
	IsAncestor(ctx context.Context, ancestor, descendant string) (bool, error)
}

// resume is the policy that keeps delivery exactly-once across state
// versions, crashes and upstream rewrites: from what the state recorded of
// one repository and the branch tip now, it decides where the walk starts
// (plan) and which of the changes found are news, which were notified by
// an earlier residiff, and which are a backfill (queues); then what the
// state records (record).
//
// State versions it reads: none (a first run), files without lineages
// (state formats 1 and 2: the whole history is walked once and what the
// processed commit contains counts as delivered), files without globs and
// alias hash (recorded now, never a change), and current files.
type resume struct {
	// St is the state's record of the repository; nil: none.
	St *state.Repository
	// Tip is the branch tip now.
	Tip string
	// Profile, Globs and Aliases are the configured walk (Aliases a hash).
	Profile string
	Globs   []string
	Aliases string
}

// walk is what plan decided.
type walk struct {
	// First: no state: a backfill under the first_run policy.
	First bool
	// UpToDate: the state processed the tip with the same settings.
	UpToDate bool
	// Resettled: the page globs, profile or aliases changed.
	Resettled bool
	// Migrate: the whole history is walked, and what the processed commit
	// contains is split from the news (an older state, or Resettled).
	Migrate bool
	// Since is the commit the walk starts after ("" the whole history),
	// with Known the lineages it carries on.
	Since string
	Known map[string]model.Lineage
	// Notes are what a person should know of the decision.
	Notes []string
}

// plan decides the walk. repo answers ancestry questions about the
// processed commit.
func (p resume) plan(ctx context.Context, repo ancestry) (walk, error) {
	rs := p.St
	if rs == nil || rs.Processed == "" {
		return walk{First: true}, nil
	}
	w := walk{Resettled: p.settingsChanged()}
	if rs.Processed == p.Tip && !w.Resettled {
		w.UpToDate = true
		return w, nil
	}
	// A state from before lineages, or settings changed, is walked whole:
	// change ids are content-based, so what was delivered keeps its id.
	w.Migrate = len(rs.Lineages) == 0 || w.Resettled
	switch {
	case w.Resettled:
		w.Notes = append(w.Notes, "the page globs, profile or aliases changed since the last run: walking the whole history; pages newly matched are backfilled, what was delivered of the others is kept")
		return w, nil
	case w.Migrate:
		w.Notes = append(w.Notes, fmt.Sprintf("the state has no page lineages yet (written by an older residiff): walking the whole history once; changes up to %s count as delivered", short.Hash(rs.Processed)))
		return w, nil
	}
	// The processed commit when the branch still contains it; else (a
	// force-pushed, rewritten upstream) the beginning: ids depend on the
	// page versions, not the commits, so walking again never notifies
	// twice, and what the rewrite changed is found.
	if !repo.HasCommit(rs.Processed) {
		w.Notes = append(w.Notes, fmt.Sprintf("warning: processed commit %s is gone from the upstream history; reprocessing all of it (delivered changes are not sent again)", short.Hash(rs.Processed)))
		return w, nil
	}
	ok, err := repo.IsAncestor(ctx, rs.Processed, p.Tip)
	if err != nil {
		return walk{}, err
	}
	if !ok {
		w.Notes = append(w.Notes, fmt.Sprintf("warning: upstream history was rewritten (%s is no longer on the branch); reprocessing the whole history (delivered changes are not sent again)", short.Hash(rs.Processed)))
		return w, nil
	}
	w.Since = rs.Processed
	w.Known = map[string]model.Lineage{}
	for _, l := range rs.Lineages {
		w.Known[l.Path] = l
	}
	return w, nil
}

// settingsChanged reports whether the configured pages, profile or aliases
// differ from those the state's lineages were found with. A state that
// did not record them (an older residiff) has not changed: they are
// recorded now.
func (p resume) settingsChanged() bool {
	rs := p.St
	if rs == nil || len(rs.Globs) == 0 {
		return false
	}
	return rs.Profile != p.Profile || !slices.Equal(rs.Globs, p.Globs) || rs.Aliases != p.Aliases
}

// queueing is one group of items to queue: First marks a backfill, and
// FirstRun, when set, overrides the configured first_run ("none": record
// as delivered without sending).
type queueing struct {
	Items    []model.Item
	First    bool
	FirstRun string
}

// queues splits the items a walk found into what to queue how. found are
// the lineages the walk ended with.
func (p resume) queues(ctx context.Context, repo ancestry, w walk, items []model.Item, found map[string]model.Lineage) ([]queueing, error) {
	if !w.Migrate {
		return []queueing{{Items: items, First: w.First}}, nil
	}
	// What the older state already processed was notified then.
	done, rest, err := splitProcessed(ctx, repo, items, p.St.Processed)
	if err != nil {
		return nil, err
	}
	old, backfill := done, []model.Item(nil)
	if w.Resettled {
		old, backfill = splitKnown(done, p.St.Lineages, found)
	}
	return []queueing{{Items: old, First: true, FirstRun: "none"}, {Items: backfill, First: true}, {Items: rest}}, nil
}

// record updates the state's record of the repository after a walk up to
// the tip that found lineages and revisions; it returns the record (a new
// one when the state had none).
func (p resume) record(w walk, source, branch string, found map[string]model.Lineage, revs []model.Revision) *state.Repository {
	rs := p.St
	if rs == nil {
		rs = &state.Repository{Pages: map[string]state.Page{}}
	}
	if rs.Pages == nil {
		rs.Pages = map[string]state.Page{}
	}
	rs.Source, rs.Branch, rs.Profile, rs.Processed = source, branch, p.Profile, p.Tip
	rs.Globs, rs.Aliases = append([]string{}, p.Globs...), p.Aliases
	if rs.Lineages == nil || w.Since == "" {
		rs.Lineages = map[string]model.Lineage{}
	}
	for name, l := range found {
		rs.Lineages[name] = l
	}
	for _, rev := range revs {
		rs.Pages[rev.Page] = state.Page{Commit: rev.Commit, Path: rev.Path}
	}
	return rs
}

// splitKnown splits items into those of pages the state already followed
// (by lineage identity) and those of pages newly matched.
func splitKnown(items []model.Item, known map[string]model.Lineage, found map[string]model.Lineage) (old, added []model.Item) {
	ids := map[string]bool{}
	for _, l := range known {
		ids[l.ID] = true
	}
	for _, it := range items {
		if ids[found[it.Page].ID] {
			old = append(old, it)
		} else {
			added = append(added, it)
		}
	}
	return old, added
}

// splitProcessed splits items into those of revisions the processed
// commit already contains and the rest.
func splitProcessed(ctx context.Context, repo ancestry, items []model.Item, processed string) (done, rest []model.Item, err error) {
	known := map[string]bool{}
	for _, it := range items {
		if _, ok := known[it.Commit]; ok {
			continue
		}
		in := it.Commit == processed
		if !in && repo.HasCommit(processed) {
			if in, err = repo.IsAncestor(ctx, it.Commit, processed); err != nil {
				return nil, nil, err
			}
		}
		known[it.Commit] = in
	}
	for _, it := range items {
		if known[it.Commit] {
			done = append(done, it)
		} else {
			rest = append(rest, it)
		}
	}
	return done, rest, nil
}
