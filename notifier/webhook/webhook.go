// Package webhook is the generic JSON webhook notifier: each message is
// one HTTP POST of the changes as JSON (model.Item, the changelog's own
// change objects), optionally signed with HMAC-SHA256 of the body in the
// X-Residiff-Signature-256 header ("sha256=<hex>", GitHub's form), with
// the retries and secret scrubbing of package delivery (429 honours
// Retry-After; 5xx and dropped connections are retried). Every message
// carries an X-Residiff-Delivery id derived from its change ids, so a
// receiver can drop the one message a lost answer may repeat.
//
// The package is the whole notifier: its configuration section (Kind) is
// registered in notifier/notifiers.
package webhook

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/residiff/residiff/model"
	"github.com/residiff/residiff/notifier"
	"github.com/residiff/residiff/notifier/delivery"
)

// SchemaVersion is the version of the payload's shape.
const SchemaVersion = 1

// MaxChanges is the most changes one message carries; a larger batch is
// split.
const MaxChanges = 50

// SignatureHeader carries the body's HMAC-SHA256 when a secret is set.
const SignatureHeader = "X-Residiff-Signature-256"

// DeliveryHeader carries the message's stable id.
const DeliveryHeader = "X-Residiff-Delivery"

// Payload is the JSON body of one message.
type Payload struct {
	SchemaVersion int `json:"schema_version"`
	// Kind is "changes", "summary" (a first run's backfill), "digest" (a
	// backlog), "heartbeat", "failing" (the watch cannot reach the
	// upstream), "recovered" or "test".
	Kind        string `json:"kind"`
	Destination string `json:"destination"`
	Title       string `json:"title,omitempty"`
	// Text is the heartbeat's or test message's sentence.
	Text      string `json:"text,omitempty"`
	ReportURL string `json:"report_url,omitempty"`
	// Pending is how many changes the destination had waiting.
	Pending int `json:"pending,omitempty"`
	// Part and Parts number the messages of a split batch.
	Part    int          `json:"part,omitempty"`
	Parts   int          `json:"parts,omitempty"`
	Changes []model.Item `json:"changes"`
}

// IDs are the change ids the payload carries.
func (p Payload) IDs() []string {
	ids := make([]string, 0, len(p.Changes))
	for _, it := range p.Changes {
		ids = append(ids, it.Change.ID)
	}
	return ids
}

// Webhook posts batches to one URL; it implements notifier.Notifier and
// notifier.Previewer.
type Webhook struct {
	// Label names it in logs and errors ("$RECEIVER_URL").
	Label string
	// URL is the receiver: a secret, never printed.
	URL string
	// Secret, when set, signs every body; never printed.
	Secret string
	// Retry bounds each message's delivery.
	Retry delivery.Retry
	// HTTP is the client; nil means delivery.HTTPClient().
	HTTP *http.Client
}

// Name implements notifier.Notifier.
func (w *Webhook) Name() string { return w.Label }

// payloads lays a batch out as messages.
func payloads(b notifier.Batch) []Payload {
	base := Payload{SchemaVersion: SchemaVersion, Kind: "changes", Destination: b.Destination, Title: b.Title, ReportURL: b.ReportURL, Pending: b.Pending}
	switch {
	case b.Heartbeat != "":
		base.Kind, base.Text, base.Changes = "heartbeat", b.Heartbeat, []model.Item{}
		if b.Notice != "" {
			base.Kind = b.Notice
		}
		return []Payload{base}
	case b.Summary:
		base.Kind = "summary"
	case b.Digest:
		base.Kind = "digest"
	}
	var out []Payload
	for i := 0; i < len(b.Items); i += MaxChanges {
		p := base
		p.Changes = b.Items[i:min(i+MaxChanges, len(b.Items))]
		out = append(out, p)
	}
	if len(out) > 1 {
		for i := range out {
			out[i].Part, out[i].Parts = i+1, len(out)
		}
	}
	return out
}

// Send implements notifier.Notifier: one POST per message, each reported
// through b.Delivered once the receiver answered 2xx.
func (w *Webhook) Send(ctx context.Context, b notifier.Batch) (notifier.Receipt, error) {
	var rc notifier.Receipt
	for _, p := range payloads(b) {
		body, err := json.Marshal(p)
		if err != nil {
			return rc, fmt.Errorf("webhook %s: %w", w.Label, err)
		}
		id := DeliveryID(p)
		if err := delivery.Send(ctx, "webhook "+w.Label, func(ctx context.Context) error { return w.post(ctx, body, id) }, w.Retry); err != nil {
			return rc, err
		}
		ids := p.IDs()
		rc.Messages++
		rc.IDs = append(rc.IDs, ids...)
		if b.Delivered != nil && len(ids) > 0 {
			if err := b.Delivered(ids); err != nil {
				return rc, err
			}
		}
	}
	return rc, nil
}

// DeliveryID is a message's stable id: the same changes (or the same
// heartbeat text), the same id.
func DeliveryID(p Payload) string {
	key := p.Kind + "\x00" + strings.Join(p.IDs(), ",")
	if len(p.Changes) == 0 {
		key += "\x00" + p.Text
	}
	sum := sha256.Sum256([]byte(key))
	return hex.EncodeToString(sum[:16])
}

// Sign is the signature header's value for body with secret.
func Sign(secret string, body []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write(body)
	return "sha256=" + hex.EncodeToString(m.Sum(nil))
}

// post sends one body. 2xx is accepted; 429, 5xx and network errors may
// be retried.
func (w *Webhook) post(ctx context.Context, body []byte, id string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, w.URL, bytes.NewReader(body))
	if err != nil {
		return w.scrub(err, 0, false)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(DeliveryHeader, id)
	if w.Secret != "" {
		req.Header.Set(SignatureHeader, Sign(w.Secret, body))
	}
	client := w.HTTP
	if client == nil {
		client = delivery.HTTPClient()
	}
	resp, err := client.Do(req)
	if err != nil {
		ctxDone := errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
		return w.scrub(err, 0, !ctxDone)
	}
	defer func() { _ = resp.Body.Close() }() // the answer is read below; a close error changes nothing
	answer, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		return nil
	}
	var wait time.Duration
	if s, err := strconv.Atoi(resp.Header.Get("Retry-After")); err == nil && s > 0 {
		wait = time.Duration(s) * time.Second
	}
	retry := resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500
	return w.scrub(fmt.Errorf("HTTP %d: %s", resp.StatusCode, strings.TrimSpace(string(answer))), wait, retry)
}

// scrub removes the URL and the signing secret from err.
func (w *Webhook) scrub(err error, wait time.Duration, retry bool) error {
	return delivery.Scrub(delivery.Scrub(err, w.URL, wait, retry), w.Secret, wait, retry)
}

// Preview implements notifier.Previewer.
func (w *Webhook) Preview(b notifier.Batch) []notifier.Preview {
	var out []notifier.Preview
	for _, p := range payloads(b) {
		out = append(out, notifier.Preview{Destination: b.Destination, Changes: p.IDs(), Message: p})
	}
	return out
}
