// Package report holds the changelog data model and renders it as Markdown,
// JSON and Atom.
package report
