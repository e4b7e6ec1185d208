package job

import (
	"bytes"
	"context"
	"fmt"
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
	restored, err := b.Restore(r.cfg.State)
	if err != nil {
		return fmt.Errorf("restore the state from branch %s: %w", r.cfg.CommitTo, err)
	}
	if restored {
		r.logf("restored the state file from branch %s", r.cfg.CommitTo)
	}
	return nil
}

// commitEvidence commits the state file and the report files to the
// commit_to branch when they changed, with a message saying what the run
// did.
func (r *runner) commitEvidence(ctx context.Context) error {
	if r.branch == nil || r.st == nil {
		return nil
	}
	r.crash("before-commit")
	files := []statebranch.File{{Path: r.cfg.State}}
	if old, ok, err := r.branch.Read(r.cfg.State); err == nil && ok && sameState(old, r.st) {
		// Only the run's timestamp changed: the branch keeps its copy,
		// and a run with nothing new makes no commit.
		files[0].Data = old
	}
	for _, f := range render.Formats() {
		if p := r.cfg.Outputs[f.Name()]; p != "" {
			files = append(files, statebranch.File{Path: p})
		}
	}
	author := statebranch.Author{Name: r.opts.Getenv("GIT_AUTHOR_NAME"), Email: r.opts.Getenv("GIT_AUTHOR_EMAIL")}
	if author.Name == "" {
		author.Name = "residiff"
	}
	if author.Email == "" {
		author.Email = "residiff@users.noreply.github.com"
	}
	h, err := r.branch.Commit(ctx, files, r.evidenceMessage(), author, r.opts.Now())
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
	var lines []string
	for name, rs := range r.st.Repositories {
		lines = append(lines, fmt.Sprintf("%s at %s (%s)", name, short.Hash(rs.Processed), rs.Source))
	}
	sort.Strings(lines)
	for _, it := range o.New {
		if it.Change.Severity >= differ.High {
			lines = append(lines, fmt.Sprintf("high: %s %s %s (%s)", it.Page, it.Change.Kind, it.Change.Service, short.Hash(it.Commit)))
		}
	}
	return subject + "\n\n" + strings.Join(lines, "\n") + "\n"
}

// sameState reports whether the state file data holds st, but for the
// time it was saved.
func sameState(data []byte, st *state.State) bool {
	old, err := state.Decode(data)
	if err != nil {
		return false
	}
	cur := *st
	old.Updated, cur.Updated = time.Time{}, time.Time{}
	a, errA := state.Encode(old)
	b, errB := state.Encode(&cur)
	return errA == nil && errB == nil && bytes.Equal(a, b)
}
