// Package layout is what every notifier shows the same way, whatever its
// markup: the lines of a batch (a revision, a change, or one line for many
// alike changes), the direction of a change (which each notifier draws as
// its own marker), and the counts that stand for many changes in a summary
// or a digest. The wording of a change is render.Sentence's.
package layout

import (
	"fmt"
	"sort"
	"strings"

	"github.com/residiff/residiff/differ"
	"github.com/residiff/residiff/model"
	"github.com/residiff/residiff/render"
)

// GroupAt is how many changes of one revision that share kind, scope,
// category and target make one grouped line instead of one line each (a
// list moved to another page, a restructure).
const GroupAt = 4

// Line is one line of a message.
type Line struct {
	// Revision marks the line that introduces a revision's changes; Item
	// is then the revision's first change.
	Revision bool
	// Item is the change (a grouped line's first).
	Item model.Item
	// Group holds every change of a grouped line.
	Group []model.Item
}

// IDs are the change ids the line delivers (none for a revision line).
func (l Line) IDs() []string {
	switch {
	case l.Revision:
		return nil
	case len(l.Group) > 0:
		ids := make([]string, len(l.Group))
		for i, it := range l.Group {
			ids[i] = it.Change.ID
		}
		return ids
	}
	return []string{l.Item.Change.ID}
}

// Lines lays items out: a revision line before the changes of each
// revision, then one line per change, except that groupAt or more changes
// of a revision saying the same thing of different services make one line
// (groupAt <= 0: never).
func Lines(items []model.Item, groupAt int) []Line {
	groups := map[string][]model.Item{}
	for _, it := range items {
		groups[GroupKey(it)] = append(groups[GroupKey(it)], it)
	}
	var out []Line
	last := ""
	done := map[string]bool{}
	for _, it := range items {
		if key := it.Page + "@" + it.Commit; key != last {
			last = key
			out = append(out, Line{Revision: true, Item: it})
		}
		if g := groups[GroupKey(it)]; groupAt > 0 && len(g) >= groupAt {
			if !done[GroupKey(it)] {
				done[GroupKey(it)] = true
				out = append(out, Line{Item: g[0], Group: g})
			}
			continue
		}
		out = append(out, Line{Item: it})
	}
	return out
}

// GroupKey is what the changes of one grouped line share: the same
// sentence but for the service's name.
func GroupKey(it model.Item) string {
	c := it.Change
	return strings.Join([]string{it.Page, it.Commit, string(c.Kind), c.Scope, c.SubScope, c.Category, c.After, c.Detail}, "\x00")
}

// GroupSentence is one sentence for many changes: the first change's
// sentence with its service replaced by how many there are, then the
// first names of them (text already in style).
func GroupSentence(group []model.Item, style render.Style, names int) string {
	list := make([]string, 0, len(group))
	for _, it := range group {
		list = append(list, style.Text(it.Change.Service))
	}
	shown := strings.Join(list, ", ")
	if len(list) > names {
		shown = strings.Join(list[:names], ", ") + fmt.Sprintf("… (+%d)", len(list)-names)
	}
	c := group[0].Change
	c.Service = fmt.Sprintf("%d services", len(group))
	c.Detail = ""
	sentence := render.Sentence(c, style)
	// The sentence was written for one service: "5 services are …".
	subject := style.Bold(style.Text(c.Service))
	for _, verb := range [][2]string{{" is ", " are "}, {" has ", " have "}, {" was ", " were "}} {
		if rest, ok := strings.CutPrefix(sentence, subject+verb[0]); ok {
			sentence = subject + verb[1] + rest
			break
		}
	}
	return sentence + ": " + shown
}

// Direction is which way a change points, for a reader scanning markers.
type Direction int

// The directions, most urgent first.
const (
	// Excluded: data newly leaves the region.
	Excluded Direction = iota
	// NoLongerListed: a service is no longer listed as excluded (good
	// news, still to be checked).
	NoLongerListed
	// Changed: facts, category or scope changed.
	Changed
	// Moved: a list moved to another page, or came back.
	Moved
	// Renamed: a service renamed.
	Renamed
	// NeedsLook: residiff could not read or compare part of the page.
	NeedsLook
	// Other: page events and editorial changes.
	Other
)

// DirectionOf is c's direction.
func DirectionOf(c differ.Change) Direction {
	switch c.Kind {
	case differ.NewlyExcluded:
		return Excluded
	case differ.NewlyCompliant:
		return NoLongerListed
	case differ.ExtractionDrift, differ.ClaimChanged:
		return NeedsLook
	case differ.Delegated, differ.Restored:
		return Moved
	case differ.Renamed:
		return Renamed
	case differ.CategoryChanged, differ.ScopeChanged, differ.FieldsChanged:
		return Changed
	}
	if c.Severity >= differ.Medium {
		return Changed
	}
	return Other
}

// KindsByImportance orders change kinds for counts.
var KindsByImportance = []differ.Kind{
	differ.NewlyExcluded, differ.NewlyCompliant, differ.CategoryChanged, differ.ScopeChanged,
	differ.Delegated, differ.Restored, differ.FieldsChanged, differ.ExtractionDrift, differ.ClaimChanged,
	differ.Renamed, differ.Reworded, differ.FirstRead, differ.ReadDifferently, differ.PageAdded, differ.PageMoved, differ.PageRemoved, differ.Editorial,
}

// PageCount is how many changes of each kind a page had.
type PageCount struct {
	Page string
	// Counts reads "2 newly excluded", most important kind first.
	Counts []string
}

// Counts counts items by page (sorted) and kind.
func Counts(items []model.Item) []PageCount {
	type key struct{ page, kind string }
	counts := map[key]int{}
	var pages []string
	seen := map[string]bool{}
	for _, it := range items {
		counts[key{it.Page, string(it.Change.Kind)}]++
		if !seen[it.Page] {
			seen[it.Page] = true
			pages = append(pages, it.Page)
		}
	}
	sort.Strings(pages)
	out := make([]PageCount, 0, len(pages))
	for _, p := range pages {
		pc := PageCount{Page: p}
		for _, k := range KindsByImportance {
			if n := counts[key{p, string(k)}]; n > 0 {
				pc.Counts = append(pc.Counts, fmt.Sprintf("%d %s", n, strings.ReplaceAll(string(k), "_", " ")))
			}
		}
		out = append(out, pc)
	}
	return out
}

// MostSevere orders items the most severe first, newest first among
// equals: a summary never crowds a high-severity change out with medium
// ones.
func MostSevere(items []model.Item) []model.Item {
	out := make([]model.Item, len(items))
	for i := range items {
		out[i] = items[len(items)-1-i]
	}
	sort.SliceStable(out, func(x, y int) bool { return out[x].Change.Severity > out[y].Change.Severity })
	return out
}

// Pages counts the distinct pages of items.
func Pages(items []model.Item) int {
	seen := map[string]bool{}
	for _, it := range items {
		seen[it.Page] = true
	}
	return len(seen)
}

// SummaryIntro and DigestIntro open a first run's summary and a backlog
// digest; both take the number of changes and of pages.
const (
	SummaryIntro = "Backfilled the history: %d change(s) on %d page(s). From now on each new change is posted."
	DigestIntro  = "%d change(s) on %d page(s) piled up while they could not be posted; here they are counted, the most severe first. The changelog has each one."
)

// Link is a text, linked when URL is set.
type Link struct {
	Text, URL string
}

// Footer is the evidence a message ends with: its repositories, its pages
// (linked to the published page), its commits (linked to their diff, up to
// three; more are counted) and the hosted report.
func Footer(items []model.Item, reportURL string) []Link {
	var out []Link
	seen := map[string]bool{}
	add := func(key string, l Link) {
		if !seen[key] {
			seen[key] = true
			out = append(out, l)
		}
	}
	for _, it := range items {
		if it.Repository != "" {
			add("r"+it.Repository, Link{Text: "repository " + it.Repository})
		}
	}
	for _, it := range items {
		title := it.Title
		if title == "" {
			title = it.Page
		}
		add("p"+it.Page, Link{Text: title, URL: it.PageURL})
	}
	commits := 0
	for _, it := range items {
		if !seen["c"+it.Commit] {
			commits++
		}
		if commits <= 3 {
			add("c"+it.Commit, Link{Text: "commit " + shortHash(it.Commit), URL: it.CommitURL})
		}
	}
	if commits > 3 {
		out = append(out, Link{Text: fmt.Sprintf("%d more commits", commits-3)})
	}
	// What residiff could not read on each page: silence is not "nothing
	// stated".
	for _, it := range items {
		if len(it.Unread) == 0 || seen["u"+it.Page+it.Commit] {
			continue
		}
		seen["u"+it.Page+it.Commit] = true
		lines := make([]string, 0, 6)
		for i, l := range it.Unread {
			if i == 5 {
				lines = append(lines, fmt.Sprintf("and %d more", len(it.Unread)-5))
				break
			}
			lines = append(lines, fmt.Sprintf("L%d", l))
		}
		noun := "sentences"
		if len(it.Unread) == 1 {
			noun = "sentence"
		}
		out = append(out, Link{Text: fmt.Sprintf("%d %s on %s could not be read: %s", len(it.Unread), noun, it.Page, strings.Join(lines, ", ")), URL: it.URL})
	}
	if reportURL != "" {
		out = append(out, Link{Text: "report", URL: reportURL})
	}
	return out
}

func shortHash(h string) string {
	if len(h) > 7 {
		return h[:7]
	}
	return h
}
