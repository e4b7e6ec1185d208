// Package teams is the Microsoft Teams notifier: residency changes laid out
// as Adaptive Cards (the lines, groups and markers of package layout) and
// posted to a Teams incoming webhook or a Workflows ("When a Teams webhook
// request is received") URL, one message at a time, each under the 28 KB
// Teams accepts, with the retries and secret scrubbing of package
// delivery. Webhooks cannot be asked what they accepted: a message whose
// answer was lost may be posted once more.
package teams

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/residiff/residiff/differ"
	"github.com/residiff/residiff/internal/short"
	"github.com/residiff/residiff/model"
	"github.com/residiff/residiff/notifier"
	"github.com/residiff/residiff/notifier/delivery"
	"github.com/residiff/residiff/notifier/layout"
	"github.com/residiff/residiff/render"
)

// MaxPayload is the largest message body Teams accepts (28 KB); messages
// are split to stay under it.
const MaxPayload = 28 * 1024

// CardVersion is the Adaptive Card schema version the cards declare: the
// newest Teams renders.
const CardVersion = "1.5"

// Pace is the least time between two messages to one webhook.
const Pace = time.Second

// Card is an Adaptive Card.
type Card struct {
	Type    string    `json:"type"`
	Version string    `json:"version"`
	Schema  string    `json:"$schema"`
	Body    []Element `json:"body"`
	// FallbackText is shown by clients that cannot render the card.
	FallbackText string `json:"fallbackText,omitempty"`
}

// Element is a TextBlock of a card (the only element residiff uses).
type Element struct {
	Type      string `json:"type"`
	Text      string `json:"text"`
	Wrap      bool   `json:"wrap"`
	Weight    string `json:"weight,omitempty"`
	Size      string `json:"size,omitempty"`
	IsSubtle  bool   `json:"isSubtle,omitempty"`
	Separator bool   `json:"separator,omitempty"`
	Spacing   string `json:"spacing,omitempty"`
}

// Payload is the body a Teams webhook receives: a message with one card.
type Payload struct {
	Type        string       `json:"type"`
	Attachments []Attachment `json:"attachments"`
}

// Attachment carries the card.
type Attachment struct {
	ContentType string `json:"contentType"`
	Content     Card   `json:"content"`
}

// Message is one Teams message and the changes it carries.
type Message struct {
	Payload Payload
	IDs     []string
}

func text(s string, opts ...func(*Element)) Element {
	e := Element{Type: "TextBlock", Text: s, Wrap: true}
	for _, o := range opts {
		o(&e)
	}
	return e
}

func subtle(e *Element)    { e.IsSubtle, e.Size = true, "Small" }
func separated(e *Element) { e.Separator, e.Spacing = true, "Medium" }
func heading(e *Element)   { e.Weight, e.Size = "Bolder", "Medium" }

// Style is the render.Style of the Markdown subset Teams renders in a
// TextBlock: bold and links; code spans are not rendered, so paths are
// quoted.
func Style() render.Style {
	return render.Style{
		Text: escape,
		Bold: func(s string) string { return "**" + s + "**" },
		Code: func(s string) string { return "'" + s + "'" },
		Link: func(text, url string) string {
			if url == "" {
				return text
			}
			return "[" + text + "](" + strings.NewReplacer(" ", "%20", ")", "%29").Replace(url) + ")"
		},
	}
}

// escape keeps upstream text from turning into Markdown.
var escape = strings.NewReplacer(`\`, `\\`, "*", `\*`, "_", `\_`, "[", `\[`, "]", `\]`, "<", "&lt;", ">", "&gt;").Replace

// markers are the direction markers, the same meaning as Slack's.
var markers = map[layout.Direction]string{
	layout.Excluded: "🔴", layout.NoLongerListed: "🟢", layout.Changed: "🟠",
	layout.Moved: "➡️", layout.Renamed: "🏷️", layout.NeedsLook: "⚠️", layout.Other: "⚪",
}

func marker(c differ.Change) string { return markers[layout.DirectionOf(c)] }

// envelope wraps a card body as a message.
func envelope(body []Element, fallback string) Payload {
	return Payload{Type: "message", Attachments: []Attachment{{ContentType: "application/vnd.microsoft.card.adaptive",
		Content: Card{Type: "AdaptiveCard", Version: CardVersion, Schema: "http://adaptivecards.io/schemas/adaptive-card.json", Body: body, FallbackText: fallback}}}}
}

// size is the encoded size of a payload.
func size(p Payload) int {
	data, _ := json.Marshal(p) // plain structs of strings always encode
	return len(data)
}

// Compose lays items out as cards under title: per revision a line naming
// page, commit and date, then a line per change — or one line for
// groupAt or more alike changes, with every name in a subtle line after it
// — and a footer of evidence. Messages are split to stay under
// MaxPayload; "part 2/3" says so.
func Compose(title string, items []model.Item, groupAt int, reportURL string) []Message {
	type unit struct {
		els []Element
		ids []string
		its []model.Item
	}
	var units []unit
	for _, l := range layout.Lines(items, groupAt) {
		it := l.Item
		switch {
		case l.Revision:
			units = append(units, unit{els: []Element{text(revisionLine(it), separated)}})
		case len(l.Group) > 0:
			names := make([]string, len(l.Group))
			for i, g := range l.Group {
				names[i] = escape(g.Change.Service)
			}
			units = append(units, unit{els: []Element{
				text(marker(it.Change) + " " + layout.GroupSentence(l.Group, Style(), 12)),
				text(strings.Join(names, ", "), subtle),
			}, ids: l.IDs(), its: l.Group})
		default:
			units = append(units, unit{els: []Element{text(marker(it.Change) + " " + render.Sentence(it.Change, Style()))}, ids: l.IDs(), its: []model.Item{it}})
		}
	}
	// Fill messages up to the limit, leaving room for the header and the
	// footer; a revision line stays with its first change.
	const reserve = 3000
	var msgs []Message
	var bodies [][]Element
	var carried [][]model.Item
	cur := -1
	used := 0
	for i, u := range units {
		need := size(envelope(u.els, ""))
		if len(u.ids) == 0 && i+1 < len(units) {
			need += size(envelope(units[i+1].els, ""))
		}
		if cur < 0 || used+need > MaxPayload-reserve {
			msgs = append(msgs, Message{})
			bodies = append(bodies, nil)
			carried = append(carried, nil)
			cur++
			used = size(envelope(nil, ""))
		}
		bodies[cur] = append(bodies[cur], u.els...)
		carried[cur] = append(carried[cur], u.its...)
		msgs[cur].IDs = append(msgs[cur].IDs, u.ids...)
		used += size(envelope(u.els, "")) - size(envelope(nil, ""))
	}
	for i := range msgs {
		h := title
		if len(msgs) > 1 {
			h = fmt.Sprintf("%s (part %d/%d)", title, i+1, len(msgs))
		}
		body := append([]Element{text(escape(h), heading)}, bodies[i]...)
		body = append(body, footer(carried[i], reportURL)...)
		msgs[i].Payload = envelope(body, fmt.Sprintf("%s: %d change(s)", h, len(msgs[i].IDs)))
	}
	return msgs
}

// revisionLine introduces the changes of one revision.
func revisionLine(it model.Item) string {
	st := Style()
	page := escape(it.Page)
	if it.Region != "" {
		page += " (" + escape(it.Region) + ")"
	}
	return fmt.Sprintf("**%s** · %s · %s", page, st.Link(short.Hash(it.Commit), it.URL), it.Date.UTC().Format("2006-01-02"))
}

// footer is the evidence line that ends a message.
func footer(items []model.Item, reportURL string) []Element {
	links := layout.Footer(items, reportURL)
	if len(links) == 0 {
		return nil
	}
	parts := make([]string, len(links))
	for i, l := range links {
		parts[i] = Style().Link(escape(l.Text), l.URL)
	}
	return []Element{text(strings.Join(parts, " · "), subtle, separated)}
}

// Summary is one card that stands for many changes (a first run's
// backfill, or a backlog digest with intro layout.DigestIntro): counts by
// page and kind, then the most severe changes while they fit.
func Summary(title, intro string, items []model.Item, reportURL string) Message {
	body := []Element{text(escape(title), heading), text(fmt.Sprintf(intro, len(items), layout.Pages(items)))}
	for _, pc := range layout.Counts(items) {
		body = append(body, text(fmt.Sprintf("- **%s**: %s", escape(pc.Page), strings.Join(pc.Counts, ", "))))
	}
	foot := footer(items, reportURL)
	first := true
	for _, it := range layout.MostSevere(items) {
		line := text(marker(it.Change) + " " + render.Sentence(it.Change, Style()))
		extra := []Element{line}
		if first {
			extra = append([]Element{text("**Most severe changes**", separated)}, extra...)
		}
		if size(envelope(append(append(body, extra...), foot...), "")) > MaxPayload-1000 {
			break
		}
		body = append(body, extra...)
		first = false
	}
	ids := make([]string, len(items))
	for i, it := range items {
		ids[i] = it.Change.ID
	}
	return Message{Payload: envelope(append(body, foot...), fmt.Sprintf("%s: %d change(s)", title, len(items))), IDs: ids}
}

// Webhook is one Teams webhook destination; it implements
// notifier.Notifier and notifier.Previewer.
type Webhook struct {
	// Label names it in logs and errors ("teams $TEAMS_WEBHOOK_URL").
	Label string
	// URL is the webhook URL: a secret, never printed.
	URL string
	// Retry bounds each message's delivery.
	Retry delivery.Retry
	// GroupAt is slack.group_at's equivalent: 0 means layout.GroupAt,
	// negative never groups.
	GroupAt int
	// HTTP is the client; nil means delivery.HTTPClient().
	HTTP *http.Client
	sent int
}

// Name implements notifier.Notifier.
func (w *Webhook) Name() string { return w.Label }

func (w *Webhook) messages(b notifier.Batch) []Message {
	switch {
	case b.Heartbeat != "":
		return []Message{{Payload: envelope([]Element{text(escape(b.Heartbeat))}, b.Heartbeat)}}
	case b.Digest:
		return []Message{Summary(b.Title, layout.DigestIntro, b.Items, b.ReportURL)}
	case b.Summary:
		return []Message{Summary(b.Title, layout.SummaryIntro, b.Items, b.ReportURL)}
	}
	groupAt := w.GroupAt
	switch {
	case groupAt == 0:
		groupAt = layout.GroupAt
	case groupAt < 0:
		groupAt = 0
	}
	return Compose(b.Title, b.Items, groupAt, b.ReportURL)
}

// Send implements notifier.Notifier: one message at a time, paced, each
// reported through b.Delivered once Teams accepted it.
func (w *Webhook) Send(ctx context.Context, b notifier.Batch) (notifier.Receipt, error) {
	var rc notifier.Receipt
	for _, m := range w.messages(b) {
		if w.sent > 0 {
			if err := w.Retry.Wait(ctx, Pace); err != nil {
				return rc, err
			}
		}
		w.sent++
		if err := delivery.Send(ctx, "teams "+w.Label, func(ctx context.Context) error { return w.post(ctx, m.Payload) }, w.Retry); err != nil {
			return rc, err
		}
		rc.Messages++
		rc.IDs = append(rc.IDs, m.IDs...)
		if b.Delivered != nil && len(m.IDs) > 0 {
			if err := b.Delivered(m.IDs); err != nil {
				return rc, err
			}
		}
	}
	return rc, nil
}

// post sends one payload. Teams answers 200 (incoming webhook) or 202
// (Workflows); 429 and 5xx may be retried.
func (w *Webhook) post(ctx context.Context, p Payload) error {
	body, err := json.Marshal(p)
	if err != nil {
		return err
	}
	if len(body) > MaxPayload {
		return fmt.Errorf("message of %d bytes is over Teams' %d", len(body), MaxPayload)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, w.URL, bytes.NewReader(body))
	if err != nil {
		return delivery.Scrub(err, w.URL, 0, false)
	}
	req.Header.Set("Content-Type", "application/json")
	client := w.HTTP
	if client == nil {
		client = delivery.HTTPClient()
	}
	resp, err := client.Do(req)
	if err != nil {
		ctxDone := errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
		return delivery.Scrub(err, w.URL, 0, !ctxDone)
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
	return delivery.Scrub(fmt.Errorf("HTTP %d: %s", resp.StatusCode, strings.TrimSpace(string(answer))), w.URL, wait, retry)
}

// Preview implements notifier.Previewer.
func (w *Webhook) Preview(b notifier.Batch) []notifier.Preview {
	var out []notifier.Preview
	for _, m := range w.messages(b) {
		out = append(out, notifier.Preview{Destination: b.Destination, Changes: m.IDs, Message: m.Payload})
	}
	return out
}
