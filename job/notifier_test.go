package job

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/residiff/residiff/notifier"
)

// recorder is a notifier of the test's own: it receives batches through
// the notifier.Notifier interface and accepts one message per batch, or
// fails when told to.
type recorder struct {
	name    string
	batches []notifier.Batch
	fail    error
}

func (r *recorder) Name() string { return r.name }

func (r *recorder) Send(_ context.Context, b notifier.Batch) (notifier.Receipt, error) {
	if r.fail != nil {
		return notifier.Receipt{}, r.fail
	}
	r.batches = append(r.batches, b)
	ids := make([]string, len(b.Items))
	for i, it := range b.Items {
		ids[i] = it.Change.ID
	}
	if err := b.Delivered(ids); err != nil {
		return notifier.Receipt{}, err
	}
	return notifier.Receipt{Messages: 1, IDs: ids}, nil
}

// TestRunWithAnotherNotifier runs the job with a notifier that is not
// Slack's: the job needs nothing of a notifier but the interface.
func TestRunWithAnotherNotifier(t *testing.T) {
	h := newHarness(t)
	h.cfg.FirstRun = "all"
	h.up.commit("docs/fundamentals/data-storage-eu.md", "data-storage-eu", "2022-07-20", "2022-07-20")
	h.up.commit("docs/fundamentals/data-storage-eu.md", "data-storage-eu", "2023-08-17", "2023-08-17")
	h.up.push(false)

	down := &recorder{name: "down", fail: errors.New("destination down")}
	out, err := h.run(func(o *Options) { o.Notifiers = map[string]notifier.Notifier{"TEST_SLACK_WEBHOOK": down} })
	if !errors.Is(err, ErrUndelivered) || out.Pending == 0 || out.Delivered != 0 {
		t.Fatalf("failing notifier: err %v, outcome %+v; want pending changes and ErrUndelivered", err, out)
	}

	rec := &recorder{name: "rec"}
	out, err = h.run(func(o *Options) { o.Notifiers = map[string]notifier.Notifier{"TEST_SLACK_WEBHOOK": rec} })
	if err != nil {
		t.Fatal(err)
	}
	if len(rec.batches) != 1 || out.Pending != 0 || out.Delivered != len(rec.batches[0].Items) {
		t.Fatalf("recorder got %d batch(es), outcome %+v; want one batch with every pending change", len(rec.batches), out)
	}
	b := rec.batches[0]
	if b.Destination != "TEST_SLACK_WEBHOOK" || b.Summary || !strings.HasPrefix(b.Title, "Residency changes: data-storage-eu") || b.Pending != len(b.Items) {
		t.Errorf("batch = %+v", b)
	}
	for _, it := range b.Items {
		if it.Change.Severity < 2 || it.Page != "data-storage-eu" || it.Commit == "" {
			t.Errorf("item %+v: want medium or high changes of data-storage-eu with their commit", it)
		}
	}
	if st := h.state(); len(st.Outbox) != 0 || len(st.Delivered) != len(b.Items) {
		t.Errorf("state after delivery: %d pending, %d delivered; want 0, %d", len(st.Outbox), len(st.Delivered), len(b.Items))
	}
	if len(h.slack.take()) != 0 {
		t.Error("Slack was posted to although the notifiers were replaced")
	}
}
