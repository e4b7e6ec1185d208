package slack

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/residiff/residiff/differ"
	"github.com/residiff/residiff/model"
	"github.com/residiff/residiff/notifier"
)

// botStandIn answers chat.postMessage, and conversations.history and
// conversations.replies with a channel in which an earlier run's header
// has one reply carrying the change ids in posted.
type botStandIn struct {
	*httptest.Server
	mu      sync.Mutex
	posts   []string // the text of each chat.postMessage
	history string   // "ok", "missing_scope"
}

func newBotStandIn(t *testing.T, history string, posted ...string) *botStandIn {
	s := &botStandIn{history: history}
	var blocks []string
	for _, id := range posted {
		blocks = append(blocks, fmt.Sprintf(`{"type":"section","block_id":"%s%s","text":{"type":"mrkdwn","text":"x"}}`, BlockIDPrefix, id))
	}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm()
		w.Header().Set("Content-Type", "application/json")
		s.mu.Lock()
		defer s.mu.Unlock()
		switch {
		case strings.HasSuffix(r.URL.Path, "chat.postMessage"):
			s.posts = append(s.posts, r.Form.Get("text"))
			fmt.Fprintf(w, `{"ok":true,"channel":"C0RESIDENCY","ts":"1700000100.%06d"}`, len(s.posts))
		case s.history != "ok":
			fmt.Fprintf(w, `{"ok":false,"error":%q}`, s.history)
		case r.Form.Get("channel") != "C0RESIDENCY":
			fmt.Fprint(w, `{"ok":false,"error":"channel_not_found"}`)
		case strings.HasSuffix(r.URL.Path, "conversations.history"):
			fmt.Fprint(w, `{"ok":true,"has_more":false,"messages":[{"type":"message","ts":"1700000000.000001","text":"residiff: 1 residency change(s) to review","reply_count":1,"thread_ts":"1700000000.000001"}]}`)
		case strings.HasSuffix(r.URL.Path, "conversations.replies"):
			fmt.Fprintf(w, `{"ok":true,"has_more":false,"messages":[{"type":"message","ts":"1700000000.000001","text":"header"},{"type":"message","ts":"1700000000.000002","thread_ts":"1700000000.000001","text":"changes","blocks":[%s]}]}`, strings.Join(blocks, ","))
		default:
			fmt.Fprint(w, `{"ok":false,"error":"unknown_method"}`)
		}
	}))
	t.Cleanup(s.Close)
	return s
}

// TestBotSkipsWhatAnInterruptedRunPosted: in bot mode a message Slack
// accepted before the run was killed (so the state never recorded it) is
// found in the channel's threads by its block ids and recorded, not posted
// again — exactly once. A token that cannot read history falls back to
// posting, with a warning.
func TestBotSkipsWhatAnInterruptedRunPosted(t *testing.T) {
	it := item(7, "data-storage-eu", "1995d1f6dc40", differ.NewlyExcluded, "Azure Customer Lockbox")
	tests := []struct {
		name      string
		history   string
		posted    []string
		wantPosts int // including the run header
		wantWarn  bool
	}{
		{name: "already in the channel", history: "ok", posted: []string{it.Change.ID}, wantPosts: 1},
		{name: "not in the channel", history: "ok", posted: []string{"id9999"}, wantPosts: 2},
		{name: "history not readable", history: "missing_scope", posted: []string{it.Change.ID}, wantPosts: 2, wantWarn: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newBotStandIn(t, tt.history, tt.posted...)
			f := &fakeSleep{}
			d := NewBotDestination("#residency", "xoxb-SECRET-TOKEN", srv.URL+"/api/", testRetry(f))
			d.now = func() time.Time { return time.Unix(1700000200, 0) }
			var warns []string
			d.Warn = func(s string) { warns = append(warns, s) }
			var delivered []string
			rc, err := d.Send(context.Background(), notifier.Batch{Title: "Residency changes", Items: []model.Item{it}, Pending: 1,
				Delivered: func(ids []string) error { delivered = append(delivered, ids...); return nil }})
			if err != nil {
				t.Fatal(err)
			}
			if len(srv.posts) != tt.wantPosts {
				t.Errorf("%d chat.postMessage calls (%q), want %d", len(srv.posts), srv.posts, tt.wantPosts)
			}
			if len(delivered) != 1 || delivered[0] != it.Change.ID || len(rc.IDs) != 1 {
				t.Errorf("delivered %v (receipt %v), want [%s]", delivered, rc.IDs, it.Change.ID)
			}
			if (len(warns) > 0) != tt.wantWarn {
				t.Errorf("warnings %q, want any: %v", warns, tt.wantWarn)
			}
			for _, w := range warns {
				if strings.Contains(w, "SECRET") {
					t.Errorf("warning leaks the token: %s", w)
				}
			}
		})
	}
}
