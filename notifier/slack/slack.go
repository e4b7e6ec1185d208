package slack

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/residiff/residiff/internal/version"
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

// newHTTPClient is the client Slack is called with: a 30 s timeout and
// residiff's User-Agent.
func newHTTPClient() *http.Client {
	return &http.Client{Timeout: 30 * time.Second, Transport: userAgent{http.DefaultTransport, version.Get().UserAgent()}}
}

// userAgent sets the User-Agent of every request.
type userAgent struct {
	next http.RoundTripper
	ua   string
}

func (u userAgent) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set("User-Agent", u.ua)
	return u.next.RoundTrip(r)
}

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
	opts := []slackgo.MsgOption{slackgo.MsgOptionText(msg.Text, false), slackgo.MsgOptionBlocks(msg.Blocks...)}
	if thread != "" {
		opts = append(opts, slackgo.MsgOptionTS(thread))
	}
	channel, ts, err := b.Client.PostMessageContext(ctx, b.Channel, opts...)
	if err == nil && channel != "" {
		b.channelID = channel
	}
	return ts, scrub(err, b.Token)
}

// scrub removes secret from err's text. The result keeps the retry
// classification of err but not err itself, so that no caller can print
// the secret by unwrapping.
//
// Matching the secret as written is not enough: Go re-serialises URLs in
// its errors (another case, escaped characters, userinfo), so a request
// error is rewritten to its operation and host, every URL-looking word is
// cut to its scheme and host, and every long part of the secret is
// removed wherever it still appears.
func scrub(err error, secret string) error {
	if err == nil {
		return nil
	}
	text := err.Error()
	var ue *url.Error
	if errors.As(err, &ue) {
		text = fmt.Sprintf("%s %s: %v", ue.Op, hostOf(ue.URL), ue.Err)
	}
	text = urlRe.ReplaceAllStringFunc(text, hostOf)
	for _, part := range secretParts(secret) {
		text = strings.ReplaceAll(text, part, "<redacted>")
		text = strings.ReplaceAll(text, url.PathEscape(part), "<redacted>")
		text = strings.ReplaceAll(text, url.QueryEscape(part), "<redacted>")
	}
	return &postError{text: text, retryAfter: retryAfterOf(err), retryable: retryable(err)}
}

// urlRe finds URL-looking words in a message, whatever their case.
var urlRe = regexp.MustCompile(`(?i)\b[a-z][a-z0-9+.-]*://[^\s"'<>]+`)

// hostOf reduces a URL to its scheme and host ("https://hooks.example/…").
func hostOf(raw string) string {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || u.Host == "" {
		return "<url>"
	}
	host := u.Hostname()
	if u.Port() != "" {
		host += ":" + u.Port()
	}
	return strings.ToLower(u.Scheme) + "://" + host + "/…"
}

// secretParts are the pieces of a secret worth hiding: the whole, and for
// a URL its path segments, query values and userinfo of six characters
// or more.
func secretParts(secret string) []string {
	if secret == "" {
		return nil
	}
	parts := []string{secret}
	if u, err := url.Parse(secret); err == nil {
		for _, seg := range strings.Split(u.EscapedPath(), "/") {
			if len(seg) >= 6 {
				parts = append(parts, seg)
			}
		}
		for _, vs := range u.Query() {
			for _, v := range vs {
				if len(v) >= 6 {
					parts = append(parts, v)
				}
			}
		}
		if u.User != nil {
			parts = append(parts, u.User.String())
		}
	}
	return parts
}

// ValidWebhookURL checks a webhook URL without echoing it: https with a
// host (http only to a loopback host, for tests and local gateways).
func ValidWebhookURL(raw string) error {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return errors.New("is not a URL")
	}
	if u.Host == "" {
		return errors.New("has no host")
	}
	switch strings.ToLower(u.Scheme) {
	case "https":
		return nil
	case "http":
		if ip := net.ParseIP(u.Hostname()); u.Hostname() == "localhost" || ip != nil && ip.IsLoopback() {
			return nil
		}
	}
	return errors.New("is not an https URL")
}

// postError is a scrubbed Slack error.
type postError struct {
	text       string
	retryAfter time.Duration
	retryable  bool
}

func (e *postError) Error() string { return e.text }

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

// Retry bounds the attempts to deliver one message.
type Retry struct {
	// MaxAttempts is the most tries per message (at least 1).
	MaxAttempts int
	// BaseDelay is the first back-off after a server or network error; it
	// doubles each time, with jitter, up to MaxDelay.
	BaseDelay, MaxDelay time.Duration
	// MaxRetryAfter is the longest Retry-After honoured; a longer one
	// fails the delivery (it stays pending for the next run).
	MaxRetryAfter time.Duration
	// Sleep waits d or until ctx ends; nil means a real timer.
	Sleep func(ctx context.Context, d time.Duration) error
}

// DefaultRetry is five attempts, 1 s doubling to 30 s, Retry-After up to
// two minutes.
func DefaultRetry() Retry {
	return Retry{MaxAttempts: 5, BaseDelay: time.Second, MaxDelay: 30 * time.Second, MaxRetryAfter: 2 * time.Minute}
}

// Send posts msg to p, retrying as r allows. The error names the
// destination and the attempts made.
func Send(ctx context.Context, p Poster, msg Message, thread string, r Retry) (string, error) {
	attempts := max(r.MaxAttempts, 1)
	sleep := r.Sleep
	if sleep == nil {
		sleep = sleepCtx
	}
	delay := r.BaseDelay
	var last error
	made := 0
	for i := 1; i <= attempts; i++ {
		made = i
		ts, err := p.Post(ctx, msg, thread)
		if err == nil {
			return ts, nil
		}
		last = err
		var pe *postError
		if !errors.As(err, &pe) || !pe.retryable || i == attempts {
			break
		}
		wait := pe.retryAfter
		if wait > 0 {
			if r.MaxRetryAfter > 0 && wait > r.MaxRetryAfter {
				return "", fmt.Errorf("slack %s: rate limited for %s, longer than the %s allowed: %w", p.Name(), wait, r.MaxRetryAfter, err)
			}
		} else {
			wait = delay + time.Duration(rand.Int64N(int64(delay/4)+1))
			delay = min(delay*2, max(r.MaxDelay, r.BaseDelay))
		}
		if err := sleep(ctx, wait); err != nil {
			return "", fmt.Errorf("slack %s: %w (while retrying after: %v)", p.Name(), err, last)
		}
	}
	return "", fmt.Errorf("slack %s: not delivered after %d attempt(s): %w", p.Name(), made, last)
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
