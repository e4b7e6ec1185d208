// Package job is the scheduled residiff run: under a lock, it syncs each
// configured upstream repository, walks only the revisions after the last
// processed commit, writes the report files, queues the new changes in the
// state's outbox, saves the state, then delivers the outbox to Slack one
// message at a time, recording each delivery as it lands.
//
// Ordering is what makes it safe. Changes are queued and the state saved
// before anything is sent, so a crash never loses a change; each delivered
// message is recorded right after Slack accepts it, so a rerun never sends
// it again — except the one message in flight when a run is killed between
// Slack's answer and the state save, which may be sent twice.
package job

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/residiff/residiff/config"
	"github.com/residiff/residiff/differ"
	"github.com/residiff/residiff/history"
	"github.com/residiff/residiff/internal/atomicfile"
	"github.com/residiff/residiff/notifier"
	"github.com/residiff/residiff/pipeline"
	"github.com/residiff/residiff/report"
	"github.com/residiff/residiff/serviceid"
	"github.com/residiff/residiff/state"
)

// Options are the run's inputs besides the configuration.
type Options struct {
	// DryRun prints the Slack payloads that would be sent to Out and
	// sends nothing, writes no report file and saves no state.
	DryRun bool
	// Format is the format of the report printed to Out when Slack is not
	// configured: markdown (default) or json.
	Format string
	// Out receives the report (Slack off) or the dry-run payloads.
	Out io.Writer
	// Log receives progress lines and warnings.
	Log io.Writer
	// Getenv reads the secrets' environment variables; nil means os.Getenv.
	Getenv func(string) string
	// Retry bounds Slack delivery; zero means notifier.DefaultRetry with
	// the configured max_attempts.
	Retry notifier.Retry
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Crash, when set, is called at the named points of the run
	// ("after-fetch", "after-send", "before-rename"); crash tests kill the
	// process there.
	Crash func(point string)
	// Progress, when set, receives the pipeline's progress.
	Progress pipeline.Progress
	// SyncProgress, when set, receives git's clone and fetch progress.
	SyncProgress io.Writer
}

// Outcome is what a run did.
type Outcome struct {
	// New are the changes found by this run (all severities), in order.
	New []notifier.Item
	// Revisions counts the new page revisions walked.
	Revisions int
	// Delivered counts the notifications delivered by this run; Pending
	// those still in the outbox.
	Delivered, Pending int
	// FirstRun lists the repositories this run backfilled.
	FirstRun []string
	// Warnings are the extraction and history warnings of the run.
	Warnings []string
}

// ErrUndelivered is wrapped by Run's error when notifications stay pending
// after the retries.
var ErrUndelivered = errors.New("notifications still pending")

// Run does one scheduled run with cfg.
func Run(ctx context.Context, cfg *config.Config, opts Options) (*Outcome, error) {
	r := &runner{cfg: cfg, opts: opts, out: &Outcome{}}
	r.defaults()
	return r.out, r.run(ctx)
}

type runner struct {
	cfg     *config.Config
	opts    Options
	out     *Outcome
	st      *state.State
	aliases *serviceid.Register
	slack   map[string]notifier.Poster // by destination name
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
	if r.opts.Crash == nil {
		r.opts.Crash = func(string) {}
	}
	if r.opts.Retry.MaxAttempts == 0 {
		r.opts.Retry = notifier.DefaultRetry()
		if r.cfg.Slack != nil {
			r.opts.Retry.MaxAttempts = r.cfg.Slack.MaxAttempts
		}
	}
}

func (r *runner) logf(format string, args ...any) {
	fmt.Fprintf(r.opts.Log, "residiff: "+format+"\n", args...)
}

func (r *runner) run(ctx context.Context) error {
	if err := r.prepare(); err != nil {
		return err
	}
	if !r.opts.DryRun {
		lock, err := state.Acquire(r.cfg.State)
		if err != nil {
			return err
		}
		defer lock.Release()
	}
	st, err := state.Load(r.cfg.State)
	switch {
	case errors.Is(err, os.ErrNotExist):
		st = state.New()
	case err != nil:
		return err
	}
	r.st = st

	var reports []*report.Changelog
	for _, repo := range r.cfg.Repositories {
		cl, err := r.process(ctx, repo)
		if err != nil {
			return err
		}
		if cl != nil {
			reports = append(reports, cl)
		}
	}
	r.out.Pending = len(st.Outbox)
	if r.cfg.Slack == nil {
		if err := r.printReport(reports); err != nil {
			return err
		}
	}
	if r.opts.DryRun {
		if r.cfg.Slack == nil {
			return nil
		}
		return r.printPayloads()
	}
	st.Updated = r.opts.Now().UTC()
	if err := r.save(); err != nil {
		return err
	}
	if r.cfg.Slack == nil {
		return nil
	}
	return r.deliver(ctx)
}

// prepare builds the alias register and the Slack destinations, so that a
// missing secret fails the run before any work.
func (r *runner) prepare() error {
	r.aliases = serviceid.Default()
	for _, a := range r.cfg.Aliases {
		if err := r.aliases.Add(a.Alias, a.Canonical); err != nil {
			return fmt.Errorf("config aliases %q: %w", a.Alias, err)
		}
	}
	s := r.cfg.Slack
	if s == nil {
		return nil
	}
	r.slack = map[string]notifier.Poster{}
	if r.opts.DryRun {
		return nil
	}
	secret := func(env string) (string, error) {
		v := strings.TrimSpace(r.opts.Getenv(env))
		if v == "" {
			return "", fmt.Errorf("slack: environment variable %s is empty or unset", env)
		}
		return v, nil
	}
	if s.TokenEnv != "" {
		token, err := secret(s.TokenEnv)
		if err != nil {
			return err
		}
		for _, ch := range r.destinations() {
			r.slack[ch] = notifier.NewBot(ch, token, s.APIURL)
		}
		return nil
	}
	for _, env := range r.destinations() {
		url, err := secret(env)
		if err != nil {
			return err
		}
		r.slack[env] = &notifier.Webhook{Label: "webhook $" + env, URL: url}
	}
	return nil
}

// destinations lists every destination the configuration can route to:
// channels with a token, webhook variables otherwise.
func (r *runner) destinations() []string {
	s := r.cfg.Slack
	seen := map[string]bool{}
	var out []string
	add := func(d string) {
		if d != "" && !seen[d] {
			seen[d] = true
			out = append(out, d)
		}
	}
	add(defaultDestination(s))
	for _, rt := range s.Routes {
		add(routeDestination(s, rt))
	}
	return out
}

// process syncs one repository and queues its new changes. It returns the
// changelog of the new revisions (nil when nothing is new).
func (r *runner) process(ctx context.Context, cr config.Repository) (*report.Changelog, error) {
	repo, source, err := r.open(ctx, cr)
	if err != nil {
		return nil, err
	}
	defer repo.Close()
	r.opts.Crash("after-fetch")

	tip, err := repo.Head(cr.Branch)
	if err != nil {
		return nil, err
	}
	rs := r.st.Repositories[cr.Name]
	first := rs == nil || rs.Processed == ""
	if !first && rs.Processed == tip {
		r.logf("%s: nothing new since %s", cr.Name, short(tip))
		return nil, r.ensureOutputs(ctx, repo, cr, source, nil)
	}
	since := ""
	if !first {
		since, err = r.resumePoint(ctx, repo, cr, rs.Processed, tip)
		if err != nil {
			return nil, err
		}
	}
	res, err := pipeline.Build(ctx, repo, r.pipelineOptions(cr, source, since))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", cr.Name, err)
	}
	for _, w := range res.Warnings {
		r.logf("warning: %s: %s", cr.Name, w)
	}
	r.out.Warnings = append(r.out.Warnings, res.Warnings...)
	r.out.Revisions += len(res.Changelog.Revisions)

	full := res
	if since != "" && len(res.Changelog.Revisions) > 0 && r.wantsOutputs() {
		// The report files show the whole history; the incremental walk
		// only saw the new part.
		if full, err = pipeline.Build(ctx, repo, r.pipelineOptions(cr, source, "")); err != nil {
			return nil, fmt.Errorf("%s: %w", cr.Name, err)
		}
	}
	if len(res.Changelog.Revisions) > 0 || first {
		if err := r.writeOutputs(full); err != nil {
			return nil, err
		}
	} else if err := r.ensureOutputs(ctx, repo, cr, source, nil); err != nil {
		return nil, err
	}

	items := itemsOf(cr.Name, res.Changelog)
	r.out.New = append(r.out.New, items...)
	if first {
		r.out.FirstRun = append(r.out.FirstRun, cr.Name)
	}
	r.queue(items, first)

	if rs == nil {
		rs = &state.Repository{Pages: map[string]state.Page{}}
		r.st.Repositories[cr.Name] = rs
	}
	rs.Source, rs.Branch, rs.Processed = source, cr.Branch, tip
	for _, rev := range res.Changelog.Revisions {
		rs.Pages[rev.Page] = state.Page{Commit: rev.Commit, Path: rev.Path}
	}
	r.logf("%s: %d new revision(s) up to %s, %d change(s)", cr.Name, len(res.Changelog.Revisions), short(tip), len(items))
	return res.Changelog, nil
}

// open opens a local repository or syncs a remote one into the cache.
func (r *runner) open(ctx context.Context, cr config.Repository) (*history.Repo, string, error) {
	if cr.Path != "" {
		repo, err := history.Open(ctx, cr.Path)
		return repo, cr.Path, err
	}
	dir := history.CacheDir(r.cfg.CacheDir, cr.URL)
	repo, err := history.Sync(ctx, cr.URL, dir, history.SyncOptions{Branch: cr.Branch, Progress: r.opts.SyncProgress})
	return repo, history.Redact(cr.URL), err
}

// resumePoint is the commit to walk from: the processed commit when the
// branch still contains it, else (a force-pushed, rewritten upstream) the
// merge base of the old and new tips, or the beginning when they share no
// history. Changes already delivered keep their ids across a rewrite, so
// walking again never notifies twice.
func (r *runner) resumePoint(ctx context.Context, repo *history.Repo, cr config.Repository, processed, tip string) (string, error) {
	if repo.HasCommit(processed) {
		ok, err := repo.IsAncestor(ctx, processed, tip)
		if err != nil {
			return "", fmt.Errorf("%s: %w", cr.Name, err)
		}
		if ok {
			return processed, nil
		}
		base, err := repo.MergeBase(ctx, processed, tip)
		if err == nil && base != "" {
			r.logf("warning: %s: upstream history was rewritten (%s is no longer on the branch); reprocessing from the merge base %s", cr.Name, short(processed), short(base))
			return base, nil
		}
	}
	r.logf("warning: %s: processed commit %s is gone from the upstream history; reprocessing all of it (delivered changes are not sent again)", cr.Name, short(processed))
	return "", nil
}

func (r *runner) pipelineOptions(cr config.Repository, source, since string) pipeline.Options {
	web := cr.WebURL
	if web == "" {
		web = history.WebURL(cr.URL)
	}
	return pipeline.Options{Branch: cr.Branch, Pages: cr.Pages, Since: since, Aliases: r.aliases,
		WebURL: web, Repository: source, Progress: r.opts.Progress}
}

// itemsOf flattens a changelog's revisions into notifier items.
func itemsOf(repo string, c *report.Changelog) []notifier.Item {
	regions := map[string]string{}
	for _, p := range c.Pages {
		regions[p.Page] = p.Region
	}
	var items []notifier.Item
	for _, rev := range c.Revisions {
		for _, ch := range rev.Changes {
			items = append(items, notifier.Item{Repository: repo, Page: rev.Page, Region: regions[rev.Page], Path: rev.Path,
				Commit: rev.Commit, Date: rev.Date, URL: rev.URL, Change: ch})
		}
	}
	return items
}

// queue puts the notifiable items in the outbox, once per destination,
// skipping what is delivered or already queued.
func (r *runner) queue(items []notifier.Item, first bool) {
	s := r.cfg.Slack
	if s == nil {
		return
	}
	minSev, _ := differ.ParseSeverity(s.MinSeverity)
	queued := map[string]bool{}
	for _, p := range r.st.Outbox {
		queued[p.Key()] = true
	}
	now := r.opts.Now().UTC()
	for _, it := range items {
		if it.Change.Severity < minSev {
			continue
		}
		for _, dest := range r.route(it) {
			key := state.Key(dest, it.Change.ID)
			if queued[key] {
				continue
			}
			if _, done := r.st.Delivered[key]; done {
				continue
			}
			queued[key] = true
			if first && r.cfg.FirstRun == "none" {
				r.st.Delivered[key] = now
				continue
			}
			r.st.Outbox = append(r.st.Outbox, state.Pending{Destination: dest, Item: it, Queued: now,
				Summary: first && r.cfg.FirstRun == "summary"})
		}
	}
}

// route names the destinations of an item: every matching route, or the
// default destination when none matches.
func (r *runner) route(it notifier.Item) []string {
	s := r.cfg.Slack
	var out []string
	for _, rt := range s.Routes {
		if matches(rt, it) {
			out = append(out, routeDestination(s, rt))
		}
	}
	if len(out) == 0 {
		out = append(out, defaultDestination(s))
	}
	return out
}

func matches(rt config.Route, it notifier.Item) bool {
	if rt.Region != "" && !strings.EqualFold(rt.Region, it.Region) {
		return false
	}
	if rt.Scope != "" && !strings.EqualFold(rt.Scope, it.Change.Scope) {
		return false
	}
	if rt.Page != "" {
		if ok, _ := path.Match(rt.Page, it.Page); !ok {
			return false
		}
	}
	return true
}

func defaultDestination(s *config.Slack) string {
	if s.TokenEnv != "" {
		return s.Channel
	}
	return s.WebhookURLEnv
}

func routeDestination(s *config.Slack, rt config.Route) string {
	if s.TokenEnv != "" {
		return rt.Channel
	}
	return rt.WebhookURLEnv
}

// wantsOutputs reports whether any report file is configured.
func (r *runner) wantsOutputs() bool {
	o := r.cfg.Outputs
	return o.Markdown != "" || o.JSON != "" || o.Atom != "" || o.HTML != ""
}

// ensureOutputs writes the report files when one is missing (a new output
// in the config, or a deleted file). full is a whole-history result, or nil
// to walk the history for one.
func (r *runner) ensureOutputs(ctx context.Context, repo *history.Repo, cr config.Repository, source string, full *pipeline.Result) error {
	o := r.cfg.Outputs
	missing := false
	for _, p := range []string{o.Markdown, o.JSON, o.Atom, o.HTML} {
		if p != "" {
			if _, err := os.Stat(p); errors.Is(err, os.ErrNotExist) {
				missing = true
			}
		}
	}
	if !missing || r.opts.DryRun {
		return nil
	}
	if full == nil || full.Changelog == nil {
		var err error
		if full, err = pipeline.Build(ctx, repo, r.pipelineOptions(cr, source, "")); err != nil {
			return fmt.Errorf("%s: %w", cr.Name, err)
		}
	}
	return r.writeOutputs(full)
}

// writeOutputs writes every configured report file, atomically.
func (r *runner) writeOutputs(res *pipeline.Result) error {
	if r.opts.DryRun {
		return nil
	}
	o := r.cfg.Outputs
	type output struct {
		path   string
		render func(io.Writer) error
	}
	outs := []output{
		{o.Markdown, func(w io.Writer) error { return report.Markdown(w, res.Changelog, report.MarkdownOptions{}) }},
		{o.JSON, func(w io.Writer) error { return report.JSON(w, res.Changelog) }},
		{o.Atom, func(w io.Writer) error { return report.Atom(w, res.Changelog, report.AtomOptions{}) }},
		{o.HTML, func(w io.Writer) error {
			return report.HTML(w, res.Changelog, res.Versions, report.HTMLOptions{Generated: r.opts.Now().UTC()})
		}},
	}
	for _, out := range outs {
		if out.path == "" {
			continue
		}
		var buf bytes.Buffer
		if err := out.render(&buf); err != nil {
			return fmt.Errorf("render %s: %w", out.path, err)
		}
		if err := atomicfile.WriteFile(out.path, buf.Bytes(), atomicfile.Options{}); err != nil {
			return fmt.Errorf("write %s: %w", out.path, err)
		}
	}
	return nil
}

// printReport writes the new revisions to Out when Slack is off.
func (r *runner) printReport(reports []*report.Changelog) error {
	merged := &report.Changelog{Pages: []report.Page{}, Revisions: []report.Revision{}}
	for _, c := range reports {
		merged.Pages = append(merged.Pages, c.Pages...)
		merged.Revisions = append(merged.Revisions, c.Revisions...)
	}
	sort.SliceStable(merged.Revisions, func(i, j int) bool { return merged.Revisions[i].Date.Before(merged.Revisions[j].Date) })
	if r.opts.Format == "json" {
		return report.JSON(r.opts.Out, merged)
	}
	if len(merged.Revisions) == 0 {
		_, err := fmt.Fprintln(r.opts.Out, "No new revisions of the tracked pages.")
		return err
	}
	return report.Markdown(r.opts.Out, merged, report.MarkdownOptions{})
}

func (r *runner) save() error {
	err := state.Save(r.cfg.State, r.st, state.SaveOptions{BeforeRename: func() { r.opts.Crash("before-rename") }})
	if err != nil {
		return fmt.Errorf("%w (the report files are written; the next run redoes this one)", err)
	}
	return nil
}

func short(h string) string {
	if len(h) > 7 {
		return h[:7]
	}
	return h
}

// CrashAt returns the Crash option that calls kill the n-th time the run
// reaches a point, given spec "point" or "point:n" (the value of the
// RESIDIFF_TEST_CRASH variable in crash tests).
func CrashAt(spec string, kill func()) func(string) {
	want, nth := spec, 1
	if p, n, ok := strings.Cut(spec, ":"); ok {
		if v, err := strconv.Atoi(n); err == nil && v > 0 {
			want, nth = p, v
		}
	}
	var mu sync.Mutex
	seen := 0
	return func(point string) {
		if point != want {
			return
		}
		mu.Lock()
		seen++
		hit := seen == nth
		mu.Unlock()
		if hit {
			kill()
		}
	}
}
