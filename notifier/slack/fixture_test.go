package slack

import (
	"bytes"
	"context"
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"github.com/residiff/residiff/internal/fixtureitems"

	goldenfile "github.com/residiff/residiff/internal/golden"
	"github.com/residiff/residiff/internal/linkcheck"
	"github.com/residiff/residiff/notifier"
)

// fixtureBatches are the medium and high changes of the bundled history,
// one batch per revision, as successive runs send them.
func fixtureBatches(t *testing.T) []notifier.Batch {
	t.Helper()
	var out []notifier.Batch
	for _, rev := range fixtureitems.ByRevision(fixtureitems.Items(t)) {
		out = append(out, notifier.Batch{Destination: "SLACK_WEBHOOK_URL", Title: "Residency changes: " + rev[0].Page,
			ReportURL: "https://compliance.example/residency/report.html", Items: rev})
	}
	return out
}

// TestFixtureMessages: the Slack messages of the fixture history, read by
// hand in testdata (-update rewrites them): as webhook bodies, and as a bot
// posts them (a run header, then each message in its thread) to a Slack
// API stand-in. Both hold the grouped line of the 2024 restructure, the
// no-longer-listed changes linking the previous version's line, and the
// evidence footer; every link lands.
func TestFixtureMessages(t *testing.T) {
	batches := fixtureBatches(t)
	webhook := NewWebhook("webhook $SLACK_WEBHOOK_URL", "https://hooks.slack.invalid/services/T/B/C", Retry{MaxAttempts: 1})
	var previews []notifier.Preview
	for _, b := range batches {
		previews = append(previews, webhook.Preview(b)...)
	}
	goldenfile.CheckJSON(t, "testdata/fixture-webhook.json", previews)

	srv := newSlackServer(t)
	bot := NewBotDestination("#compliance-eu", "xoxb-TOKEN", srv.URL+"/api", testRetry(&fakeSleep{}))
	for _, b := range batches {
		b.Destination = "#compliance-eu"
		if _, err := bot.Send(context.Background(), b); err != nil {
			t.Fatal(err)
		}
	}
	type post struct {
		Channel, ThreadTS, Text string
		Blocks                  json.RawMessage
	}
	var posts []post
	for _, f := range srv.forms {
		if f.Get("blocks") == "" {
			continue // conversations.history: what the channel already has
		}
		posts = append(posts, post{Channel: f.Get("channel"), ThreadTS: f.Get("thread_ts"), Text: f.Get("text"), Blocks: json.RawMessage(f.Get("blocks"))})
	}
	goldenfile.CheckJSON(t, "testdata/fixture-bot.json", posts)

	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(previews); err != nil {
		t.Fatal(err)
	}
	// Block Kit types marshal themselves, escaping <, > and &.
	data := strings.NewReplacer(`\u003c`, "<", `\u003e`, ">", `\u0026`, "&").Replace(buf.String())
	var links []string
	for _, m := range regexp.MustCompile(`<([^<>|]+)\|`).FindAllStringSubmatch(data, -1) {
		links = append(links, m[1])
	}
	linkcheck.Check(t, "Slack messages", links, 30)
	for _, want := range []string{"services* are no longer listed", "previous version L", ":large_green_circle:", "report.html|report>"} {
		if !strings.Contains(data, want) {
			t.Errorf("the fixture messages lack %q", want)
		}
	}
}
