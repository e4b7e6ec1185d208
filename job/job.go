// Package job is the scheduled residiff run, and only its sequence: take
// the lock, load the state, then per repository sync, build the changelog
// of the new revisions, write the report files and queue the new changes;
// save the state; deliver the outbox.
//
// Ordering is what makes it safe. Changes are queued and the state saved
// before anything is sent, so a crash never loses a change; each delivered
// message is recorded right after the destination accepts it, so a rerun
// never sends it again — except the one message in flight when a run is
// killed between the destination's answer and the state save, which may be
// sent twice. What is routed where is package outbox's; how a message
// looks and is sent is the notifiers'; the report files are package
// render's formats.
package job

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/residiff/residiff/config"
	"github.com/residiff/residiff/history"
	"github.com/residiff/residiff/internal/short"
	"github.com/residiff/residiff/model"
	"github.com/residiff/residiff/notifier"
	"github.com/residiff/residiff/notifier/delivery"
	"github.com/residiff/residiff/pipeline"
	"github.com/residiff/residiff/state"
	"github.com/residiff/residiff/statebranch"
)

// Options are the run's inputs besides the configuration.
type Options struct {
	// ParseWorker is the residiff executable that parses suspicious
	// pages in a worker process (extractor.Limits.Worker); "" parses
	// them in process.
	ParseWorker string
	// DryRun prints the messages that would be sent to Out and sends
	// nothing, writes no report file and saves no state.
	DryRun bool
	// Format is the format of the report printed to Out when no notifier
	// is configured: markdown (default) or json.
	Format string
	// Out receives the report (no notifier) or the dry-run payloads.
	Out io.Writer
	// Log receives progress lines and warnings.
	Log io.Writer
	// Getenv reads the secrets' environment variables; nil means os.Getenv.
	Getenv func(string) string
	// Retry bounds every destination's delivery; zero means
	// delivery.DefaultRetry with each section's max_attempts. A non-zero
	// MaxAttempts applies to every section.
	Retry delivery.Retry
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Progress, when set, receives the pipeline's progress.
	Progress pipeline.Progress
	// SyncProgress, when set, receives git's clone and fetch progress.
	SyncProgress io.Writer
	// Notifiers, when set, are the destinations by name, instead of
	// those the configuration's notifier sections build (routing still
	// follows the configuration).
	Notifiers map[string]notifier.Notifier
}

// Outcome is what a run did.
type Outcome struct {
	// New are the changes found by this run (all severities), in order.
	New []model.Item
	// Revisions counts the new page revisions walked.
	Revisions int
	// Delivered counts the notifications delivered by this run, in
	// Messages messages; Pending those still in the outbox.
	Delivered, Messages, Pending int
	// FirstRun lists the repositories this run backfilled.
	FirstRun []string
	// Warnings are the extraction and history warnings of the run.
	Warnings []string
}

// ErrUndelivered is wrapped by Run's error when notifications stay pending
// after the retries.
var ErrUndelivered = errors.New("notifications still pending")

// ErrConfig is wrapped by Run's error when the configuration names
// something the repository does not have (a page glob matching nothing).
var ErrConfig = errors.New("configuration error")

// Run does one scheduled run with cfg.
func Run(ctx context.Context, cfg *config.Config, opts Options) (*Outcome, error) {
	r := &runner{cfg: cfg, opts: opts, out: &Outcome{}, crash: crashHook(), fulls: map[string]*pipeline.Result{}}
	r.defaults()
	err := r.run(ctx)
	for _, f := range r.cleanup {
		f()
	}
	return r.out, err
}

type runner struct {
	cfg       *config.Config
	opts      Options
	out       *Outcome
	st        *state.State
	notifiers map[string]notifier.Notifier // by destination name
	down      map[string]error             // destinations that failed this run
	cleanup   []func()                     // run when the run ends
	dryLock   bool                         // a dry run holds the lock
	codeID    string                       // see code
	// fulls are the whole-history results of the repositories processed
	// this run, for the report files; reportsDue says they must be
	// written.
	fulls      map[string]*pipeline.Result
	reportsDue bool
	// branch is where state and reports are committed (commit_to);
	// branchBase its tip when the run began ("" none), onto which the
	// run's checkpoints are folded.
	branch     *statebranch.Branch
	branchBase string
	// crash is called at the named points of the run ("after-fetch",
	// "after-send", "before-rename"); only crash-test builds kill there.
	crash func(point string)
}

func (r *runner) defaults() {
	if r.opts.Getenv == nil {
		r.opts.Getenv = os.Getenv
	}
	if r.opts.Now == nil {
		r.opts.Now = time.Now
	}
	if r.opts.Out == nil {
		r.opts.Out = io.Discard
	}
	if r.opts.Log == nil {
		r.opts.Log = io.Discard
	}
}

func (r *runner) logf(format string, args ...any) {
	_, _ = fmt.Fprintf(r.opts.Log, "residiff: "+format+"\n", args...) // a diagnostic; nothing to do if stderr fails
}

func (r *runner) run(ctx context.Context) (err error) {
	notifiers, err := r.buildNotifiers()
	if err != nil {
		return err
	}
	r.notifiers = notifiers
	if !r.opts.DryRun {
		lock, err := state.Acquire(r.cfg.State)
		if err != nil {
			return err
		}
		defer func() { _ = lock.Release() }()
		if r.cfg.CommitTo != "" {
			if err := r.openBranch(); err != nil {
				return err
			}
			// Under the lock, after everything else, even after a
			// failure: what this run saved becomes the branch's
			// newest commit.
			defer func() { err = errors.Join(err, r.commitEvidence(context.WithoutCancel(ctx))) }()
		}
	}
	st, err := state.Load(r.cfg.State)
	switch {
	case errors.Is(err, os.ErrNotExist):
		st = state.New()
	case err != nil:
		return err
	}
	r.st = st

	// Delivery first: what earlier runs queued goes out even when the
	// upstream is unreachable or a report cannot be written this time.
	var earlier error
	if !r.opts.DryRun && len(st.Outbox) > 0 {
		earlier = r.deliver(ctx)
	}
	var reports []*model.Changelog
	var unreachable []error
	for _, repo := range r.cfg.Repositories {
		cl, err := r.process(ctx, repo)
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if err != nil {
			// One repository failing stops neither the others nor the
			// delivery of what is queued; its revisions are walked again
			// next run. The error is printed once, by the caller.
			unreachable = append(unreachable, fmt.Errorf("%s: %w", repo.Name, err))
			continue
		}
		if cl != nil {
			reports = append(reports, cl)
		}
	}
	failed := unreachable
	if err := r.writeReports(ctx); err != nil {
		// The state remembers that the files are behind: the next run
		// writes them even with nothing new.
		failed = append(failed, err)
	}
	r.out.Pending = len(st.Outbox)
	if r.notifiers == nil && (len(failed) == 0 || len(reports) > 0) {
		// A failed run prints what it found, but never "no new
		// revisions": that would read as an all-clear.
		if err := r.printReport(reports); err != nil {
			return err
		}
	}
	if r.opts.DryRun {
		return errors.Join(append(failed, r.printPreviews())...)
	}
	st.Updated = r.opts.Now().UTC()
	if err := r.save(); err != nil {
		return err
	}
	delivered := r.deliver(ctx)
	r.health(ctx, unreachable)
	if err := r.save(); err != nil {
		return err
	}
	if delivered == nil && len(failed) == 0 {
		if err := r.heartbeat(ctx); err != nil {
			return err
		}
	}
	if len(failed) > 0 {
		// The run's own failure decides the exit code; what stays
		// pending is said, not wrapped.
		err := errors.Join(failed...)
		if delivered != nil {
			err = fmt.Errorf("%w; delivery: %v", err, delivered)
		}
		return err
	}
	if delivered == nil && earlier != nil && len(st.Outbox) > 0 {
		return earlier
	}
	return delivered
}

// process syncs one repository and queues its new changes. It returns the
// changelog of the new revisions (nil when nothing is new).
func (r *runner) process(ctx context.Context, cr config.Repository) (*model.Changelog, error) {
	p, err := r.pipelineOptions(cr)
	if err != nil {
		return nil, err
	}
	repo, err := r.open(ctx, cr)
	if err != nil {
		return nil, err
	}
	defer func() { _ = repo.Close() }()
	r.crash("after-fetch")

	tip, err := repo.Head(cr.Branch)
	if err != nil {
		return nil, err
	}
	rs := r.st.Repositories[cr.Name]
	pol := resume{St: rs, Tip: tip, Profile: cr.ProfileKey(), Globs: cr.Pages, Aliases: r.aliasesHash()}
	w, err := pol.plan(ctx, repo)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", cr.Name, err)
	}
	if w.UpToDate {
		r.logf("%s: nothing new since %s", cr.Name, short.Hash(tip))
		return nil, nil
	}
	for _, n := range w.Notes {
		if rest, ok := strings.CutPrefix(n, "warning: "); ok {
			r.logf("warning: %s: %s", cr.Name, rest)
		} else if w.Resettled {
			r.logf("%s: %s (first_run: %s)", cr.Name, n, r.cfg.FirstRun)
		} else {
			r.logf("%s: %s", cr.Name, n)
		}
	}
	p.Since, p.Known = w.Since, w.Known
	res, err := pipeline.Build(ctx, repo, p)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", cr.Name, err)
	}
	if err := r.checkGlobs(ctx, repo, cr, rs, res.Changelog); err != nil {
		return nil, err
	}
	for _, warning := range res.Warnings {
		r.logf("warning: %s: %s", cr.Name, warning)
	}
	r.out.Warnings = append(r.out.Warnings, res.Warnings...)
	r.out.Revisions += len(res.Changelog.Revisions)

	if r.wantsOutputs() {
		// The report files show the whole history; an incremental walk
		// only saw the new part, which extends the model of the last run.
		full, err := r.wholeHistory(ctx, repo, cr, p, res)
		if err != nil {
			return nil, err
		}
		r.fulls[cr.Name] = full
		if len(res.Changelog.Revisions) > 0 || w.First || w.Resettled {
			r.reportsDue = true
		}
	}

	items := model.ItemsOf(cr.Name, res.Changelog)
	r.out.New = append(r.out.New, items...)
	if w.First {
		r.out.FirstRun = append(r.out.FirstRun, cr.Name)
	}
	if r.notifiers != nil {
		qs, err := pol.queues(ctx, repo, w, items, res.Lineages)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", cr.Name, err)
		}
		for _, q := range qs {
			r.queue(q.Items, q.First, q.FirstRun)
		}
	}
	r.st.Repositories[cr.Name] = pol.record(w, p.Repository, cr.Branch, res.Lineages, res.Changelog.Revisions)
	r.logf("%s: %d new revision(s) up to %s, %d change(s)", cr.Name, len(res.Changelog.Revisions), short.Hash(tip), len(items))
	return res.Changelog, nil
}

// aliasesHash identifies the configured aliases.
func (r *runner) aliasesHash() string {
	h := sha256.Sum256([]byte(fmt.Sprint(r.cfg.Aliases)))
	return hex.EncodeToString(h[:8])
}

// checkGlobs fails the run when the configured page globs name nothing: a
// glob of the configuration's own that matches no page at the tip nor in
// the history, or a profile whose globs all match nothing (the wrong
// repository). Otherwise a typo would read as "no residency changes".
func (r *runner) checkGlobs(ctx context.Context, repo *history.Repo, cr config.Repository, rs *state.Repository, cl *model.Changelog) error {
	var seen []string
	for _, rev := range cl.Revisions {
		seen = append(seen, rev.Path)
	}
	if rs != nil {
		for _, l := range rs.Lineages {
			seen = append(seen, l.Path)
		}
	}
	unmatched, err := repo.UnmatchedGlobs(ctx, cr.Branch, cr.Pages, seen)
	if err != nil {
		return fmt.Errorf("%s: %w", cr.Name, err)
	}
	switch {
	case len(unmatched) == 0:
		return nil
	case cr.PagesFromProfile && len(unmatched) == len(cr.Pages):
		return fmt.Errorf("%s: %w: none of the %s profile's page globs matches a file at the tip or in the history: is this the right repository?", cr.Name, ErrConfig, cr.Profile)
	case cr.PagesFromProfile:
		return nil // a profile covers layouts of several years; some match nothing here
	}
	return fmt.Errorf("%s: %w: page glob %q matches no file at the tip or in the history", cr.Name, ErrConfig, strings.Join(unmatched, `", "`))
}

func (r *runner) save() error {
	err := state.Save(r.cfg.State, r.st, state.SaveOptions{BeforeRename: func() { r.crash("before-rename") }})
	if err != nil {
		return fmt.Errorf("save state: %w (nothing new is lost: the next run redoes this one)", err)
	}
	return r.checkpoint(context.Background(), "state saved")
}
