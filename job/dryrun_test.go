package job

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/residiff/residiff/notifier"
	"github.com/residiff/residiff/state"
)

// TestDryRunFetches: after an upstream commit a dry run fetches and shows
// the message the next run sends (the same changes), without moving the
// state or sending anything; the real run then sends exactly those. With
// nothing new and the watch silent past its period, the dry run shows the
// heartbeat every destination would get.
func TestDryRunFetches(t *testing.T) {
	h := newHarness(t)
	h.cfg.FirstRun = "all"
	h.up.commit("docs/fundamentals/data-storage-eu.md", "data-storage-eu", "2023-08-17", "2023-08-17")
	h.up.push(false)
	if _, err := h.run(); err != nil {
		t.Fatal(err)
	}
	h.slack.take()
	before := h.state().Repositories["docs"].Processed

	h.up.commit("docs/fundamentals/data-storage-eu.md", "data-storage-eu", "2024-02-16", "2024-02-16")
	h.up.push(false)
	var out bytes.Buffer
	if _, err := h.run(func(o *Options) { o.DryRun, o.Out = true, &out }); err != nil {
		t.Fatal(err)
	}
	var previews []notifier.Preview
	if err := json.Unmarshal(out.Bytes(), &previews); err != nil {
		t.Fatalf("dry run output is not the previews: %v\n%s", err, out.String())
	}
	var shown []string
	for _, p := range previews {
		shown = append(shown, p.Changes...)
	}
	if len(shown) == 0 || !strings.Contains(out.String(), "list moved to another page") {
		t.Fatalf("the dry run after an upstream commit shows nothing new:\n%.600s", out.String())
	}
	if len(h.slack.take()) != 0 || h.state().Repositories["docs"].Processed != before {
		t.Fatal("the dry run sent something or moved the state")
	}
	res, err := h.run()
	if err != nil {
		t.Fatal(err)
	}
	sent := h.slack.take()
	if len(sent) == 0 || res.Delivered != len(shown) {
		t.Errorf("the real run delivered %d change(s) in %d message(s); the dry run showed %d", res.Delivered, len(sent), len(shown))
	}

	// Silent for eight days: the dry run shows the heartbeat.
	st := h.state()
	st.LastMessage = time.Now().Add(-8 * 24 * time.Hour)
	if err := state.Save(h.cfg.State, st, state.SaveOptions{}); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	if _, err := h.run(func(o *Options) { o.DryRun, o.Out = true, &out }); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "residiff is still watching") {
		t.Errorf("the dry run of a silent watch shows no heartbeat:\n%s", out.String())
	}
	if len(h.slack.take()) != 0 {
		t.Error("the dry run sent the heartbeat")
	}
}
