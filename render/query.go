package render

import (
	"io"
	"slices"
	"strings"

	"github.com/residiff/residiff/extractor"
	"github.com/residiff/residiff/internal/short"
	"github.com/residiff/residiff/timeline"
)

// WriteJSON writes v as indented JSON, the form of every JSON output.
func WriteJSON(w io.Writer, v any) error { return writeJSON(w, v) }

// TimelineMarkdown writes a service timeline as a Markdown list, oldest
// first.
func TimelineMarkdown(w io.Writer, t timeline.Timeline) error {
	b := &errWriter{w: w}
	b.printf("# Timeline of %s\n\n", t.Query)
	if len(t.Entries) == 0 {
		b.printf("No changes to %q (service id %q) in the pages followed.\n", t.Query, t.ServiceID)
		return b.err
	}
	for _, e := range t.Entries {
		b.printf("- %s %s (%s): %s\n", e.Date.UTC().Format("2006-01-02"), e.Page, short.Hash(e.Commit), changeLine(e.Change))
	}
	return b.err
}

// SnapshotMarkdown writes an as-of snapshot for an auditor: per page,
// scope and category, the services excluded and what leaves.
func SnapshotMarkdown(w io.Writer, s timeline.Snapshot) error {
	return oneTrailingNewline(w, func(w io.Writer) error { return snapshotMarkdown(w, s) })
}

func snapshotMarkdown(w io.Writer, s timeline.Snapshot) error {
	b := &errWriter{w: w}
	b.printf("# Residency exclusions in force on %s\n\n", s.Date.UTC().Format("2006-01-02"))
	if len(s.Pages) == 0 {
		b.printf("No tracked page existed on that date.\n")
		return b.err
	}
	for _, p := range s.Pages {
		b.printf("## %s — %s\n\n", p.Page, p.Title)
		b.printf("Version %s of %s, committed %s", link(short.Hash(p.Commit), p.URL), "`"+p.Path+"`", p.Since.UTC().Format("2006-01-02"))
		if p.PageDate != "" {
			b.printf(", page date %s", p.PageDate)
		}
		b.printf(".\n\n")
		if len(p.Unread) > 0 {
			b.printf("**This version could not be fully read**; the exclusions below may be incomplete:\n\n")
			for _, w := range p.Unread {
				b.printf("- line %d: %s\n", w.Line, w.Message)
			}
			b.printf("\n")
		} else if len(p.Exclusions) == 0 && !slices.ContainsFunc(p.References, func(r extractor.Reference) bool { return !commitmentPointer(r) }) {
			b.printf("No exclusions stated.\n\n")
		}
		for _, g := range p.Exclusions {
			b.printf("### %s — %s\n\n", g.Scope, g.Category)
			// One line per service, with the facts of each fact block
			// that lists it.
			var order []string
			facts := map[string][]string{}
			names := map[string]string{}
			for _, r := range g.Records {
				if _, ok := names[r.ServiceID]; !ok {
					names[r.ServiceID] = r.Service
					order = append(order, r.ServiceID)
				}
				var f []string
				if r.DataTypes != "" {
					f = append(f, "data: "+r.DataTypes)
				}
				if r.LocationAtRest != "" {
					f = append(f, "at rest: "+r.LocationAtRest)
				}
				if r.Processing != "" {
					f = append(f, "processing: "+r.Processing)
				}
				if r.SubScope != "" {
					f = append(f, "for: "+r.SubScope)
				}
				if one := strings.Join(f, "; "); one != "" && !slices.Contains(facts[r.ServiceID], one) {
					facts[r.ServiceID] = append(facts[r.ServiceID], one)
				}
			}
			for _, id := range order {
				line := "- **" + names[id] + "**"
				if f := facts[id]; len(f) > 0 {
					line += " — " + short.Clip(strings.Join(f, " / "), 600)
				}
				b.printf("%s\n", line)
			}
			b.printf("\n")
		}
		for _, r := range p.References {
			if commitmentPointer(r) {
				b.printf("- %s: the commitment of %s is given on another page: %s\n", r.Scope, r.Service, link(r.Text, r.URL))
				continue
			}
			b.printf("- %s %s: listed on another page: %s\n", r.Scope, orDash(string(r.Category)), link(r.Text, r.URL))
		}
		if len(p.References) > 0 {
			b.printf("\n")
		}
	}
	return b.err
}

// commitmentPointer reports whether a reference gives a service's
// commitment by pointer, not a list of exclusions moved elsewhere.
func commitmentPointer(r extractor.Reference) bool {
	return r.Category == extractor.InRegion && r.Service != ""
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}
