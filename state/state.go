// Package state keeps what `residiff run` must remember between runs: the
// last processed commit of every repository and page lineage, the outbox of
// changes waiting to be delivered and the ids of those already delivered.
//
// The state is one JSON file. It is only ever replaced whole and atomically
// (write a temporary file, fsync it, rename it over the old one, fsync the
// directory), after a copy of the previous good file is kept as <file>.bak,
// so a crash at any point leaves a valid file behind. A file that cannot be
// read is an error, never silently replaced.
//
// Deliveries are recorded as they happen in a journal beside it,
// <file>.journal: one appended, fsynced JSON line per accepted message, so
// a run that delivers many messages does not rewrite the whole state after
// each one. Load replays the journal; Save folds it into the file and
// removes it. Replaying is idempotent, so a crash between the two is
// harmless.
package state

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"sort"
	"time"

	"github.com/residiff/residiff/internal/atomicfile"
	"github.com/residiff/residiff/model"
)

// Version is the state file format this package writes. Older files are
// read and migrated: version 1 (before docs-source profiles) repositories
// were all walked with the entra profile; versions 1 and 2 have no
// lineages, which the next run rebuilds (see Repository.Lineages).
const Version = 3

// State is the content of the state file.
type State struct {
	// Version is the file format version.
	Version int `json:"version"`
	// Repositories maps a configured repository name to what was processed.
	Repositories map[string]*Repository `json:"repositories"`
	// Outbox holds notifications found but not yet delivered, oldest first.
	Outbox []Pending `json:"outbox"`
	// Delivered maps a delivery key (see Key) to when it was delivered.
	Delivered map[string]time.Time `json:"delivered"`
	// Updated is when the state was last saved.
	Updated time.Time `json:"updated"`
	// LastMessage is when a message (changes, a summary, a digest or a
	// heartbeat) was last delivered; heartbeats count silence from it.
	LastMessage time.Time `json:"last_message,omitzero"`
	// ReportsDue says the report files could not be written by the last
	// run: the next one writes them even when nothing is new.
	ReportsDue bool `json:"reports_due,omitempty"`
	// Health is how the watch itself fares: its last good run and the
	// failure streak it is in, if any.
	Health Health `json:"health,omitzero"`
	// Uncertain maps the delivery keys of messages whose outcome is
	// unknown (an SMTP relay dropped the connection after the message's
	// end) to when: they count as delivered and are never sent again.
	Uncertain map[string]time.Time `json:"uncertain,omitempty"`
}

// Health is the watch's own record of its runs.
type Health struct {
	// LastSuccess is when a run last processed every repository.
	LastSuccess time.Time `json:"last_success,omitzero"`
	// FailingSince is when the current failure streak began; zero when
	// the last run succeeded.
	FailingSince time.Time `json:"failing_since,omitzero"`
	// Failures counts the failed runs of the streak.
	Failures int `json:"failures,omitempty"`
	// LastError is the last failed run's error.
	LastError string `json:"last_error,omitempty"`
	// Told says the destinations were told of the streak (once per
	// streak; once more when it ends).
	Told bool `json:"told,omitempty"`
}

// Repository is what was processed of one upstream repository.
type Repository struct {
	// URL or path of the repository, as configured (credentials redacted).
	Source string `json:"source"`
	// Branch walked.
	Branch string `json:"branch"`
	// Profile is the docs-source profile the pages were read with.
	Profile string `json:"profile,omitempty"`
	// Processed is the branch tip whose history has been fully processed:
	// its changes are written to the outputs and queued in the outbox.
	Processed string `json:"processed"`
	// Pages maps a page lineage to the last commit that changed it.
	Pages map[string]Page `json:"pages"`
	// Lineages are the pages' identities and version chains at
	// Processed, by lineage name: the next walk carries them on so that
	// change ids never depend on where a walk starts. Empty in files of
	// residiff before 3; the next run then rewalks the whole history once
	// and records what it finds up to Processed as already delivered.
	Lineages map[string]model.Lineage `json:"lineages,omitempty"`
	// Globs are the page globs the lineages were found with, and
	// Aliases a hash of the configured aliases: when they (or Profile)
	// change, the next run walks the whole history again, backfills the
	// pages newly matched and keeps what was delivered of the others.
	// Empty in files of residiff before they were recorded.
	Globs   []string `json:"globs,omitempty"`
	Aliases string   `json:"aliases,omitempty"`
}

// Page is the last processed revision of one page lineage.
type Page struct {
	Commit string `json:"commit"`
	Path   string `json:"path"`
}

// Pending is one notification waiting in the outbox.
type Pending struct {
	// Destination names where it goes (a channel, or the environment
	// variable of a webhook).
	Destination string `json:"destination"`
	// Item is the change with the revision it belongs to.
	Item model.Item `json:"item"`
	// Queued is when the change was found.
	Queued time.Time `json:"queued"`
	// Summary marks a change of a first run: all of a destination's
	// summary changes go out as one summary message.
	Summary bool `json:"summary,omitempty"`
}

// Deliver moves the changes ids of destination dest from the outbox to the
// delivered set, as delivered at at; at also becomes LastMessage when
// later.
func (s *State) Deliver(dest string, ids []string, at time.Time) {
	done := map[string]bool{}
	for _, id := range ids {
		k := Key(dest, id)
		done[k] = true
		s.Delivered[k] = at
	}
	kept := s.Outbox[:0]
	for _, p := range s.Outbox {
		if !done[p.Key()] {
			kept = append(kept, p)
		}
	}
	s.Outbox = kept
	if at.After(s.LastMessage) {
		s.LastMessage = at
	}
}

// DeliverUncertain records the changes ids of destination dest as sent
// with an unknown outcome at at: delivered (never sent again), and listed
// in Uncertain.
func (s *State) DeliverUncertain(dest string, ids []string, at time.Time) {
	s.Deliver(dest, ids, at)
	if s.Uncertain == nil {
		s.Uncertain = map[string]time.Time{}
	}
	for _, id := range ids {
		s.Uncertain[Key(dest, id)] = at
	}
}

// Key is the delivery key of a pending notification.
func (p Pending) Key() string { return Key(p.Destination, p.Item.Change.ID) }

// Key is the delivery key of change id at destination.
func Key(destination, id string) string { return destination + " " + id }

// New returns an empty state.
func New() *State {
	return &State{Version: Version, Repositories: map[string]*Repository{}, Delivered: map[string]time.Time{}}
}

// ErrCorrupt is wrapped by Load errors for a file that exists but is not a
// valid state file.
var ErrCorrupt = errors.New("state file is not valid")

// Load reads the state file at path. A missing file returns an error
// wrapping os.ErrNotExist (the caller treats it as a first run); a file that
// cannot be parsed returns an error wrapping ErrCorrupt that names the file
// and how to recover.
func Load(path string) (*State, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("state: %w", err)
	}
	s, err := Decode(data)
	if err != nil {
		return nil, fmt.Errorf("state %s: %w: %v; nothing was changed — restore it from %s.bak if that is valid, or move it away to start over (the next run then backfills and sends one summary)",
			path, ErrCorrupt, err, path)
	}
	if err := replay(path, s); err != nil {
		return nil, err
	}
	return s, nil
}

// Decode parses and checks the bytes of a state file.
func Decode(data []byte) (*State, error) {
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, errors.New("empty file")
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var s State
	if err := dec.Decode(&s); err != nil {
		var syn *json.SyntaxError
		if errors.As(err, &syn) {
			return nil, fmt.Errorf("%w at byte %d", err, syn.Offset)
		}
		return nil, err
	}
	if dec.More() {
		return nil, errors.New("trailing data after the state object")
	}
	switch {
	case s.Version == 0:
		return nil, errors.New("no version")
	case s.Version > Version:
		return nil, fmt.Errorf("version %d was written by a newer residiff (this one reads %d)", s.Version, Version)
	}
	if s.Repositories == nil {
		s.Repositories = map[string]*Repository{}
	}
	if s.Delivered == nil {
		s.Delivered = map[string]time.Time{}
	}
	for name, r := range s.Repositories {
		if r == nil {
			return nil, fmt.Errorf("repository %q is null", name)
		}
		if s.Version == 1 && r.Profile == "" {
			r.Profile = "entra" // version 1 knew only the Entra pages
		}
		if r.Pages == nil {
			r.Pages = map[string]Page{}
		}
	}
	s.Version = Version
	for i, p := range s.Outbox {
		if p.Destination == "" || p.Item.Change.ID == "" {
			return nil, fmt.Errorf("outbox[%d] has no destination or change id", i)
		}
	}
	return &s, nil
}

// SaveOptions tune Save.
type SaveOptions struct {
	// BeforeRename, when set, is called after the new file is written and
	// synced and before it replaces the old one (crash tests use it).
	BeforeRename func()
}

// Save writes s to path atomically. The previous file, when it exists and
// is valid, is first copied to path.bak.
func Save(path string, s *State, opts SaveOptions) error {
	s.Version = Version
	data, err := Encode(s)
	if err != nil {
		return fmt.Errorf("state %s: %w", path, err)
	}
	if prev, err := os.ReadFile(path); err == nil {
		if _, err := Decode(prev); err == nil {
			if err := atomicfile.WriteFile(path+".bak", prev, atomicfile.Options{Perm: 0o600}); err != nil {
				return fmt.Errorf("state %s: backup: %w", path, err)
			}
		}
	}
	if err := atomicfile.WriteFile(path, data, atomicfile.Options{BeforeRename: opts.BeforeRename, Perm: 0o600}); err != nil {
		return fmt.Errorf("state %s: %w", path, err)
	}
	// The file now holds every delivery the journal recorded.
	if err := os.Remove(JournalPath(path)); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("state %s: fold in the journal: %w", path, err)
	}
	return nil
}

// Encode renders s as indented JSON with a stable order.
func Encode(s *State) ([]byte, error) {
	sort.SliceStable(s.Outbox, func(i, j int) bool { return s.Outbox[i].Queued.Before(s.Outbox[j].Queued) })
	data, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(data, '\n'), nil
}
