package slack

import (
	"context"
	"errors"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/residiff/residiff/notifier/delivery"
	slackgo "github.com/slack-go/slack"
)

// Poster sends one message to one Slack destination.
type Poster interface {
	// Name names the destination in messages and errors (a channel, or the
	// environment variable holding a webhook URL); never a secret.
	Name() string
	// Post sends msg, threaded under the message with timestamp thread
	// when thread is not "" and the destination can thread. It returns the
	// new message's timestamp when the destination reports one.
	Post(ctx context.Context, msg Message, thread string) (ts string, err error)
}

// Webhook posts to a Slack incoming webhook.
type Webhook struct {
	// Label names the destination, e.g. "webhook $SLACK_WEBHOOK_URL".
	Label string
	// URL is the webhook URL: a secret, never printed.
	URL string
	// HTTP is the client used; nil means one with a 30 s timeout.
	HTTP *http.Client
}

// Name implements Poster.
func (w *Webhook) Name() string { return w.Label }

// Post implements Poster. Incoming webhooks cannot thread; thread is
// ignored and no timestamp is returned.
func (w *Webhook) Post(ctx context.Context, msg Message, thread string) (string, error) {
	client := w.HTTP
	if client == nil {
		client = newHTTPClient()
	}
	payload := WebhookPayload(msg)
	err := slackgo.PostWebhookCustomHTTPContext(ctx, w.URL, client, &payload)
	return "", scrub(err, w.URL)
}

func newHTTPClient() *http.Client { return delivery.HTTPClient() }

// WebhookPayload is the JSON body an incoming webhook receives for msg
// (also what --dry-run prints).
func WebhookPayload(msg Message) slackgo.WebhookMessage {
	return slackgo.WebhookMessage{Text: msg.Text, Blocks: &slackgo.Blocks{BlockSet: msg.Blocks}}
}

// Bot posts with a bot token through chat.postMessage.
type Bot struct {
	// Channel is the channel name or id.
	Channel string
	// Client is a slack-go client made with the token (and, in tests,
	// slackgo.OptionAPIURL).
	Client *slackgo.Client
	// Token is kept only to scrub it from errors.
	Token string

	// channelID is the channel's id as Slack answered a post with it.
	channelID string
}

// NewBot returns a Bot for channel with token; apiURL "" means Slack's own.
func NewBot(channel, token, apiURL string) *Bot {
	opts := []slackgo.Option{slackgo.OptionHTTPClient(newHTTPClient())}
	if apiURL != "" {
		if !strings.HasSuffix(apiURL, "/") {
			apiURL += "/"
		}
		opts = append(opts, slackgo.OptionAPIURL(apiURL))
	}
	return &Bot{Channel: channel, Client: slackgo.New(token, opts...), Token: token}
}

// Name implements Poster.
func (b *Bot) Name() string { return b.Channel }

// Post implements Poster.
func (b *Bot) Post(ctx context.Context, msg Message, thread string) (string, error) {
	ts, err := b.post(ctx, msg, thread)
	return ts, scrub(err, b.Token)
}

// post is Post with the client's error as it is (unscrubbed: for
// classification only).
func (b *Bot) post(ctx context.Context, msg Message, thread string) (string, error) {
	opts := []slackgo.MsgOption{slackgo.MsgOptionText(msg.Text, false), slackgo.MsgOptionBlocks(msg.Blocks...)}
	if thread != "" {
		opts = append(opts, slackgo.MsgOptionTS(thread))
	}
	channel, ts, err := b.Client.PostMessageContext(ctx, b.Channel, opts...)
	if err == nil && channel != "" {
		b.channelID = channel
	}
	return ts, err
}

// outcomeUnknown says whether Slack may have recorded a post that failed
// with err: the request may have reached it (a dropped connection, a
// timeout, a server error). A rate limit, an error answer and a
// connection never made were not recorded.
func outcomeUnknown(err error) bool {
	var rl *slackgo.RateLimitedError
	if errors.As(err, &rl) {
		return false
	}
	var se slackgo.SlackErrorResponse
	if errors.As(err, &se) {
		return se.Err == "internal_error" || se.Err == "fatal_error" || se.Err == "request_timeout"
	}
	var op *net.OpError
	if errors.As(err, &op) && op.Op == "dial" {
		return false
	}
	return true
}

// scrub is delivery.Scrub with Slack's retry classification.
func scrub(err error, secret string) error {
	if err == nil {
		return nil
	}
	return delivery.Scrub(err, secret, retryAfterOf(err), retryable(err))
}

// ValidWebhookURL is delivery.ValidWebhookURL.
func ValidWebhookURL(raw string) error { return delivery.ValidWebhookURL(raw) }

func retryAfterOf(err error) time.Duration {
	var rl *slackgo.RateLimitedError
	if errors.As(err, &rl) {
		return rl.RetryAfter
	}
	return 0
}

// retryable says whether a failed post may succeed when tried again: rate
// limits, server errors, timeouts and broken connections; not bad tokens,
// unknown channels or invalid payloads.
func retryable(err error) bool {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return false
	}
	var rl *slackgo.RateLimitedError
	if errors.As(err, &rl) {
		return true
	}
	var sc slackgo.StatusCodeError
	if errors.As(err, &sc) {
		return sc.Retryable()
	}
	var se slackgo.SlackErrorResponse
	if errors.As(err, &se) {
		switch se.Err {
		case "ratelimited", "internal_error", "fatal_error", "service_unavailable", "request_timeout":
			return true
		}
		return false
	}
	// Anything else failed before an HTTP answer: connection refused or
	// reset, DNS, timeouts.
	return true
}

// Retry is delivery.Retry.
type Retry = delivery.Retry

// DefaultRetry is delivery.DefaultRetry.
func DefaultRetry() Retry { return delivery.DefaultRetry() }

// Send posts msg to p, retrying as r allows. The error names the
// destination and the attempts made.
func Send(ctx context.Context, p Poster, msg Message, thread string, r Retry) (string, error) {
	var ts string
	err := delivery.Send(ctx, "slack "+p.Name(), func(ctx context.Context) error {
		var err error
		ts, err = p.Post(ctx, msg, thread)
		return err
	}, r)
	return ts, err
}
