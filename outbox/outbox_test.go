package outbox

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/residiff/residiff/differ"
	"github.com/residiff/residiff/model"
	"github.com/residiff/residiff/state"
)

func item(id, page, scope string, sev differ.Severity, day int) model.Item {
	return model.Item{Page: page, Region: "Europe", Commit: "c" + id, Date: time.Date(2024, 1, day, 0, 0, 0, 0, time.UTC),
		Change: differ.Change{ID: id, Kind: differ.NewlyExcluded, Severity: sev, Scope: scope}}
}

func TestQueueAndPlan(t *testing.T) {
	now := time.Date(2024, 2, 1, 0, 0, 0, 0, time.UTC)
	p := Policy{MinSeverity: differ.Medium, Default: "#all", FirstRun: "summary",
		Routes: []Route{{Scope: "EU Data Boundary", Destination: "#eudb"}, {Page: "data-storage-*", Scope: "EU Data Boundary", Destination: "#edb-pages"}}}
	st := state.New()
	items := []model.Item{
		item("b", "data-storage-eu", "EU Data Boundary", differ.High, 3),
		item("a", "data-storage-eu", "EU Data Residency", differ.High, 2),
		item("low", "data-storage-eu", "EU Data Residency", differ.Low, 2),
	}
	Queue(st, items, p, false, now)
	Queue(st, items, p, false, now) // queued once per destination, however often seen
	var keys []string
	for _, pe := range st.Outbox {
		keys = append(keys, pe.Key())
	}
	if got, want := strings.Join(keys, "|"), "#eudb b|#edb-pages b|#all a"; got != want {
		t.Fatalf("outbox = %s, want %s", got, want)
	}
	batches := Plan(st.Outbox)
	var got []string
	for _, b := range batches {
		got = append(got, b.Destination+":"+b.Title)
	}
	if want := "#all:Residency changes: data-storage-eu|#edb-pages:Residency changes: data-storage-eu|#eudb:Residency changes: data-storage-eu"; strings.Join(got, "|") != want {
		t.Errorf("plan = %v, want %s", got, want)
	}
	st.Deliver("#eudb", []string{"b"}, now)
	if len(st.Outbox) != 2 || st.Delivered["#eudb b"] != now {
		t.Errorf("after delivery: outbox %d, delivered %v", len(st.Outbox), st.Delivered)
	}
	Queue(st, items, p, false, now)
	if len(st.Outbox) != 2 {
		t.Errorf("a delivered change was queued again: %d pending", len(st.Outbox))
	}
}

func TestFirstRunPolicies(t *testing.T) {
	now := time.Now()
	items := []model.Item{item("x", "data-storage-japan", "Japan", differ.High, 1), item("y", "data-storage-japan", "Japan", differ.Medium, 2)}
	for _, tc := range []struct {
		policy             string
		pending, delivered int
		summaryPlan        bool
	}{
		{"summary", 2, 0, true},
		{"all", 2, 0, false},
		{"none", 0, 2, false},
	} {
		st := state.New()
		Queue(st, items, Policy{Default: "#c", FirstRun: tc.policy, MinSeverity: differ.Low}, true, now)
		if len(st.Outbox) != tc.pending || len(st.Delivered) != tc.delivered {
			t.Errorf("%s: %d pending, %d delivered; want %d, %d", tc.policy, len(st.Outbox), len(st.Delivered), tc.pending, tc.delivered)
		}
		if tc.pending > 0 {
			b := Plan(st.Outbox)
			if len(b) != 1 || b[0].Summary != tc.summaryPlan || len(b[0].Items) != 2 || b[0].Pending != 2 {
				t.Errorf("%s: plan = %+v", tc.policy, b)
			}
		}
	}
}

// TestBacklogDigest: a destination with more pending changes than the
// backlog allows, or with changes older than it allows, gets one digest.
func TestBacklogDigest(t *testing.T) {
	now := time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)
	st := state.New()
	var items []model.Item
	for i := 0; i < 30; i++ {
		items = append(items, item(fmt.Sprintf("c%02d", i), "data-storage-eu", "EU Data Boundary", differ.High, 1+i%28))
	}
	Queue(st, items, Policy{Default: "#c", FirstRun: "all"}, false, now)
	b := Plan(st.Outbox, Backlog{MaxItems: 20, Now: now})
	if len(b) != 1 || !b[0].Digest || len(b[0].Items) != 30 {
		t.Fatalf("30 pending with a backlog of 20: %d batches (digest %v)", len(b), len(b) > 0 && b[0].Digest)
	}
	if b := Plan(st.Outbox, Backlog{MaxItems: 50, Now: now}); len(b) != 1 || b[0].Digest {
		t.Errorf("30 pending with a backlog of 50 went out as a digest")
	}
	// Ten of them were queued a month ago.
	for i := 0; i < 10; i++ {
		st.Outbox[i].Queued = now.AddDate(0, -1, 0)
	}
	b = Plan(st.Outbox, Backlog{MaxItems: 50, MaxAge: 14 * 24 * time.Hour, Now: now})
	if len(b) != 2 || !b[0].Digest || len(b[0].Items) != 10 || b[1].Digest || len(b[1].Items) != 20 {
		t.Errorf("old changes: %d batches", len(b))
	}
}
