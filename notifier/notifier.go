// Package notifier is the boundary between the job and the places residency
// changes are announced. A Notifier delivers a Batch of neutral items
// (model.Item) to one destination; each kind of destination lives in its own
// package (notifier/slack) with its own layout, limits and retries. A new
// notifier needs only its package and a configuration section.
package notifier

import (
	"context"

	"github.com/residiff/residiff/model"
)

// Notifier delivers batches to one destination.
type Notifier interface {
	// Name names the destination in logs and errors (a channel, or the
	// environment variable of a webhook); never a secret.
	Name() string
	// Send delivers b. A notifier may split a batch into several
	// messages: after each message the destination accepts, it calls
	// b.Delivered with the ids of the changes that message carried, and
	// stops with that function's error. The receipt counts what was
	// delivered, also when Send fails part way.
	Send(ctx context.Context, b Batch) (Receipt, error)
}

// Batch is what one destination is sent at once: the changes of a run, or
// the summary of a first run.
type Batch struct {
	// Destination is the name the batch is routed to.
	Destination string
	// Title heads the messages.
	Title string
	// Items are the changes, oldest first.
	Items []model.Item
	// Summary asks for one message that stands for all Items (a
	// first-run backfill) instead of one line per change.
	Summary bool
	// Digest asks for one message that stands for a backlog too large,
	// or too old, to post change by change (counts per page and kind, the
	// most severe changes, a link to the report).
	Digest bool
	// Heartbeat, when set, is the text of one short message saying the
	// watch is alive and found nothing (the batch has no Items).
	Heartbeat string
	// Pending is how many changes the destination has waiting in all, for
	// a run header.
	Pending int
	// ReportURL is where the hosted report is (report_url), linked from
	// every message; "" when not configured.
	ReportURL string
	// Delivered is called with the change ids of each accepted message;
	// nil ignores them.
	Delivered func(ids []string) error
}

// Receipt says what a Send delivered.
type Receipt struct {
	// Messages counts the messages the destination accepted.
	Messages int
	// IDs are the change ids they carried.
	IDs []string
}

// Preview is one message a notifier would send, as a dry run shows it.
type Preview struct {
	Destination string `json:"destination"`
	// Changes are the change ids the message would deliver.
	Changes []string `json:"changes"`
	// Message is the body the destination would receive.
	Message any `json:"message"`
}

// Previewer is implemented by notifiers that can show their messages
// without sending them (residiff run --dry-run).
type Previewer interface {
	Preview(b Batch) []Preview
}
