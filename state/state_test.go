package state

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/residiff/residiff/differ"
	"github.com/residiff/residiff/model"
)

func sample() *State {
	s := New()
	s.Repositories["entra"] = &Repository{Source: "https://example.com/docs.git", Branch: "main", Processed: "d573c2f",
		Pages: map[string]Page{"data-storage-eu": {Commit: "1995d1f", Path: "docs/fundamentals/data-storage-eu.md"}}}
	s.Outbox = []Pending{{Destination: "#eu", Queued: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC),
		Item: model.Item{Page: "data-storage-eu", Commit: "1995d1f", Change: differ.Change{ID: "ab12cd34ef56ab78", Kind: differ.NewlyExcluded, Severity: differ.High, Service: "Azure Customer Lockbox"}}}}
	s.Delivered[Key("#eu", "0011223344556677")] = time.Date(2024, 1, 2, 0, 0, 0, 0, time.UTC)
	return s
}

func TestSaveLoadRoundTrip(t *testing.T) {
	p := filepath.Join(t.TempDir(), "sub", "state.json")
	if err := Save(p, sample(), SaveOptions{}); err != nil {
		t.Fatal(err)
	}
	got, err := Load(p)
	if err != nil {
		t.Fatal(err)
	}
	if got.Repositories["entra"].Processed != "d573c2f" || got.Outbox[0].Item.Change.Severity != differ.High ||
		got.Outbox[0].Key() != "#eu ab12cd34ef56ab78" || len(got.Delivered) != 1 {
		t.Errorf("round trip lost data: %+v", got)
	}
	if _, err := os.Stat(p + ".bak"); !errors.Is(err, os.ErrNotExist) {
		t.Error("first save wrote a backup of nothing")
	}
	got.Repositories["entra"].Processed = "e000000"
	if err := Save(p, got, SaveOptions{}); err != nil {
		t.Fatal(err)
	}
	bak, err := Load(p + ".bak")
	if err != nil || bak.Repositories["entra"].Processed != "d573c2f" {
		t.Errorf("backup = %v, %v: want the previous state", bak, err)
	}
	info, _ := os.Stat(p)
	if info.Mode().Perm() != 0o600 {
		t.Errorf("state mode %v, want 0600", info.Mode().Perm())
	}
}

func TestLoadCorrupt(t *testing.T) {
	good, err := Encode(sample())
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct{ name, content, want string }{
		{"truncated", string(good[:len(good)/2]), "unexpected EOF"},
		{"empty", "", "empty file"},
		{"not JSON", "version: 1\n", "invalid character"},
		{"unknown field", `{"version":1,"surprise":true}`, `unknown field "surprise"`},
		{"no version", `{"repositories":{}}`, "no version"},
		{"newer", `{"version":9}`, "newer residiff"},
		{"trailing", string(good) + "{}", "trailing data"},
		{"null repository", `{"version":1,"repositories":{"x":null}}`, `repository "x" is null`},
		{"outbox without id", `{"version":1,"outbox":[{"destination":"#a","item":{"page":"p","commit":"c","date":"2024-01-01T00:00:00Z","change":{"id":"","kind":"editorial","severity":"low"}}}]}`, "outbox[0]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := filepath.Join(t.TempDir(), "state.json")
			if err := os.WriteFile(p, []byte(tt.content), 0o600); err != nil {
				t.Fatal(err)
			}
			_, err := Load(p)
			if !errors.Is(err, ErrCorrupt) {
				t.Fatalf("err = %v, want ErrCorrupt", err)
			}
			for _, want := range []string{p, tt.want, p + ".bak", "move it away"} {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q lacks %q", err, want)
				}
			}
			after, _ := os.ReadFile(p)
			if string(after) != tt.content {
				t.Error("Load changed the corrupt file")
			}
		})
	}
}

func TestLoadMissing(t *testing.T) {
	_, err := Load(filepath.Join(t.TempDir(), "none.json"))
	if !errors.Is(err, os.ErrNotExist) {
		t.Errorf("err = %v, want ErrNotExist", err)
	}
}

func TestSaveCrashBeforeRenameKeepsOldState(t *testing.T) {
	p := filepath.Join(t.TempDir(), "state.json")
	if err := Save(p, sample(), SaveOptions{}); err != nil {
		t.Fatal(err)
	}
	next := sample()
	next.Repositories["entra"].Processed = "fffffff"
	// A panic stands in for the process dying between write and rename.
	func() {
		defer func() { _ = recover() }()
		_ = Save(p, next, SaveOptions{BeforeRename: func() { panic("killed") }})
	}()
	got, err := Load(p)
	if err != nil || got.Repositories["entra"].Processed != "d573c2f" {
		t.Errorf("after a crash before rename: %v, %v; want the old state intact", got, err)
	}
}

func TestLock(t *testing.T) {
	p := filepath.Join(t.TempDir(), "state.json")
	l1, err := Acquire(p)
	if err != nil {
		t.Fatal(err)
	}
	_, err = Acquire(p)
	if !errors.Is(err, ErrLocked) || !strings.Contains(err.Error(), p+".lock") {
		t.Errorf("second Acquire: %v, want ErrLocked naming the lock file", err)
	}
	if err := l1.Release(); err != nil {
		t.Fatal(err)
	}
	l2, err := Acquire(p)
	if err != nil {
		t.Fatalf("Acquire after Release: %v", err)
	}
	l2.Release()
}

func TestMigrateVersion1(t *testing.T) {
	v1 := `{"version": 1, "repositories": {"entra-docs": {"source": "https://example.com/entra-docs.git", "branch": "main",
	  "processed": "1995d1f6dc40", "pages": {"data-storage-eu": {"commit": "1995d1f6dc40", "path": "docs/data-storage-eu.md"}}}},
	  "outbox": [{"destination": "SLACK_WEBHOOK_URL", "item": {"page": "data-storage-eu", "commit": "1995d1f", "date": "2024-02-16T00:00:00Z",
	  "change": {"id": "ab12cd34ef56ab78", "kind": "newly_excluded", "severity": "high", "service": "Azure Customer Lockbox"}}, "queued": "2024-02-16T00:00:00Z"}],
	  "delivered": {"SLACK_WEBHOOK_URL 0011223344556677": "2024-02-15T00:00:00Z"}, "updated": "2024-02-16T00:00:00Z"}`
	s, err := Decode([]byte(v1))
	if err != nil {
		t.Fatal(err)
	}
	if s.Version != Version || s.Repositories["entra-docs"].Profile != "entra" {
		t.Errorf("migrated = version %d, profile %q; want %d, entra", s.Version, s.Repositories["entra-docs"].Profile, Version)
	}
	if len(s.Outbox) != 1 || s.Outbox[0].Item.Change.Severity != differ.High || len(s.Delivered) != 1 {
		t.Errorf("migration lost data: %+v", s)
	}
	data, err := Encode(s)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), `"version": 3`) || !strings.Contains(string(data), `"profile": "entra"`) {
		t.Errorf("re-encoded state is not the current version:\n%s", data)
	}
}
