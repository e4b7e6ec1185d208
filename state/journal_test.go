package state

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/residiff/residiff/differ"
	"github.com/residiff/residiff/model"
)

func pending(dest, id string) Pending {
	return Pending{Destination: dest, Item: model.Item{Page: "p", Change: differ.Change{ID: id, Severity: differ.High}}}
}

// TestJournal: deliveries appended to the journal are in the state Load
// returns; Save folds them in and removes the journal; a last line torn
// by a crash is ignored, a damaged line before it is corruption.
func TestJournal(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.json")
	st := New()
	st.Outbox = []Pending{pending("#eu", "a"), pending("#eu", "b"), pending("#jp", "a")}
	if err := Save(path, st, SaveOptions{}); err != nil {
		t.Fatal(err)
	}
	t1 := time.Date(2026, 11, 29, 10, 0, 0, 0, time.UTC)
	if err := Journal(path, "#eu", []string{"a", "b"}, t1); err != nil {
		t.Fatal(err)
	}
	if err := Journal(path, "#jp", []string{"a"}, t1.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	got, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Outbox) != 0 || len(got.Delivered) != 3 || !got.LastMessage.Equal(t1.Add(time.Minute)) {
		t.Fatalf("after replay: outbox %d, delivered %v, last message %v", len(got.Outbox), got.Delivered, got.LastMessage)
	}
	// Replaying twice (a crash after Save renamed, before the journal
	// was removed) changes nothing.
	again, err := Load(path)
	if err != nil || len(again.Delivered) != 3 {
		t.Fatalf("second replay: %v, %v", again, err)
	}
	if err := Save(path, got, SaveOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(JournalPath(path)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the journal survived the save that folded it in: %v", err)
	}
	folded, err := Load(path)
	if err != nil || len(folded.Delivered) != 3 {
		t.Fatalf("after folding: %+v, %v", folded, err)
	}

	// A torn last line: the delivery was never confirmed.
	st = New()
	st.Outbox = []Pending{pending("#eu", "c"), pending("#eu", "d")}
	if err := Save(path, st, SaveOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := Journal(path, "#eu", []string{"c"}, t1); err != nil {
		t.Fatal(err)
	}
	f, err := os.OpenFile(JournalPath(path), os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteString(`{"destination":"#eu","ids":["d"],"at":"2026-`); err != nil {
		t.Fatal(err)
	}
	f.Close()
	torn, err := Load(path)
	if err != nil {
		t.Fatalf("torn last line: %v", err)
	}
	if len(torn.Outbox) != 1 || torn.Outbox[0].Item.Change.ID != "d" {
		t.Errorf("torn last line: outbox %+v, want d still pending", torn.Outbox)
	}

	// A damaged line followed by others is not a crash's doing.
	if err := os.WriteFile(JournalPath(path), []byte("garbage\n{\"destination\":\"#eu\",\"ids\":[\"d\"],\"at\":\"2026-11-29T10:00:00Z\"}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(path); !errors.Is(err, ErrCorrupt) {
		t.Errorf("damaged journal: err %v, want ErrCorrupt", err)
	}
}

// TestMoveAside: the state and its journal move aside together; the next
// Load finds nothing, and the moved state still replays its journal.
func TestMoveAside(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "state.json")
	st := New()
	if err := Save(path, st, SaveOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := Journal(path, "#eu", []string{"a1"}, time.Unix(0, 0)); err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)
	aside, err := MoveAside(path, now)
	if err != nil {
		t.Fatal(err)
	}
	if want := path + ".reset-20260304T050607Z"; aside != want {
		t.Errorf("aside %s, want %s", aside, want)
	}
	if _, err := Load(path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("load after the move: %v, want no state", err)
	}
	if _, err := os.Stat(JournalPath(path)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the journal stayed behind: %v", err)
	}
	moved, err := Load(aside)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := moved.Delivered[Key("#eu", "a1")]; !ok {
		t.Error("the moved state lost its journaled delivery")
	}
	if _, err := MoveAside(path, now); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a second move: %v, want os.ErrNotExist", err)
	}
}

// TestJournalUnknownOutcome: a message journaled with an unknown outcome
// replays as delivered (never sent again) and listed as uncertain.
func TestJournalUnknownOutcome(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.json")
	st := New()
	st.Outbox = []Pending{pending("email:a@b.c", "x1"), pending("email:a@b.c", "x2")}
	if err := Save(path, st, SaveOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := JournalOutcome(path, "email:a@b.c", []string{"x1"}, time.Unix(10, 0), OutcomeUnknown); err != nil {
		t.Fatal(err)
	}
	got, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	k := Key("email:a@b.c", "x1")
	if _, ok := got.Delivered[k]; !ok || got.Uncertain[k].IsZero() || len(got.Outbox) != 1 || len(got.Uncertain) != 1 {
		t.Errorf("delivered %v, uncertain %v, outbox %d", got.Delivered, got.Uncertain, len(got.Outbox))
	}
}
