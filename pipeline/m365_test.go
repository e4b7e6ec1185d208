package pipeline

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/residiff/residiff/history"
	"github.com/residiff/residiff/internal/golden"
	"github.com/residiff/residiff/render"
	"github.com/residiff/residiff/source/m365"
)

// TestM365Changelog is the Microsoft 365 fixture history's changelog and
// warnings as golden files (go test ./pipeline -run M365 -update rewrites
// them and prints the diff): a change in how the M365 pages are read
// shows as a diff a person reads against fixtures/m365/corpus.
func TestM365Changelog(t *testing.T) {
	repo, err := history.Open(context.Background(), "../fixtures/m365.git")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { repo.Close() })
	res, err := Build(context.Background(), repo, Options{Profile: m365.Profile(), WebURL: "https://github.com/MicrosoftDocs/microsoft-365-docs"})
	if err != nil {
		t.Fatal(err)
	}
	var md bytes.Buffer
	if err := render.Markdown(&md, res.Changelog, render.MarkdownOptions{}); err != nil {
		t.Fatal(err)
	}
	golden.Check(t, "testdata/m365-changelog.md", md.Bytes())
	golden.Check(t, "testdata/m365-warnings.txt", []byte(strings.Join(res.Warnings, "\n")+"\n"))
}
