package slack

import (
	"context"
	"encoding/json"
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

// droppingSlack is a Slack API stand-in whose channel keeps what was
// posted (with its blocks) and answers conversations.replies from it. The
// first change post (a reply carrying blocks) is answered by closing the
// connection: after recording it ("record"), or before ("lose").
type droppingSlack struct {
	*httptest.Server
	mu      sync.Mutex
	mode    string
	dropped bool
	posts   int
	replies []json.RawMessage // the thread's messages as conversations.replies returns them
	reads   int
	// unreadable answers conversations.replies with an error.
	unreadable bool
}

func newDroppingSlack(t *testing.T, mode string) *droppingSlack {
	s := &droppingSlack{mode: mode}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm()
		w.Header().Set("Content-Type", "application/json")
		s.mu.Lock()
		defer s.mu.Unlock()
		switch {
		case strings.HasSuffix(r.URL.Path, "chat.postMessage"):
			reply := r.Form.Get("thread_ts") != ""
			if reply && !s.dropped {
				s.dropped = true
				if s.mode == "record" {
					s.record(r)
				}
				conn, _, err := w.(http.Hijacker).Hijack()
				if err == nil {
					_ = conn.Close()
				}
				return
			}
			if reply {
				s.record(r)
			} else {
				s.posts++
			}
			fmt.Fprintf(w, `{"ok":true,"channel":"C0RESIDENCY","ts":"1700000100.%06d"}`, s.posts+len(s.replies))
		case strings.HasSuffix(r.URL.Path, "conversations.replies") && s.unreadable:
			fmt.Fprint(w, `{"ok":false,"error":"missing_scope"}`)
		case strings.HasSuffix(r.URL.Path, "conversations.replies"):
			s.reads++
			msgs := append([]json.RawMessage{json.RawMessage(`{"type":"message","ts":"1700000100.000001","text":"header"}`)}, s.replies...)
			data, _ := json.Marshal(msgs)
			fmt.Fprintf(w, `{"ok":true,"has_more":false,"messages":%s}`, data)
		case strings.HasSuffix(r.URL.Path, "conversations.history"):
			fmt.Fprint(w, `{"ok":true,"has_more":false,"messages":[]}`)
		default:
			fmt.Fprint(w, `{"ok":false,"error":"unknown_method"}`)
		}
	}))
	t.Cleanup(s.Close)
	return s
}

// record keeps a reply with the blocks it was posted with.
func (s *droppingSlack) record(r *http.Request) {
	s.posts++
	blocks := r.Form.Get("blocks")
	if blocks == "" {
		blocks = "[]"
	}
	s.replies = append(s.replies, json.RawMessage(fmt.Sprintf(`{"type":"message","ts":"1700000100.%06d","thread_ts":%q,"text":"changes","blocks":%s}`,
		100+len(s.replies), r.Form.Get("thread_ts"), blocks)))
}

// TestBotReadsBackAfterADroppedPost: Slack recorded the message and the
// connection dropped before its answer: the bot reads the thread back,
// finds the message and does not post it again. When Slack did not record
// it, the read-back finds nothing and the message is posted once.
func TestBotReadsBackAfterADroppedPost(t *testing.T) {
	it := item(7, "data-storage-eu", "1995d1f6dc40", differ.NewlyExcluded, "Azure Customer Lockbox")
	for _, tt := range []struct {
		mode        string
		wantReplies int // change messages in the thread
	}{
		{mode: "record", wantReplies: 1},
		{mode: "lose", wantReplies: 1},
	} {
		t.Run(tt.mode, func(t *testing.T) {
			srv := newDroppingSlack(t, tt.mode)
			f := &fakeSleep{}
			d := NewBotDestination("#residency", "xoxb-SECRET-TOKEN", srv.URL+"/api/", testRetry(f))
			d.now = func() time.Time { return time.Unix(1700000200, 0) }
			var delivered []string
			_, err := d.Send(context.Background(), notifier.Batch{Title: "Residency changes", Items: []model.Item{it}, Pending: 1,
				Delivered: func(ids []string) error { delivered = append(delivered, ids...); return nil }})
			if err != nil {
				t.Fatal(err)
			}
			srv.mu.Lock()
			defer srv.mu.Unlock()
			if len(srv.replies) != tt.wantReplies {
				t.Errorf("%d change message(s) in the thread, want %d", len(srv.replies), tt.wantReplies)
			}
			if srv.reads == 0 {
				t.Error("the thread was not read back after the dropped post")
			}
			if len(delivered) != 1 || delivered[0] != it.Change.ID {
				t.Errorf("delivered %v, want [%s]", delivered, it.Change.ID)
			}
		})
	}
}

// TestBotUnknownOutcomeUnreadable: when the thread cannot be read back
// after a dropped post, the message is not posted again: the delivery
// fails (it stays pending; the next run reads the channel first).
func TestBotUnknownOutcomeUnreadable(t *testing.T) {
	it := item(7, "data-storage-eu", "1995d1f6dc40", differ.NewlyExcluded, "Azure Customer Lockbox")
	srv := newDroppingSlack(t, "record")
	f := &fakeSleep{}
	d := NewBotDestination("#residency", "xoxb-SECRET-TOKEN", srv.URL+"/api/", testRetry(f))
	d.seen = map[string]bool{} // no history lookup at the start
	srv.mu.Lock()
	srv.unreadable = true
	srv.mu.Unlock()
	_, err := d.Send(context.Background(), notifier.Batch{Title: "Residency changes", Items: []model.Item{it}, Pending: 1})
	if err == nil || !strings.Contains(err.Error(), "not posted again") || strings.Contains(err.Error(), "SECRET") {
		t.Fatalf("err = %v, want a failure that posts nothing again and names no token", err)
	}
	srv.mu.Lock()
	defer srv.mu.Unlock()
	if len(srv.replies) != 1 {
		t.Errorf("%d change message(s) posted, want the one recorded", len(srv.replies))
	}
}
