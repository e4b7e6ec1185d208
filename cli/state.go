package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"time"

	"github.com/residiff/residiff/history"
	"github.com/residiff/residiff/internal/short"
	"github.com/residiff/residiff/render"
	"github.com/residiff/residiff/state"
	"github.com/residiff/residiff/statebranch"
	"github.com/spf13/cobra"
)

// newStateCmd is `residiff state show|unlock|reset`: what a person looks
// at, or does, when a scheduled run stopped.
func newStateCmd(s Env) *cobra.Command {
	var configPath string
	cmd := &cobra.Command{
		Use:   "state show|unlock|reset [--config residiff.yaml]",
		Short: "Inspect or repair the state file of `residiff run`",
		Long: `state works on the state file the configuration names (state:, default
residiff-state.json).

  show     what was processed per repository, what is pending per
           destination, how much was delivered (--json: the file itself)
  unlock   whether a run holds the lock; the lock is the kernel's and ends
           with the process that took it, so there is never a stale lock to
           break: a held lock means a run is still going
  reset    under the lock, move the state file and its delivery journal
           aside (to <state>.reset-<time>) so the next run backfills; with
           commit_to (or --commit-to BRANCH) the state is also removed from
           that branch, which the next run would restore it from; with
           --destination NAME, only drop the notifications pending for a
           destination that was removed`,
		Args: cobra.NoArgs,
	}
	cmd.PersistentFlags().StringVar(&configPath, "config", "", "configuration file (default: residiff.yaml when present)")
	var commitTo, commitToFlag string // the branch the state is committed to
	statePath := func() (string, error) {
		cfg, err := loadConfig(configPath, s.Err)
		if err != nil {
			return "", err
		}
		commitTo = cfg.CommitTo
		if commitToFlag != "" {
			commitTo = commitToFlag
		}
		return cfg.State, nil
	}

	var asJSON bool
	show := &cobra.Command{
		Use:   "show",
		Short: "Print what the state file holds",
		Args:  cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			path, err := statePath()
			if err != nil {
				return err
			}
			st, err := state.Load(path)
			if err != nil {
				return err
			}
			if asJSON {
				return render.WriteJSON(s.Out, st)
			}
			return printState(s, path, st)
		},
	}
	show.Flags().BoolVar(&asJSON, "json", false, "print the state file as JSON")

	unlock := &cobra.Command{
		Use:   "unlock",
		Short: "Say whether a run holds the lock",
		Args:  cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			path, err := statePath()
			if err != nil {
				return err
			}
			lock, err := state.Acquire(path)
			if err != nil {
				return fmt.Errorf("%w: it is released when that run ends (or is killed)", err)
			}
			if err := lock.Release(); err != nil {
				return err
			}
			_, err = fmt.Fprintf(s.Out, "%s.lock is free: no run holds it\n", path)
			return err
		},
	}

	var destination string
	reset := &cobra.Command{
		Use:   "reset [--destination NAME]",
		Short: "Move the state aside, or drop a removed destination's pending notifications",
		Args:  cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			path, err := statePath()
			if err != nil {
				return err
			}
			lock, err := state.Acquire(path)
			if err != nil {
				return err
			}
			defer func() { _ = lock.Release() }()
			if destination != "" {
				return dropDestination(s, path, destination)
			}
			return resetState(s, path, commitTo)
		},
	}
	reset.Flags().StringVar(&destination, "destination", "", "only drop the notifications pending for this destination (a channel, or a webhook's variable)")
	reset.Flags().StringVar(&commitToFlag, "commit-to", "", "the branch run commits the state to (as run --commit-to; default: the config's commit_to)")
	cmd.AddCommand(show, unlock, reset)
	return cmd
}

// resetState moves the state at path aside and, when it is committed to
// branch commitTo, removes it from the branch too: otherwise the next run
// would restore it from there and backfill nothing. The branch is checked
// first; when it cannot be changed, nothing is.
func resetState(s Env, path, commitTo string) error {
	var b *statebranch.Branch
	if commitTo != "" {
		var err error
		if b, err = statebranch.Open(filepath.Dir(path), commitTo); err != nil {
			return fmt.Errorf("state reset: the state is committed to branch %s, which cannot be changed here (%v); nothing was reset. Run this where the repository holding %s is checked out, or reset the branch yourself: git update-ref -d refs/heads/%s", commitTo, err, path, commitTo)
		}
	}
	aside, err := state.MoveAside(path, s.Now())
	missing := errors.Is(err, os.ErrNotExist)
	if err != nil && !missing {
		return err
	}
	var out bytes.Buffer
	if missing {
		fmt.Fprintf(&out, "%s does not exist: nothing to move aside\n", path)
	} else {
		fmt.Fprintf(&out, "moved %s to %s\n", path, aside)
	}
	if b != nil {
		files := []statebranch.File{{Path: path, Remove: true}, {Path: state.JournalPath(path), Remove: true}}
		h, err := b.Commit(context.Background(), files, "residiff: state reset (the next run backfills)", statebranch.Author{Name: "residiff", Email: "residiff@users.noreply.github.com"}, s.Now())
		if err != nil {
			_, _ = s.Out.Write(out.Bytes())
			return fmt.Errorf("state reset: the local state was moved aside, but branch %s still holds it: %w; the next run would restore it from there", commitTo, err)
		}
		if h != "" {
			fmt.Fprintf(&out, "removed the state from branch %s (%s); push that branch (git push origin %s) so that the scheduled run sees it\n", commitTo, short.Hash(h), commitTo)
		} else {
			fmt.Fprintf(&out, "branch %s holds no state\n", commitTo)
		}
		missing = missing && h == ""
	}
	if missing {
		fmt.Fprintln(&out, "nothing to reset")
	} else {
		fmt.Fprintln(&out, "the next run backfills (first_run policy)")
	}
	_, err = s.Out.Write(out.Bytes())
	return err
}

// dropDestination removes destination's pending notifications from the
// state at path.
func dropDestination(s Env, path, destination string) error {
	st, err := state.Load(path)
	if err != nil {
		return err
	}
	kept := st.Outbox[:0]
	dropped := 0
	for _, p := range st.Outbox {
		if p.Destination == destination {
			dropped++
			continue
		}
		kept = append(kept, p)
	}
	if dropped == 0 {
		return fmt.Errorf("state %s: no notification is pending for %q", path, destination)
	}
	st.Outbox = kept
	if err := state.Save(path, st, state.SaveOptions{}); err != nil {
		return err
	}
	_, err = fmt.Fprintf(s.Out, "dropped %d notification(s) pending for %s\n", dropped, destination)
	return err
}

// printState prints a state file for a person.
func printState(s Env, path string, st *state.State) error {
	w := &bytes.Buffer{}
	fmt.Fprintf(w, "state %s (format %d), saved %s\n", path, st.Version, st.Updated.UTC().Format(time.RFC3339))
	names := make([]string, 0, len(st.Repositories))
	for n := range st.Repositories {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		r := st.Repositories[n]
		// Redacted again: a state written before query values were.
		fmt.Fprintf(w, "repository %s: %s branch %q, profile %s, processed %s, %d page(s)\n", n, history.Redact(r.Source), r.Branch, r.Profile, shortOr(r.Processed), len(r.Pages))
	}
	pending := map[string]int{}
	oldest := map[string]time.Time{}
	for _, p := range st.Outbox {
		pending[p.Destination]++
		if o, ok := oldest[p.Destination]; !ok || p.Queued.Before(o) {
			oldest[p.Destination] = p.Queued
		}
	}
	dests := make([]string, 0, len(pending))
	for d := range pending {
		dests = append(dests, d)
	}
	sort.Strings(dests)
	if len(dests) == 0 {
		fmt.Fprintln(w, "nothing pending")
	}
	for _, d := range dests {
		fmt.Fprintf(w, "pending for %s: %d, oldest queued %s\n", d, pending[d], oldest[d].UTC().Format(time.RFC3339))
	}
	fmt.Fprintf(w, "delivered: %d\n", len(st.Delivered))
	if n := len(st.Uncertain); n > 0 {
		fmt.Fprintf(w, "delivered with an unknown outcome (never sent again): %d\n", n)
	}
	if h := st.Health; h.Failures > 0 {
		fmt.Fprintf(w, "failing since %s (%d run(s)): %s\n", h.FailingSince.UTC().Format(time.RFC3339), h.Failures, h.LastError)
	} else if !h.LastSuccess.IsZero() {
		fmt.Fprintf(w, "last good run: %s\n", h.LastSuccess.UTC().Format(time.RFC3339))
	}
	_, err := s.Out.Write(w.Bytes())
	return err
}

// shortOr is a commit's short form, or "nothing" for none.
func shortOr(commit string) string {
	if commit == "" {
		return "nothing"
	}
	return short.Hash(commit)
}
