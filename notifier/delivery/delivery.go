// Package delivery is what every notifier needs to post a message
// safely: bounded retries that honour rate limits, an HTTP client with
// residiff's User-Agent and a timeout, and errors that never carry a
// secret (a webhook URL, a token, a password), whatever form Go printed it
// in.
package delivery

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
)

// Scrub removes secret from err's text. The result carries the retry
// classification given (retryAfter, retryable) but not err itself, so
// that no caller can print the secret by unwrapping.
//
// Matching the secret as written is not enough: Go re-serialises URLs in
// its errors (another case, escaped characters, userinfo), so a request
// error is rewritten to its operation and host, every URL-looking word is
// cut to its scheme and host, and every long part of the secret is
// removed wherever it still appears.
func Scrub(err error, secret string, retryAfter time.Duration, retryable bool) error {
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
	return &Error{text: text, retryAfter: retryAfter, retryable: retryable}
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

// Error is a scrubbed delivery error.
type Error struct {
	text       string
	retryAfter time.Duration
	retryable  bool
}

func (e *Error) Error() string { return e.text }

// HTTPClient is the client destinations are called with: a 30 s timeout
// and residiff's User-Agent.
func HTTPClient() *http.Client {
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

// Send calls post until it succeeds, as r allows: again after a
// retryable *Error (waiting its Retry-After, or a growing back-off), never
// after another error. Errors start with name (say "slack #eu-residency")
// and say the attempts made.
func Send(ctx context.Context, name string, post func(context.Context) error, r Retry) error {
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
		err := post(ctx)
		if err == nil {
			return nil
		}
		last = err
		var pe *Error
		if !errors.As(err, &pe) || !pe.retryable || i == attempts {
			break
		}
		wait := pe.retryAfter
		if wait > 0 {
			if r.MaxRetryAfter > 0 && wait > r.MaxRetryAfter {
				return fmt.Errorf("%s: rate limited for %s, longer than the %s allowed: %w", name, wait, r.MaxRetryAfter, err)
			}
		} else {
			wait = delay + time.Duration(rand.Int64N(int64(delay/4)+1))
			delay = min(delay*2, max(r.MaxDelay, r.BaseDelay))
		}
		if err := sleep(ctx, wait); err != nil {
			return fmt.Errorf("%s: %w (while retrying after: %v)", name, err, last)
		}
	}
	return fmt.Errorf("%s: not delivered after %d attempt(s): %w", name, made, last)
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

// Wait waits d, or until ctx ends, with r's Sleep (a real timer when nil):
// the pause between two messages to one destination.
func (r Retry) Wait(ctx context.Context, d time.Duration) error {
	if r.Sleep != nil {
		return r.Sleep(ctx, d)
	}
	return sleepCtx(ctx, d)
}
