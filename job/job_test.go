package job

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/residiff/residiff/notifier"
	"github.com/residiff/residiff/notifier/email"
	"github.com/residiff/residiff/notifier/teams"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/residiff/residiff/config"
	"github.com/residiff/residiff/differ"
	"github.com/residiff/residiff/internal/gittest"
	"github.com/residiff/residiff/internal/smtptest"
	"github.com/residiff/residiff/model"
	"github.com/residiff/residiff/notifier/slack"
	"github.com/residiff/residiff/state"
)

// upstream is a docs repository served over smart HTTP, edited through a
// work tree that pushes to it.
type upstream struct {
	t    *testing.T
	url  string
	work string
}

func newUpstream(t *testing.T) *upstream {
	root := t.TempDir()
	srv := gittest.Server(t, root)
	gittest.Git(t, root, "init", "-q", "--bare", "-b", "main", "docs.git")
	gittest.Git(t, filepath.Join(root, "docs.git"), "config", "http.receivepack", "true")
	work := t.TempDir()
	gittest.Git(t, work, "init", "-q", "-b", "main")
	gittest.Git(t, work, "remote", "add", "origin", srv.URL+"/docs.git")
	return &upstream{t: t, url: srv.URL + "/docs.git", work: work}
}

// commit writes the corpus version of page to path and commits it.
func (u *upstream) commit(path, page, version, date string) string {
	u.t.Helper()
	src, err := os.ReadFile(filepath.Join("..", "fixtures", "corpus", page, version+".md"))
	if err != nil {
		u.t.Fatal(err)
	}
	full := filepath.Join(u.work, path)
	if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
		u.t.Fatal(err)
	}
	if err := os.WriteFile(full, src, 0o644); err != nil {
		u.t.Fatal(err)
	}
	gittest.Git(u.t, u.work, "add", "-A")
	cmd := gittest.Command(u.work, "commit", "-q", "-m", "update "+page+" to "+version)
	cmd.Env = append(cmd.Env, "GIT_AUTHOR_DATE="+date+"T12:00:00Z", "GIT_COMMITTER_DATE="+date+"T12:00:00Z")
	if out, err := cmd.CombinedOutput(); err != nil {
		u.t.Fatalf("commit: %v\n%s", err, out)
	}
	return gittest.Git(u.t, u.work, "rev-parse", "HEAD")
}

func (u *upstream) push(force bool) {
	u.t.Helper()
	args := []string{"push", "-q", "origin", "main"}
	if force {
		args = append(args, "--force")
	}
	gittest.Git(u.t, u.work, args...)
}

// slackStub records incoming-webhook posts and answers with the scripted
// statuses (200 once the script is used up).
type slackStub struct {
	*httptest.Server
	mu       sync.Mutex
	script   []int
	payloads []string
}

func newSlackStub(t *testing.T) *slackStub {
	s := &slackStub{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		s.mu.Lock()
		defer s.mu.Unlock()
		if len(s.script) > 0 {
			code := s.script[0]
			s.script = s.script[1:]
			w.WriteHeader(code)
			return
		}
		s.payloads = append(s.payloads, string(body))
		fmt.Fprint(w, "ok")
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *slackStub) fail(codes ...int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.script = append(s.script, codes...)
}

// take returns and forgets the payloads received so far.
func (s *slackStub) take() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.payloads
	s.payloads = nil
	return p
}

type harness struct {
	t     *testing.T
	up    *upstream
	slack *slackStub
	cfg   *config.Config
	dir   string
}

func newHarness(t *testing.T) *harness {
	up := newUpstream(t)
	sl := newSlackStub(t)
	dir := t.TempDir()
	doc := fmt.Sprintf(`
repositories:
  - url: %s
    branch: main
outputs: {markdown: out/CHANGELOG.md, json: out/changelog.json, atom: out/changelog.atom}
slack:
  webhook_url_env: TEST_SLACK_WEBHOOK
  min_severity: medium
`, up.url)
	cfg, err := config.Parse(strings.NewReader(doc), dir)
	if err != nil {
		t.Fatal(err)
	}
	return &harness{t: t, up: up, slack: sl, cfg: cfg, dir: dir}
}

func (h *harness) run(mod ...func(*Options)) (*Outcome, error) {
	var log bytes.Buffer
	opts := Options{
		Log: &log,
		Getenv: func(k string) string {
			return map[string]string{"TEST_SLACK_WEBHOOK": h.slack.URL + "/services/T/B/SECRET"}[k]
		},
		Retry: slack.Retry{MaxAttempts: 3, Sleep: func(ctx context.Context, d time.Duration) error { return nil }},
	}
	for _, m := range mod {
		m(&opts)
	}
	out, err := Run(context.Background(), h.cfg, opts)
	h.t.Logf("run log:\n%s", log.String())
	return out, err
}

func (h *harness) state() *state.State {
	h.t.Helper()
	st, err := state.Load(h.cfg.State)
	if err != nil {
		h.t.Fatal(err)
	}
	return st
}

// delivered counts the change ids in the payloads' text.
func changeCount(payloads []string, needle string) int {
	n := 0
	for _, p := range payloads {
		n += strings.Count(p, needle)
	}
	return n
}

func TestRunIncrementalOverSmartHTTP(t *testing.T) {
	h := newHarness(t)
	h.up.commit("docs/fundamentals/data-storage-eu.md", "data-storage-eu", "2022-07-20", "2022-07-20")
	h.up.commit("docs/fundamentals/data-storage-japan.md", "data-storage-japan", "2022-08-08", "2022-08-08")
	h.up.push(false)

	// First run: backfill, one summary message, report files written.
	out, err := h.run()
	if err != nil {
		t.Fatal(err)
	}
	if len(out.FirstRun) != 1 || out.Delivered == 0 || out.Pending != 0 {
		t.Errorf("first run: %+v", out)
	}
	p := h.slack.take()
	if len(p) != 1 || !strings.Contains(p[0], "backfilled") {
		t.Fatalf("first run sent %d messages, want one summary: %v", len(p), p)
	}
	for _, f := range []string{"CHANGELOG.md", "changelog.json", "changelog.atom"} {
		if _, err := os.Stat(filepath.Join(h.dir, "out", f)); err != nil {
			t.Errorf("output %s: %v", f, err)
		}
	}

	// Nothing new: nothing sent.
	if out, err = h.run(); err != nil || len(out.New) != 0 || len(h.slack.take()) != 0 {
		t.Fatalf("no-op run: %+v, %v", out, err)
	}

	// A new version upstream: only its changes are reported.
	h.up.commit("docs/fundamentals/data-storage-eu.md", "data-storage-eu", "2023-08-17", "2023-08-17")
	h.up.push(false)
	out, err = h.run()
	if err != nil {
		t.Fatal(err)
	}
	if out.Revisions != 1 {
		t.Errorf("incremental run walked %d revisions, want the 1 new one", out.Revisions)
	}
	p = h.slack.take()
	if len(p) == 0 {
		t.Fatal("no message for the 2023 version")
	}
	all := strings.Join(p, "\n")
	for _, want := range []string{"Azure Customer Lockbox", "newly excluded", "data-storage-eu"} {
		if !strings.Contains(all, want) {
			t.Errorf("messages lack %q", want)
		}
	}
	if strings.Contains(all, "data-storage-japan") || strings.Contains(all, "same service") {
		t.Errorf("messages report an unchanged page or a low-severity rename:\n%s", all)
	}
	st := h.state()
	if len(st.Outbox) != 0 || st.Repositories["docs"].Processed != gittest.Git(t, h.up.work, "rev-parse", "HEAD") {
		t.Errorf("state after delivery: outbox %d, processed %s", len(st.Outbox), st.Repositories["docs"].Processed)
	}
	delivered := len(st.Delivered)

	// Force-push a rewritten history: the 2023 commit is replaced by one
	// with the same content (new hash) and a 2024 version follows. Only the
	// 2024 changes are new; nothing is sent twice.
	gittest.Git(t, h.up.work, "reset", "-q", "--hard", "HEAD~1")
	h.up.commit("docs/fundamentals/data-storage-eu.md", "data-storage-eu", "2023-08-17", "2023-08-18")
	h.up.commit("docs/fundamentals/data-storage-eu.md", "data-storage-eu", "2024-02-16", "2024-02-16")
	h.up.push(true)
	out, err = h.run()
	if err != nil {
		t.Fatal(err)
	}
	// The whole history is walked again: change ids depend on the page
	// versions, not on the commits, so nothing delivered is sent twice.
	if out.Revisions != 4 {
		t.Errorf("after the rewrite %d revisions walked, want the whole history (4)", out.Revisions)
	}
	p = h.slack.take()
	all = strings.Join(p, "\n")
	if strings.Contains(all, "Azure Customer Lockbox* is newly excluded") {
		t.Errorf("rewritten history re-sent a delivered change:\n%s", all)
	}
	if !strings.Contains(all, "list moved to another page") {
		t.Errorf("the 2024 delegations were not sent:\n%s", all)
	}
	if got := len(h.state().Delivered); got <= delivered {
		t.Errorf("delivered set did not grow: %d → %d", delivered, got)
	}
}

func TestRunUndeliverableStaysPending(t *testing.T) {
	h := newHarness(t)
	h.cfg.FirstRun = "all"
	h.up.commit("docs/fundamentals/data-storage-japan.md", "data-storage-japan", "2024-01-03", "2024-01-03")
	h.up.push(false)

	h.slack.fail(500, 500, 500)
	out, err := h.run()
	if !errors.Is(err, ErrUndelivered) || !strings.Contains(err.Error(), "webhook $TEST_SLACK_WEBHOOK") {
		t.Fatalf("err = %v, want ErrUndelivered naming the destination", err)
	}
	if strings.Contains(err.Error(), "SECRET") {
		t.Errorf("error leaks the webhook URL: %v", err)
	}
	pending := len(h.state().Outbox)
	if pending == 0 || out.Pending != pending {
		t.Fatalf("pending %d (outcome %d), want the changes kept", pending, out.Pending)
	}

	// Next run, Slack is back: the pending changes go out, once.
	if _, err := h.run(); err != nil {
		t.Fatal(err)
	}
	p := h.slack.take()
	if got := changeCount(p, "data-storage-japan"); got == 0 {
		t.Fatal("pending changes not delivered")
	}
	if st := h.state(); len(st.Outbox) != 0 || len(st.Delivered) != pending {
		t.Errorf("after delivery: outbox %d delivered %d, want 0 and %d", len(st.Outbox), len(st.Delivered), pending)
	}
	if _, err := h.run(); err != nil || len(h.slack.take()) != 0 {
		t.Errorf("third run sent again (err %v)", err)
	}
}

// TestHeartbeat: a watch that found nothing for the configured period says
// once that it is still watching; within the period, or while changes
// are pending, it says nothing. The clock is fake: nothing sleeps.
func TestHeartbeat(t *testing.T) {
	h := newHarness(t)
	h.cfg.ReportURL = "https://compliance.example/residency/report.html"
	h.up.commit("docs/fundamentals/data-storage-japan.md", "data-storage-japan", "2024-01-03", "2024-01-03")
	h.up.push(false)
	start := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	at := func(d time.Duration) func(*Options) {
		return func(o *Options) { o.Now = func() time.Time { return start.Add(d) } }
	}
	if _, err := h.run(at(0)); err != nil {
		t.Fatal(err)
	}
	if p := h.slack.take(); len(p) != 1 {
		t.Fatalf("first run sent %d messages, want the summary", len(p))
	}
	for _, step := range []struct {
		name string
		at   time.Duration
		want int
	}{
		{"a day later", 24 * time.Hour, 0},
		{"six days later", 6 * 24 * time.Hour, 0},
		{"a week of silence", 7*24*time.Hour + time.Hour, 1},
		{"an hour after the heartbeat", 7*24*time.Hour + 2*time.Hour, 0},
		{"another week", 14*24*time.Hour + 3*time.Hour, 1},
	} {
		if _, err := h.run(at(step.at)); err != nil {
			t.Fatalf("%s: %v", step.name, err)
		}
		p := h.slack.take()
		if len(p) != step.want {
			t.Errorf("%s: %d message(s), want %d: %q", step.name, len(p), step.want, p)
			continue
		}
		if step.want == 1 && (!strings.Contains(p[0], "still watching 1 page(s) in 1 repository") || !strings.Contains(p[0], h.cfg.ReportURL)) {
			t.Errorf("%s: heartbeat %q", step.name, p[0])
		}
	}

	// A change pending because Slack is down is never replaced by a
	// heartbeat.
	h.up.commit("docs/fundamentals/data-storage-eu.md", "data-storage-eu", "2022-07-20", "2022-07-20")
	h.up.push(false)
	h.slack.fail(500, 500, 500)
	if _, err := h.run(at(30 * 24 * time.Hour)); !errors.Is(err, ErrUndelivered) {
		t.Fatalf("err = %v, want ErrUndelivered", err)
	}
	for _, m := range h.slack.take() {
		if strings.Contains(m, "still watching") {
			t.Errorf("heartbeat sent while changes are pending: %q", m)
		}
	}

	if _, err := h.run(at(31 * 24 * time.Hour)); err != nil { // Slack is back: the pending changes go out
		t.Fatal(err)
	}
	if p := h.slack.take(); len(p) == 0 || strings.Contains(strings.Join(p, " "), "still watching") {
		t.Errorf("delivery after the outage: %q", p)
	}
	h.cfg.Heartbeat = "off"
	if _, err := h.run(at(90 * 24 * time.Hour)); err != nil {
		t.Fatal(err)
	}
	if p := h.slack.take(); len(p) != 0 {
		t.Errorf("heartbeat: off sent %q", p)
	}
}

func TestRunDryRun(t *testing.T) {
	h := newHarness(t)
	h.cfg.FirstRun = "all"
	h.up.commit("docs/fundamentals/data-storage-eu.md", "data-storage-eu", "2023-08-17", "2023-08-17")
	h.up.push(false)
	var stdout bytes.Buffer
	if _, err := h.run(func(o *Options) { o.DryRun = true; o.Out = &stdout; o.Getenv = func(string) string { return "" } }); err != nil {
		t.Fatal(err)
	}
	var payloads []struct {
		Destination string          `json:"destination"`
		Changes     []string        `json:"changes"`
		Message     json.RawMessage `json:"message"`
	}
	if err := json.Unmarshal(stdout.Bytes(), &payloads); err != nil {
		t.Fatalf("dry-run output is not the payload list: %v\n%s", err, stdout.String())
	}
	if len(payloads) == 0 || payloads[0].Destination != "TEST_SLACK_WEBHOOK" || len(payloads[0].Changes) == 0 ||
		!bytes.Contains(payloads[0].Message, []byte(`"blocks"`)) {
		t.Errorf("payloads = %s", stdout.String())
	}
	if len(h.slack.take()) != 0 {
		t.Error("dry run sent to Slack")
	}
	if _, err := os.Stat(h.cfg.State); !errors.Is(err, os.ErrNotExist) {
		t.Error("dry run saved state")
	}
	if _, err := os.Stat(h.cfg.Outputs["markdown"]); !errors.Is(err, os.ErrNotExist) {
		t.Error("dry run wrote a report file")
	}
}

func TestRunRefusesCorruptState(t *testing.T) {
	h := newHarness(t)
	h.up.commit("docs/fundamentals/data-storage-eu.md", "data-storage-eu", "2023-08-17", "2023-08-17")
	h.up.push(false)
	corrupt := []byte(`{"version":1,"repositories":{"docs":{"processed":"abc`)
	if err := os.WriteFile(h.cfg.State, corrupt, 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := h.run()
	if !errors.Is(err, state.ErrCorrupt) || !strings.Contains(err.Error(), h.cfg.State) {
		t.Fatalf("err = %v, want ErrCorrupt naming the file", err)
	}
	if got, _ := os.ReadFile(h.cfg.State); !bytes.Equal(got, corrupt) {
		t.Error("the corrupt state file was overwritten")
	}
	if len(h.slack.take()) != 0 {
		t.Error("a run with corrupt state notified")
	}
}

func TestRunLocked(t *testing.T) {
	h := newHarness(t)
	lock, err := state.Acquire(h.cfg.State)
	if err != nil {
		t.Fatal(err)
	}
	defer lock.Release()
	if _, err := h.run(); !errors.Is(err, state.ErrLocked) {
		t.Errorf("err = %v, want ErrLocked", err)
	}
}

// TestRunGlobMatchingNothing: a page glob of the configuration's own that
// names no page at the tip or in the history fails the run, naming the
// glob, instead of reporting "no residency changes"; the profile's globs
// may match nothing one by one (they cover years of layouts) but not all.
func TestRunGlobMatchingNothing(t *testing.T) {
	withPage := func() *harness {
		h := newHarness(t)
		h.up.commit("docs/fundamentals/data-storage-eu.md", "data-storage-eu", "2022-07-20", "2022-07-20")
		h.up.push(false)
		return h
	}
	h := withPage()
	if !h.cfg.Repositories[0].PagesFromProfile {
		t.Fatal("default pages are not marked as the profile's")
	}
	h.cfg.Repositories[0].Pages = append(h.cfg.Repositories[0].Pages[:0:0], "docs/**/data-storage-*.md", "docs/fundamentals/data-storage-mars.md")
	h.cfg.Repositories[0].PagesFromProfile = false
	_, err := h.run()
	if !errors.Is(err, ErrConfig) || !strings.Contains(err.Error(), "data-storage-mars.md") || strings.Contains(err.Error(), "data-storage-*.md") {
		t.Errorf("err = %v, want ErrConfig naming only the glob that matches nothing", err)
	}
	if st, _ := state.Load(h.cfg.State); st != nil && len(st.Repositories) > 0 {
		t.Error("a run with a glob that matches nothing recorded the repository as processed")
	}

	h2 := withPage()
	h2.cfg.Repositories[0].Pages = []string{"nowhere/**/*.md", "elsewhere/*.md"}
	if _, err := h2.run(); !errors.Is(err, ErrConfig) || !strings.Contains(err.Error(), "right repository") {
		t.Errorf("profile globs matching nothing: err = %v", err)
	}
	if _, err := withPage().run(); err != nil {
		t.Errorf("the profile's globs, some matching nothing here: %v", err)
	}
}

func TestRunMissingSecret(t *testing.T) {
	h := newHarness(t)
	_, err := h.run(func(o *Options) { o.Getenv = func(string) string { return "" } })
	if err == nil || !strings.Contains(err.Error(), "TEST_SLACK_WEBHOOK is empty or unset") {
		t.Errorf("err = %v", err)
	}
}

func TestRoute(t *testing.T) {
	cfg, err := config.Parse(strings.NewReader(`
repositories: [{path: /x}]
slack:
  token_env: T
  channel: "#all"
  routes:
    - {scope: EU Data Boundary, channel: "#eudb"}
    - {region: Japan, channel: "#jp"}
    - {page: "data-storage-*", scope: EU Data Residency, channel: "#edr"}
teams:
  webhook_url_env: TEAMS_ALL
  routes: [{region: Japan, webhook_url_env: TEAMS_JP}]
email:
  host: smtp.example.com
  from: residiff@example.com
  to: [compliance@example.com]
  routes: [{scope: EU Data Boundary, to: [dpo@example.com, audit@example.com]}]
`), "/")
	if err != nil {
		t.Fatal(err)
	}
	r := &runner{cfg: cfg}
	policies := r.policies()
	if len(policies) != 3 {
		t.Fatalf("%d policies, want Slack, Teams and email", len(policies))
	}
	tests := []struct {
		region, scope, page string
		want                string
	}{
		{"Europe", "EU Data Boundary", "data-storage-eu", "#eudb | teams:TEAMS_ALL | email:dpo@example.com,audit@example.com"},
		{"Europe", "EU Data Residency", "data-storage-eu", "#edr | teams:TEAMS_ALL | email:compliance@example.com"},
		{"Japan", "Japan", "data-storage-japan", "#jp | teams:TEAMS_JP | email:compliance@example.com"},
		{"Australia", "Australia", "data-storage-australia", "#all | teams:TEAMS_ALL | email:compliance@example.com"},
	}
	for _, tt := range tests {
		it := model.Item{Region: tt.region, Page: tt.page}
		it.Change.Scope = tt.scope
		var got []string
		for _, p := range policies {
			got = append(got, strings.Join(p.Destinations(it), ","))
		}
		if strings.Join(got, " | ") != tt.want {
			t.Errorf("route(%s/%s/%s) = %s, want %s", tt.region, tt.scope, tt.page, strings.Join(got, " | "), tt.want)
		}
	}
	if sev := policies[2].MinSeverity; sev != differ.High {
		t.Errorf("email's default floor %s, want high", sev)
	}
}

func TestRunRewritesMissingOutputs(t *testing.T) {
	h := newHarness(t)
	h.up.commit("docs/fundamentals/data-storage-eu.md", "data-storage-eu", "2023-08-17", "2023-08-17")
	h.up.push(false)
	if _, err := h.run(); err != nil {
		t.Fatal(err)
	}
	h.slack.take()
	if err := os.Remove(h.cfg.Outputs["json"]); err != nil {
		t.Fatal(err)
	}
	// An unrelated upstream commit: no new page revision, but the missing
	// report file is written again from the whole history.
	if err := os.WriteFile(filepath.Join(h.up.work, "README.md"), []byte("docs\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	gittest.Git(t, h.up.work, "add", "README.md")
	gittest.Git(t, h.up.work, "commit", "-q", "-m", "unrelated")
	h.up.push(false)
	out, err := h.run()
	if err != nil {
		t.Fatal(err)
	}
	if out.Revisions != 0 || len(h.slack.take()) != 0 {
		t.Errorf("unrelated commit: %d revisions reported", out.Revisions)
	}
	data, err := os.ReadFile(h.cfg.Outputs["json"])
	if err != nil {
		t.Fatalf("missing output not rewritten: %v", err)
	}
	if !bytes.Contains(data, []byte(`"kind": "page_added"`)) {
		t.Errorf("rewritten output lacks the history:\n%.300s", data)
	}
}

// TestDeliveryFirst: while the upstream is unreachable, what earlier runs
// queued is still delivered; the run says the fetch failed.
func TestDeliveryFirst(t *testing.T) {
	h := newHarness(t)
	h.cfg.FirstRun = "all"
	h.up.commit("docs/fundamentals/data-storage-japan.md", "data-storage-japan", "2024-01-03", "2024-01-03")
	h.up.push(false)
	h.slack.fail(500, 500, 500)
	if _, err := h.run(); !errors.Is(err, ErrUndelivered) {
		t.Fatalf("err = %v, want pending changes", err)
	}
	pending := len(h.state().Outbox)
	if pending == 0 {
		t.Fatal("nothing pending")
	}
	// The upstream goes away; Slack comes back.
	h.cfg.Repositories[0].URL = "http://127.0.0.1:1/docs.git"
	out, err := h.run()
	if err == nil || !strings.Contains(err.Error(), "127.0.0.1") || errors.Is(err, ErrUndelivered) {
		t.Errorf("err = %v, want the fetch failure (and nothing pending)", err)
	}
	if out.Delivered != pending || len(h.state().Outbox) != 0 {
		t.Errorf("delivered %d of %d pending while the upstream was down; outbox now %d", out.Delivered, pending, len(h.state().Outbox))
	}
}

// TestDryRunWritesNoCache: a dry run clones into a temporary folder and
// leaves the cache (and the state) untouched.
func TestDryRunWritesNoCache(t *testing.T) {
	h := newHarness(t)
	h.up.commit("docs/fundamentals/data-storage-japan.md", "data-storage-japan", "2024-01-03", "2024-01-03")
	h.up.push(false)
	if _, err := h.run(func(o *Options) { o.DryRun = true }); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(h.cfg.CacheDir); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("dry run wrote the cache folder %s (%v)", h.cfg.CacheDir, err)
	}
	if _, err := os.Stat(h.cfg.State); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("dry run saved a state file")
	}
}

// TestMigrateStateWithoutLineages: a state written before page lineages
// existed makes the next run walk the whole history once, count what the
// old state had processed as delivered, and send only what is new.
func TestMigrateStateWithoutLineages(t *testing.T) {
	h := newHarness(t)
	h.cfg.FirstRun = "all"
	h.up.commit("docs/fundamentals/data-storage-eu.md", "data-storage-eu", "2022-07-20", "2022-07-20")
	h.up.push(false)
	if _, err := h.run(); err != nil {
		t.Fatal(err)
	}
	h.slack.take()
	// The state as residiff 2 wrote it: no lineages, ids of another kind.
	st := h.state()
	for _, rs := range st.Repositories {
		rs.Lineages = nil
	}
	st.Delivered = map[string]time.Time{"TEST_SLACK_WEBHOOK 0000000000000000": time.Now()}
	if err := state.Save(h.cfg.State, st, state.SaveOptions{}); err != nil {
		t.Fatal(err)
	}
	h.up.commit("docs/fundamentals/data-storage-eu.md", "data-storage-eu", "2023-08-17", "2023-08-17")
	h.up.push(false)
	if _, err := h.run(); err != nil {
		t.Fatal(err)
	}
	all := strings.Join(h.slack.take(), "\n")
	if !strings.Contains(all, "Azure Customer Lockbox") {
		t.Errorf("the new version's changes were not sent:\n%s", all)
	}
	if strings.Contains(all, "Multi-Factor Authentication* is newly excluded") || strings.Contains(all, "backfilled") {
		t.Errorf("changes the old state had processed were sent again:\n%s", all)
	}
	if len(h.state().Repositories["docs"].Lineages) == 0 {
		t.Error("lineages not recorded after the migration")
	}
}

// TestIncrementalReports: a run after new commits extends the report model
// the last run kept instead of walking the whole history, and its report
// files are byte for byte those a run from scratch writes at the same tip —
// through a page move, an unrelated commit and a new page. A damaged model
// is walked around, never used.
func TestIncrementalReports(t *testing.T) {
	h := newHarness(t)
	now := time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC)
	at := func(o *Options) { o.Now = func() time.Time { return now } }
	var logged bytes.Buffer
	logTo := func(o *Options) { logged.Reset(); o.Log = &logged }
	fresh := func() map[string][]byte {
		t.Helper()
		dir := t.TempDir()
		cfg := *h.cfg
		cfg.State, cfg.CacheDir = filepath.Join(dir, "state.json"), filepath.Join(dir, "cache")
		cfg.Outputs = config.Outputs{}
		for f := range h.cfg.Outputs {
			cfg.Outputs[f] = filepath.Join(dir, f)
		}
		cfg.FirstRun = "none"
		if _, err := Run(context.Background(), &cfg, Options{Now: func() time.Time { return now }, Getenv: func(string) string { return h.slack.URL + "/services/T/B/X" }}); err != nil {
			t.Fatal(err)
		}
		out := map[string][]byte{}
		for f, p := range cfg.Outputs {
			data, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			out[f] = data
		}
		return out
	}
	check := func(step string, wantWalk bool) {
		t.Helper()
		if _, err := h.run(at, logTo); err != nil {
			t.Fatalf("%s: %v", step, err)
		}
		h.slack.take()
		if walked := strings.Contains(logged.String(), "walking the whole history for the report files"); walked != wantWalk {
			t.Errorf("%s: walked the whole history %v, want %v; log:\n%s", step, walked, wantWalk, logged.String())
		}
		want := fresh()
		for f, p := range h.cfg.Outputs {
			got, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, want[f]) {
				t.Errorf("%s: %s differs from a run from scratch", step, f)
			}
		}
	}
	h.up.commit("articles/active-directory/fundamentals/data-storage-eu.md", "data-storage-eu", "2022-07-20", "2022-07-20")
	h.up.push(false)
	check("first run", false)

	h.up.commit("articles/active-directory/fundamentals/data-storage-eu.md", "data-storage-eu", "2023-08-17", "2023-08-17")
	h.up.push(false)
	check("one new version", false)

	gittest.Git(t, h.up.work, "mv", "articles", "docs")
	gittest.Git(t, h.up.work, "commit", "-q", "-m", "move to docs/")
	h.up.commit("docs/fundamentals/data-storage-japan.md", "data-storage-japan", "2024-01-03", "2024-01-03")
	h.up.push(false)
	check("a move and a new page", false)

	if err := os.WriteFile(filepath.Join(h.up.work, "README.md"), []byte("docs\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	gittest.Git(t, h.up.work, "add", "README.md")
	gittest.Git(t, h.up.work, "commit", "-q", "-m", "unrelated")
	h.up.push(false)
	check("an unrelated commit", false)

	models, _ := filepath.Glob(filepath.Join(h.cfg.CacheDir, "reports", "*.json.gz"))
	if len(models) != 1 {
		t.Fatalf("%d report models kept, want 1", len(models))
	}
	if err := os.WriteFile(models[0], []byte("not gzip"), 0o644); err != nil {
		t.Fatal(err)
	}
	h.up.commit("docs/fundamentals/data-storage-japan.md", "data-storage-japan", "2022-08-08", "2024-03-05")
	h.up.push(false)
	check("after the model was damaged", true)
}

// TestGlobsChangeBackfills: a page glob added to the configuration makes
// the next run walk the newly matched page's history — sent as a backfill
// summary, written to the report files — without sending again anything of
// the pages watched before; the run after goes on incrementally.
func TestGlobsChangeBackfills(t *testing.T) {
	h := newHarness(t)
	h.cfg.Repositories[0].Pages = []string{"docs/**/data-storage-eu.md"}
	h.up.commit("docs/fundamentals/data-storage-eu.md", "data-storage-eu", "2022-07-20", "2022-07-20")
	h.up.commit("docs/fundamentals/data-storage-japan.md", "data-storage-japan", "2022-08-08", "2022-08-08")
	h.up.commit("docs/fundamentals/data-storage-eu.md", "data-storage-eu", "2023-08-17", "2023-08-17")
	h.up.commit("docs/fundamentals/data-storage-japan.md", "data-storage-japan", "2024-01-03", "2024-01-03")
	h.up.push(false)
	if _, err := h.run(); err != nil {
		t.Fatal(err)
	}
	first := h.slack.take()
	if len(first) != 1 || strings.Contains(strings.Join(first, ""), "data-storage-japan") {
		t.Fatalf("first run: %d messages, want one summary of the EU page only", len(first))
	}
	before := len(h.state().Delivered)

	// The Japan page is added to the watch; upstream has nothing new.
	h.cfg.Repositories[0].Pages = append(h.cfg.Repositories[0].Pages, "docs/**/data-storage-japan.md")
	out, err := h.run()
	if err != nil {
		t.Fatal(err)
	}
	msgs := h.slack.take()
	all := strings.Join(msgs, "\n")
	if len(msgs) != 1 || !strings.Contains(all, "backfilled") || !strings.Contains(all, "data-storage-japan") {
		t.Errorf("after adding a glob: %d messages, want one backfill summary of the Japan page:\n%s", len(msgs), all)
	}
	if strings.Contains(all, "data-storage-eu") {
		t.Errorf("the EU page, watched all along, was notified again:\n%s", all)
	}
	if out.Revisions == 0 {
		t.Error("the newly matched page's history was not walked")
	}
	md, err := os.ReadFile(h.cfg.Outputs["markdown"])
	if err != nil || !bytes.Contains(md, []byte("data-storage-japan")) {
		t.Errorf("the report files lack the newly matched page (%v)", err)
	}
	st := h.state()
	if len(st.Delivered) <= before || len(st.Outbox) != 0 {
		t.Errorf("state: %d delivered (was %d), %d pending", len(st.Delivered), before, len(st.Outbox))
	}
	if len(st.Repositories["docs"].Globs) != 2 {
		t.Errorf("state globs %v, want both", st.Repositories["docs"].Globs)
	}

	// Settings unchanged, nothing new: a no-op. Then a new version is an
	// ordinary incremental change.
	if out, err := h.run(); err != nil || out.Revisions != 0 || len(h.slack.take()) != 0 {
		t.Fatalf("no-op run after the backfill: %+v, %v", out, err)
	}
	h.up.commit("docs/fundamentals/data-storage-eu.md", "data-storage-eu", "2024-02-16", "2024-02-16")
	h.up.push(false)
	out, err = h.run()
	if err != nil {
		t.Fatal(err)
	}
	msgs = h.slack.take()
	if out.Revisions != 1 || len(msgs) == 0 || strings.Contains(strings.Join(msgs, ""), "backfilled") {
		t.Errorf("incremental run after the backfill: %d revisions, %d messages", out.Revisions, len(msgs))
	}
}

// TestTwoRepositoriesOneReport: with two repositories, every report file
// holds both — none is overwritten by the other — also when only one of
// them changed since the last run.
func TestTwoRepositoriesOneReport(t *testing.T) {
	h := newHarness(t)
	other := newUpstream(t)
	h.cfg.Repositories[0].Name = "entra"
	second := h.cfg.Repositories[0]
	second.Name, second.URL = "mirror", other.url
	h.cfg.Repositories = append(h.cfg.Repositories, second)
	h.up.commit("docs/fundamentals/data-storage-eu.md", "data-storage-eu", "2023-08-17", "2023-08-17")
	h.up.push(false)
	other.commit("docs/fundamentals/data-storage-japan.md", "data-storage-japan", "2022-08-08", "2022-08-08")
	other.push(false)

	check := func(step string, want ...string) {
		t.Helper()
		for format, path := range h.cfg.Outputs {
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%s: %v", step, err)
			}
			for _, w := range append([]string{"entra/data-storage-eu", "mirror/data-storage-japan"}, want...) {
				if !bytes.Contains(data, []byte(w)) {
					t.Errorf("%s: %s lacks %q", step, format, w)
				}
			}
		}
		var c model.Changelog
		data, _ := os.ReadFile(h.cfg.Outputs["json"])
		if err := json.Unmarshal(data, &c); err != nil {
			t.Fatal(err)
		}
		if len(c.Repositories) != 2 || c.Repositories[0].Name != "entra" || c.Repositories[1].Name != "mirror" {
			t.Errorf("%s: JSON repositories %+v, want entra and mirror", step, c.Repositories)
		}
		for _, r := range c.Revisions {
			if r.Repository == "" || !strings.HasPrefix(r.Page, r.Repository+"/") {
				t.Errorf("%s: revision %.7s of %s names repository %q", step, r.Commit, r.Page, r.Repository)
			}
		}
	}
	if _, err := h.run(); err != nil {
		t.Fatal(err)
	}
	check("first run")

	// Only the mirror changes: the entra history comes from its model.
	other.commit("docs/fundamentals/data-storage-japan.md", "data-storage-japan", "2024-01-03", "2024-01-03")
	other.push(false)
	if _, err := h.run(); err != nil {
		t.Fatal(err)
	}
	check("only the mirror changed", "2024-01-03")
}

// TestCommitTo: with commit_to, every run that changed the state or the
// reports adds one commit to the branch, whose tree holds them; a run with
// nothing new adds none; a fresh machine (no state file) restores the
// state from the branch and sends nothing again.
func TestCommitTo(t *testing.T) {
	h := newHarness(t)
	gittest.Git(t, h.dir, "init", "-q", "-b", "main")
	gittest.Git(t, h.dir, "commit", "-q", "--allow-empty", "-m", "watch")
	h.cfg.CommitTo = "residiff-state"
	h.cfg.FirstRun = "all"
	commits := func() int {
		out := gittest.Command(h.dir, "rev-list", "--count", "residiff-state")
		data, err := out.Output()
		if err != nil {
			return 0
		}
		n := 0
		fmt.Sscanf(string(data), "%d", &n)
		return n
	}
	h.up.commit("docs/fundamentals/data-storage-eu.md", "data-storage-eu", "2023-08-17", "2023-08-17")
	h.up.push(false)
	if _, err := h.run(); err != nil {
		t.Fatal(err)
	}
	sent := len(h.slack.take())
	if sent == 0 || commits() != 1 {
		t.Fatalf("first run: %d messages, %d commits on the branch; want some and 1", sent, commits())
	}
	tree := gittest.Git(t, h.dir, "ls-tree", "-r", "--name-only", "residiff-state")
	for _, want := range []string{"residiff-state.json", "out/CHANGELOG.md", "out/changelog.json", "out/changelog.atom"} {
		if !strings.Contains(tree, want) {
			t.Errorf("the branch's tree lacks %s:\n%s", want, tree)
		}
	}
	if msg := gittest.Git(t, h.dir, "log", "-1", "--format=%s", "residiff-state"); !strings.Contains(msg, "1 new revision(s)") {
		t.Errorf("commit message %q does not say what changed", msg)
	}

	// Nothing new: no commit.
	if _, err := h.run(); err != nil {
		t.Fatal(err)
	}
	if n := commits(); n != 1 {
		t.Errorf("a run with nothing new made a commit (%d on the branch)", n)
	}

	// A new version: one more commit.
	h.up.commit("docs/fundamentals/data-storage-eu.md", "data-storage-eu", "2024-02-16", "2024-02-16")
	h.up.push(false)
	if _, err := h.run(); err != nil {
		t.Fatal(err)
	}
	if len(h.slack.take()) == 0 || commits() != 2 {
		t.Errorf("second version: %d commits, want 2", commits())
	}

	// A fresh machine: the state file is gone, the branch has it.
	if err := os.Remove(h.cfg.State); err != nil {
		t.Fatal(err)
	}
	out, err := h.run()
	if err != nil {
		t.Fatal(err)
	}
	if len(out.FirstRun) != 0 || len(h.slack.take()) != 0 {
		t.Errorf("after restoring from the branch: first run %v, messages sent again", out.FirstRun)
	}
	if gittest.Git(t, h.dir, "symbolic-ref", "HEAD") != "refs/heads/main" {
		t.Error("the checked-out branch changed")
	}
}

// TestAllNotifiers: one run delivers to Slack, a Teams webhook and email
// (each a real protocol on loopback: Slack's and Teams' HTTP, SMTP with
// STARTTLS), each with its own severity floor, and the next run sends
// nothing again to any of them.
func TestAllNotifiers(t *testing.T) {
	h := newHarness(t)
	h.cfg.FirstRun = "all"
	var mu sync.Mutex
	var cards []string
	teamsStand := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		mu.Lock()
		cards = append(cards, string(body))
		mu.Unlock()
		w.WriteHeader(http.StatusAccepted)
	}))
	defer teamsStand.Close()
	mail := smtptest.Start(t, smtptest.Options{})
	h.cfg.Notifiers = append(h.cfg.Notifiers,
		config.Notifier{Key: "teams", Section: &teams.Config{WebhookURLEnv: "TEST_TEAMS", Common: notifier.Common{MinSeverity: "medium", MaxAttempts: 3}}},
		config.Notifier{Key: "email", Section: &email.Config{Host: mail.Host, Port: mail.Port, From: mail.User, To: []string{"compliance@example.com"},
			PasswordEnv: "TEST_SMTP_PASSWORD", TLSCAFile: mail.CAFile, Common: notifier.Common{MinSeverity: "high", MaxAttempts: 3}}})
	env := func(o *Options) {
		o.Getenv = func(k string) string {
			return map[string]string{"TEST_SLACK_WEBHOOK": h.slack.URL + "/services/T/B/SECRET", "TEST_TEAMS": teamsStand.URL + "/workflows/x?sig=SECRET",
				"TEST_SMTP_PASSWORD": mail.Password}[k]
		}
	}
	h.up.commit("docs/fundamentals/data-storage-eu.md", "data-storage-eu", "2023-08-17", "2023-08-17")
	h.up.commit("docs/fundamentals/data-storage-eu.md", "data-storage-eu", "2024-02-16", "2024-02-16")
	h.up.push(false)
	out, err := h.run(env)
	if err != nil {
		t.Fatal(err)
	}
	slackMsgs := h.slack.take()
	mu.Lock()
	teamsMsgs := len(cards)
	allCards := strings.Join(cards, "\n")
	mu.Unlock()
	mails := mail.Received()
	if len(slackMsgs) == 0 || teamsMsgs == 0 || len(mails) == 0 {
		t.Fatalf("delivered: %d Slack, %d Teams, %d email message(s); want each", len(slackMsgs), teamsMsgs, len(mails))
	}
	if !strings.Contains(allCards, `"contentType":"application/vnd.microsoft.card.adaptive"`) || !strings.Contains(allCards, "Azure Customer Lockbox") {
		t.Errorf("the Teams messages are not the changes' cards:\n%.500s", allCards)
	}
	mailText := string(bytes.Join(mails, nil))
	if !strings.Contains(mailText, "multipart/alternative") || strings.Contains(mailText, "[CHANGED]") {
		t.Errorf("email: want a multipart message of the high-severity changes only:\n%.500s", mailText)
	}
	st := h.state()
	dests := map[string]int{}
	for key := range st.Delivered {
		dest, _, _ := strings.Cut(key, " ")
		dests[dest]++
	}
	if dests["TEST_SLACK_WEBHOOK"] == 0 || dests["teams:TEST_TEAMS"] == 0 || dests["email:compliance@example.com"] == 0 || len(st.Outbox) != 0 {
		t.Errorf("delivered per destination %v, %d pending", dests, len(st.Outbox))
	}
	if dests["email:compliance@example.com"] >= dests["teams:TEST_TEAMS"] {
		t.Errorf("email (high only) got %d changes, Teams (medium) %d", dests["email:compliance@example.com"], dests["teams:TEST_TEAMS"])
	}
	t.Logf("%d new, delivered %v", len(out.New), dests)

	if _, err := h.run(env); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	again := len(cards) - teamsMsgs
	mu.Unlock()
	if len(h.slack.take()) != 0 || again != 0 || len(mail.Received()) != len(mails) {
		t.Error("the second run sent something again")
	}
}
