package job

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/residiff/residiff/config"
	"github.com/residiff/residiff/history"
)

// killProxy stands between residiff and the upstream's smart-HTTP server
// and SIGKILLs the residiff process in the middle of a fetch: on the
// n-th upload-pack request of a run, after cut bytes of the answer (or,
// when the answer is shorter, a moment after all of it, while go-git
// writes the pack, its index and the references).
type killProxy struct {
	*httptest.Server
	mu    sync.Mutex
	proc  *os.Process
	nth   int // the upload-pack request to cut; 0 never
	cut   int
	delay time.Duration
	seen  int
	fired bool
}

func newKillProxy(t *testing.T, upstream string) *killProxy {
	p := &killProxy{}
	p.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		req, err := http.NewRequest(r.Method, upstream+r.URL.String(), r.Body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		req.Header = r.Header.Clone()
		req.ContentLength = r.ContentLength
		resp, err := http.DefaultTransport.RoundTrip(req)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		defer func() { _ = resp.Body.Close() }()
		for k, v := range resp.Header {
			w.Header()[k] = v
		}
		w.WriteHeader(resp.StatusCode)
		p.mu.Lock()
		cut := -1
		if strings.HasSuffix(r.URL.Path, "/git-upload-pack") {
			p.seen++
			if p.seen == p.nth {
				cut = p.cut
			}
		}
		p.mu.Unlock()
		if cut < 0 {
			_, _ = io.Copy(w, resp.Body)
			return
		}
		n, _ := io.CopyN(w, resp.Body, int64(cut))
		w.(http.Flusher).Flush()
		if n < int64(cut) {
			time.Sleep(p.delay) // the whole answer is out: kill while it is stored
		} else {
			time.Sleep(20 * time.Millisecond) // let residiff read what it got
		}
		p.kill()
	}))
	t.Cleanup(p.Close)
	return p
}

func (p *killProxy) kill() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.proc != nil {
		_ = p.proc.Signal(syscall.SIGKILL)
		p.fired = true
	}
}

// arm makes the next run be killed on its nth upload-pack request after
// cut bytes (nth 0: not killed).
func (p *killProxy) arm(nth, cut int, delay time.Duration) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.nth, p.cut, p.delay, p.seen, p.fired = nth, cut, delay, 0, false
}

// runThrough runs the binary with the configuration at cfgPath, letting
// the proxy kill it; it returns the exit code (minus the signal when
// killed), whether the proxy fired, and the output.
func (p *killProxy) runThrough(t *testing.T, bin, cfgPath, slackURL string) (int, bool, string) {
	t.Helper()
	cmd := exec.Command(bin, "run", "--config", cfgPath)
	cmd.Env = append(os.Environ(), "TEST_SLACK_WEBHOOK="+slackURL+"/hook")
	return p.start(t, cmd)
}

// start runs cmd (its output combined), letting the proxy kill it; it
// returns the exit code (minus the signal when killed), whether the proxy
// fired, and the output.
func (p *killProxy) start(t *testing.T, cmd *exec.Cmd) (int, bool, string) {
	t.Helper()
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p.mu.Lock()
	p.proc = cmd.Process
	p.mu.Unlock()
	err := cmd.Wait()
	p.mu.Lock()
	p.proc = nil
	fired := p.fired
	p.mu.Unlock()
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			return -int(ws.Signal()), fired, out.String()
		}
		return ee.ExitCode(), fired, out.String()
	} else if err != nil {
		t.Fatal(err)
	}
	return 0, fired, out.String()
}

// fetchKillSeed fixes TestKillDuringFetch's schedule (it was the clock's:
// a failure could not be run again); RESIDIFF_KILL_SEED explores others.
const fetchKillSeed = 7

// TestKillDuringFetch SIGKILLs the binary at random moments of its fetch
// (mid-pack, and just after the whole pack arrived, while go-git stores
// it and moves the branch) across upstream pushes, then runs it once
// more: the run heals whatever the kills left in the clone cache, exits
// 0, and everything a cold run finds has been delivered, nothing twice
// beyond the one message in flight.
func TestKillDuringFetch(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and kills the binary")
	}
	bin := residiffBinary(t)
	rng := rand.New(rand.NewPCG(killSeed(t, fetchKillSeed), 0))

	h := newHarness(t)
	proxy := newKillProxy(t, strings.TrimSuffix(h.up.url, "/docs.git"))
	url := proxy.URL + "/docs.git"
	cfgPath := filepath.Join(h.dir, "residiff.yaml")
	doc := fmt.Sprintf("repositories: [{url: %s, branch: main}]\nfirst_run: all\nslack: {webhook_url_env: TEST_SLACK_WEBHOOK, min_severity: low, max_attempts: 1, group_at: -1}\n", url)
	if err := os.WriteFile(cfgPath, []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	versions := []struct{ page, version string }{
		{"data-storage-eu", "2023-08-17"}, {"data-storage-eu", "2024-02-16"},
		{"data-storage-eu", "2023-08-17"}, {"data-storage-eu", "2024-02-16"},
	}
	h.up.commit("docs/fundamentals/data-storage-eu.md", versions[0].page, versions[0].version, "2023-08-17")
	h.up.push(false)
	proxy.arm(0, 0, 0)
	if code, _, out := proxy.runThrough(t, bin, cfgPath, h.slack.URL); code != 0 {
		t.Fatalf("first run exited %d:\n%s", code, out)
	}
	var sent [][]string // the ids of each message, in order
	var lastOfKilled []string
	take := func(killed bool) {
		payloads := h.slack.take()
		for _, p := range payloads {
			sent = append(sent, deliveredIDs(t, []string{p}))
		}
		if killed && len(payloads) > 0 {
			lastOfKilled = append(lastOfKilled, deliveredIDs(t, payloads[len(payloads)-1:])...)
		}
	}
	take(false)

	kills := 0
	for i := 1; i < len(versions); i++ {
		h.up.commit("docs/fundamentals/data-storage-eu.md", versions[i].page, versions[i].version, fmt.Sprintf("2024-0%d-01", i))
		h.up.push(false)
		for k := 0; k < 4; k++ {
			// Three kills inside the answer (a fetch of one commit is a
			// few hundred bytes), then one after the whole of it, while
			// go-git stores the pack and moves the branch.
			cut := rng.IntN(300)
			if k == 3 {
				cut = 1 << 30
			}
			delay := time.Duration(rng.IntN(10)) * time.Millisecond
			nth := 1 // the fetch (a full clone's; blob-less clones fetch page versions next)
			proxy.arm(nth, cut, delay)
			code, fired, out := proxy.runThrough(t, bin, cfgPath, h.slack.URL)
			take(fired)
			t.Logf("version %d, run %d: cut %d, delay %s: exit %d, killed %v", i, k, cut, delay, code, fired)
			switch {
			case fired && code == -int(syscall.SIGKILL):
				kills++
			case !fired && code == 0:
				// A kill after the references moved leaves nothing to
				// fetch: this run had no pack to be killed in.
			default:
				t.Fatalf("run (kill on request %d after %d bytes) exited %d, fired %v:\n%s", nth, cut, code, fired, out)
			}
		}
		// What a kill inside go-git's own in-place reference write left
		// (1 of 72 kills in issue 23; residiff now writes references by
		// rename): an empty refs/heads/main. The next run must heal it.
		if i == 2 {
			cfg, err := config.Parse(strings.NewReader(doc), h.dir)
			if err != nil {
				t.Fatal(err)
			}
			ref := filepath.Join(history.CacheDir(cfg.CacheDir, url), "refs", "heads", "main")
			if err := os.WriteFile(ref, nil, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	if kills < 9 {
		t.Errorf("only %d runs were killed during a fetch", kills)
	}
	proxy.arm(0, 0, 0)
	code, _, out := proxy.runThrough(t, bin, cfgPath, h.slack.URL)
	if code != 0 {
		t.Fatalf("the run after the kills exited %d:\n%s", code, out)
	}
	if strings.Contains(out, "unreachable") {
		t.Errorf("the run after the kills blamed the remote:\n%s", out)
	}
	take(false)

	// What a cold run over the final upstream delivers.
	coldDir := t.TempDir()
	coldCfg := filepath.Join(coldDir, "residiff.yaml")
	if err := os.WriteFile(coldCfg, []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, out := proxy.runThrough(t, bin, coldCfg, h.slack.URL); code != 0 {
		t.Fatalf("cold run exited %d:\n%s", code, out)
	}
	var cold []string
	for _, p := range h.slack.take() {
		cold = append(cold, deliveredIDs(t, []string{p})...)
	}
	count := map[string]int{}
	for _, msg := range sent {
		for _, id := range msg {
			count[id]++
		}
	}
	for _, id := range cold {
		if count[id] == 0 {
			t.Errorf("change %s (found by a cold run) was never delivered", id)
		}
	}
	for id, n := range count {
		if n > 1 && !slices.Contains(lastOfKilled, id) {
			t.Errorf("change %s delivered %d times, not in a killed run's message in flight", id, n)
		}
	}
	sort.Strings(cold)
	t.Logf("%d kills during fetches; %d changes delivered, a cold run finds %d", kills, len(count), len(cold))
	if len(cold) == 0 {
		t.Error("the cold run found nothing: the test proves nothing")
	}
}
