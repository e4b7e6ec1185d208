package state

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"time"
)

// JournalPath is the delivery journal of the state file at path.
func JournalPath(path string) string { return path + ".journal" }

// delivery is one line of the journal: the changes of one accepted
// message.
type delivery struct {
	Destination string    `json:"destination"`
	IDs         []string  `json:"ids"`
	At          time.Time `json:"at"`
	// Outcome is "unknown" for a message that may or may not have
	// arrived (see State.Uncertain); "" for an accepted one.
	Outcome string `json:"outcome,omitempty"`
}

// OutcomeUnknown marks a journaled message whose outcome is unknown.
const OutcomeUnknown = "unknown"

// Journal records deliveries for the state file at path, one fsynced line
// each, until the next Save folds them in.
func Journal(path, dest string, ids []string, at time.Time) error {
	return JournalOutcome(path, dest, ids, at, "")
}

// JournalOutcome is Journal for a message with an outcome: "" (accepted)
// or OutcomeUnknown.
func JournalOutcome(path, dest string, ids []string, at time.Time, outcome string) error {
	line, err := json.Marshal(delivery{Destination: dest, IDs: ids, At: at, Outcome: outcome})
	if err != nil {
		return fmt.Errorf("state journal: %w", err)
	}
	f, err := os.OpenFile(JournalPath(path), os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return fmt.Errorf("state journal: %w", err)
	}
	if _, err := f.Write(append(line, '\n')); err != nil {
		_ = f.Close() // the write failed; that error is the one to report
		return fmt.Errorf("state journal %s: %w", f.Name(), err)
	}
	if err := f.Sync(); err != nil {
		_ = f.Close() // the sync failed; that error is the one to report
		return fmt.Errorf("state journal %s: %w", f.Name(), err)
	}
	return f.Close()
}

// replay applies the journal beside path to s. A last line cut short (a
// crash while appending it: the message's delivery was never confirmed)
// is ignored; a damaged line before it is corruption.
func replay(path string, s *State) error {
	data, err := os.ReadFile(JournalPath(path))
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("state journal: %w", err)
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 64<<10), len(data)+1)
	var lines [][]byte
	for sc.Scan() {
		lines = append(lines, append([]byte(nil), sc.Bytes()...))
	}
	for i, line := range lines {
		var d delivery
		err := json.Unmarshal(line, &d)
		if err == nil && (d.Destination == "" || len(d.IDs) == 0) {
			err = errors.New("no destination or ids")
		}
		if err != nil {
			if i == len(lines)-1 && !bytes.HasSuffix(data, []byte("\n")) {
				break // torn by a crash mid-append
			}
			return fmt.Errorf("state journal %s line %d: %w: %v; move the journal away to go on (its deliveries may then be sent again)",
				JournalPath(path), i+1, ErrCorrupt, err)
		}
		if d.Outcome == OutcomeUnknown {
			s.DeliverUncertain(d.Destination, d.IDs, d.At)
		} else {
			s.Deliver(d.Destination, d.IDs, d.At)
		}
	}
	return nil
}

// MoveAside moves the state file at path and its delivery journal aside,
// to <path>.reset-<time> and <path>.reset-<time>.journal, so that the next
// run starts without a state. The journal goes with the state it belongs
// to: replayed onto a new state it would mark changes delivered that the
// new state never sent. It returns the new name of the state file; a state
// that does not exist is os.ErrNotExist (a lone journal is moved aside
// all the same). The caller holds the lock.
func MoveAside(path string, now time.Time) (string, error) {
	aside := fmt.Sprintf("%s.reset-%s", path, now.UTC().Format("20060102T150405Z"))
	stateErr := os.Rename(path, aside)
	if stateErr != nil && !errors.Is(stateErr, os.ErrNotExist) {
		return "", fmt.Errorf("state: move aside: %w", stateErr)
	}
	if err := os.Rename(JournalPath(path), aside+".journal"); err != nil && !errors.Is(err, os.ErrNotExist) {
		return "", fmt.Errorf("state journal: move aside: %w", err)
	}
	if stateErr != nil {
		return "", fmt.Errorf("state %s: %w", path, stateErr)
	}
	return aside, nil
}
