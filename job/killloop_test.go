package job

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/residiff/residiff/internal/gittest"
	"github.com/residiff/residiff/internal/slacktest"
	"github.com/residiff/residiff/state"
)

// killLoopSeed fixes the kill loop's schedule; RESIDIFF_KILL_SEED
// explores others.
const killLoopSeed = 23

// killSeed is the seed of a kill test's schedule: def, or
// RESIDIFF_KILL_SEED when set, printed with the test's failure so that
// the schedule can be run again.
func killSeed(t *testing.T, def uint64) uint64 {
	t.Helper()
	seed := def
	if v := os.Getenv("RESIDIFF_KILL_SEED"); v != "" {
		s, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			t.Fatalf("RESIDIFF_KILL_SEED %q: %v", v, err)
		}
		seed = s
	}
	t.Logf("seed %d", seed)
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("failed with seed %d: RESIDIFF_KILL_SEED=%d go test -run '^%s$' ./job runs this schedule again", seed, seed, t.Name())
		}
	})
	return seed
}

// killPhases are where the kill loop kills the binary: inside the fetch
// (the proxy cuts the pack answer), in the history walk, in extraction,
// after a message was sent and before it was recorded, before the state
// file's rename, and before the state branch's commit.
var killPhases = []string{"fetch", "walk", "extract", "after-send", "before-rename", "before-commit"}

// webhookIDs lists the change ids of one generic-webhook payload.
func webhookIDs(t *testing.T, payload string) []string {
	t.Helper()
	var p struct {
		Changes []struct {
			Change struct {
				ID string `json:"id"`
			} `json:"change"`
		} `json:"changes"`
	}
	if err := json.Unmarshal([]byte(payload), &p); err != nil {
		t.Fatalf("webhook payload is not JSON: %v", err)
	}
	var ids []string
	for _, c := range p.Changes {
		ids = append(ids, c.Change.ID)
	}
	return ids
}

// TestKillLoop SIGKILLs the built binary at least 20 times at moments a
// seeded random schedule picks across the fetch, the walk, extraction,
// delivery, the state save and the state branch's commit, while the
// upstream moves on, with two destinations: a Slack bot (the
// internal/slacktest channel) and a generic webhook. After a last clean
// run, every change a cold run finds has reached both; none is twice in
// the bot's channel; a change the webhook got twice was in a killed run's
// last webhook message (the one in flight); nothing is pending.
func TestKillLoop(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and kills the binary")
	}
	bin := residiffBinary(t)
	rng := rand.New(rand.NewPCG(killSeed(t, killLoopSeed), 0))

	h := newHarness(t)
	gittest.Git(t, h.dir, "init", "-q", "-b", "main")
	gittest.Git(t, h.dir, "commit", "-q", "--allow-empty", "-m", "watch")
	api := slacktest.Start(t, slacktest.Options{})
	proxy := newKillProxy(t, strings.TrimSuffix(h.up.url, "/docs.git"))
	url := proxy.URL + "/docs.git"
	config := func(apiURL string, commitTo bool) string {
		doc := fmt.Sprintf("repositories: [{url: %s, branch: main}]\nfirst_run: all\n", url)
		if commitTo {
			doc += "commit_to: residiff-state\n"
		}
		return doc + fmt.Sprintf("slack: {token_env: TEST_SLACK_TOKEN, channel: \"#residency\", api_url: %s/api/, min_severity: low, max_attempts: 1}\n", apiURL) +
			"webhook: {url_env: TEST_HOOK_URL, min_severity: low, max_attempts: 1}\n"
	}
	cfgPath := filepath.Join(h.dir, "residiff.yaml")
	if err := os.WriteFile(cfgPath, []byte(config(api.URL, true)), 0o644); err != nil {
		t.Fatal(err)
	}
	env := []string{"TEST_SLACK_TOKEN=xoxb-SECRET-TOKEN", "TEST_HOOK_URL=" + h.slack.URL + "/hook"}

	var hooks [][]string // each webhook message's ids, in order
	var inFlight []string
	run := func(cfg, crash string) (int, bool, string) {
		t.Helper()
		cmd := exec.Command(bin, "run", "--config", cfg)
		cmd.Env = append(append(os.Environ(), env...), "RESIDIFF_TEST_CRASH="+crash)
		code, fired, out := proxy.start(t, cmd)
		payloads := h.slack.take()
		for _, p := range payloads {
			hooks = append(hooks, webhookIDs(t, p))
		}
		if code == -int(syscall.SIGKILL) && len(payloads) > 0 {
			inFlight = append(inFlight, hooks[len(hooks)-1]...)
		}
		return code, fired, out
	}

	// Two versions of the page a few changes apart: each push makes
	// changes to deliver, without a long queue of paced messages.
	versions := []string{"2023-08-17", "2023-08-17.2"}
	pushes := 0
	push := func() {
		h.up.commit("docs/fundamentals/data-storage-eu.md", "data-storage-eu", versions[pushes%2], fmt.Sprintf("2024-%02d-%02d", 1+pushes/28, 1+pushes%28))
		h.up.push(false)
		pushes++
	}
	kills := map[string]int{}
	total, runs := 0, 0
	for round := 0; total < 24 && round < 40; round++ {
		push()
		// One to three runs killed at random, then (every other round)
		// a clean one; a point the run never reaches lets it finish.
		for k := 0; k < 1+rng.IntN(3); k++ {
			phase := killPhases[rng.IntN(len(killPhases))]
			crash := ""
			proxy.arm(0, 0, 0)
			switch phase {
			case "fetch":
				if k > 0 {
					push() // the run before fetched the last push
				}
				cut := rng.IntN(400)
				if rng.IntN(4) == 0 {
					cut = 1 << 30 // after the whole answer, while it is stored
				}
				proxy.arm(1, cut, time.Duration(rng.IntN(10))*time.Millisecond)
			case "walk":
				crash = "walk:1" // a run walks the few new commits
			case "after-send":
				crash = fmt.Sprintf("%s:%d", phase, 1+rng.IntN(3))
			default:
				crash = fmt.Sprintf("%s:%d", phase, 1+rng.IntN(2))
			}
			code, fired, out := run(cfgPath, crash)
			runs++
			switch {
			case code == -int(syscall.SIGKILL):
				kills[phase]++
				total++
			case code == 0 && !fired:
				// The point was not reached (nothing to fetch, fewer
				// messages than n): the run finished.
			default:
				t.Fatalf("round %d, run killed at %s %s: exit %d, fired %v:\n%s", round, phase, crash, code, fired, out)
			}
			t.Logf("round %d: %s %s: exit %d", round, phase, crash, code)
		}
		if round%2 == 1 {
			proxy.arm(0, 0, 0)
			if code, _, out := run(cfgPath, ""); code != 0 {
				t.Fatalf("round %d, clean run exited %d:\n%s", round, code, out)
			}
			runs++
		}
	}
	proxy.arm(0, 0, 0)
	if code, _, out := run(cfgPath, ""); code != 0 {
		t.Fatalf("the run after the kills exited %d:\n%s", code, out)
	}
	t.Logf("%d kills in %d runs: %v", total, runs+1, kills)
	if total < 20 {
		t.Errorf("only %d kills, want at least 20", total)
	}
	for _, phase := range killPhases {
		if kills[phase] == 0 {
			t.Errorf("no run was killed at %s", phase)
		}
	}
	st, err := state.Load(h.cfg.State)
	if err != nil {
		t.Fatalf("state after the kills: %v", err)
	}
	if len(st.Outbox) != 0 {
		t.Errorf("%d change(s) still pending", len(st.Outbox))
	}

	// What a cold run over the final upstream finds, into a channel of
	// its own (a bot reading the watched channel would skip it all).
	coldAPI := slacktest.Start(t, slacktest.Options{})
	coldDir := t.TempDir()
	coldCfg := filepath.Join(coldDir, "residiff.yaml")
	if err := os.WriteFile(coldCfg, []byte(config(coldAPI.URL, false)), 0o644); err != nil {
		t.Fatal(err)
	}
	hooksBefore := len(hooks)
	if code, _, out := run(coldCfg, ""); code != 0 {
		t.Fatalf("cold run exited %d:\n%s", code, out)
	}
	cold := map[string]bool{}
	for _, msg := range hooks[hooksBefore:] {
		for _, id := range msg {
			cold[id] = true
		}
	}
	hooks = hooks[:hooksBefore]
	if len(cold) == 0 {
		t.Fatal("the cold run found nothing: the test proves nothing")
	}

	bot := map[string]int{}
	for _, m := range api.Posts() {
		changeIDs(t, m.Blocks, bot)
	}
	hook := map[string]int{}
	for _, msg := range hooks {
		for _, id := range msg {
			hook[id]++
		}
	}
	for id := range cold {
		if bot[id] == 0 {
			t.Errorf("change %s never reached the bot's channel", id)
		}
		if hook[id] == 0 {
			t.Errorf("change %s never reached the webhook", id)
		}
	}
	for id, n := range bot {
		if n > 1 {
			t.Errorf("change %s is %d times in the bot's channel", id, n)
		}
	}
	twice := 0
	for id, n := range hook {
		if n > 1 {
			twice++
			if !slices.Contains(inFlight, id) {
				t.Errorf("change %s reached the webhook %d times, not in a killed run's message in flight", id, n)
			}
		}
	}
	t.Logf("a cold run finds %d changes; the bot's channel holds %d, the webhook got %d (%d twice, in flight)", len(cold), len(bot), len(hook), twice)
}
