// Package outbox decides who is told what: it routes new changes to
// destinations, queues them in the state's outbox once per destination
// (never again once delivered), and lays the outbox out as batches for the
// notifiers. Its functions are pure: they read and change only the state
// they are given, and do no I/O.
package outbox

import (
	"fmt"
	"path"
	"sort"
	"strings"
	"time"

	"github.com/residiff/residiff/differ"
	"github.com/residiff/residiff/model"
	"github.com/residiff/residiff/notifier"
	"github.com/residiff/residiff/state"
)

// Route sends the items that match Repository (a configured repository's
// name), Region, Scope and Page (a lineage glob; empty fields match
// anything) to Destination.
type Route struct {
	Repository, Region, Scope, Page string
	Destination                     string
}

// Matches reports whether the route takes it.
func (rt Route) Matches(it model.Item) bool {
	if rt.Repository != "" && !strings.EqualFold(rt.Repository, it.Repository) {
		return false
	}
	if rt.Region != "" && !strings.EqualFold(rt.Region, it.Region) {
		return false
	}
	if rt.Scope != "" && !strings.EqualFold(rt.Scope, it.Change.Scope) {
		return false
	}
	if rt.Page != "" {
		if ok, _ := path.Match(rt.Page, it.Page); !ok {
			return false
		}
	}
	return true
}

// Policy says how items are queued.
type Policy struct {
	// MinSeverity leaves out less severe changes.
	MinSeverity differ.Severity
	// Routes are tried in order; an item goes to every matching route's
	// destination, or to Default when none matches.
	Routes  []Route
	Default string
	// FirstRun is what a backfill notifies: "summary", "all" or "none".
	FirstRun string
}

// Destinations names where an item goes.
func (p Policy) Destinations(it model.Item) []string {
	var out []string
	for _, rt := range p.Routes {
		if rt.Matches(it) {
			out = append(out, rt.Destination)
		}
	}
	if len(out) == 0 {
		out = append(out, p.Default)
	}
	return out
}

// PolicyOf is the outbox policy of a notifier section's routing, with the
// first-run rule firstRun.
func PolicyOf(np notifier.Policy, firstRun string) Policy {
	sev, _ := differ.ParseSeverity(np.MinSeverity) // validated with the configuration
	p := Policy{MinSeverity: sev, Default: np.Default, FirstRun: firstRun}
	for _, rt := range np.Routes {
		p.Routes = append(p.Routes, Route{Repository: rt.Repository, Region: rt.Region, Scope: rt.Scope, Page: rt.Page, Destination: rt.Destination})
	}
	return p
}

// Queue puts the notifiable items in st's outbox, once per destination,
// skipping what is delivered or already queued. first says the items come
// from a backfill, which the policy's FirstRun governs: with "none" they
// are recorded as delivered without being sent.
func Queue(st *state.State, items []model.Item, p Policy, first bool, now time.Time) {
	queued := map[string]bool{}
	for _, pe := range st.Outbox {
		queued[pe.Key()] = true
	}
	for _, it := range items {
		if it.Change.Severity < p.MinSeverity {
			continue
		}
		for _, dest := range p.Destinations(it) {
			key := state.Key(dest, it.Change.ID)
			if queued[key] {
				continue
			}
			if _, done := st.Delivered[key]; done {
				continue
			}
			queued[key] = true
			if first && p.FirstRun == "none" {
				st.Delivered[key] = now
				continue
			}
			st.Outbox = append(st.Outbox, state.Pending{Destination: dest, Item: it, Queued: now,
				Summary: first && p.FirstRun == "summary"})
		}
	}
}

// SummaryTitle heads a first run's summary message.
const SummaryTitle = "residiff: residency pages backfilled"

// Backlog says when pending changes go out as one digest instead of change
// by change: more than MaxItems for a destination, or queued more than
// MaxAge ago. Zero values turn the rule off.
type Backlog struct {
	MaxItems int
	MaxAge   time.Duration
	Now      time.Time
	// Destinations, when set, hold each destination's own rule (its
	// notifier section's); one not in it follows MaxItems and MaxAge.
	Destinations map[string]notifier.Backlog
}

// of is the rule for dest.
func (bl Backlog) of(dest string) Backlog {
	if d, ok := bl.Destinations[dest]; ok {
		return Backlog{MaxItems: d.MaxItems, MaxAge: d.MaxAge, Now: bl.Now}
	}
	return bl
}

// DigestTitle heads a backlog digest.
const DigestTitle = "residiff: residency changes that piled up"

// Plan lays the outbox out as batches, per destination in a stable order:
// the first-run summary, a digest of the backlog, then the changes oldest
// first.
func Plan(outbox []state.Pending, backlog ...Backlog) []notifier.Batch {
	var all Backlog
	if len(backlog) > 0 {
		all = backlog[0]
	}
	byDest := map[string][]state.Pending{}
	var dests []string
	for _, p := range outbox {
		if _, ok := byDest[p.Destination]; !ok {
			dests = append(dests, p.Destination)
		}
		byDest[p.Destination] = append(byDest[p.Destination], p)
	}
	sort.Strings(dests)
	var out []notifier.Batch
	for _, dest := range dests {
		bl := all.of(dest)
		var summary, changes []model.Item
		for _, p := range byDest[dest] {
			if p.Summary {
				summary = append(summary, p.Item)
			} else {
				changes = append(changes, p.Item)
			}
		}
		pending := len(byDest[dest])
		if len(summary) > 0 {
			out = append(out, notifier.Batch{Destination: dest, Title: SummaryTitle, Items: summary, Summary: true, Pending: pending})
		}
		// A flood helps nobody: a backlog too large goes out as one
		// digest, and so do changes too old to be news.
		var stale []model.Item
		if bl.MaxItems > 0 && len(changes) > bl.MaxItems {
			stale, changes = changes, nil
		} else if bl.MaxAge > 0 {
			var fresh []model.Item
			for _, p := range byDest[dest] {
				if p.Summary {
					continue
				}
				if bl.Now.Sub(p.Queued) > bl.MaxAge {
					stale = append(stale, p.Item)
				} else {
					fresh = append(fresh, p.Item)
				}
			}
			changes = fresh
		}
		if len(stale) > 0 {
			sort.SliceStable(stale, func(i, j int) bool { return stale[i].Date.Before(stale[j].Date) })
			out = append(out, notifier.Batch{Destination: dest, Title: DigestTitle, Items: stale, Digest: true, Pending: pending})
		}
		if len(changes) > 0 {
			sort.SliceStable(changes, func(i, j int) bool { return changes[i].Date.Before(changes[j].Date) })
			out = append(out, notifier.Batch{Destination: dest, Title: titleOf(changes), Items: changes, Pending: pending})
		}
	}
	return out
}

// titleOf is the header of a run's change messages.
func titleOf(items []model.Item) string {
	var pages []string
	seen := map[string]bool{}
	for _, it := range items {
		if !seen[it.Page] {
			seen[it.Page] = true
			pages = append(pages, it.Page)
		}
	}
	return fmt.Sprintf("Residency changes: %s", strings.Join(pages, ", "))
}
