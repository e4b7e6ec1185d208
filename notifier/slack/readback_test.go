package slack

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/residiff/residiff/differ"
	"github.com/residiff/residiff/internal/slacktest"
	"github.com/residiff/residiff/model"
	"github.com/residiff/residiff/notifier"
)

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
		{mode: slacktest.DropRecord, wantReplies: 1},
		{mode: slacktest.DropLose, wantReplies: 1},
	} {
		t.Run(tt.mode, func(t *testing.T) {
			srv := slacktest.Start(t, slacktest.Options{Drop: tt.mode})
			f := &fakeSleep{}
			d := NewBotDestination("#residency", "xoxb-SECRET-TOKEN", srv.URL+"/api/", testRetry(f))
			d.now = func() time.Time { return time.Unix(1700000200, 0) }
			var delivered []string
			_, err := d.Send(context.Background(), notifier.Batch{Title: "Residency changes", Items: []model.Item{it}, Pending: 1,
				Delivered: func(ids []string) error { delivered = append(delivered, ids...); return nil }})
			if err != nil {
				t.Fatal(err)
			}
			if n := len(srv.Replies()); n != tt.wantReplies {
				t.Errorf("%d change message(s) in the thread, want %d", n, tt.wantReplies)
			}
			if !srv.Dropped() {
				t.Error("the stand-in dropped no post: the test proves nothing")
			}
			if srv.Reads() == 0 {
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
	srv := slacktest.Start(t, slacktest.Options{Drop: slacktest.DropRecord})
	f := &fakeSleep{}
	d := NewBotDestination("#residency", "xoxb-SECRET-TOKEN", srv.URL+"/api/", testRetry(f))
	d.seen = map[string]bool{} // no history lookup at the start
	srv.SetUnreadable(true)
	_, err := d.Send(context.Background(), notifier.Batch{Title: "Residency changes", Items: []model.Item{it}, Pending: 1})
	if err == nil || !strings.Contains(err.Error(), "not posted again") || strings.Contains(err.Error(), "SECRET") {
		t.Fatalf("err = %v, want a failure that posts nothing again and names no token", err)
	}
	if n := len(srv.Replies()); n != 1 {
		t.Errorf("%d change message(s) posted, want the one recorded", n)
	}
}
