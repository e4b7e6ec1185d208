// Package notifier is the boundary between the job and the places residency
// changes are announced. A Notifier delivers a Batch of neutral items
// (model.Item) to one destination; each kind of destination lives in its own
// package (notifier/slack) with its own layout, limits, retries and
// configuration section (a Kind). A new notifier needs only its package
// and one line in notifier/notifiers.
package notifier

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/residiff/residiff/differ"
	"github.com/residiff/residiff/model"
	"github.com/residiff/residiff/notifier/delivery"
)

// Notifier delivers batches to one destination.
type Notifier interface {
	// Name names the destination in logs and errors (a channel, or the
	// environment variable of a webhook); never a secret.
	Name() string
	// Send delivers b. A notifier may split a batch into several
	// messages: after each message the destination accepts, it calls
	// b.Delivered with the ids of the changes that message carried, and
	// stops with that function's error. The receipt counts what was
	// delivered, also when Send fails part way.
	Send(ctx context.Context, b Batch) (Receipt, error)
}

// Batch is what one destination is sent at once: the changes of a run, or
// the summary of a first run.
type Batch struct {
	// Destination is the name the batch is routed to.
	Destination string
	// Title heads the messages.
	Title string
	// Items are the changes, oldest first.
	Items []model.Item
	// Summary asks for one message that stands for all Items (a
	// first-run backfill) instead of one line per change.
	Summary bool
	// Digest asks for one message that stands for a backlog too large,
	// or too old, to post change by change (counts per page and kind, the
	// most severe changes, a link to the report).
	Digest bool
	// Heartbeat, when set, is the text of one short message saying the
	// watch is alive and found nothing (the batch has no Items).
	Heartbeat string
	// Notice, with Heartbeat holding its text, marks a short message
	// about the watch itself instead: "failing" (it cannot reach the
	// upstream), "recovered" or "test" (residiff notify test).
	Notice string
	// Pending is how many changes the destination has waiting in all, for
	// a run header.
	Pending int
	// ReportURL is where the hosted report is (report_url), linked from
	// every message; "" when not configured.
	ReportURL string
	// Delivered is called with the change ids of each accepted message;
	// nil ignores them.
	Delivered func(ids []string) error
	// Uncertain is called instead of Delivered for a message whose
	// outcome is unknown and that the notifier will not send again (an
	// SMTP relay that dropped the connection after the message's end):
	// the ids count as delivered, why says what happened. Nil: such a
	// message is an error and its changes stay pending.
	Uncertain func(ids []string, why string) error
}

// Receipt says what a Send delivered.
type Receipt struct {
	// Messages counts the messages the destination accepted.
	Messages int
	// IDs are the change ids they carried.
	IDs []string
}

// Preview is one message a notifier would send, as a dry run shows it.
type Preview struct {
	Destination string `json:"destination"`
	// Changes are the change ids the message would deliver.
	Changes []string `json:"changes"`
	// Message is the body the destination would receive.
	Message any `json:"message"`
}

// Previewer is implemented by notifiers that can show their messages
// without sending them (residiff run --dry-run).
type Previewer interface {
	Preview(b Batch) []Preview
}

// Kind is one kind of destination as the configuration knows it: the
// section key that turns it on ("slack:") and the section it decodes.
// Every kind is listed once in package notifier/notifiers; job and config
// know kinds only through this type.
type Kind struct {
	// Key is the configuration section's key.
	Key string
	// New returns an empty section for the YAML decoder.
	New func() Section
}

// Section is a decoded configuration section of one notifier kind.
type Section interface {
	// Fill sets the defaults; relative paths resolve against dir.
	Fill(dir string)
	// Validate reports everything in the section that cannot work, one
	// error each, each starting with the section's key.
	Validate() []error
	// Secrets lists the environment variables the section reads secrets
	// from, with the key that names each.
	Secrets() []Secret
	// Policy is the section's routing: severity floor, default
	// destination and routes.
	Policy() Policy
	// Backlog is when the section's destinations get a digest instead of
	// change by change.
	Backlog() Backlog
	// Attempts bounds the attempts per message (max_attempts).
	Attempts() int
	// Build makes the notifier of every destination the section routes
	// to, by destination name. A dry run (env.DryRun) reads no secret.
	Build(env Env) (map[string]Notifier, error)
}

// Secret is an environment variable a section reads a secret from.
type Secret struct {
	// Key is where the configuration names it ("slack.token_env").
	Key string
	// Env is the variable.
	Env string
}

// Policy routes changes to a section's destinations.
type Policy struct {
	// MinSeverity is the lowest severity sent (low, medium or high).
	MinSeverity string
	// Default is the destination of changes no route matches.
	Default string
	// Routes send matching changes to other destinations.
	Routes []Route
}

// Route sends the changes its Match matches to Destination.
type Route struct {
	// Key is where the configuration sets the route ("slack.routes[0]").
	Key string
	Match
	Destination string
}

// Match is what every notifier's route matches; a section's route type
// embeds it inline. Every field set must match.
type Match struct {
	// Repository is a configured repository's name: the changes of one
	// docs source (a run may watch several).
	Repository string `yaml:"repository"`
	Region     string `yaml:"region"`
	Scope      string `yaml:"scope"`
	// Page is a glob of page lineage names ("data-storage-*").
	Page string `yaml:"page"`
}

// Empty reports whether m matches nothing.
func (m Match) Empty() bool {
	return m.Repository == "" && m.Region == "" && m.Scope == "" && m.Page == ""
}

// CheckRoute is the error of a route, at where ("slack.routes[0]"), that
// sets nothing to match, or nil.
func (m Match) CheckRoute(where string) error {
	if m.Empty() {
		return fmt.Errorf("%s: set repository, region, scope or page to match", where)
	}
	return nil
}

// Backlog says when pending changes go out as one digest: more than
// MaxItems for a destination, or queued longer than MaxAge ago. Zero
// turns a rule off.
type Backlog struct {
	MaxItems int
	MaxAge   time.Duration
}

// DefaultBacklog is the rule of a section without digest settings: more
// than 200 changes, or older than 14 days.
func DefaultBacklog() Backlog { return Backlog{MaxItems: 200, MaxAge: 14 * 24 * time.Hour} }

// BacklogOf is the rule of digest_above and digest_after_days settings
// (0: the default, -1: never).
func BacklogOf(above, afterDays int) Backlog {
	bl := DefaultBacklog()
	switch {
	case above < 0:
		bl.MaxItems = 0
	case above > 0:
		bl.MaxItems = above
	}
	switch {
	case afterDays < 0:
		bl.MaxAge = 0
	case afterDays > 0:
		bl.MaxAge = time.Duration(afterDays) * 24 * time.Hour
	}
	return bl
}

// Env is what a section's notifiers are built with.
type Env struct {
	// Getenv reads the secrets' environment variables.
	Getenv func(string) string
	// DryRun: the notifiers only preview; no secret is read.
	DryRun bool
	// Retry bounds each message; its MaxAttempts is replaced by the
	// section's unless FixedAttempts.
	Retry         delivery.Retry
	FixedAttempts bool
	// Now is the clock.
	Now func() time.Time
	// Warn receives warnings.
	Warn func(string)
}

// RetryFor is the retry of a section allowing maxAttempts.
func (e Env) RetryFor(maxAttempts int) delivery.Retry {
	r := e.Retry
	if r.MaxAttempts == 0 {
		r = delivery.DefaultRetry()
	}
	if !e.FixedAttempts && maxAttempts > 0 {
		r.MaxAttempts = maxAttempts
	}
	return r
}

// Secret reads the secret in the environment variable env, named by
// section key in errors; "" in a dry run.
func (e Env) Secret(key, env string) (string, error) {
	if e.DryRun {
		return "", nil
	}
	v := ""
	if e.Getenv != nil {
		v = strings.TrimSpace(e.Getenv(env))
	}
	if v == "" {
		return "", fmt.Errorf("%s: environment variable %s is empty or unset", key, env)
	}
	return v, nil
}

// WebhookURL reads a webhook URL from env and checks it without echoing
// it (https, or http to a loopback host).
func (e Env) WebhookURL(key, env string) (string, error) {
	u, err := e.Secret(key, env)
	if err != nil || e.DryRun {
		return u, err
	}
	if err := delivery.ValidWebhookURL(u); err != nil {
		return "", fmt.Errorf("%s: the webhook URL in %s %w", key, env, err)
	}
	return u, nil
}

// Common is the settings every notifier section has, embedded in its
// configuration with `yaml:",inline"` (the keys stay the section's own:
// slack.min_severity, email.max_attempts, …). Its Backlog and Attempts
// implement those methods of Section.
type Common struct {
	// MinSeverity is the lowest severity notified: low, medium or high
	// (the default is the section's: see Fill).
	MinSeverity string `yaml:"min_severity"`
	// MaxAttempts bounds the attempts per message (default 5).
	MaxAttempts int `yaml:"max_attempts"`
	// DigestAbove: more pending changes than this for one destination go
	// out as one digest message instead of a flood (default 200; -1
	// never). DigestAfterDays: pending changes queued longer ago than
	// this go out in a digest (default 14; -1 never).
	DigestAbove     int `yaml:"digest_above"`
	DigestAfterDays int `yaml:"digest_after_days"`
}

// Fill sets the defaults of the settings not given: minSeverity, the
// section's own default, and 5 attempts.
func (c *Common) Fill(minSeverity string) {
	if c.MinSeverity == "" {
		c.MinSeverity = minSeverity
	}
	if c.MaxAttempts == 0 {
		c.MaxAttempts = 5
	}
}

// Check reports the settings of section key that cannot work.
func (c Common) Check(key string) []error {
	var errs []error
	if _, err := differ.ParseSeverity(c.MinSeverity); err != nil {
		errs = append(errs, fmt.Errorf("%s.min_severity: %w", key, err))
	}
	if c.MaxAttempts < 1 || c.MaxAttempts > 20 {
		errs = append(errs, fmt.Errorf("%s.max_attempts %d: want 1 to 20", key, c.MaxAttempts))
	}
	return errs
}

// Backlog is the section's digest rule (Section.Backlog).
func (c Common) Backlog() Backlog { return BacklogOf(c.DigestAbove, c.DigestAfterDays) }

// Attempts is the section's attempts per message (Section.Attempts).
func (c Common) Attempts() int { return c.MaxAttempts }
