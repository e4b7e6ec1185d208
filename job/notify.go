package job

import (
	"context"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/residiff/residiff/config"
	"github.com/residiff/residiff/differ"
	"github.com/residiff/residiff/internal/short"
	"github.com/residiff/residiff/model"
	"github.com/residiff/residiff/notifier"
	"github.com/residiff/residiff/notifier/delivery"
	"github.com/residiff/residiff/notifier/email"
	"github.com/residiff/residiff/notifier/slack"
	"github.com/residiff/residiff/notifier/teams"
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
	out := map[string]notifier.Notifier{}
	secret := func(section, env string) (string, error) {
		if r.opts.DryRun {
			return "", nil
		}
		v := strings.TrimSpace(r.opts.Getenv(env))
		if v == "" {
			return "", fmt.Errorf("%s: environment variable %s is empty or unset", section, env)
		}
		return v, nil
	}
	webhook := func(section, env string) (string, error) {
		url, err := secret(section, env)
		if err == nil && !r.opts.DryRun {
			if err := delivery.ValidWebhookURL(url); err != nil {
				return "", fmt.Errorf("%s: the webhook URL in %s %w", section, env, err)
			}
		}
		return url, err
	}
	if s := r.cfg.Slack; s != nil {
		if s.TokenEnv != "" {
			token, err := secret("slack", s.TokenEnv)
			if err != nil {
				return nil, err
			}
			for _, ch := range slackDestinations(s) {
				d := slack.NewBotDestination(ch, token, s.APIURL, r.retry(s.MaxAttempts))
				d.Warn = func(msg string) { r.logf("warning: %s", msg) }
				d.GroupAt = s.GroupAt
				out[ch] = d
			}
		} else {
			for _, env := range slackDestinations(s) {
				url, err := webhook("slack", env)
				if err != nil {
					return nil, err
				}
				d := slack.NewWebhook("webhook $"+env, url, r.retry(s.MaxAttempts))
				d.GroupAt = s.GroupAt
				out[env] = d
			}
		}
	}
	if t := r.cfg.Teams; t != nil {
		envs := []string{t.WebhookURLEnv}
		for _, rt := range t.Routes {
			envs = append(envs, rt.WebhookURLEnv)
		}
		for _, env := range envs {
			url, err := webhook("teams", env)
			if err != nil {
				return nil, err
			}
			out[teamsDestination(env)] = &teams.Webhook{Label: "$" + env, URL: url, Retry: r.retry(t.MaxAttempts), GroupAt: t.GroupAt}
		}
	}
	if e := r.cfg.Email; e != nil {
		password := ""
		if e.PasswordEnv != "" {
			var err error
			if password, err = secret("email", e.PasswordEnv); err != nil {
				return nil, err
			}
		}
		var pool *x509.CertPool
		if e.TLSCAFile != "" {
			var err error
			if pool, err = email.CertPool(e.TLSCAFile); err != nil {
				return nil, err
			}
		}
		lists := [][]string{e.To}
		for _, rt := range e.Routes {
			lists = append(lists, rt.To)
		}
		for _, to := range lists {
			out[emailDestination(to)] = &email.Sender{Label: strings.Join(to, ", "), Host: e.Host, Port: e.Port, From: e.From, To: to,
				Username: e.Username, Password: password, RootCAs: pool, Retry: r.retry(e.MaxAttempts), GroupAt: e.GroupAt, Now: r.opts.Now}
		}
	}
	return out, nil
}

// teamsDestination and emailDestination name the destinations of Teams
// webhooks and email recipient lists in the outbox.
func teamsDestination(env string) string  { return "teams:" + env }
func emailDestination(to []string) string { return "email:" + strings.Join(to, ",") }

// slackDestinations lists every destination the Slack section can route
// to: channels with a token, webhook variables otherwise.
func slackDestinations(s *config.Slack) []string {
	seen := map[string]bool{}
	var out []string
	for _, d := range append([]string{slackDestination(s, s.Channel, s.WebhookURLEnv)}, routeDestinations(s)...) {
		if d != "" && !seen[d] {
			seen[d] = true
			out = append(out, d)
		}
	}
	return out
}

func routeDestinations(s *config.Slack) []string {
	var out []string
	for _, rt := range s.Routes {
		out = append(out, slackDestination(s, rt.Channel, rt.WebhookURLEnv))
	}
	return out
}

// slackDestination names a channel (token) or a webhook variable.
func slackDestination(s *config.Slack, channel, webhookEnv string) string {
	if s.TokenEnv != "" {
		return channel
	}
	return webhookEnv
}

// backlog is the configuration's rule for digests (slack's settings, or
// their defaults).
func (r *runner) backlog() outbox.Backlog {
	bl := outbox.Backlog{Now: r.opts.Now().UTC(), MaxItems: 200, MaxAge: 14 * 24 * time.Hour}
	if s := r.cfg.Slack; s != nil {
		bl.MaxItems, bl.MaxAge = 0, 0
		if s.DigestAbove > 0 {
			bl.MaxItems = s.DigestAbove
		}
		if s.DigestAfterDays > 0 {
			bl.MaxAge = time.Duration(s.DigestAfterDays) * 24 * time.Hour
		}
	}
	return bl
}

// policies are the outbox policies of the notifier sections: each has its
// severity floor, routes and default destination.
func (r *runner) policies() []outbox.Policy {
	var out []outbox.Policy
	section := func(minSeverity, def string, routes []config.Route, dest func(config.Route) string) {
		sev, _ := differ.ParseSeverity(minSeverity)
		p := outbox.Policy{MinSeverity: sev, Default: def, FirstRun: r.cfg.FirstRun}
		for _, rt := range routes {
			p.Routes = append(p.Routes, outbox.Route{Region: rt.Region, Scope: rt.Scope, Page: rt.Page, Destination: dest(rt)})
		}
		out = append(out, p)
	}
	if s := r.cfg.Slack; s != nil {
		section(s.MinSeverity, slackDestination(s, s.Channel, s.WebhookURLEnv), s.Routes,
			func(rt config.Route) string { return slackDestination(s, rt.Channel, rt.WebhookURLEnv) })
	}
	if t := r.cfg.Teams; t != nil {
		section(t.MinSeverity, teamsDestination(t.WebhookURLEnv), t.Routes,
			func(rt config.Route) string { return teamsDestination(rt.WebhookURLEnv) })
	}
	if e := r.cfg.Email; e != nil {
		section(e.MinSeverity, emailDestination(e.To), e.Routes,
			func(rt config.Route) string { return emailDestination(rt.To) })
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
			failed[b.Destination] = fmt.Errorf("slack: destination %s is no longer configured; its %d change(s) stay pending", b.Destination, len(b.Items))
			continue
		}
		dest := b.Destination
		b.ReportURL = r.cfg.ReportURL
		b.Delivered = func(ids []string) error {
			r.crash("after-send")
			// An appended journal line, not a rewrite of the whole
			// state: the save after the loop folds them in.
			now := r.opts.Now().UTC()
			if err := state.Journal(r.cfg.State, dest, ids, now); err != nil {
				saveErr = fmt.Errorf("record the delivery: %w (the message may be sent again next run)", err)
				return saveErr
			}
			r.st.Deliver(dest, ids, now)
			r.out.Delivered += len(ids)
			return nil
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
	period := r.cfg.HeartbeatPeriod()
	if r.notifiers == nil || period == 0 || len(r.st.Outbox) > 0 || r.out.Messages > 0 {
		return nil
	}
	now := r.opts.Now().UTC()
	if r.st.LastMessage.IsZero() {
		r.st.LastMessage = now
		return r.save()
	}
	if now.Sub(r.st.LastMessage) < period {
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
	for _, b := range outbox.Plan(r.st.Outbox, r.backlog()) {
		b.ReportURL = r.cfg.ReportURL
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
