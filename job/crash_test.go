package job

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"

	"github.com/residiff/residiff/internal/gittest"
	"github.com/residiff/residiff/notifier/slack"
	"github.com/residiff/residiff/state"
)

var (
	buildOnce sync.Once
	binary    string
	buildErr  error
)

// residiffBinary builds cmd/residiff once per test process.
func residiffBinary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "residiff-bin-")
		if err != nil {
			buildErr = err
			return
		}
		binary = filepath.Join(dir, "residiff")
		out, err := exec.Command("go", "build", "-tags", "crashtest", "-o", binary, "../cmd/residiff").CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binary
}

// runKilled runs the crash-test binary with the configuration at cfgPath,
// Slack at slackURL, killing itself at crash ("" never). It returns the
// exit code (minus the signal when killed) and the output.
func runKilled(t *testing.T, bin, cfgPath, slackURL, crash string) (int, string) {
	t.Helper()
	cmd := exec.Command(bin, "run", "--config", cfgPath)
	cmd.Env = append(os.Environ(), "TEST_SLACK_WEBHOOK="+slackURL+"/hook", "RESIDIFF_TEST_CRASH="+crash)
	out, err := cmd.CombinedOutput()
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			return -int(ws.Signal()), string(out)
		}
		return ee.ExitCode(), string(out)
	} else if err != nil {
		t.Fatal(err)
	}
	return 0, string(out)
}

// deliveredIDs lists the change ids in the block_ids of webhook payloads.
func deliveredIDs(t *testing.T, payloads []string) []string {
	t.Helper()
	var ids []string
	for _, p := range payloads {
		var msg struct {
			Blocks []struct {
				BlockID string `json:"block_id"`
			} `json:"blocks"`
		}
		if err := json.Unmarshal([]byte(p), &msg); err != nil {
			t.Fatalf("payload is not JSON: %v", err)
		}
		for _, b := range msg.Blocks {
			if id, ok := strings.CutPrefix(b.BlockID, slack.BlockIDPrefix); ok {
				ids = append(ids, id)
			}
			if group, ok := strings.CutPrefix(b.BlockID, slack.IDsBlockPrefix); ok {
				ids = append(ids, strings.Split(group, ".")...)
			}
		}
	}
	return ids
}

// TestCrashSafety kills the real binary with SIGKILL at each injected point
// of a run, then reruns it: every change is delivered, none twice except
// the one message in flight when the kill came after Slack accepted it, and
// the state file stays valid.
func TestCrashSafety(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and kills the binary")
	}
	bin := residiffBinary(t)
	tests := []struct {
		point string
		// inFlight: the killed run had one message accepted by Slack but
		// not recorded; it may be delivered twice.
		inFlight bool
		// groupAt is slack.group_at: -1 keeps one line per change, so
		// that the changes take several messages.
		groupAt int
		// allSent: every message went out before the kill (deliveries
		// are journaled, the state is saved once after them all).
		allSent bool
	}{
		{point: "after-fetch", groupAt: -1},
		{point: "before-rename:1", groupAt: -1}, // the save that queues the changes
		{point: "after-send:1", inFlight: true, groupAt: -1},
		{point: "before-rename:2", inFlight: true, groupAt: -1, allSent: true}, // the save that folds in the journal
		{point: "after-send:2", inFlight: true, groupAt: -1},
		{point: "after-send:1", inFlight: true}, // grouped lines: many changes per message
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s/group_at=%d", tt.point, tt.groupAt), func(t *testing.T) {
			h := newHarness(t)
			h.up.commit("docs/fundamentals/data-storage-eu.md", "data-storage-eu", "2023-08-17", "2023-08-17")
			h.up.commit("docs/fundamentals/data-storage-eu.md", "data-storage-eu", "2024-02-16", "2024-02-16")
			h.up.push(false)
			cfgPath := filepath.Join(h.dir, "residiff.yaml")
			doc := fmt.Sprintf("repositories: [{url: %s, branch: main}]\nfirst_run: all\nslack: {webhook_url_env: TEST_SLACK_WEBHOOK, min_severity: low, max_attempts: 1, group_at: %d}\n", h.up.url, tt.groupAt)
			if err := os.WriteFile(cfgPath, []byte(doc), 0o644); err != nil {
				t.Fatal(err)
			}
			run := func(crash string) (int, string) { return runKilled(t, bin, cfgPath, h.slack.URL, crash) }

			code, out := run(tt.point)
			if code != -int(syscall.SIGKILL) {
				t.Fatalf("run with %s exited %d, want killed:\n%s", tt.point, code, out)
			}
			killedPayloads := h.slack.take()
			killed := deliveredIDs(t, killedPayloads)
			var inFlight []string // the killed run's last message
			if n := len(killedPayloads); n > 0 {
				inFlight = deliveredIDs(t, killedPayloads[n-1:])
			}
			if code, out := run(""); code != 0 {
				t.Fatalf("rerun exited %d:\n%s", code, out)
			}
			rerun := deliveredIDs(t, h.slack.take())

			st, err := state.Load(h.cfg.State)
			if err != nil {
				t.Fatalf("state after rerun: %v", err)
			}
			if len(st.Outbox) != 0 {
				t.Errorf("%d change(s) still pending", len(st.Outbox))
			}
			count := map[string]int{}
			for _, id := range append(killed, rerun...) {
				count[id]++
			}
			for key := range st.Delivered {
				_, id, _ := strings.Cut(key, " ")
				if count[id] == 0 {
					t.Errorf("change %s recorded as delivered but never sent", id)
				}
			}
			if len(count) != len(st.Delivered) {
				t.Errorf("%d distinct changes sent, %d recorded", len(count), len(st.Delivered))
			}
			twice := 0
			for id, n := range count {
				if n > 1 {
					twice++
					if !slices.Contains(inFlight, id) {
						t.Errorf("change %s delivered twice but was not in the message in flight", id)
					}
				}
			}
			t.Logf("killed run sent %d change(s), rerun %d; %d distinct, %d twice", len(killed), len(rerun), len(count), twice)
			if tt.inFlight && len(killed) == 0 {
				t.Errorf("the run killed at %s had sent nothing: the kill point was not reached", tt.point)
			}
			switch {
			case !tt.inFlight && twice > 0:
				t.Errorf("%d change(s) delivered twice", twice)
			case tt.inFlight && twice > len(inFlight):
				t.Errorf("%d change(s) delivered twice: more than the one message in flight", twice)
			}
			if tt.allSent && (len(rerun) != 0 || len(killed) < 2) {
				t.Errorf("killed at %s: %d change(s) sent before the kill, %d by the rerun; want all before (the journal, not a save per message)", tt.point, len(killed), len(rerun))
			}
			if !tt.inFlight && len(killed) != 0 {
				t.Errorf("the killed run delivered %d change(s) before %s", len(killed), tt.point)
			}

			// A third run has nothing to do.
			if code, out := run(""); code != 0 || len(h.slack.take()) != 0 {
				t.Errorf("third run: exit %d, sent again:\n%s", code, out)
			}
		})
	}
}

// TestReleaseBinaryHasNoCrashHook builds residiff as released (without the
// crashtest tag) and checks the kill switch is not in it, while the
// crash-test build has it.
func TestReleaseBinaryHasNoCrashHook(t *testing.T) {
	release := filepath.Join(t.TempDir(), "residiff")
	if out, err := exec.Command("go", "build", "-o", release, "../cmd/residiff").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	for _, tc := range []struct {
		binary string
		want   bool
	}{{release, false}, {residiffBinary(t), true}} {
		data, err := os.ReadFile(tc.binary)
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.Contains(string(data), "RESIDIFF_TEST_CRASH"); got != tc.want {
			t.Errorf("%s holds the crash switch: %v, want %v", tc.binary, got, tc.want)
		}
	}
}

// TestCommitToCrash kills the binary at points of a run with commit_to —
// while it delivers, and between the state save and the run's commit —
// then reruns it on a fresh machine (no state file, no backup, no
// journal: a CI runner whose disk did not survive): the state restored
// from the branch is never older than what the killed run delivered, so
// the rerun sends again at most the one message in flight, loses nothing,
// and folds the checkpoints into one commit.
func TestCommitToCrash(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and kills the binary")
	}
	bin := residiffBinary(t)
	for _, point := range []string{"after-send:2", "after-send:3", "before-commit"} {
		t.Run(point, func(t *testing.T) {
			h := newHarness(t)
			gittest.Git(t, h.dir, "init", "-q", "-b", "main")
			gittest.Git(t, h.dir, "commit", "-q", "--allow-empty", "-m", "watch")
			h.up.commit("docs/fundamentals/data-storage-eu.md", "data-storage-eu", "2023-08-17", "2023-08-17")
			h.up.commit("docs/fundamentals/data-storage-eu.md", "data-storage-eu", "2024-02-16", "2024-02-16")
			h.up.push(false)
			cfgPath := filepath.Join(h.dir, "residiff.yaml")
			doc := fmt.Sprintf("repositories: [{url: %s, branch: main}]\nfirst_run: all\ncommit_to: residiff-state\nslack: {webhook_url_env: TEST_SLACK_WEBHOOK, min_severity: low, max_attempts: 1, group_at: -1}\n", h.up.url)
			if err := os.WriteFile(cfgPath, []byte(doc), 0o644); err != nil {
				t.Fatal(err)
			}
			run := func(crash string) (int, string) { return runKilled(t, bin, cfgPath, h.slack.URL, crash) }
			if code, out := run(point); code != -int(syscall.SIGKILL) {
				t.Fatalf("run killed at %s exited %d:\n%s", point, code, out)
			}
			killedPayloads := h.slack.take()
			killed := deliveredIDs(t, killedPayloads)
			if len(killedPayloads) < 2 {
				t.Fatalf("the killed run delivered %d message(s), want several", len(killedPayloads))
			}
			for _, p := range []string{h.cfg.State, h.cfg.State + ".bak", state.JournalPath(h.cfg.State)} {
				if err := os.Remove(p); err != nil && !os.IsNotExist(err) {
					t.Fatal(err)
				}
			}
			if code, out := run(""); code != 0 {
				t.Fatalf("rerun exited %d:\n%s", code, out)
			}
			againPayloads := h.slack.take()
			again := deliveredIDs(t, againPayloads)
			inFlight := map[string]bool{}
			if point != "before-commit" {
				for _, id := range deliveredIDs(t, killedPayloads[len(killedPayloads)-1:]) {
					inFlight[id] = true
				}
			}
			sentBefore := map[string]bool{}
			for _, id := range killed {
				sentBefore[id] = true
			}
			for _, id := range again {
				if sentBefore[id] && !inFlight[id] {
					t.Errorf("the rerun sent %s again, which the killed run had delivered and recorded", id)
				}
			}
			st, err := state.Load(h.cfg.State)
			if err != nil || len(st.Outbox) != 0 {
				t.Fatalf("state: %v, %v pending", err, st)
			}
			for _, id := range append(killed, again...) {
				if _, ok := st.Delivered[state.Key("TEST_SLACK_WEBHOOK", id)]; !ok {
					t.Errorf("%s was sent but is not recorded", id)
				}
			}
			if tree := gittest.Git(t, h.dir, "ls-tree", "--name-only", "residiff-state"); !strings.Contains(tree, "residiff-state.json") || strings.Contains(tree, ".journal") {
				t.Errorf("the branch's tree %q: want the state, the journal folded in", tree)
			}
			t.Logf("killed run: %d message(s); rerun: %d message(s)", len(killedPayloads), len(againPayloads))
		})
	}
}
