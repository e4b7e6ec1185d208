package job

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/residiff/residiff/internal/short"
	"github.com/residiff/residiff/model"
	"github.com/residiff/residiff/notifier"
	"github.com/residiff/residiff/outbox"
	"github.com/residiff/residiff/state"
)

// outboxWarning is the outbox size past which a run warns.
const outboxWarning = 1000

// buildNotifiers makes a notifier per configured destination, so that a
// missing secret fails the run before any work. It returns nil when no
// notifier is configured (the report goes to Out). A dry run needs no
// secrets: its notifiers only preview.
func (r *runner) buildNotifiers() (map[string]notifier.Notifier, error) {
	if !r.cfg.Notifies() {
		return nil, nil
	}
	if r.opts.Notifiers != nil {
		return r.opts.Notifiers, nil
	}
	env := notifier.Env{Getenv: r.opts.Getenv, DryRun: r.opts.DryRun, Retry: r.opts.Retry, FixedAttempts: r.opts.Retry.MaxAttempts > 0,
		Now: r.opts.Now, Warn: func(msg string) { r.logf("warning: %s", msg) }}
	out := map[string]notifier.Notifier{}
	for _, n := range r.cfg.Notifiers {
		built, err := n.Section.Build(env)
		if err != nil {
			return nil, err
		}
		for dest, d := range built {
			out[dest] = d
		}
	}
	return out, nil
}

// backlog is each destination's rule for digests, its section's.
func (r *runner) backlog() outbox.Backlog {
	bl := notifier.DefaultBacklog()
	out := outbox.Backlog{Now: r.opts.Now().UTC(), MaxItems: bl.MaxItems, MaxAge: bl.MaxAge, Destinations: map[string]notifier.Backlog{}}
	for _, n := range r.cfg.Notifiers {
		rule := n.Section.Backlog()
		for _, d := range destinationsOf(n.Section.Policy()) {
			out.Destinations[d] = rule
		}
	}
	return out
}

// destinationsOf lists a policy's destinations, the default first.
func destinationsOf(p notifier.Policy) []string {
	out := []string{p.Default}
	for _, rt := range p.Routes {
		out = append(out, rt.Destination)
	}
	return out
}

// policies are the outbox policies of the notifier sections: each has its
// severity floor, routes and default destination.
func (r *runner) policies() []outbox.Policy {
	var out []outbox.Policy
	for _, n := range r.cfg.Notifiers {
		out = append(out, outbox.PolicyOf(n.Section.Policy(), r.cfg.FirstRun))
	}
	return out
}

// queue puts items in the outbox under every notifier section's policy;
// firstRun, when set, overrides the configured first_run.
func (r *runner) queue(items []model.Item, first bool, firstRun string) {
	for _, p := range r.policies() {
		if firstRun != "" {
			p.FirstRun = firstRun
		}
		outbox.Queue(r.st, items, p, first, r.opts.Now().UTC())
	}
}

// deliver sends the outbox. After each message a destination accepts, the
// state is saved with its changes moved from the outbox to the delivered
// set. A destination that fails after the retries keeps its changes
// pending; the others are still tried.
func (r *runner) deliver(ctx context.Context) error {
	if r.notifiers == nil {
		return nil
	}
	if r.down == nil {
		r.down = map[string]error{}
	}
	failed := r.down // a destination that failed this run is not retried in it
	var saveErr error
	delivered := r.out.Delivered
	for _, b := range outbox.Plan(r.st.Outbox, r.backlog()) {
		if failed[b.Destination] != nil {
			continue
		}
		n, ok := r.notifiers[b.Destination]
		if !ok {
			failed[b.Destination] = fmt.Errorf("destination %s is no longer configured; its %d change(s) stay pending (residiff state reset --destination %s drops them)", b.Destination, len(b.Items), b.Destination)
			continue
		}
		dest := b.Destination
		b.ReportURL = r.cfg.ReportURL
		record := func(ids []string, outcome string) error {
			r.crash("after-send")
			// An appended journal line, not a rewrite of the whole
			// state: the save after the loop folds them in.
			now := r.opts.Now().UTC()
			if err := state.JournalOutcome(r.cfg.State, dest, ids, now, outcome); err != nil {
				saveErr = fmt.Errorf("record the delivery: %w (the message may be sent again next run)", err)
				return saveErr
			}
			if outcome == state.OutcomeUnknown {
				r.st.DeliverUncertain(dest, ids, now)
			} else {
				r.st.Deliver(dest, ids, now)
			}
			r.out.Delivered += len(ids)
			if err := r.checkpoint(ctx, fmt.Sprintf("delivered %d change(s) to %s", len(ids), dest)); err != nil {
				saveErr = fmt.Errorf("record the delivery: %w (the message may be sent again by a run restoring the state from the branch)", err)
				return saveErr
			}
			return nil
		}
		b.Delivered = func(ids []string) error { return record(ids, "") }
		b.Uncertain = func(ids []string, why string) error {
			r.logf("warning: %s", why)
			return record(ids, state.OutcomeUnknown)
		}
		rc, err := n.Send(ctx, b)
		r.out.Messages += rc.Messages
		if saveErr != nil {
			return saveErr
		} else if err != nil {
			failed[b.Destination] = err
		}
	}
	if r.out.Delivered > delivered {
		if err := r.save(); err != nil {
			return err
		}
	}
	r.out.Pending = len(r.st.Outbox)
	if r.out.Pending > outboxWarning {
		r.logf("warning: %d change(s) wait in the outbox; check the destinations", r.out.Pending)
	}
	if len(failed) == 0 {
		if r.out.Delivered > 0 {
			r.logf("delivered %d change(s) in %d message(s)", r.out.Delivered, r.out.Messages)
		}
		return nil
	}
	var msgs []string
	for _, err := range failed {
		msgs = append(msgs, err.Error())
	}
	sort.Strings(msgs)
	return fmt.Errorf("%w: %d for the next run; %s", ErrUndelivered, r.out.Pending, strings.Join(msgs, "; "))
}

// heartbeat sends every destination one short message when the watch has
// been silent for the configured period with nothing pending, so that
// silence never means "stopped" by accident. The first run only starts
// the clock.
func (r *runner) heartbeat(ctx context.Context) error {
	if r.notifiers == nil || r.cfg.HeartbeatPeriod() == 0 || len(r.st.Outbox) > 0 || r.out.Messages > 0 {
		return nil
	}
	now := r.opts.Now().UTC()
	if r.st.LastMessage.IsZero() {
		r.st.LastMessage = now
		return r.save()
	}
	if !r.heartbeatDue() {
		return nil
	}
	text := r.heartbeatText()
	silent := now.Sub(r.st.LastMessage).Round(time.Hour)
	names := make([]string, 0, len(r.notifiers))
	for name := range r.notifiers {
		names = append(names, name)
	}
	sort.Strings(names)
	var errs []error
	sent := 0
	for _, name := range names {
		rc, err := r.notifiers[name].Send(ctx, notifier.Batch{Destination: name, Heartbeat: text})
		if err != nil {
			errs = append(errs, fmt.Errorf("heartbeat to %s: %w", name, err))
			continue
		}
		sent += rc.Messages
	}
	r.out.Messages += sent
	if sent > 0 {
		r.st.LastMessage = now
		if err := r.save(); err != nil {
			return err
		}
		r.logf("no residency change for %s: sent a heartbeat", silent)
	}
	if len(errs) > 0 {
		// A missed heartbeat is tried again next run; it is no failure
		// of the watch itself.
		r.logf("warning: %v", errors.Join(errs...))
	}
	return nil
}

// heartbeatDue says the watch has been silent for the heartbeat period
// with nothing pending (the first run only starts the clock).
func (r *runner) heartbeatDue() bool {
	period := r.cfg.HeartbeatPeriod()
	if period == 0 || len(r.st.Outbox) > 0 || r.st.LastMessage.IsZero() {
		return false
	}
	return r.opts.Now().UTC().Sub(r.st.LastMessage) >= period
}

// heartbeatText says what the watch covers and since when it found
// nothing new.
func (r *runner) heartbeatText() string {
	pages := 0
	names := make([]string, 0, len(r.st.Repositories))
	for name, rs := range r.st.Repositories {
		pages += len(rs.Pages)
		names = append(names, name)
	}
	sort.Strings(names)
	var tips []string
	for _, name := range names {
		tips = append(tips, name+" at "+short.Hash(r.st.Repositories[name].Processed))
	}
	repos := "repositories"
	if len(names) == 1 {
		repos = "repository"
	}
	text := fmt.Sprintf("residiff is still watching %d page(s) in %d %s (%s): no residency change since %s.",
		pages, len(names), repos, strings.Join(tips, ", "), r.st.LastMessage.Format("2006-01-02"))
	if r.cfg.ReportURL != "" {
		text += " Report: " + r.cfg.ReportURL
	}
	return text
}

// printPreviews prints what deliver would send, as a JSON array.
func (r *runner) printPreviews() error {
	if r.notifiers == nil {
		return nil
	}
	out := []notifier.Preview{}
	batches := outbox.Plan(r.st.Outbox, r.backlog())
	if len(batches) == 0 && r.heartbeatDue() {
		// Nothing to send: the run would send every destination its
		// heartbeat.
		names := make([]string, 0, len(r.notifiers))
		for name := range r.notifiers {
			names = append(names, name)
		}
		sort.Strings(names)
		for _, name := range names {
			batches = append(batches, notifier.Batch{Destination: name, Heartbeat: r.heartbeatText()})
		}
	}
	for _, b := range batches {
		if b.Heartbeat == "" {
			b.ReportURL = r.cfg.ReportURL
		}
		if p, ok := r.notifiers[b.Destination].(notifier.Previewer); ok {
			out = append(out, p.Preview(b)...)
		}
	}
	enc := json.NewEncoder(r.opts.Out)
	enc.SetIndent("", "  ")
	if err := enc.Encode(out); err != nil {
		return fmt.Errorf("dry run: %w", err)
	}
	return nil
}
