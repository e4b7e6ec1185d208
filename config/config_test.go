package config

import (
	"fmt"
	"time"

	"github.com/residiff/residiff/differ"
	"github.com/residiff/residiff/extractor"
	"github.com/residiff/residiff/notifier/slack"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestParseDefaults(t *testing.T) {
	c, err := Parse(strings.NewReader(""), "/etc/residiff")
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Repositories) != 1 || c.Repositories[0].URL != "https://github.com/MicrosoftDocs/entra-docs.git" || c.Repositories[0].Profile != "entra" || c.Repositories[0].Name != "entra-docs" {
		t.Errorf("repositories = %+v, want the public Entra docs", c.Repositories)
	}
	if len(c.Repositories[0].Pages) == 0 {
		t.Error("no default page globs")
	}
	if c.State != "/etc/residiff/residiff-state.json" || c.CacheDir != "/etc/residiff/.residiff-cache" {
		t.Errorf("state %q cache %q: want them next to the config", c.State, c.CacheDir)
	}
	if c.Notifies() || c.FirstRun != "summary" {
		t.Errorf("notifiers %v first_run %q: want none and a summary first run", c.Notifiers, c.FirstRun)
	}
	if got, want := c.Limits.ExtractorLimits(), extractor.DefaultLimits(); got != want || c.Limits.WordDiffTokens != differ.MaxWordDiffTokens || c.Limits.RenamePairs != differ.MaxRenamePairs {
		t.Errorf("limits %+v, want the defaults %+v", c.Limits, want)
	}
	small, err := Parse(strings.NewReader("limits: {table_cells: 50}"), "/d")
	if err != nil {
		t.Fatal(err)
	}
	if l := small.Limits.ExtractorLimits(); l.MaxTableCells != 50 || l.MaxNesting != extractor.DefaultLimits().MaxNesting {
		t.Errorf("limits.table_cells 50 gave %+v: want it, and defaults for the rest", l)
	}
}

func TestParseFull(t *testing.T) {
	const doc = `
repositories:
  - name: entra
    url: https://github.com/MicrosoftDocs/entra-docs.git
    branch: main
    pages: ["docs/**/data-storage-*.md"]
  - path: ../azure-docs
    web_url: https://github.com/MicrosoftDocs/azure-docs
aliases:
  - {alias: "AAD Connect", canonical: "Microsoft Entra Connect"}
outputs: {markdown: out/CHANGELOG.md, json: /abs/changelog.json}
state: state/residiff.json
slack:
  token_env: SLACK_BOT_TOKEN
  channel: "#compliance"
  min_severity: high
  routes:
    - {scope: EU Data Boundary, channel: "#eu-compliance"}
first_run: none
`
	c, err := Parse(strings.NewReader(doc), "/srv/watch")
	if err != nil {
		t.Fatal(err)
	}
	if got := c.Repositories[1]; got.Path != "/srv/azure-docs" || got.Name != "azure-docs" {
		t.Errorf("second repository = %+v", got)
	}
	if c.Outputs["markdown"] != "/srv/watch/out/CHANGELOG.md" || c.Outputs["json"] != "/abs/changelog.json" {
		t.Errorf("outputs = %+v", c.Outputs)
	}
	sl, ok := c.Section("slack").(*slack.Config)
	if !ok {
		t.Fatalf("slack section = %#v", c.Section("slack"))
	}
	if c.State != "/srv/watch/state/residiff.json" || sl.MaxAttempts != 5 || sl.Routes[0].Channel != "#eu-compliance" || sl.Routes[0].Scope != "EU Data Boundary" {
		t.Errorf("config = %+v / %+v", c, sl)
	}
	if r := c.Routes(); len(r) != 1 || r[0].Key != "slack.routes[0]" || r[0].Destination != "#eu-compliance" {
		t.Errorf("routes = %+v", r)
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct{ name, doc, want string }{
		{"unknown key", "repositores: []", `line 1: unknown key "repositores" (did you mean "repositories"?)`},
		{"unknown nested key", "slack: {webhook_url_env: X, chanel: '#a'}", `unknown key "slack.chanel" (did you mean "channel"?)`},
		{"unknown route key", "teams: {webhook_url_env: X, routes: [{scope: EU, chanel: '#a'}]}", `unknown key "teams.routes[0].chanel"`},
		{"section not a mapping", "email: 5", "email: want a mapping"},
		{"teams route without webhook", "teams: {webhook_url_env: A, routes: [{scope: Japan}]}", "teams.routes[0]: a Teams route names its own webhook_url_env"},
		{"email severity", "email: {host: h, from: a@b.c, to: [c@d.e], min_severity: urgent}", `email.min_severity: severity "urgent"`},
		{"url and path", "repositories: [{url: https://x/y.git, path: /y}]", "repositories[0]: set exactly one of url and path"},
		{"neither url nor path", "repositories: [{branch: main}]", "set exactly one of url and path"},
		{"duplicate names", "repositories: [{path: /a/docs}, {path: /b/docs}]", `name "docs" used twice`},
		{"two Slack modes", "slack: {webhook_url_env: A, token_env: B, channel: c}", "exactly one of webhook_url_env and token_env"},
		{"token without channel", "slack: {token_env: B}", "token_env needs channel"},
		{"severity", "slack: {webhook_url_env: A, min_severity: urgent}", `severity "urgent"`},
		{"route without match", "slack: {webhook_url_env: A, routes: [{webhook_url_env: B}]}", "set repository, region, scope or page"},
		{"webhook route without webhook", "slack: {webhook_url_env: A, routes: [{scope: Japan, channel: '#jp'}]}", "names its own webhook_url_env"},
		{"first run", "first_run: everything", `first_run "everything"`},
		{"alias", "aliases: [{alias: X}]", "alias and canonical are both required"},
		{"not a mapping", "- a\n- b", "cannot unmarshal"},
		{"negative limit", "limits: {table_cells: -5}", "limits.table_cells -5: want a positive number"},
		{"word diff past the codes", "limits: {word_diff_tokens: 200000}", "limits.word_diff_tokens 200000: at most 100000"},
		{"unknown limit", "limits: {cells: 5}", `unknown key "limits.cells"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse(strings.NewReader(tt.doc), "/d")
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want it to contain %q", err, tt.want)
			}
		})
	}
}

func TestLoadNamesFile(t *testing.T) {
	p := filepath.Join(t.TempDir(), "residiff.yaml")
	if err := os.WriteFile(p, []byte("stat: x.json\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Load(p)
	if err == nil || !strings.Contains(err.Error(), p) || !strings.Contains(err.Error(), "line 1") {
		t.Errorf("err = %v, want the file and line", err)
	}
	if _, err := Load(filepath.Join(t.TempDir(), "missing.yaml")); err == nil {
		t.Error("a missing explicit config loaded")
	}
}

// TestShippedConfigs keeps the configuration files in the repository valid.
func TestShippedConfigs(t *testing.T) {
	for _, p := range []string{"../deploy/residiff.yaml", "../residiff.example.yaml"} {
		c, err := Load(p)
		if err != nil {
			t.Errorf("%s: %v", p, err)
			continue
		}
		if len(c.Repositories) == 0 {
			t.Errorf("%s: no repository", p)
		}
	}
}

// TestProfileFile: a profile_file is read relative to the configuration,
// names the repository's profile and pages, and keys caches by its
// content; both profile and profile_file, or a file that does not load,
// are errors naming the file.
func TestProfileFile(t *testing.T) {
	entra, err := os.ReadFile("../source/entra/profile.yaml")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "profiles"), 0o755); err != nil {
		t.Fatal(err)
	}
	write := func(body string) {
		if err := os.WriteFile(filepath.Join(dir, "profiles", "contoso.yaml"), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(strings.Replace(string(entra), "name: entra\n", "name: contoso\n", 1))
	const doc = "repositories:\n  - path: repo\n    profile_file: profiles/contoso.yaml\n"
	c, err := Parse(strings.NewReader(doc), dir)
	if err != nil {
		t.Fatal(err)
	}
	r := c.Repositories[0]
	p, err := r.Source()
	if err != nil || p.Name != "contoso" || r.Profile != "contoso" || len(r.Pages) == 0 || !r.PagesFromProfile {
		t.Fatalf("repository %+v, profile %v, %v", r, p, err)
	}
	if r.ProfileFile != filepath.Join(dir, "profiles", "contoso.yaml") {
		t.Errorf("profile_file %q: want it next to the configuration", r.ProfileFile)
	}
	key := r.ProfileKey()
	if !strings.HasPrefix(key, "contoso@") {
		t.Errorf("ProfileKey %q", key)
	}
	write(strings.Replace(string(entra), "name: entra\n", "name: contoso\n# edited\n", 1))
	c, err = Parse(strings.NewReader(doc), dir)
	if err != nil {
		t.Fatal(err)
	}
	if c.Repositories[0].ProfileKey() == key {
		t.Error("an edited profile file keeps its cache key")
	}
	builtin, err := Parse(strings.NewReader("repositories:\n  - path: repo\n    profile: m365\n"), dir)
	if err != nil || builtin.Repositories[0].ProfileKey() != "m365" {
		t.Errorf("shipped profile's key: %v, %v", builtin, err)
	}

	for _, tc := range []struct{ name, doc, file, want string }{
		{"both", "repositories:\n  - path: repo\n    profile: entra\n    profile_file: profiles/contoso.yaml\n", "", "repositories[0]: set profile or profile_file, not both"},
		{"missing", "repositories:\n  - path: repo\n    profile_file: profiles/nope.yaml\n", "", "nope.yaml"},
		{"bad", doc, "name: contoso\nproduct: {name: C, id: c}\npages:\n  - glob: x.md\n", "contoso.yaml:4: pages[0]: glob and provenance are required"},
	} {
		if tc.file != "" {
			write(tc.file)
		}
		_, err := Parse(strings.NewReader(tc.doc), dir)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want %q", tc.name, err, tc.want)
		}
	}
}

// TestNotifierCommonKeys: the settings every notifier section shares
// (notifier.Common, inline) keep their keys in each section: they are
// read, they reach the section's policy, attempts and digest rule, and a
// misspelt one is an unknown key with its line.
func TestNotifierCommonKeys(t *testing.T) {
	sections := map[string]string{
		"slack":   "slack: {webhook_url_env: A, %s}",
		"teams":   "teams: {webhook_url_env: A, %s}",
		"email":   "email: {host: smtp.example.com, from: a@example.com, to: [b@example.com], %s}",
		"webhook": "webhook: {url_env: A, %s}",
	}
	for key, doc := range sections {
		c, err := Parse(strings.NewReader(fmt.Sprintf(doc, "min_severity: low, max_attempts: 7, digest_above: 9, digest_after_days: 3")), t.TempDir())
		if err != nil {
			t.Fatalf("%s: %v", key, err)
		}
		sec := c.Section(key)
		if sec == nil {
			t.Fatalf("%s: no section", key)
		}
		if p, bl := sec.Policy(), sec.Backlog(); p.MinSeverity != "low" || sec.Attempts() != 7 || bl.MaxItems != 9 || bl.MaxAge != 3*24*time.Hour {
			t.Errorf("%s: min_severity %q, attempts %d, backlog %+v", key, p.MinSeverity, sec.Attempts(), bl)
		}
		_, err = Parse(strings.NewReader(fmt.Sprintf(doc, "max_attempt: 7")), t.TempDir())
		if want := fmt.Sprintf(`line 1: unknown key "%s.max_attempt" (did you mean "max_attempts"?)`, key); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want %q", key, err, want)
		}
	}
}
