package slack

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/residiff/residiff/notifier"
	"github.com/residiff/residiff/notifier/delivery"
)

// Destination is one Slack destination — a webhook or a bot channel — as a
// notifier.Notifier. It lives for one run: a bot destination posts one run
// header the first time it is sent changes and threads the run's messages
// under it.
type Destination struct {
	poster Poster
	retry  Retry
	bot    bool
	thread string // the run header's timestamp, once posted
	sent   int    // messages posted this run, for pacing
	// seen are the change ids a bot found already in its channel
	// (posted by a run that could not record them); nil until looked up.
	seen map[string]bool
	// now is the clock; nil means time.Now.
	now func() time.Time
	// Warn, when set, receives a notice when the channel's history cannot
	// be read (delivery goes on, at most one message may repeat).
	Warn func(string)
	// GroupAt is how many alike changes of a revision make one grouped
	// line (see GroupAt); 0 means GroupAt, -1 never groups.
	GroupAt int
}

// Pace is the least time between two messages to one destination: Slack
// documents about one message per second per channel, and a burst is
// answered with rate limits.
const Pace = time.Second

// post sends one message, waiting Pace after the previous one.
func (d *Destination) post(ctx context.Context, msg Message, thread string) (string, error) {
	if d.sent > 0 {
		if err := d.retry.Wait(ctx, Pace); err != nil {
			return "", err
		}
	}
	d.sent++
	bot, ok := d.poster.(*Bot)
	if !ok || len(msg.IDs) == 0 {
		return Send(ctx, d.poster, msg, thread, d.retry)
	}
	// A bot can be asked what it posted: after a post whose outcome is
	// unknown (the connection dropped after Slack may have recorded it),
	// the thread is read back before posting again.
	var ts string
	unknown := false
	err := delivery.Send(ctx, "slack "+bot.Name(), func(ctx context.Context) error {
		if unknown {
			found, err := d.carried(ctx, bot, thread, msg.IDs)
			if err != nil {
				return delivery.Scrub(fmt.Errorf("a post whose outcome is unknown could not be checked, so it is not posted again (the next run reads the channel first): %w", err), bot.Token, 0, false)
			}
			if found {
				ts = ""
				return nil
			}
		}
		var err error
		ts, err = bot.post(ctx, msg, thread)
		if err != nil && outcomeUnknown(err) {
			unknown = true
		}
		return scrub(err, bot.Token)
	}, d.retry)
	return ts, err
}

// carried reads back whether the channel (thread, when set) carries every
// one of ids.
func (d *Destination) carried(ctx context.Context, bot *Bot, thread string, ids []string) (bool, error) {
	seen := map[string]bool{}
	now := time.Now
	if d.now != nil {
		now = d.now
	}
	since := now().Add(-LookBack)
	var err error
	switch {
	case bot.channelID == "":
		return false, errors.New("the channel's id is not known yet")
	case thread != "":
		err = bot.replies(ctx, thread, fmt.Sprintf("%d.000000", since.Unix()), seen)
	default:
		seen, err = bot.Delivered(ctx, since)
	}
	if err != nil {
		return false, err
	}
	for _, id := range ids {
		if !seen[id] {
			return false, nil
		}
	}
	return true, nil
}

// NewWebhook is the destination of an incoming webhook; label names it
// ("webhook $SLACK_WEBHOOK_URL"), url is the secret.
func NewWebhook(label, url string, r Retry) *Destination {
	return &Destination{poster: &Webhook{Label: label, URL: url}, retry: r}
}

// NewBotDestination is the destination of a bot token posting to channel
// through the Slack API at apiURL ("" for Slack's own).
func NewBotDestination(channel, token, apiURL string, r Retry) *Destination {
	return &Destination{poster: NewBot(channel, token, apiURL), retry: r, bot: true}
}

// Name implements notifier.Notifier.
func (d *Destination) Name() string { return d.poster.Name() }

// messages lays a batch out as Slack messages.
func (d *Destination) messages(b notifier.Batch) []Message {
	if b.Heartbeat != "" {
		return []Message{Heartbeat(b.Heartbeat)}
	}
	if b.Digest {
		return WithFooter([]Message{Digest(b.Title, b.Items, 10)}, b.Items, b.ReportURL)
	}
	if b.Summary {
		return WithFooter([]Message{Summary(b.Title, b.Items, 10)}, b.Items, b.ReportURL)
	}
	groupAt := d.GroupAt
	switch {
	case groupAt == 0:
		groupAt = GroupAt
	case groupAt < 0:
		groupAt = 0
	}
	return WithFooter(ComposeGrouped(b.Title, b.Items, groupAt), b.Items, b.ReportURL)
}

// Send implements notifier.Notifier: it posts the batch's messages one at a
// time, each after the previous one was accepted, and reports each through
// b.Delivered.
func (d *Destination) Send(ctx context.Context, b notifier.Batch) (notifier.Receipt, error) {
	var rc notifier.Receipt
	msgs := d.messages(b)
	if len(msgs) == 0 {
		return rc, nil
	}
	if d.bot && d.thread == "" && b.Heartbeat == "" {
		ts, err := d.post(ctx, RunHeader(b.Pending), "")
		if err != nil {
			return rc, err
		}
		d.thread = ts
		d.lookUp(ctx)
	}
	for _, msg := range msgs {
		if d.posted(msg) {
			// An earlier run posted it and was stopped before it could
			// record so: record it now instead of posting it again.
			if b.Delivered != nil {
				if err := b.Delivered(msg.IDs); err != nil {
					return rc, err
				}
			}
			rc.IDs = append(rc.IDs, msg.IDs...)
			continue
		}
		if _, err := d.post(ctx, msg, d.thread); err != nil {
			return rc, err
		}
		rc.Messages++
		rc.IDs = append(rc.IDs, msg.IDs...)
		if b.Delivered != nil {
			if err := b.Delivered(msg.IDs); err != nil {
				return rc, err
			}
		}
	}
	return rc, nil
}

// lookUp reads which change ids the bot's channel already carries, once
// per run. A channel whose history cannot be read (a token without the
// history scope) is delivered as a webhook is: at most the in-flight
// message repeated.
func (d *Destination) lookUp(ctx context.Context) {
	bot, ok := d.poster.(*Bot)
	if !ok || d.seen != nil {
		return
	}
	now := time.Now
	if d.now != nil {
		now = d.now
	}
	seen, err := bot.Delivered(ctx, now().Add(-LookBack))
	if err != nil {
		if d.Warn != nil {
			d.Warn(err.Error() + "; a message an interrupted run already posted may be posted again")
		}
		seen = nil
	}
	if seen == nil {
		seen = map[string]bool{}
	}
	d.seen = seen
}

// posted reports whether every change of msg is already in the channel.
func (d *Destination) posted(msg Message) bool {
	if len(d.seen) == 0 || len(msg.IDs) == 0 {
		return false
	}
	for _, id := range msg.IDs {
		if !d.seen[id] {
			return false
		}
	}
	return true
}

// Preview implements notifier.Previewer: the webhook bodies of the batch's
// messages (a bot sends the same text and blocks through
// chat.postMessage).
func (d *Destination) Preview(b notifier.Batch) []notifier.Preview {
	var out []notifier.Preview
	for _, msg := range d.messages(b) {
		out = append(out, notifier.Preview{Destination: b.Destination, Changes: msg.IDs, Message: WebhookPayload(msg)})
	}
	return out
}
