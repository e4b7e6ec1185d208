package job

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/residiff/residiff/notifier"
	"github.com/residiff/residiff/state"
)

// batch is one message to send and the outbox entries it delivers.
type batch struct {
	dest string
	msg  notifier.Message
	keys []string
}

// plan lays the outbox out as messages, per destination in a stable order:
// the first-run summary, then the changes grouped by revision.
func (r *runner) plan() []batch {
	byDest := map[string][]state.Pending{}
	var dests []string
	for _, p := range r.st.Outbox {
		if _, ok := byDest[p.Destination]; !ok {
			dests = append(dests, p.Destination)
		}
		byDest[p.Destination] = append(byDest[p.Destination], p)
	}
	sort.Strings(dests)
	var out []batch
	for _, dest := range dests {
		var summary, changes []notifier.Item
		for _, p := range byDest[dest] {
			if p.Summary {
				summary = append(summary, p.Item)
			} else {
				changes = append(changes, p.Item)
			}
		}
		if len(summary) > 0 {
			msg := notifier.Summary("residiff: residency pages backfilled", summary, 10)
			out = append(out, batch{dest: dest, msg: msg, keys: keysOf(dest, msg.IDs)})
		}
		sort.SliceStable(changes, func(i, j int) bool { return changes[i].Date.Before(changes[j].Date) })
		for _, msg := range notifier.Compose(titleOf(changes), changes) {
			out = append(out, batch{dest: dest, msg: msg, keys: keysOf(dest, msg.IDs)})
		}
	}
	return out
}

// titleOf is the header of a run's change messages.
func titleOf(items []notifier.Item) string {
	var pages []string
	seen := map[string]bool{}
	for _, it := range items {
		if !seen[it.Page] {
			seen[it.Page] = true
			pages = append(pages, it.Page)
		}
	}
	return fmt.Sprintf("Residency changes: %s", strings.Join(pages, ", "))
}

func keysOf(dest string, ids []string) []string {
	keys := make([]string, len(ids))
	for i, id := range ids {
		keys[i] = state.Key(dest, id)
	}
	return keys
}

// deliver sends the outbox. After each message Slack accepts, the state is
// saved with its changes moved from the outbox to the delivered set. A
// destination that fails after the retries keeps its changes pending; the
// others are still tried.
func (r *runner) deliver(ctx context.Context) error {
	batches := r.plan()
	threads := map[string]string{}
	failed := map[string]error{}
	for _, b := range batches {
		if failed[b.dest] != nil {
			continue
		}
		poster, ok := r.slack[b.dest]
		if !ok {
			failed[b.dest] = fmt.Errorf("slack: destination %s is no longer configured; its %d change(s) stay pending", b.dest, len(b.keys))
			continue
		}
		thread, err := r.thread(ctx, poster, b, threads)
		if err != nil {
			failed[b.dest] = err
			continue
		}
		if _, err := notifier.Send(ctx, poster, b.msg, thread, r.opts.Retry); err != nil {
			failed[b.dest] = err
			continue
		}
		r.opts.Crash("after-send")
		r.markDelivered(b.keys)
		if err := r.save(); err != nil {
			return err
		}
		r.out.Delivered += len(b.keys)
	}
	r.out.Pending = len(r.st.Outbox)
	if len(failed) == 0 {
		if r.out.Delivered > 0 {
			r.logf("delivered %d notification(s)", r.out.Delivered)
		}
		return nil
	}
	var msgs []string
	for _, err := range failed {
		msgs = append(msgs, err.Error())
	}
	sort.Strings(msgs)
	return fmt.Errorf("%w: %d for the next run; %s", ErrUndelivered, r.out.Pending, strings.Join(msgs, "; "))
}

// thread posts, for a bot destination, one run header that the run's
// change messages are threaded under; webhooks cannot thread.
func (r *runner) thread(ctx context.Context, p notifier.Poster, b batch, threads map[string]string) (string, error) {
	if _, isBot := p.(*notifier.Bot); !isBot || len(b.keys) == 0 {
		return "", nil
	}
	if ts, ok := threads[b.dest]; ok {
		return ts, nil
	}
	n := 0
	for _, p := range r.st.Outbox {
		if p.Destination == b.dest {
			n++
		}
	}
	head := notifier.RunHeader(n)
	ts, err := notifier.Send(ctx, p, head, "", r.opts.Retry)
	if err != nil {
		return "", err
	}
	threads[b.dest] = ts
	return ts, nil
}

func (r *runner) markDelivered(keys []string) {
	done := map[string]bool{}
	now := r.opts.Now().UTC()
	for _, k := range keys {
		done[k] = true
		r.st.Delivered[k] = now
	}
	kept := r.st.Outbox[:0]
	for _, p := range r.st.Outbox {
		if !done[p.Key()] {
			kept = append(kept, p)
		}
	}
	r.st.Outbox = kept
}

// payload is one message as --dry-run prints it.
type payload struct {
	Destination string `json:"destination"`
	// Changes are the change ids the message would deliver.
	Changes []string `json:"changes"`
	// Message is the body an incoming webhook would receive (a bot sends
	// the same text and blocks through chat.postMessage).
	Message any `json:"message"`
}

// printPayloads prints what deliver would send, as a JSON array.
func (r *runner) printPayloads() error {
	out := []payload{}
	for _, b := range r.plan() {
		out = append(out, payload{Destination: b.dest, Changes: b.msg.IDs, Message: notifier.WebhookPayload(b.msg)})
	}
	enc := json.NewEncoder(r.opts.Out)
	enc.SetIndent("", "  ")
	if err := enc.Encode(out); err != nil {
		return fmt.Errorf("dry run: %w", err)
	}
	return nil
}
