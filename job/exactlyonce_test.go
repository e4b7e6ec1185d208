package job

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/mail"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/residiff/residiff/internal/slacktest"
	"github.com/residiff/residiff/internal/smtptest"
	"github.com/residiff/residiff/notifier/slack"
	"github.com/residiff/residiff/state"
)

// runBinary runs the built residiff with args and extra environment; it
// returns the exit code, stdout and stderr.
func runBinary(t *testing.T, bin string, env []string, args ...string) (int, string, string) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), env...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	if ee, ok := err.(*exec.ExitError); ok {
		return ee.ExitCode(), stdout.String(), stderr.String()
	} else if err != nil {
		t.Fatal(err)
	}
	return 0, stdout.String(), stderr.String()
}

// changeIDs counts the change ids in a Slack message's blocks.
func changeIDs(t *testing.T, blocks json.RawMessage, count map[string]int) {
	t.Helper()
	if len(blocks) == 0 {
		return
	}
	var bs []struct {
		BlockID string `json:"block_id"`
	}
	if err := json.Unmarshal(blocks, &bs); err != nil {
		t.Fatalf("blocks are not JSON: %v", err)
	}
	for _, b := range bs {
		if id, ok := strings.CutPrefix(b.BlockID, slack.BlockIDPrefix); ok {
			count[id]++
		}
		if group, ok := strings.CutPrefix(b.BlockID, slack.IDsBlockPrefix); ok {
			for _, id := range strings.Split(group, ".") {
				count[id]++
			}
		}
	}
}

// TestBotDroppedPostThroughBinary: the Slack API stand-in records a bot
// post carrying changes and drops the connection before answering. The
// built binary reads the channel back instead of posting again: after the
// run, and after a second one, the channel holds exactly one copy of
// every change, the state has nothing pending, and both runs exit 0.
func TestBotDroppedPostThroughBinary(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	bin := residiffBinary(t)
	api := slacktest.Start(t, slacktest.Options{Drop: slacktest.DropRecord, DropBlocks: slack.BlockIDPrefix})
	h := newHarness(t)
	h.up.commit("docs/fundamentals/data-storage-eu.md", "data-storage-eu", "2023-08-17", "2023-08-17")
	h.up.commit("docs/fundamentals/data-storage-eu.md", "data-storage-eu", "2024-02-16", "2024-02-16")
	h.up.push(false)
	cfgPath := filepath.Join(h.dir, "residiff.yaml")
	doc := fmt.Sprintf("repositories: [{url: %s, branch: main}]\nfirst_run: all\nslack: {token_env: TEST_SLACK_TOKEN, channel: \"#residency\", api_url: %s/api/, min_severity: low, max_attempts: 3, group_at: -1}\n", h.up.url, api.URL)
	if err := os.WriteFile(cfgPath, []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	env := []string{"TEST_SLACK_TOKEN=xoxb-SECRET-TOKEN"}
	var delivered int
	for run := 1; run <= 2; run++ {
		code, stdout, stderr := runBinary(t, bin, env, "run", "--config", cfgPath)
		if code != 0 {
			t.Fatalf("run %d exited %d:\n%s%s", run, code, stdout, stderr)
		}
		if strings.Contains(stdout+stderr, "SECRET") {
			t.Errorf("run %d printed the token:\n%s%s", run, stdout, stderr)
		}
		count := map[string]int{}
		for _, m := range api.Posts() {
			changeIDs(t, m.Blocks, count)
		}
		for id, n := range count {
			if n != 1 {
				t.Errorf("after run %d, change %s is in the channel %d times", run, id, n)
			}
		}
		st, err := state.Load(h.cfg.State)
		if err != nil {
			t.Fatal(err)
		}
		if len(st.Outbox) != 0 {
			t.Errorf("after run %d, %d change(s) pending", run, len(st.Outbox))
		}
		for key := range st.Delivered {
			if _, id, _ := strings.Cut(key, " "); count[id] != 1 {
				t.Errorf("after run %d, %s recorded as delivered, in the channel %d times", run, id, count[id])
			}
		}
		if run == 1 {
			delivered = len(count)
			if delivered < 2 || !api.Dropped() {
				t.Fatalf("run 1 put %d change(s) in the channel, dropped a post: %v; want several and a drop", delivered, api.Dropped())
			}
		} else if len(count) != delivered {
			t.Errorf("run 2 changed the channel's changes from %d to %d", delivered, len(count))
		}
	}
}

// TestEmailDropAfterDataThroughBinary: an SMTP relay (internal/smtptest)
// keeps the message and drops the connection after its final ".". The
// built binary does not retry: across two runs the relay holds exactly
// one copy; the changes are recorded as delivered with an unknown outcome
// (state show says so); the run warns on stderr and exits 0 (the
// delivery is recorded, not pending).
func TestEmailDropAfterDataThroughBinary(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	bin := residiffBinary(t)
	relay := smtptest.Start(t, smtptest.Options{DropAfterData: 1})
	h := newHarness(t)
	h.up.commit("docs/fundamentals/data-storage-eu.md", "data-storage-eu", "2023-08-17", "2023-08-17")
	h.up.commit("docs/fundamentals/data-storage-eu.md", "data-storage-eu", "2024-02-16", "2024-02-16")
	h.up.push(false)
	cfgPath := filepath.Join(h.dir, "residiff.yaml")
	doc := fmt.Sprintf("repositories: [{url: %s, branch: main}]\nfirst_run: all\nemail: {host: %s, port: %d, from: %s, to: [audit@example.com], password_env: TEST_SMTP_PASSWORD, tls_ca_file: %s, min_severity: low, max_attempts: 3}\n",
		h.up.url, relay.Host, relay.Port, relay.User, relay.CAFile)
	if err := os.WriteFile(cfgPath, []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	env := []string{"TEST_SMTP_PASSWORD=" + relay.Password}
	code, stdout, stderr := runBinary(t, bin, env, "run", "--config", cfgPath)
	if code != 0 {
		t.Fatalf("run 1 exited %d, want 0:\n%s%s", code, stdout, stderr)
	}
	if !strings.Contains(stderr, "may or may not have been delivered; not sent again") {
		t.Errorf("run 1 did not warn of the unknown outcome:\n%s", stderr)
	}
	if strings.Contains(stdout+stderr, relay.Password) {
		t.Errorf("run 1 printed the SMTP password")
	}
	if relay.Dropped() != 1 || len(relay.Received()) != 1 {
		t.Fatalf("relay: %d dropped, %d received; want the one message, dropped", relay.Dropped(), len(relay.Received()))
	}
	msg, err := mail.ReadMessage(bytes.NewReader(relay.Received()[0]))
	if err != nil {
		t.Fatal(err)
	}
	st, err := state.Load(h.cfg.State)
	if err != nil {
		t.Fatal(err)
	}
	if len(st.Uncertain) == 0 || len(st.Outbox) != 0 || len(st.Uncertain) != len(st.Delivered) {
		t.Errorf("state: %d uncertain, %d delivered, %d pending; want every change delivered with an unknown outcome", len(st.Uncertain), len(st.Delivered), len(st.Outbox))
	}
	if code, out, errOut := runBinary(t, bin, env, "state", "show", "--config", cfgPath); code != 0 || !strings.Contains(out, fmt.Sprintf("delivered with an unknown outcome (never sent again): %d", len(st.Uncertain))) {
		t.Errorf("state show: exit %d:\n%s%s", code, out, errOut)
	}

	code, stdout, stderr = runBinary(t, bin, env, "run", "--config", cfgPath)
	if code != 0 {
		t.Fatalf("run 2 exited %d:\n%s%s", code, stdout, stderr)
	}
	if n := len(relay.Received()); n != 1 {
		t.Errorf("the relay holds %d copies after two runs, want 1", n)
	}
	if id := msg.Header.Get("Message-Id"); id == "" {
		t.Error("the message has no Message-ID")
	}
}
