package slack

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/residiff/residiff/differ"
	"github.com/residiff/residiff/model"
	"github.com/residiff/residiff/notifier"
	slackgo "github.com/slack-go/slack"
)

func item(i int, page, commit string, kind differ.Kind, service string) model.Item {
	return model.Item{Page: page, Region: "Europe", Path: "docs/" + page + ".md", Commit: commit,
		Date: time.Date(2024, 2, 16, 0, 0, 0, 0, time.UTC), URL: "https://example.com/blob/" + commit + "/docs/" + page + ".md",
		Change: differ.Change{ID: fmt.Sprintf("id%04d", i), Kind: kind, Severity: differ.SeverityOf(kind), Service: service,
			Scope: "EU Data Boundary", Category: "temporary", Detail: "email address processed globally"}}
}

func TestComposeLayout(t *testing.T) {
	items := []model.Item{
		item(1, "data-storage-eu", "1995d1f6dc40", differ.NewlyExcluded, "Azure Customer Lockbox"),
		item(2, "data-storage-eu", "1995d1f6dc40", differ.NewlyCompliant, "JIT <provisioning> & more"),
		item(3, "data-storage-japan", "4898a2f9221", differ.Renamed, "Microsoft Entra Connect"),
	}
	msgs := Compose("Residency changes", items)
	if len(msgs) != 1 {
		t.Fatalf("got %d messages, want 1", len(msgs))
	}
	m := msgs[0]
	if got, want := strings.Join(m.IDs, ","), "id0001,id0002,id0003"; got != want {
		t.Errorf("IDs = %s, want %s", got, want)
	}
	texts := blockTexts(t, m.Blocks)
	want := []string{
		"header:Residency changes",
		"divider:",
		"section:*data-storage-eu (Europe)* · <https://example.com/blob/1995d1f6dc40/docs/data-storage-eu.md|1995d1f> · 2024-02-16",
		"section::red_circle: *Azure Customer Lockbox* is newly excluded from the EU Data Boundary (email address processed globally)",
		"section::large_green_circle: *JIT &lt;provisioning&gt; &amp; more* is no longer listed as excluded from the EU Data Boundary (was temporary)",
		"divider:",
		"section:*data-storage-japan (Europe)* · <https://example.com/blob/4898a2f9221/docs/data-storage-japan.md|4898a2f> · 2024-02-16",
		"section::label:  → *Microsoft Entra Connect* (same service)",
	}
	if strings.Join(texts, "\n") != strings.Join(want, "\n") {
		t.Errorf("blocks:\n%s\nwant:\n%s", strings.Join(texts, "\n"), strings.Join(want, "\n"))
	}
}

// blockTexts renders blocks as "type:text" lines through their JSON, the
// form Slack receives.
func blockTexts(t *testing.T, blocks []slackgo.Block) []string {
	t.Helper()
	data, err := json.Marshal(blocks)
	if err != nil {
		t.Fatal(err)
	}
	var raw []struct {
		Type string `json:"type"`
		Text *struct {
			Text string `json:"text"`
		} `json:"text"`
	}
	if err := json.Unmarshal(data, &raw); err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, b := range raw {
		s := b.Type + ":"
		if b.Text != nil {
			s += b.Text.Text
		}
		out = append(out, s)
	}
	return out
}

// TestComposeGroups: a list that moved to another page is one line naming
// the services, not 23 near-identical lines, and every change id is still
// in the message (for delivery records and a bot's history lookup).
func TestComposeGroups(t *testing.T) {
	var items []model.Item
	for i := range 23 {
		it := item(i, "data-storage-eu", "1995d1f6dc40", differ.Delegated, fmt.Sprintf("Service %02d", i))
		it.Change.After, it.Change.Detail = "https://learn.microsoft.com/privacy/eudb/temp", "Services that temporarily transfer data"
		items = append(items, it)
	}
	items = append(items, item(99, "data-storage-eu", "1995d1f6dc40", differ.NewlyExcluded, "Azure Customer Lockbox"))
	msgs := Compose("Residency changes", items)
	if len(msgs) != 1 {
		t.Fatalf("%d messages, want 1", len(msgs))
	}
	texts := blockTexts(t, msgs[0].Blocks)
	var grouped []string
	for _, tx := range texts {
		if strings.Contains(tx, "23 services") {
			grouped = append(grouped, tx)
		}
	}
	if len(grouped) != 1 || !strings.HasPrefix(grouped[0], "section::arrow_right: *23 services*") ||
		!strings.Contains(grouped[0], "Service 00, Service 01") || !strings.HasSuffix(grouped[0], "… (+11)") {
		t.Errorf("grouped line: %q", grouped)
	}
	if len(msgs[0].IDs) != 24 {
		t.Errorf("%d ids in the message, want 24", len(msgs[0].IDs))
	}
	// The ids ride in block_ids a bot can read back.
	seen := map[string]bool{}
	collectIDs(slackgo.Message{Msg: slackgo.Msg{Blocks: slackgo.Blocks{BlockSet: msgs[0].Blocks}}}, seen)
	for _, id := range msgs[0].IDs {
		if !seen[id] {
			t.Errorf("id %s is not in any block_id", id)
		}
	}
}

func TestComposeLimits(t *testing.T) {
	long := strings.Repeat("processing happens globally, ", 200) // > 3,000 characters
	tests := []struct {
		name      string
		items     []model.Item
		wantMsgs  int
		wantClip  bool
		revisions int
	}{
		{"one change", []model.Item{item(0, "eu", "c0", differ.NewlyExcluded, "A")}, 1, false, 1},
		{"block limit", manyItems(120, 1, ""), 3, false, 1},
		{"many revisions", manyItems(60, 30, ""), 3, false, 30},
		{"text budget", manyItems(12, 1, strings.Repeat("x", 2500)), 3, false, 1},
		{"one huge change", manyItems(1, 1, long), 1, true, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			msgs := Compose("Residency changes", tt.items)
			if len(msgs) != tt.wantMsgs {
				t.Errorf("got %d messages, want %d", len(msgs), tt.wantMsgs)
			}
			seen := map[string]int{}
			clipped := false
			for i, m := range msgs {
				if len(m.Blocks) > MaxBlocks {
					t.Errorf("message %d has %d blocks", i, len(m.Blocks))
				}
				total := 0
				for _, txt := range blockTexts(t, m.Blocks) {
					_, text, _ := strings.Cut(txt, ":")
					n := utf8.RuneCountInString(text)
					if n > MaxSectionText {
						t.Errorf("message %d has a %d-character block", i, n)
					}
					if strings.HasSuffix(text, "…") {
						clipped = true
					}
					total += n
				}
				if total > MaxMessageText+MaxHeaderText {
					t.Errorf("message %d has %d characters of text", i, total)
				}
				if !strings.HasPrefix(blockTexts(t, m.Blocks)[0], "header:Residency changes") {
					t.Errorf("message %d does not start with the header", i)
				}
				if len(msgs) > 1 && !strings.Contains(blockTexts(t, m.Blocks)[0], fmt.Sprintf("(part %d/%d)", i+1, len(msgs))) {
					t.Errorf("message %d header lacks its number: %s", i, blockTexts(t, m.Blocks)[0])
				}
				for _, id := range m.IDs {
					seen[id]++
				}
			}
			if len(seen) != len(tt.items) {
				t.Errorf("%d of %d changes carried", len(seen), len(tt.items))
			}
			for id, n := range seen {
				if n != 1 {
					t.Errorf("change %s carried %d times", id, n)
				}
			}
			if clipped != tt.wantClip {
				t.Errorf("clipped = %v, want %v", clipped, tt.wantClip)
			}
		})
	}
}

// manyItems is n changes spread over revs revisions, each with detail.
func manyItems(n, revs int, detail string) []model.Item {
	var items []model.Item
	for i := range n {
		it := item(i, "data-storage-eu", fmt.Sprintf("c%03d", i*revs/n), differ.NewlyExcluded, fmt.Sprintf("Service %d", i))
		it.Change.Detail = fmt.Sprintf("%sfacts %d", detail, i) // distinct facts: no grouping
		if detail != "" && n == 1 {
			it.Change.Detail = detail
		}
		items = append(items, it)
	}
	return items
}

func TestSummary(t *testing.T) {
	items := manyItems(300, 20, "")
	items[299].Change.Kind = differ.NewlyCompliant
	m := Summary("residiff: backfilled", items, 5)
	if len(m.IDs) != 300 {
		t.Errorf("summary carries %d ids, want 300", len(m.IDs))
	}
	texts := blockTexts(t, m.Blocks)
	if len(texts) != 2+1+5 {
		t.Errorf("got %d blocks, want header, counts, 'Latest', 5 changes:\n%s", len(texts), strings.Join(texts, "\n"))
	}
	if !strings.Contains(texts[1], "*data-storage-eu*: 299 newly excluded, 1 newly compliant") {
		t.Errorf("counts block = %q", texts[1])
	}
	if !strings.Contains(texts[3], "Service 299") {
		t.Errorf("latest change first: got %q", texts[3])
	}
}

// slackServer is an httptest stand-in for Slack that answers each request
// with the next scripted status (200 when the script is used up) and
// records the bodies.
type slackServer struct {
	*httptest.Server
	mu     sync.Mutex
	script []int
	bodies []string
	agents []string
	forms  []url.Values
}

func newSlackServer(t *testing.T, script ...int) *slackServer {
	s := &slackServer{script: script}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		s.mu.Lock()
		code := http.StatusOK
		if len(s.script) > 0 {
			code, s.script = s.script[0], s.script[1:]
		}
		s.bodies = append(s.bodies, string(body))
		s.agents = append(s.agents, r.Header.Get("User-Agent"))
		if form, err := url.ParseQuery(string(body)); err == nil {
			s.forms = append(s.forms, form)
		}
		s.mu.Unlock()
		switch {
		case code == http.StatusTooManyRequests:
			w.Header().Set("Retry-After", "7")
			w.WriteHeader(code)
		case code != http.StatusOK:
			w.WriteHeader(code)
			fmt.Fprint(w, "<html>oops</html>")
		case strings.HasSuffix(r.URL.Path, "chat.postMessage"):
			w.Header().Set("Content-Type", "application/json")
			fmt.Fprintf(w, `{"ok":true,"channel":"C1","ts":"1700000000.%06d"}`, len(s.bodies))
		default:
			fmt.Fprint(w, "ok")
		}
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *slackServer) requests() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.bodies)
}

// fakeSleep records the waits instead of sleeping.
type fakeSleep struct{ waits []time.Duration }

func (f *fakeSleep) sleep(ctx context.Context, d time.Duration) error {
	f.waits = append(f.waits, d)
	return ctx.Err()
}

func testRetry(f *fakeSleep) Retry {
	r := DefaultRetry()
	r.Sleep = f.sleep
	return r
}

func TestWebhookDelivery(t *testing.T) {
	msg := Compose("Residency changes", []model.Item{item(1, "data-storage-eu", "abc1234def", differ.NewlyExcluded, "Azure Customer Lockbox")})[0]
	tests := []struct {
		name      string
		script    []int
		wantErr   string
		wantTries int
		wantWaits []time.Duration
	}{
		{name: "accepted", wantTries: 1},
		{name: "rate limited then accepted", script: []int{429, 429}, wantTries: 3, wantWaits: []time.Duration{7 * time.Second, 7 * time.Second}},
		{name: "server errors then accepted", script: []int{500, 503}, wantTries: 3},
		{name: "server down", script: []int{500, 500, 500, 500, 500}, wantTries: 5, wantErr: "slack webhook $SLACK_WEBHOOK_URL: not delivered after 5 attempt(s): slack server error: 500 Internal Server Error"},
		{name: "bad request is not retried", script: []int{400}, wantTries: 1, wantErr: "not delivered after 1 attempt(s)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newSlackServer(t, tt.script...)
			secretURL := srv.URL + "/services/T000/B000/SECRETSECRET"
			hook := &Webhook{Label: "webhook $SLACK_WEBHOOK_URL", URL: secretURL}
			f := &fakeSleep{}
			_, err := Send(context.Background(), hook, msg, "", testRetry(f))
			if got := srv.requests(); got != tt.wantTries {
				t.Errorf("%d requests, want %d", got, tt.wantTries)
			}
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("Send: %v", err)
				}
				var body slackgo.WebhookMessage
				if err := json.Unmarshal([]byte(srv.bodies[len(srv.bodies)-1]), &body); err != nil {
					t.Fatalf("payload is not a webhook message: %v", err)
				}
				if !strings.Contains(srv.bodies[0], "Azure Customer Lockbox") || len(body.Blocks.BlockSet) != 4 {
					t.Errorf("payload lacks the change or its blocks: %s", srv.bodies[0])
				}
				if ua := srv.agents[0]; !strings.HasPrefix(ua, "residiff/") {
					t.Errorf("User-Agent %q, want residiff/<version>", ua)
				}
			} else {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				if strings.Contains(err.Error(), "SECRET") {
					t.Errorf("error leaks the webhook URL: %v", err)
				}
			}
			if tt.wantWaits != nil && fmt.Sprint(f.waits) != fmt.Sprint(tt.wantWaits) {
				t.Errorf("waits = %v, want %v (Retry-After)", f.waits, tt.wantWaits)
			}
		})
	}
}

func TestWebhookUnreachableScrubsURL(t *testing.T) {
	hook := &Webhook{Label: "webhook $HOOK", URL: "http://127.0.0.1:1/services/T000/B000/SECRETSECRET"}
	r := testRetry(&fakeSleep{})
	r.MaxAttempts = 2
	_, err := Send(context.Background(), hook, Message{Text: "x"}, "", r)
	if err == nil {
		t.Fatal("Send to a closed port succeeded")
	}
	if strings.Contains(err.Error(), "SECRET") || !strings.Contains(err.Error(), "webhook $HOOK") || !strings.Contains(err.Error(), "2 attempt(s)") {
		t.Errorf("error = %v: want the destination, the attempts and no secret", err)
	}
}

func TestRetryAfterTooLong(t *testing.T) {
	srv := newSlackServer(t, 429)
	r := testRetry(&fakeSleep{})
	r.MaxRetryAfter = 5 * time.Second
	_, err := Send(context.Background(), &Webhook{Label: "hook", URL: srv.URL}, Message{Text: "x"}, "", r)
	if err == nil || !strings.Contains(err.Error(), "rate limited for 7s, longer than the 5s allowed") {
		t.Errorf("err = %v", err)
	}
}

func TestBotThreadsAndScrubsToken(t *testing.T) {
	srv := newSlackServer(t)
	bot := NewBot("#compliance-eu", "xoxb-SECRET-TOKEN", srv.URL+"/api")
	ctx := context.Background()
	ts, err := Send(ctx, bot, RunHeader(2), "", testRetry(&fakeSleep{}))
	if err != nil || ts == "" {
		t.Fatalf("header: ts=%q err=%v", ts, err)
	}
	msg := Compose("Residency changes", []model.Item{item(1, "data-storage-eu", "abc1234def", differ.NewlyExcluded, "Azure Customer Lockbox")})[0]
	if _, err := Send(ctx, bot, msg, ts, testRetry(&fakeSleep{})); err != nil {
		t.Fatal(err)
	}
	if len(srv.forms) != 2 {
		t.Fatalf("%d requests, want 2", len(srv.forms))
	}
	reply := srv.forms[1]
	if reply.Get("channel") != "#compliance-eu" || reply.Get("thread_ts") != ts {
		t.Errorf("reply channel=%q thread_ts=%q, want #compliance-eu under %s", reply.Get("channel"), reply.Get("thread_ts"), ts)
	}
	if !strings.Contains(reply.Get("blocks"), "Azure Customer Lockbox") {
		t.Errorf("reply blocks lack the change: %s", reply.Get("blocks"))
	}

	down := newSlackServer(t, 500, 500)
	bot = NewBot("#compliance-eu", "xoxb-SECRET-TOKEN", down.URL+"/api/")
	r := testRetry(&fakeSleep{})
	r.MaxAttempts = 2
	_, err = Send(ctx, bot, msg, "", r)
	if err == nil || strings.Contains(err.Error(), "SECRET") || !strings.HasPrefix(err.Error(), "slack #compliance-eu: ") {
		t.Errorf("err = %v: want the channel named and no token", err)
	}
}

func TestBotPermanentError(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"ok":false,"error":"channel_not_found"}`)
	}))
	defer srv.Close()
	bot := NewBot("#nowhere", "xoxb-T", srv.URL+"/api/")
	_, err := Send(context.Background(), bot, Message{Text: "x"}, "", testRetry(&fakeSleep{}))
	if err == nil || !strings.Contains(err.Error(), "channel_not_found") || !strings.Contains(err.Error(), "1 attempt(s)") {
		t.Errorf("err = %v: want channel_not_found after one attempt", err)
	}
}

// TestWebhookSecretsNeverPrinted posts to webhook URLs that cannot be
// reached, written every way a secret URL can be written, and checks that
// no error carries the secret token: Go re-serialises URLs in its errors,
// so matching the URL as written is not enough.
func TestWebhookSecretsNeverPrinted(t *testing.T) {
	const token = "XOXB7Secret9Token4Value"
	variants := []string{
		"http://127.0.0.1:1/services/T0/B0/" + token,
		"HTTP://127.0.0.1:1/services/T0/B0/" + token,
		"http://user:" + token + "@127.0.0.1:1/services/hook",
		"http://127.0.0.1:1/services/T0/B0/" + token + "?x=1",
		"http://127.0.0.1:1/hook?token=" + token,
		"http://127.0.0.1:1/services/T0/B0/" + token + "#frag",
		"http://127.0.0.1:1/services/T0/B0/" + token + "\x7f",
		"http://127.0.0.1:1/services/T0/B0/\"" + token,
		"http://127.0.0.1:1/services/T0/B0/" + token + " ",
		"http://[::1]:1/services/T0/B0/" + token,
		"http://localhost:1/services/T0/B0/" + token,
		"http://127.0.0.1:1/services/T0/B0/" + strings.ToLower(token),
		"http://127.0.0.1:1/services/T0/B0/" + url.PathEscape(token+"/ü"),
		"http://ünicode.invalid/services/T0/B0/" + token,
		"http://127.0.0.1:1/%2Fservices/T0/B0/" + token,
		"://127.0.0.1/" + token,
		"http:///" + token,
		"127.0.0.1:1/services/" + token,
		"http://127.0.0.1:1/services/T0/B0/" + token + "%",
	}
	msg := Compose("Residency changes", []model.Item{item(1, "data-storage-eu", "abc1234def", differ.NewlyExcluded, "Azure Customer Lockbox")})[0]
	for i, v := range variants {
		hook := &Webhook{Label: "webhook $HOOK", URL: v}
		_, err := Send(context.Background(), hook, msg, "", Retry{MaxAttempts: 1, Sleep: func(context.Context, time.Duration) error { return nil }})
		if err == nil {
			t.Errorf("variant %d: delivered to an unreachable URL", i)
			continue
		}
		low := strings.ToLower(err.Error())
		if strings.Contains(low, strings.ToLower(token)) || strings.Contains(low, "secret9") {
			t.Errorf("variant %d: the error shows the secret: %v", i, err)
		}
	}
	for _, bad := range []string{"ftp://example.com/x", "http://example.com/x", "https://", "not a url", ""} {
		if err := ValidWebhookURL(bad); err == nil {
			t.Errorf("ValidWebhookURL accepted an unusable URL")
		} else if strings.Contains(err.Error(), "example.com") {
			t.Errorf("ValidWebhookURL echoes the URL: %v", err)
		}
	}
	if err := ValidWebhookURL("https://hooks.example.com/services/T/B/x"); err != nil {
		t.Errorf("a good URL refused: %v", err)
	}
}

// TestPacingAndSeverityFirst: a destination waits Pace between messages,
// and a summary lists high-severity changes before medium ones.
func TestPacingAndSeverityFirst(t *testing.T) {
	srv := newSlackServer(t)
	f := &fakeSleep{}
	d := &Destination{poster: &Webhook{Label: "webhook $X", URL: srv.URL + "/hook"}, retry: testRetry(f)}
	var items []model.Item
	for i := 0; i < 120; i++ {
		kind := differ.FieldsChanged
		if i == 3 {
			kind = differ.NewlyCompliant // the one high change, old
		}
		items = append(items, item(i, "data-storage-eu", fmt.Sprintf("c%07d", i), kind, fmt.Sprintf("Service %d", i)))
	}
	rc, err := d.Send(context.Background(), notifier.Batch{Destination: "X", Title: "Residency changes", Items: items})
	if err != nil {
		t.Fatal(err)
	}
	if rc.Messages < 2 || len(f.waits) != rc.Messages-1 {
		t.Fatalf("%d messages, %d waits %v; want one wait of %v between each", rc.Messages, len(f.waits), f.waits, Pace)
	}
	for _, w := range f.waits {
		if w != Pace {
			t.Errorf("waited %v between messages, want %v", w, Pace)
		}
	}
	msg := Digest("residiff: residency changes that piled up", items, 3)
	var texts []string
	for _, b := range msg.Blocks {
		if s, ok := b.(*slackgo.SectionBlock); ok && s.Text != nil {
			texts = append(texts, s.Text.Text)
		}
	}
	joined := strings.Join(texts, "\n")
	if i := strings.Index(joined, "Most severe"); i < 0 || !strings.Contains(joined[i:], "Service 3") {
		t.Errorf("the high-severity change is not among the listed ones:\n%s", joined)
	}
}

// TestFooter: every message ends with its evidence — the repository, the
// page linked to its published version, the commit linked to its diff and
// the hosted report — for the changes that message carries only.
func TestFooter(t *testing.T) {
	var items []model.Item
	for i := range 30 {
		it := item(i, "data-storage-eu", fmt.Sprintf("%040d", i/10), differ.NewlyExcluded, fmt.Sprintf("Service %d", i))
		it.Repository, it.Title = "entra-docs", "Customer data storage for EU customers"
		it.PageURL = "https://learn.microsoft.com/entra/fundamentals/data-storage-eu"
		it.CommitURL = "https://github.com/MicrosoftDocs/entra-docs/commit/" + it.Commit
		items = append(items, it)
	}
	d := NewWebhook("webhook $X", "https://hooks.slack.invalid/services/T/B/C", Retry{MaxAttempts: 1})
	d.GroupAt = -1
	previews := d.Preview(notifier.Batch{Destination: "X", Title: "Residency changes", Items: items, ReportURL: "https://compliance.example/report.html"})
	if len(previews) < 1 {
		t.Fatal("no message")
	}
	for i, p := range previews {
		data, err := json.Marshal(p.Message)
		if err != nil {
			t.Fatal(err)
		}
		var msg struct {
			Blocks []struct {
				Type     string `json:"type"`
				Elements []struct {
					Text string `json:"text"`
				} `json:"elements"`
			} `json:"blocks"`
		}
		if err := json.Unmarshal(data, &msg); err != nil {
			t.Fatal(err)
		}
		last := msg.Blocks[len(msg.Blocks)-1]
		if last.Type != "context" || len(last.Elements) != 1 {
			t.Fatalf("message %d ends with %s, want the footer's context block", i, last.Type)
		}
		footer := last.Elements[0].Text
		for _, want := range []string{"repository entra-docs", "<https://learn.microsoft.com/entra/fundamentals/data-storage-eu|Customer data storage for EU customers>",
			"/commit/", "<https://compliance.example/report.html|report>"} {
			if !strings.Contains(footer, want) {
				t.Errorf("message %d footer lacks %q: %s", i, want, footer)
			}
		}
		if len(msg.Blocks) > MaxBlocks {
			t.Errorf("message %d has %d blocks with its footer", i, len(msg.Blocks))
		}
	}
}

// TestFooterClippedOnALinkBoundary: a backfill summary over many pages
// and commits has a footer past MaxFooterText: whole links are left out
// and counted, no link is cut, and the report link stays.
func TestFooterClippedOnALinkBoundary(t *testing.T) {
	var items []model.Item
	for i := range 40 {
		page := fmt.Sprintf("data-storage-page-%02d", i)
		it := item(i, page, fmt.Sprintf("%040d", i), differ.NewlyExcluded, fmt.Sprintf("Service %d", i))
		it.Repository, it.Title = "entra-docs", fmt.Sprintf("Customer data storage, page %d", i)
		it.PageURL = "https://learn.microsoft.com/entra/fundamentals/" + page
		it.CommitURL = "https://github.com/MicrosoftDocs/entra-docs/commit/" + it.Commit
		items = append(items, it)
	}
	report := "https://compliance.example/report.html"
	d := NewWebhook("webhook $X", "https://hooks.slack.invalid/services/T/B/C", Retry{MaxAttempts: 1})
	previews := d.Preview(notifier.Batch{Destination: "X", Title: "Residency changes", Items: items, Summary: true, ReportURL: report})
	if len(previews) == 0 {
		t.Fatal("no message")
	}
	data, err := json.Marshal(previews[len(previews)-1].Message)
	if err != nil {
		t.Fatal(err)
	}
	var msg struct {
		Blocks []struct {
			Type     string `json:"type"`
			Elements []struct {
				Text string `json:"text"`
			} `json:"elements"`
		} `json:"blocks"`
	}
	if err := json.Unmarshal(data, &msg); err != nil {
		t.Fatal(err)
	}
	last := msg.Blocks[len(msg.Blocks)-1]
	if last.Type != "context" || len(last.Elements) != 1 {
		t.Fatalf("the summary ends with %s, want the footer", last.Type)
	}
	footer := last.Elements[0].Text
	if n := len([]rune(footer)); n > MaxFooterText {
		t.Errorf("footer has %d characters, limit %d", n, MaxFooterText)
	}
	if strings.Count(footer, "<") != strings.Count(footer, ">") || strings.Contains(footer, "…>") {
		t.Errorf("a link is cut: %s", footer)
	}
	for _, part := range strings.Split(footer, " · ") {
		if strings.HasPrefix(part, "<") != strings.HasSuffix(part, ">") {
			t.Errorf("footer part %q is a cut link", part)
		}
	}
	m := regexp.MustCompile(`… (\d+) more links left out`).FindStringSubmatch(footer)
	if m == nil {
		t.Fatalf("the footer does not say how many links were left out: %s", footer)
	}
	// The links: the repository, 40 pages, three commits, "37 more
	// commits" and the report; all but the report are shown or counted.
	shown := len(strings.Split(footer, " · ")) - 2 // without the count and the report
	if left, _ := strconv.Atoi(m[1]); shown+left != 45 || shown < 5 {
		t.Errorf("%d links shown and %s left out, want 45 in all: %s", shown, m[1], footer)
	}
	if !strings.HasSuffix(footer, " · <"+report+"|report>") {
		t.Errorf("the report link is not kept at the end: %s", footer)
	}
}
