package render

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/residiff/residiff/model"
)

// Input is what a Renderer draws: a changelog and, for the formats that
// show what was in force when, the page versions behind it.
type Input struct {
	Changelog *model.Changelog
	Versions  []model.PageVersion
	// Generated is when the output is made (the HTML report's as-of
	// date); zero means now.
	Generated time.Time
	// FeedURL is where the Atom feed is published (its rel="self"), when
	// known.
	FeedURL string
	// ReportURL is where the HTML report is hosted, when known: the Atom
	// feed links it.
	ReportURL string
}

// Renderer writes a changelog in one format.
type Renderer interface {
	// Name is the format's name in flags and configuration ("markdown").
	Name() string
	// Extension is the usual file extension, with its dot (".md").
	Extension() string
	// Render writes in to w.
	Render(w io.Writer, in Input) error
}

// Formats returns every renderer, in the order formats are listed to
// users: markdown, json, atom, html. A new output format is a new entry
// here; the CLI flags, the configuration's outputs keys and the job read
// this list.
func Formats() []Renderer {
	return []Renderer{
		format{"markdown", ".md", func(w io.Writer, in Input) error { return Markdown(w, in.Changelog, MarkdownOptions{}) }},
		format{"json", ".json", func(w io.Writer, in Input) error { return JSON(w, in.Changelog) }},
		format{"atom", ".atom", func(w io.Writer, in Input) error {
			return Atom(w, in.Changelog, AtomOptions{Self: in.FeedURL, Link: in.ReportURL})
		}},
		format{"html", ".html", func(w io.Writer, in Input) error {
			return HTML(w, in.Changelog, in.Versions, HTMLOptions{Generated: in.Generated})
		}},
	}
}

// Names lists the format names of Formats.
func Names() []string {
	var out []string
	for _, f := range Formats() {
		out = append(out, f.Name())
	}
	return out
}

// Lookup returns the renderer of the named format ("md" is markdown).
func Lookup(name string) (Renderer, error) {
	if name == "md" {
		name = "markdown"
	}
	for _, f := range Formats() {
		if f.Name() == name {
			return f, nil
		}
	}
	return nil, fmt.Errorf("unknown format %q (want %s)", name, Either(Names()))
}

// Either joins names as "a, b or c".
func Either(names []string) string {
	switch len(names) {
	case 0:
		return ""
	case 1:
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}

// format is a Renderer made of a function.
type format struct {
	name, ext string
	render    func(io.Writer, Input) error
}

func (f format) Name() string                       { return f.name }
func (f format) Extension() string                  { return f.ext }
func (f format) Render(w io.Writer, in Input) error { return f.render(w, in) }
