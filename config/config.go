// Package config reads the residiff.yaml file that drives `residiff run`:
// which repositories and pages to watch, where state and caches live, which
// report files to write and where to notify. Unknown keys are errors, so a
// typo never silently turns a setting off.
package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/mail"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/residiff/residiff/differ"
	"github.com/residiff/residiff/extractor"
	"github.com/residiff/residiff/render"
	"github.com/residiff/residiff/source/profiles"
	"go.yaml.in/yaml/v3"
)

// Config is the whole configuration file.
type Config struct {
	// Repositories are the upstream documentation repositories to watch.
	Repositories []Repository `yaml:"repositories"`
	// Aliases add service names to the built-in alias register.
	Aliases []Alias `yaml:"aliases"`
	// Outputs are the report files written after every run with changes.
	Outputs Outputs `yaml:"outputs"`
	// Slack configures notifications; absent means the report goes to
	// standard output (unless Teams or Email is set).
	Slack *Slack `yaml:"slack"`
	// Teams configures Microsoft Teams notifications (incoming webhook
	// or Workflows URL); absent: none.
	Teams *Teams `yaml:"teams"`
	// Email configures email notifications over SMTP; absent: none.
	Email *Email `yaml:"email"`
	// State is the JSON file that remembers what was processed and
	// delivered. Default: residiff-state.json next to the config file.
	State string `yaml:"state"`
	// CacheDir holds the clones of URL repositories. Default: .residiff-cache
	// next to the config file.
	CacheDir string `yaml:"cache_dir"`
	// FirstRun says what the first run (no state yet) notifies: "summary"
	// (one message, the default), "all" (every change) or "none".
	FirstRun string `yaml:"first_run"`
	// Heartbeat is how long a watch may stay silent before it says it is
	// still watching: "weekly" (the default), "daily" or "off".
	Heartbeat string `yaml:"heartbeat"`
	// ReportURL is where the hosted report is; messages and the Atom
	// feed link it.
	ReportURL string `yaml:"report_url"`
	// FeedURL is where the Atom output is published: the feed's
	// rel="self" link.
	FeedURL string `yaml:"feed_url"`
	// CommitTo names a branch of the git repository holding the state
	// file: after every run that changed them, the state and report
	// files are committed to it, and a missing state file is restored
	// from it. Empty: off.
	CommitTo string `yaml:"commit_to"`
	// Limits bound the work one page version may cause; a version beyond
	// them is a warning on its revision. Zero fields keep the defaults.
	Limits Limits `yaml:"limits"`
}

// Limits are the configurable bounds on hostile or broken page versions.
// The defaults are generous for real residency pages.
type Limits struct {
	// PageBytes is the largest page version read (default 2 MiB).
	PageBytes int `yaml:"page_bytes"`
	// TableCells bounds a table's header width times its rows (20,000).
	TableCells int `yaml:"table_cells"`
	// Nesting bounds list and blockquote nesting (16).
	Nesting int `yaml:"nesting"`
	// OpenBrackets bounds the "[" and "(" left open at once (2,000).
	OpenBrackets int `yaml:"open_brackets"`
	// WordDiffTokens bounds the words of a field aligned word by word;
	// longer fields are shown as replaced whole (20,000; at most 100,000).
	WordDiffTokens int `yaml:"word_diff_tokens"`
	// RenamePairs bounds the vanished × new services compared to find
	// renames; above it only the alias register pairs them (100,000).
	RenamePairs int `yaml:"rename_pairs"`
	// PageSeconds bounds the time of reading one page version, and of
	// comparing it with the one before (10).
	PageSeconds int `yaml:"page_seconds"`
}

// maxWordDiffTokens is the most word_diff_tokens may be: the word codes of
// the diff run out at 131,071 distinct words.
const maxWordDiffTokens = 100_000

// HeartbeatPeriod is the silence after which a run sends a heartbeat; 0
// means never.
func (c *Config) HeartbeatPeriod() time.Duration {
	switch c.Heartbeat {
	case "daily":
		return 24 * time.Hour
	case "off":
		return 0
	}
	return 7 * 24 * time.Hour
}

// Repository is one upstream repository and the pages followed in it.
type Repository struct {
	// Name identifies the repository in state and messages; default:
	// derived from the URL or path.
	Name string `yaml:"name"`
	// URL is cloned into the cache and fetched on later runs. Exactly one
	// of URL and Path is set.
	URL string `yaml:"url"`
	// Path is a local repository used as is (no fetch).
	Path string `yaml:"path"`
	// Branch is walked by first parent; default: the remote's HEAD branch
	// for URLs, HEAD for paths.
	Branch string `yaml:"branch"`
	// Profile names the docs-source profile of the repository's pages
	// (its page globs and vocabulary); default: entra.
	Profile string `yaml:"profile"`
	// Pages are doublestar globs of the tracked pages; default: the
	// profile's.
	Pages []string `yaml:"pages"`
	// PagesFromProfile says Pages are the profile's defaults, not the
	// configuration's own.
	PagesFromProfile bool `yaml:"-"`
	// WebURL is the repository's web address for permalinks; default:
	// derived from a GitHub URL.
	WebURL string `yaml:"web_url"`
	// TokenEnv names an environment variable holding an access token
	// (sent as basic auth with user "x-access-token", as GitHub wants);
	// UsernameEnv and PasswordEnv name a user and password instead. The
	// credentials are sent with each request and never stored.
	TokenEnv    string `yaml:"token_env"`
	UsernameEnv string `yaml:"username_env"`
	PasswordEnv string `yaml:"password_env"`
}

// Alias maps another name of a service to its canonical name.
type Alias struct {
	Alias     string `yaml:"alias"`
	Canonical string `yaml:"canonical"`
}

// Outputs maps a format of the render registry (markdown, json, atom,
// html) to the report file written in it; absent formats are not written.
type Outputs map[string]string

// Slack configures Slack delivery.
type Slack struct {
	// WebhookURLEnv names the environment variable holding an incoming
	// webhook URL. Either this or TokenEnv.
	WebhookURLEnv string `yaml:"webhook_url_env"`
	// TokenEnv names the environment variable holding a bot token
	// (chat.postMessage; changes are threaded under a run summary).
	TokenEnv string `yaml:"token_env"`
	// Channel is the default channel (required with TokenEnv).
	Channel string `yaml:"channel"`
	// MinSeverity is the lowest severity notified: low, medium (default)
	// or high.
	MinSeverity string `yaml:"min_severity"`
	// Routes send changes of a region or scope to other channels.
	Routes []Route `yaml:"routes"`
	// APIURL overrides the Slack API base URL (for a Slack-compatible
	// gateway or a test server); default: Slack's own.
	APIURL string `yaml:"api_url"`
	// MaxAttempts bounds the attempts per message (default 5).
	MaxAttempts int `yaml:"max_attempts"`
	// DigestAbove: more pending changes than this for one destination go
	// out as one digest message instead of a flood (default 200; -1 never).
	DigestAbove int `yaml:"digest_above"`
	// DigestAfterDays: pending changes queued longer ago than this go out
	// in a digest (default 14; -1 never).
	DigestAfterDays int `yaml:"digest_after_days"`
	// GroupAt: this many changes of one revision that say the same thing
	// of different services (a list moved to another page) make one line
	// naming them (default 4; -1 never groups).
	GroupAt int `yaml:"group_at"`
}

// Route sends the changes that match Region, Scope or Page to a channel
// (Slack with a token), another webhook (webhook_url_env: Slack or Teams)
// or other recipients (to: email). A change matching several routes goes
// to each; one matching none goes to the default destination.
type Route struct {
	Region        string   `yaml:"region"`
	Scope         string   `yaml:"scope"`
	Page          string   `yaml:"page"`
	Channel       string   `yaml:"channel"`
	WebhookURLEnv string   `yaml:"webhook_url_env"`
	To            []string `yaml:"to"`
}

// Teams configures Microsoft Teams delivery: Adaptive Cards posted to an
// incoming webhook or a Workflows URL.
type Teams struct {
	// WebhookURLEnv names the environment variable holding the webhook
	// URL (required).
	WebhookURLEnv string `yaml:"webhook_url_env"`
	// MinSeverity is the lowest severity notified (default medium).
	MinSeverity string `yaml:"min_severity"`
	// Routes send matching changes to other webhooks.
	Routes []Route `yaml:"routes"`
	// MaxAttempts bounds the attempts per message (default 5).
	MaxAttempts int `yaml:"max_attempts"`
	// GroupAt is as slack.group_at (default 4; -1 never groups).
	GroupAt int `yaml:"group_at"`
}

// Email configures delivery by email over SMTP, STARTTLS required.
type Email struct {
	// Host and Port are the SMTP server (Port default 587, submission).
	Host string `yaml:"host"`
	Port int    `yaml:"port"`
	// From is the sender; To the default recipients.
	From string   `yaml:"from"`
	To   []string `yaml:"to"`
	// Username (default: From) and PasswordEnv, the environment variable
	// holding the password, authenticate; no password_env: no
	// authentication.
	Username    string `yaml:"username"`
	PasswordEnv string `yaml:"password_env"`
	// TLSCAFile is a PEM file of CA certificates for a relay with a
	// private CA; default: the system's.
	TLSCAFile string `yaml:"tls_ca_file"`
	// MinSeverity is the lowest severity notified (default high: mail is
	// for what a person must act on).
	MinSeverity string `yaml:"min_severity"`
	// Routes send matching changes to other recipients.
	Routes []Route `yaml:"routes"`
	// MaxAttempts bounds the attempts per message (default 5).
	MaxAttempts int `yaml:"max_attempts"`
	// GroupAt is as slack.group_at (default 4; -1 never groups).
	GroupAt int `yaml:"group_at"`
}

// Load reads and validates the configuration at path, resolving relative
// paths against the file's directory and filling defaults.
func Load(path string) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	dir, err := filepath.Abs(filepath.Dir(path))
	if err != nil {
		return nil, fmt.Errorf("config %s: %w", path, err)
	}
	c, err := Parse(bytes.NewReader(data), dir)
	if err != nil {
		return nil, fmt.Errorf("config %s: %w", path, err)
	}
	return c, nil
}

// Parse reads a configuration from r; relative paths resolve against dir.
func Parse(r io.Reader, dir string) (*Config, error) {
	dec := yaml.NewDecoder(r)
	dec.KnownFields(true)
	var c Config
	if err := dec.Decode(&c); err != nil && !errors.Is(err, io.EOF) {
		return nil, err
	}
	c.fill(dir)
	if err := c.Validate(); err != nil {
		return nil, err
	}
	return &c, nil
}

// Default is the configuration used when no file exists: the public Entra
// docs repository, state and cache in dir, report to standard output.
func Default(dir string) *Config {
	var c Config
	c.fill(dir)
	return &c
}

func (c *Config) fill(dir string) {
	if len(c.Repositories) == 0 {
		if p, err := profiles.ByName(profiles.Default); err == nil {
			c.Repositories = []Repository{{URL: p.RepoURL}}
		}
	}
	for i := range c.Repositories {
		r := &c.Repositories[i]
		if r.Path != "" {
			r.Path = resolve(dir, r.Path)
		}
		if r.Name == "" {
			r.Name = nameOf(r)
		}
		if r.Profile == "" {
			r.Profile = profiles.Default
		}
		if len(r.Pages) == 0 {
			if p, err := profiles.ByName(r.Profile); err == nil {
				r.Pages, r.PagesFromProfile = p.PageGlobs(), true
			}
		}
	}
	if c.State == "" {
		c.State = "residiff-state.json"
	}
	c.State = resolve(dir, c.State)
	if c.CacheDir == "" {
		c.CacheDir = ".residiff-cache"
	}
	c.CacheDir = resolve(dir, c.CacheDir)
	for format, p := range c.Outputs {
		if p != "" {
			c.Outputs[format] = resolve(dir, p)
		}
	}
	if c.FirstRun == "" {
		c.FirstRun = "summary"
	}
	if t := c.Teams; t != nil {
		if t.MinSeverity == "" {
			t.MinSeverity = "medium"
		}
		if t.MaxAttempts == 0 {
			t.MaxAttempts = 5
		}
	}
	if e := c.Email; e != nil {
		if e.MinSeverity == "" {
			e.MinSeverity = "high"
		}
		if e.MaxAttempts == 0 {
			e.MaxAttempts = 5
		}
		if e.Port == 0 {
			e.Port = 587
		}
		if e.TLSCAFile != "" {
			e.TLSCAFile = resolve(dir, e.TLSCAFile)
		}
	}
	def := extractor.DefaultLimits()
	for _, f := range []struct {
		v *int
		d int
	}{
		{&c.Limits.PageBytes, def.MaxBytes}, {&c.Limits.TableCells, def.MaxTableCells},
		{&c.Limits.Nesting, def.MaxNesting}, {&c.Limits.OpenBrackets, def.MaxOpenBrackets},
		{&c.Limits.WordDiffTokens, differ.MaxWordDiffTokens}, {&c.Limits.RenamePairs, differ.MaxRenamePairs},
		{&c.Limits.PageSeconds, int(def.MaxDuration / time.Second)},
	} {
		if *f.v == 0 {
			*f.v = f.d
		}
	}
	if c.Slack != nil {
		if c.Slack.MinSeverity == "" {
			c.Slack.MinSeverity = "medium"
		}
		if c.Slack.MaxAttempts == 0 {
			c.Slack.MaxAttempts = 5
		}
		if c.Slack.DigestAbove == 0 {
			c.Slack.DigestAbove = 200
		}
		if c.Slack.DigestAfterDays == 0 {
			c.Slack.DigestAfterDays = 14
		}
	}
}

// Validate reports everything in c that cannot work, one error each.
func (c *Config) Validate() error {
	var errs []error
	names := map[string]bool{}
	for i, r := range c.Repositories {
		where := fmt.Sprintf("repositories[%d]", i)
		if (r.URL == "") == (r.Path == "") {
			errs = append(errs, fmt.Errorf("%s: set exactly one of url and path", where))
		}
		if names[r.Name] {
			errs = append(errs, fmt.Errorf("%s: name %q used twice (set name: to tell them apart)", where, r.Name))
		}
		names[r.Name] = true
		if _, err := profiles.ByName(r.Profile); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", where, err))
		}
		if r.TokenEnv != "" && (r.UsernameEnv != "" || r.PasswordEnv != "") || (r.UsernameEnv == "") != (r.PasswordEnv == "") {
			errs = append(errs, fmt.Errorf("%s: set token_env, or username_env and password_env", where))
		}
		if (r.TokenEnv != "" || r.PasswordEnv != "") && r.Path != "" {
			errs = append(errs, fmt.Errorf("%s: credentials are for url repositories", where))
		}
	}
	for format := range c.Outputs {
		if _, err := render.Lookup(format); err != nil || format == "md" {
			errs = append(errs, fmt.Errorf("outputs.%s: not a report format (want %s)", format, render.Either(render.Names())))
		}
	}
	for i, a := range c.Aliases {
		if strings.TrimSpace(a.Alias) == "" || strings.TrimSpace(a.Canonical) == "" {
			errs = append(errs, fmt.Errorf("aliases[%d]: alias and canonical are both required", i))
		}
	}
	switch c.FirstRun {
	case "summary", "all", "none":
	default:
		errs = append(errs, fmt.Errorf("first_run %q: want summary, all or none", c.FirstRun))
	}
	for _, l := range []struct {
		key string
		v   int
	}{{"page_bytes", c.Limits.PageBytes}, {"table_cells", c.Limits.TableCells}, {"nesting", c.Limits.Nesting},
		{"open_brackets", c.Limits.OpenBrackets}, {"word_diff_tokens", c.Limits.WordDiffTokens}, {"rename_pairs", c.Limits.RenamePairs},
		{"page_seconds", c.Limits.PageSeconds}} {
		if l.v < 1 {
			errs = append(errs, fmt.Errorf("limits.%s %d: want a positive number", l.key, l.v))
		}
	}
	if c.Limits.WordDiffTokens > maxWordDiffTokens {
		errs = append(errs, fmt.Errorf("limits.word_diff_tokens %d: at most %d", c.Limits.WordDiffTokens, maxWordDiffTokens))
	}
	switch c.Heartbeat {
	case "", "weekly", "daily", "off":
	default:
		errs = append(errs, fmt.Errorf("heartbeat %q: want weekly, daily or off", c.Heartbeat))
	}
	if s := c.Slack; s != nil {
		if (s.WebhookURLEnv == "") == (s.TokenEnv == "") {
			errs = append(errs, errors.New("slack: set exactly one of webhook_url_env and token_env"))
		}
		if s.TokenEnv != "" && s.Channel == "" {
			errs = append(errs, errors.New("slack: token_env needs channel"))
		}
		if _, err := differ.ParseSeverity(s.MinSeverity); err != nil {
			errs = append(errs, fmt.Errorf("slack.min_severity: %w", err))
		}
		if s.MaxAttempts < 1 || s.MaxAttempts > 20 {
			errs = append(errs, fmt.Errorf("slack.max_attempts %d: want 1 to 20", s.MaxAttempts))
		}
		for i, rt := range s.Routes {
			where := fmt.Sprintf("slack.routes[%d]", i)
			if rt.Region == "" && rt.Scope == "" && rt.Page == "" {
				errs = append(errs, fmt.Errorf("%s: set region, scope or page to match", where))
			}
			if s.TokenEnv != "" && (rt.Channel == "" || rt.WebhookURLEnv != "") {
				errs = append(errs, fmt.Errorf("%s: with token_env, a route names a channel", where))
			}
			if s.WebhookURLEnv != "" && rt.WebhookURLEnv == "" {
				errs = append(errs, fmt.Errorf("%s: with webhook_url_env, a route names its own webhook_url_env", where))
			}
		}
	}
	if t := c.Teams; t != nil {
		if t.WebhookURLEnv == "" {
			errs = append(errs, errors.New("teams: webhook_url_env is required"))
		}
		errs = append(errs, checkDelivery("teams", t.MinSeverity, t.MaxAttempts)...)
		for i, rt := range t.Routes {
			where := fmt.Sprintf("teams.routes[%d]", i)
			if rt.Region == "" && rt.Scope == "" && rt.Page == "" {
				errs = append(errs, fmt.Errorf("%s: set region, scope or page to match", where))
			}
			if rt.WebhookURLEnv == "" || rt.Channel != "" || len(rt.To) > 0 {
				errs = append(errs, fmt.Errorf("%s: a Teams route names its own webhook_url_env (and no channel or to)", where))
			}
		}
	}
	if e := c.Email; e != nil {
		if e.Host == "" || e.From == "" || len(e.To) == 0 {
			errs = append(errs, errors.New("email: host, from and to are required"))
		}
		if e.Port < 1 || e.Port > 65535 {
			errs = append(errs, fmt.Errorf("email.port %d: want 1 to 65535", e.Port))
		}
		for _, a := range append([]string{e.From}, e.To...) {
			if _, err := mail.ParseAddress(a); err != nil && a != "" {
				errs = append(errs, fmt.Errorf("email: address %q: %v", a, err))
			}
		}
		errs = append(errs, checkDelivery("email", e.MinSeverity, e.MaxAttempts)...)
		for i, rt := range e.Routes {
			where := fmt.Sprintf("email.routes[%d]", i)
			if rt.Region == "" && rt.Scope == "" && rt.Page == "" {
				errs = append(errs, fmt.Errorf("%s: set region, scope or page to match", where))
			}
			if len(rt.To) == 0 || rt.Channel != "" || rt.WebhookURLEnv != "" {
				errs = append(errs, fmt.Errorf("%s: an email route names its own to (and no channel or webhook_url_env)", where))
			}
		}
	}
	return errors.Join(errs...)
}

// checkDelivery checks the settings every notifier section has.
func checkDelivery(section, minSeverity string, maxAttempts int) []error {
	var errs []error
	if _, err := differ.ParseSeverity(minSeverity); err != nil {
		errs = append(errs, fmt.Errorf("%s.min_severity: %w", section, err))
	}
	if maxAttempts < 1 || maxAttempts > 20 {
		errs = append(errs, fmt.Errorf("%s.max_attempts %d: want 1 to 20", section, maxAttempts))
	}
	return errs
}

// Notifies reports whether any notifier is configured.
func (c *Config) Notifies() bool { return c.Slack != nil || c.Teams != nil || c.Email != nil }

// resolve makes p absolute against dir, expanding a leading ~/.
func resolve(dir, p string) string {
	if rest, ok := strings.CutPrefix(p, "~/"); ok {
		if home, err := os.UserHomeDir(); err == nil {
			p = filepath.Join(home, rest)
		}
	}
	if filepath.IsAbs(p) {
		return filepath.Clean(p)
	}
	return filepath.Join(dir, p)
}

// nameOf derives a repository's name from its URL or path.
func nameOf(r *Repository) string {
	s := r.URL
	if s == "" {
		s = r.Path
	}
	s = strings.TrimSuffix(strings.TrimSuffix(s, "/"), ".git")
	if i := strings.LastIndexAny(s, "/:"); i >= 0 {
		s = s[i+1:]
	}
	if s == "" {
		return "repository"
	}
	return s
}

// ExtractorLimits are the limits of the extractor.
func (l Limits) ExtractorLimits() extractor.Limits {
	return extractor.Limits{MaxBytes: l.PageBytes, MaxTableCells: l.TableCells, MaxNesting: l.Nesting, MaxOpenBrackets: l.OpenBrackets,
		MaxDuration: time.Duration(l.PageSeconds) * time.Second}
}
