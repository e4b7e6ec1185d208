// Package render draws the model for people and programs: the changelog as
// Markdown, JSON, Atom and a self-contained HTML report, chosen by name from
// one registry (Formats, Lookup), and the shared one-line wording of a
// change (Sentence, with a Style per markup) that Markdown, HTML and the
// notifiers all use. Service timelines and as-of snapshots are rendered here
// too; the questions themselves are answered by package timeline.
package render
