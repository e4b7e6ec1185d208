package cli

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"sort"
	"time"

	"github.com/residiff/residiff/internal/short"
	"github.com/residiff/residiff/render"
	"github.com/residiff/residiff/state"
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
  reset    under the lock, move the state file aside (to <state>.reset-<time>)
           so the next run backfills; with --destination NAME, only drop the
           notifications pending for a destination that was removed`,
		Args: cobra.NoArgs,
	}
	cmd.PersistentFlags().StringVar(&configPath, "config", "", "configuration file (default: residiff.yaml when present)")
	var commitTo string // the config's commit_to branch, for reset's note
	statePath := func() (string, error) {
		cfg, err := loadConfig(configPath, s.Err)
		if err != nil {
			return "", err
		}
		commitTo = cfg.CommitTo
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
			aside := fmt.Sprintf("%s.reset-%s", path, s.Now().UTC().Format("20060102T150405Z"))
			if err := os.Rename(path, aside); err != nil {
				if errors.Is(err, os.ErrNotExist) {
					_, err = fmt.Fprintf(s.Out, "%s does not exist: nothing to reset\n", path)
				}
				return err
			}
			// Deliveries not folded in yet belong to the state moved aside.
			if err := os.Rename(state.JournalPath(path), aside+".journal"); err != nil && !errors.Is(err, os.ErrNotExist) {
				return err
			}
			_, err = fmt.Fprintf(s.Out, "moved %s to %s; the next run backfills (first_run policy)\n", path, aside)
			if err == nil && commitTo != "" {
				_, err = fmt.Fprintf(s.Out, "note: commit_to is %s: the next run restores the state from that branch unless its copy is removed there too\n", commitTo)
			}
			return err
		},
	}
	reset.Flags().StringVar(&destination, "destination", "", "only drop the notifications pending for this destination (a channel, or a webhook's variable)")
	cmd.AddCommand(show, unlock, reset)
	return cmd
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
		fmt.Fprintf(w, "repository %s: %s branch %q, profile %s, processed %s, %d page(s)\n", n, r.Source, r.Branch, r.Profile, shortOr(r.Processed), len(r.Pages))
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
