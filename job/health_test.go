package job

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/residiff/residiff/internal/gittest"
)

// TestFailureStreak: an upstream unreachable for three runs tells the
// destination once ("cannot reach the upstream since …; last good run
// …"), records the streak in the state, pings ping_url/fail each time and
// prints no report; the run after it recovers says so once, pings
// ping_url, and the next runs say nothing more. Each error is printed
// once.
func TestFailureStreak(t *testing.T) {
	h := newHarness(t)
	h.cfg.Heartbeat = "off"
	gittest.Git(t, h.dir, "init", "-q", "-b", "main")
	gittest.Git(t, h.dir, "commit", "-q", "--allow-empty", "-m", "watch")
	h.cfg.CommitTo = "residiff-state"
	var mu sync.Mutex
	var pings []string
	ping := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		pings = append(pings, r.URL.Path)
		mu.Unlock()
	}))
	defer ping.Close()
	h.cfg.PingURL = ping.URL + "/ping/uuid-1234"
	h.up.commit("docs/fundamentals/data-storage-japan.md", "data-storage-japan", "2024-01-03", "2024-01-03")
	h.up.push(false)
	clock := time.Date(2026, 12, 1, 6, 0, 0, 0, time.UTC)
	at := func(o *Options) { o.Now = func() time.Time { return clock } }
	if _, err := h.run(at); err != nil {
		t.Fatal(err)
	}
	h.slack.take()
	good := h.cfg.Repositories[0].URL
	h.cfg.Repositories[0].URL = "http://127.0.0.1:1/docs.git"
	for i := 0; i < 3; i++ {
		clock = clock.Add(time.Hour)
		var out, log bytes.Buffer
		_, err := h.run(at, func(o *Options) { o.Out, o.Log = &out, &log })
		if err == nil {
			t.Fatalf("run %d: no error with the upstream unreachable", i+1)
		}
		if out.Len() != 0 {
			t.Errorf("run %d printed %q on stdout", i+1, out.String())
		}
		if strings.Contains(log.String(), "127.0.0.1:1") {
			t.Errorf("run %d logged the error besides returning it:\n%s", i+1, log.String())
		}
	}
	msgs := h.slack.take()
	if len(msgs) != 1 || !strings.Contains(msgs[0], "cannot reach the upstream since 2026-12-01 07:00 UTC") || !strings.Contains(msgs[0], "last good run 2026-12-01 06:00 UTC") {
		t.Fatalf("failure messages %q: want one naming the streak and the last good run", msgs)
	}
	onBranch := gittest.Git(t, h.dir, "show", "residiff-state:residiff-state.json")
	if !strings.Contains(onBranch, `"failing_since": "2026-12-01T07:00:00Z"`) || !strings.Contains(onBranch, `"failures": 3`) {
		t.Errorf("the state branch does not record the streak:\n%.600s", onBranch)
	}
	if subject := gittest.Git(t, h.dir, "log", "-1", "--format=%s", "residiff-state"); !strings.Contains(subject, "failed run 3 since") {
		t.Errorf("the branch's last commit says %q", subject)
	}
	hl := h.state().Health
	if hl.Failures != 3 || !hl.Told || hl.LastError == "" || !hl.FailingSince.Equal(time.Date(2026, 12, 1, 7, 0, 0, 0, time.UTC)) {
		t.Errorf("health in the state %+v", hl)
	}
	h.cfg.Repositories[0].URL = good
	for i := 0; i < 2; i++ {
		clock = clock.Add(time.Hour)
		if _, err := h.run(at); err != nil {
			t.Fatal(err)
		}
	}
	msgs = h.slack.take()
	if len(msgs) != 1 || !strings.Contains(msgs[0], "reaches the upstream again") || !strings.Contains(msgs[0], "failed 3 run(s)") {
		t.Fatalf("recovery messages %q: want one", msgs)
	}
	if hl := h.state().Health; !hl.FailingSince.IsZero() || hl.Told || !hl.LastSuccess.Equal(clock) {
		t.Errorf("health after recovery %+v", hl)
	}
	mu.Lock()
	defer mu.Unlock()
	if got := strings.Join(pings, " "); got != "/ping/uuid-1234 /ping/uuid-1234/fail /ping/uuid-1234/fail /ping/uuid-1234/fail /ping/uuid-1234 /ping/uuid-1234" {
		t.Errorf("pings %s", got)
	}
}

// TestFailedRunStillPrintsWhatItFound: without a notifier, a run where one
// repository is unreachable prints the other's new changes (they are
// processed, and would otherwise never be shown) and no "No new
// revisions" line; with nothing found it prints nothing.
func TestFailedRunStillPrintsWhatItFound(t *testing.T) {
	h := newHarness(t)
	h.cfg.Notifiers = nil
	h.cfg.Outputs = nil
	good := h.cfg.Repositories[0]
	bad := good
	bad.Name, bad.URL = "gone", "http://127.0.0.1:1/gone.git"
	h.cfg.Repositories = append(h.cfg.Repositories, bad)
	h.up.commit("docs/fundamentals/data-storage-eu.md", "data-storage-eu", "2023-08-17", "2023-08-17")
	h.up.push(false)
	var out bytes.Buffer
	if _, err := h.run(func(o *Options) { o.Out = &out }); err == nil || !strings.Contains(err.Error(), "gone") {
		t.Fatalf("err = %v, want the unreachable repository's", err)
	}
	if !strings.Contains(out.String(), "Azure Customer Lockbox") || strings.Contains(out.String(), "No new revisions") {
		t.Errorf("stdout of the half-failed run:\n%.400s", out.String())
	}
	out.Reset()
	if _, err := h.run(func(o *Options) { o.Out = &out }); err == nil {
		t.Fatal("no error")
	}
	if out.Len() != 0 {
		t.Errorf("a failed run with nothing new printed %q", out.String())
	}
}
