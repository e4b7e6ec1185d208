package job

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/residiff/residiff/differ"
	"github.com/residiff/residiff/internal/short"
	"github.com/residiff/residiff/render"
	"github.com/residiff/residiff/state"
	"github.com/residiff/residiff/statebranch"
)

// openBranch opens the commit_to branch of the repository holding the
// state file and, when the state file is missing (a fresh CI machine),
// restores it from the branch.
func (r *runner) openBranch() error {
	b, err := statebranch.Open(filepath.Dir(r.cfg.State), r.cfg.CommitTo)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrConfig, err)
	}
	r.branch = b
	if r.branchBase, err = b.Tip(); err != nil {
		return err
	}
	restored, err := b.Restore(r.cfg.State)
	if err != nil {
		return fmt.Errorf("restore the state from branch %s: %w", r.cfg.CommitTo, err)
	}
	if restored {
		// The journal on the branch holds the deliveries made since that
		// state was saved (a run killed before folding them in): the
		// restored state is never older than what was sent.
		if _, err := b.Restore(state.JournalPath(r.cfg.State)); err != nil {
			return fmt.Errorf("restore the delivery journal from branch %s: %w", r.cfg.CommitTo, err)
		}
		r.logf("restored the state file from branch %s", r.cfg.CommitTo)
	}
	return nil
}

// stateFiles are the state file and its journal as the branch records
// them: the branch's own copy of the state when only its save time
// changed, the journal removed when it was folded in.
func (r *runner) stateFiles() []statebranch.File {
	files := []statebranch.File{{Path: r.cfg.State}}
	if old, ok, err := r.branch.Read(r.cfg.State); err == nil && ok && sameState(old, r.st) {
		files[0].Data = old
	}
	journal := state.JournalPath(r.cfg.State)
	if _, err := os.Stat(journal); err != nil {
		return append(files, statebranch.File{Path: journal, Remove: true})
	}
	return append(files, statebranch.File{Path: journal})
}

// checkpoint commits the state and its journal to the commit_to branch
// after every save and every recorded delivery, so that a state restored
// from the branch is never older than the deliveries made: a run killed
// before its own commit leaves them there. commitEvidence folds a run's
// checkpoints into its one commit.
func (r *runner) checkpoint(ctx context.Context, what string) error {
	if r.branch == nil || r.st == nil {
		return nil
	}
	if _, err := r.branch.Commit(ctx, r.stateFiles(), "residiff: checkpoint: "+what+" (folded into the run's commit)", r.author(), r.opts.Now()); err != nil {
		return fmt.Errorf("record on branch %s: %w", r.cfg.CommitTo, err)
	}
	return nil
}

func (r *runner) author() statebranch.Author {
	author := statebranch.Author{Name: r.opts.Getenv("GIT_AUTHOR_NAME"), Email: r.opts.Getenv("GIT_AUTHOR_EMAIL")}
	if author.Name == "" {
		author.Name = "residiff"
	}
	if author.Email == "" {
		author.Email = "residiff@users.noreply.github.com"
	}
	return author
}

// commitEvidence commits the state file and the report files to the
// commit_to branch when they changed, with a message saying what the run
// did.
func (r *runner) commitEvidence(ctx context.Context) error {
	if r.branch == nil || r.st == nil {
		return nil
	}
	r.crash("before-commit")
	// Only the run's timestamp changed: the branch keeps its copy, and a
	// run with nothing new makes no commit.
	files := r.stateFiles()
	for _, f := range render.Formats() {
		if p := r.cfg.Outputs[f.Name()]; p != "" {
			files = append(files, statebranch.File{Path: p})
		}
	}
	h, err := r.branch.CommitOnto(ctx, r.branchBase, files, r.evidenceMessage(), r.author(), r.opts.Now())
	if err != nil {
		return fmt.Errorf("%v (the state file on disk is intact; the next run commits it)", err)
	}
	if h != "" {
		r.logf("committed the state and report files to branch %s (%s)", r.cfg.CommitTo, short.Hash(h))
	}
	return nil
}

// evidenceMessage says what the run did, in a commit message: a subject
// line, then the tip of every repository.
func (r *runner) evidenceMessage() string {
	o := r.out
	subject := fmt.Sprintf("residiff: %d new revision(s), %d change(s); delivered %d in %d message(s), %d pending",
		o.Revisions, len(o.New), o.Delivered, o.Messages, len(r.st.Outbox))
	if o.Revisions == 0 && o.Delivered == 0 {
		subject = fmt.Sprintf("residiff: nothing new; %d pending", len(r.st.Outbox))
	}
	if h := r.st.Health; h.Failures > 0 {
		subject = fmt.Sprintf("residiff: failed run %d since %s; %d pending", h.Failures, h.FailingSince.Format("2006-01-02 15:04 MST"), len(r.st.Outbox))
	}
	var lines []string
	for name, rs := range r.st.Repositories {
		lines = append(lines, fmt.Sprintf("%s at %s (%s)", name, short.Hash(rs.Processed), rs.Source))
	}
	sort.Strings(lines)
	if h := r.st.Health; h.Failures > 0 {
		lines = append(lines, "error: "+h.LastError)
	}
	for _, it := range o.New {
		if it.Change.Severity >= differ.High {
			lines = append(lines, fmt.Sprintf("high: %s %s %s (%s)", it.Page, it.Change.Kind, it.Change.Service, short.Hash(it.Commit)))
		}
	}
	return subject + "\n\n" + strings.Join(lines, "\n") + "\n"
}

// sameState reports whether the state file data holds st, but for the
// time it was saved and of its last good run.
func sameState(data []byte, st *state.State) bool {
	old, err := state.Decode(data)
	if err != nil {
		return false
	}
	cur := *st
	old.Updated, cur.Updated = time.Time{}, time.Time{}
	old.Health.LastSuccess, cur.Health.LastSuccess = time.Time{}, time.Time{}
	a, errA := state.Encode(old)
	b, errB := state.Encode(&cur)
	return errA == nil && errB == nil && bytes.Equal(a, b)
}
