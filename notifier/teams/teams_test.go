package teams

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/residiff/residiff/internal/fixtureitems"

	"github.com/residiff/residiff/differ"
	goldenfile "github.com/residiff/residiff/internal/golden"
	"github.com/residiff/residiff/internal/linkcheck"
	"github.com/residiff/residiff/model"
	"github.com/residiff/residiff/notifier"
	"github.com/residiff/residiff/notifier/delivery"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

const reportURL = "https://compliance.example/residency/report.html"

func fixtureItems(t *testing.T) []model.Item { return fixtureitems.Items(t) }

// TestFixtureCards: the cards of the fixture history, read by hand in
// testdata/fixture-cards.json (-update rewrites it): the grouped line of
// the 2024 restructure with every name after it, markers by direction, the
// footer of evidence — each card under Teams' 28 KB.
func TestFixtureCards(t *testing.T) {
	var all []Message
	largest := 0
	for _, rev := range fixtureitems.ByRevision(fixtureItems(t)) {
		msgs := Compose("Residency changes: "+rev[0].Page, rev, 4, reportURL)
		for _, m := range msgs {
			data, err := json.Marshal(m.Payload)
			if err != nil {
				t.Fatal(err)
			}
			largest = max(largest, len(data))
			if len(data) > MaxPayload {
				t.Errorf("card of %d bytes for %.7s", len(data), rev[0].Commit)
			}
		}
		all = append(all, msgs...)
	}
	t.Logf("%d cards, the largest %d bytes", len(all), largest)
	goldenfile.CheckJSON(t, "testdata/fixture-cards.json", all)

	var links []string
	for _, m := range all {
		for _, e := range m.Payload.Attachments[0].Content.Body {
			for _, l := range regexp.MustCompile(`\]\(([^)\s]+)\)`).FindAllStringSubmatch(e.Text, -1) {
				links = append(links, l[1])
			}
		}
	}
	linkcheck.Check(t, "Teams cards", links, 30)

	text, _ := json.Marshal(all)
	for _, want := range []string{"services** are newly excluded from the EU Data Boundary", "🔴", "🟢", "[report](" + reportURL + ")", "/commit/"} {
		if !strings.Contains(string(text), want) {
			t.Errorf("the fixture cards lack %q", want)
		}
	}
}

// TestSplitUnderLimit: a flood of changes is split into parts, each under
// the limit and saying "part i/n", and no change is lost or repeated.
func TestSplitUnderLimit(t *testing.T) {
	var items []model.Item
	base := fixtureItems(t)[0]
	for i := range 400 {
		it := base
		it.Commit = strings.Repeat("a", 40)
		it.Change.ID = "id" + strings.Repeat("x", i%7) + string(rune('a'+i%26)) + time.Duration(i).String()
		it.Change.Service = "Service " + strings.Repeat("long name ", 5) + it.Change.ID
		it.Change.Kind = differ.FieldsChanged
		it.Change.Detail = strings.Repeat("a reason that goes on ", 10)
		items = append(items, it)
	}
	msgs := Compose("Residency changes", items, 0, reportURL)
	if len(msgs) < 2 {
		t.Fatalf("%d message(s) for 400 long changes, want several", len(msgs))
	}
	seen := map[string]int{}
	for i, m := range msgs {
		data, _ := json.Marshal(m.Payload)
		if len(data) > MaxPayload {
			t.Errorf("part %d: %d bytes", i+1, len(data))
		}
		if !strings.Contains(m.Payload.Attachments[0].Content.Body[0].Text, "part ") {
			t.Errorf("part %d's heading does not say so: %q", i+1, m.Payload.Attachments[0].Content.Body[0].Text)
		}
		for _, id := range m.IDs {
			seen[id]++
		}
	}
	if len(seen) != len(items) {
		t.Errorf("%d of %d changes carried", len(seen), len(items))
	}
	for id, n := range seen {
		if n != 1 {
			t.Errorf("change %s carried %d times", id, n)
		}
	}
}

// stand is a Teams webhook stand-in that checks what it receives is a
// message with one Adaptive Card, and can answer with scripted codes.
type stand struct {
	*httptest.Server
	mu       sync.Mutex
	script   []int
	payloads []Payload
}

func newStand(t *testing.T) *stand {
	s := &stand{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		defer s.mu.Unlock()
		body, _ := io.ReadAll(r.Body)
		if r.Method != http.MethodPost || r.Header.Get("Content-Type") != "application/json" || !strings.HasPrefix(r.Header.Get("User-Agent"), "residiff/") {
			http.Error(w, "bad request", http.StatusBadRequest)
			return
		}
		if len(s.script) > 0 {
			code := s.script[0]
			s.script = s.script[1:]
			if code == http.StatusTooManyRequests {
				w.Header().Set("Retry-After", "1")
			}
			http.Error(w, "scripted", code)
			return
		}
		var p Payload
		if err := json.Unmarshal(body, &p); err != nil || p.Type != "message" || len(p.Attachments) != 1 ||
			p.Attachments[0].ContentType != "application/vnd.microsoft.card.adaptive" || p.Attachments[0].Content.Type != "AdaptiveCard" {
			http.Error(w, "not a card message", http.StatusBadRequest)
			return
		}
		if len(body) > MaxPayload {
			http.Error(w, "too large", http.StatusRequestEntityTooLarge)
			return
		}
		s.payloads = append(s.payloads, p)
		w.WriteHeader(http.StatusAccepted) // as Workflows answers
	}))
	t.Cleanup(s.Close)
	return s
}

// TestWebhookDelivery: cards go out one at a time through a real HTTP
// exchange; 429 and 5xx are retried, each accepted message is reported
// delivered; a 400 is not retried and the error never shows the URL.
func TestWebhookDelivery(t *testing.T) {
	st := newStand(t)
	var slept []time.Duration
	retry := delivery.Retry{MaxAttempts: 3, BaseDelay: time.Millisecond, Sleep: func(_ context.Context, d time.Duration) error { slept = append(slept, d); return nil }}
	url := st.URL + "/workflows/abc/triggers/manual/paths/invoke?sig=SECRETSIGNATURE"
	w := &Webhook{Label: "teams $TEAMS_WEBHOOK_URL", URL: url, Retry: retry}
	items := fixtureItems(t)[:6]
	st.script = []int{http.StatusTooManyRequests, http.StatusBadGateway}
	var delivered []string
	rc, err := w.Send(context.Background(), notifier.Batch{Destination: "TEAMS_WEBHOOK_URL", Title: "Residency changes", Items: items, ReportURL: reportURL,
		Delivered: func(ids []string) error { delivered = append(delivered, ids...); return nil }})
	if err != nil {
		t.Fatal(err)
	}
	if rc.Messages != len(st.payloads) || len(delivered) != len(items) {
		t.Errorf("receipt %+v, %d payloads, %d delivered of %d", rc, len(st.payloads), len(delivered), len(items))
	}
	if len(slept) < 2 || slept[0] != time.Second {
		t.Errorf("waits %v: want the Retry-After second, then a back-off", slept)
	}

	st.script = []int{http.StatusBadRequest}
	_, err = w.Send(context.Background(), notifier.Batch{Destination: "TEAMS_WEBHOOK_URL", Title: "t", Items: items[:1]})
	if err == nil || strings.Contains(err.Error(), "SECRETSIGNATURE") || strings.Contains(err.Error(), "/workflows/") {
		t.Errorf("a refused message: %v; want an error without the URL", err)
	}
	var de *delivery.Error
	if !errors.As(err, &de) {
		t.Errorf("error %T is not a scrubbed delivery error", err)
	}
}

// TestCardsMatchSchema: every card residiff makes for the fixture history
// (changes, a summary, a digest, a heartbeat) validates against the
// Adaptive Card schema of the version it declares (an excerpt of it,
// vendored with its licence in testdata/adaptive-card-1.5); a card with an
// element or property the schema does not know fails.
func TestCardsMatchSchema(t *testing.T) {
	c := jsonschema.NewCompiler()
	schema, err := c.Compile("testdata/adaptive-card-1.5/schema.json")
	if err != nil {
		t.Fatal(err)
	}
	validate := func(name string, card Card) error {
		data, err := json.Marshal(card)
		if err != nil {
			t.Fatal(err)
		}
		v, err := jsonschema.UnmarshalJSON(strings.NewReader(string(data)))
		if err != nil {
			t.Fatal(err)
		}
		return schema.Validate(v)
	}
	items := fixtureItems(t)
	w := &Webhook{Label: "teams"}
	var msgs []Message
	for _, b := range []notifier.Batch{
		{Title: "Residency changes", Items: items, ReportURL: reportURL},
		{Title: "residiff: residency pages backfilled", Items: items, Summary: true, ReportURL: reportURL},
		{Title: "residiff: residency changes that piled up", Items: items, Digest: true},
		{Heartbeat: "residiff is still watching 5 page(s) in 1 repository: no residency change since 2026-11-22."},
	} {
		msgs = append(msgs, w.messages(b)...)
	}
	for i, m := range msgs {
		card := m.Payload.Attachments[0].Content
		if card.Version != CardVersion {
			t.Errorf("card %d declares %s", i, card.Version)
		}
		if err := validate(fmt.Sprint(i), card); err != nil {
			t.Errorf("card %d does not match the schema: %v", i, err)
		}
	}
	bad := msgs[0].Payload.Attachments[0].Content
	bad.Body = append([]Element{}, bad.Body...)
	bad.Body[0].Type = "RichTextBlock"
	if validate("bad", bad) == nil {
		t.Error("the schema accepted an element residiff's excerpt does not define: the check checks nothing")
	}
}
