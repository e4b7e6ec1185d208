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
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/residiff/residiff/differ"
	"github.com/residiff/residiff/extractor"
	"github.com/residiff/residiff/notifier"
	"github.com/residiff/residiff/notifier/delivery"
	"github.com/residiff/residiff/notifier/notifiers"
	"github.com/residiff/residiff/render"
	"github.com/residiff/residiff/source"
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
	// Notifiers are the notifier sections present (slack:, teams:,
	// email:, webhook:, … — see package notifier/notifiers), in the
	// registry's order; none means the report goes to standard output.
	Notifiers []Notifier `yaml:"-"`
	// Sections holds the top-level keys that are not settings of the
	// configuration itself: notifier sections, or unknown keys.
	Sections map[string]yaml.Node `yaml:",inline"`
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
	// PingURL is a dead-man's switch (healthchecks style): each run
	// that processed every repository requests it, a failed run requests
	// PingURL + "/fail", so silence there means the watch stopped.
	// Empty: off.
	PingURL string `yaml:"ping_url"`
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
	// Delimiters bounds the runs of emphasis delimiters ("*", "_") in one
	// block of a page (5,000).
	Delimiters int `yaml:"delimiters"`
	// PageMemoryMB bounds, in MiB, the memory parsing one suspicious page
	// may take in its worker process (512).
	PageMemoryMB int `yaml:"page_memory_mb"`
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
	// (its page globs and vocabulary); default: entra. With ProfileFile
	// it is the file's profile's name.
	Profile string `yaml:"profile"`
	// ProfileFile is a YAML file holding the profile instead (relative
	// to the configuration file), validated like the shipped ones: a
	// docs source without rebuilding residiff. Not with Profile.
	ProfileFile string `yaml:"profile_file"`
	// file is the profile ProfileFile holds, once read.
	file *profiles.File
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

// Notifier is one notifier section of the configuration.
type Notifier struct {
	// Key is the section's key ("slack").
	Key string
	// Line is the section's line in the file (0 when unknown).
	Line int
	// Section is the decoded section.
	Section notifier.Section
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
// Every unknown key is an error (with its line and the nearest known key).
func Parse(r io.Reader, dir string) (*Config, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	unknown, err := UnknownKeys(data)
	if err != nil {
		return nil, err
	}
	if len(unknown) > 0 {
		return nil, errors.Join(unknown...)
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	var c Config
	if err := dec.Decode(&c); err != nil && !errors.Is(err, io.EOF) {
		return nil, err
	}
	if err := c.decodeSections(); err != nil {
		return nil, err
	}
	c.fill(dir)
	if err := c.readProfiles(); err != nil {
		return nil, err
	}
	if err := c.Validate(); err != nil {
		return nil, err
	}
	return &c, nil
}

// readProfiles reads the profile files of the repositories that name one:
// each becomes the repository's profile (its name) and, when the
// repository names no pages, its page globs.
func (c *Config) readProfiles() error {
	var errs []error
	for i := range c.Repositories {
		r := &c.Repositories[i]
		if r.ProfileFile == "" {
			continue
		}
		if r.Profile != "" {
			errs = append(errs, fmt.Errorf("repositories[%d]: set profile or profile_file, not both", i))
			continue
		}
		f, err := profiles.ReadFile(r.ProfileFile)
		if err != nil {
			errs = append(errs, fmt.Errorf("repositories[%d].profile_file: %w", i, err))
			continue
		}
		r.Profile, r.file = f.Name, f
		if len(r.Pages) == 0 {
			if p, err := f.Profile(); err == nil {
				r.Pages, r.PagesFromProfile = p.PageGlobs(), true
			}
		}
	}
	return errors.Join(errs...)
}

// Source returns a new copy of the repository's docs-source profile: the
// shipped one Profile names, or the one ProfileFile holds.
func (r Repository) Source() (*source.Profile, error) {
	if r.file != nil {
		return r.file.Profile()
	}
	if r.ProfileFile != "" {
		return nil, fmt.Errorf("profile_file %s: not read (load the configuration with Load or Parse)", r.ProfileFile)
	}
	return profiles.ByName(r.Profile)
}

// ProfileKey identifies the repository's profile for caches: its name,
// and for a profile file the digest of its content, so that a cache made
// with one version of the file is not used with another.
func (r Repository) ProfileKey() string {
	if r.file != nil {
		return r.Profile + "@" + r.file.Digest
	}
	return r.Profile
}

// decodeSections decodes the notifier sections of c.Sections into
// c.Notifiers, in the registry's order. Keys no notifier registered are
// left to UnknownKeys.
func (c *Config) decodeSections() error {
	c.Notifiers = nil
	var errs []error
	for _, k := range notifiers.Kinds() {
		node, ok := c.Sections[k.Key]
		if !ok {
			continue
		}
		if node.Kind == yaml.ScalarNode && node.Tag == "!!null" {
			continue // "slack:" with nothing under it: off, as before
		}
		sec := k.New()
		if node.Kind != yaml.MappingNode {
			errs = append(errs, fmt.Errorf("line %d: %s: want a mapping of settings", node.Line, k.Key))
			continue
		}
		if err := node.Decode(sec); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", k.Key, err))
			continue
		}
		c.Notifiers = append(c.Notifiers, Notifier{Key: k.Key, Line: node.Line, Section: sec})
	}
	return errors.Join(errs...)
}

// Section returns the notifier section named key, or nil.
func (c *Config) Section(key string) notifier.Section {
	for _, n := range c.Notifiers {
		if n.Key == key {
			return n.Section
		}
	}
	return nil
}

// Routes lists the routes of every notifier section, each with the key
// that sets it ("slack.routes[0]").
func (c *Config) Routes() []notifier.Route {
	var out []notifier.Route
	for _, n := range c.Notifiers {
		out = append(out, n.Section.Policy().Routes...)
	}
	return out
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
		if r.ProfileFile != "" {
			r.ProfileFile = resolve(dir, r.ProfileFile)
			continue // its profile and pages are read by readProfiles
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
	for _, n := range c.Notifiers {
		n.Section.Fill(dir)
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
		{&c.Limits.Delimiters, def.MaxDelimiters}, {&c.Limits.PageMemoryMB, def.MaxMemory >> 20},
	} {
		if *f.v == 0 {
			*f.v = f.d
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
		if _, err := r.Source(); err != nil && r.ProfileFile == "" {
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
		{"page_seconds", c.Limits.PageSeconds}, {"delimiters", c.Limits.Delimiters}, {"page_memory_mb", c.Limits.PageMemoryMB}} {
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
	if c.PingURL != "" {
		if err := delivery.ValidWebhookURL(c.PingURL); err != nil {
			errs = append(errs, fmt.Errorf("ping_url %w", err))
		}
	}
	for _, n := range c.Notifiers {
		errs = append(errs, n.Section.Validate()...)
	}
	return errors.Join(errs...)
}

// Notifies reports whether any notifier is configured.
func (c *Config) Notifies() bool { return len(c.Notifiers) > 0 }

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
	if i := strings.IndexAny(s, "?#"); i >= 0 {
		s = s[:i] // a query may hold a token: never part of the name
	}
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
		MaxDelimiters: l.Delimiters, MaxMemory: l.PageMemoryMB << 20, MaxDuration: time.Duration(l.PageSeconds) * time.Second}
}
