package render_test

import (
	"bytes"
	"context"
	"encoding/xml"
	"testing"

	"github.com/residiff/residiff/history"
	"github.com/residiff/residiff/pipeline"
	"github.com/residiff/residiff/render"
	"github.com/residiff/residiff/source/entra"
)

// feedOf walks the fixture history with the given page globs (nil: the
// profile's) as repository and returns the Atom feed's id.
func feedOf(t *testing.T, repository string, pages []string) string {
	t.Helper()
	ctx := context.Background()
	repo, err := history.Open(ctx, "../fixtures/upstream.git")
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = repo.Close() }()
	res, err := pipeline.Build(ctx, repo, pipeline.Options{Profile: entra.Profile(), Pages: pages, Repository: repository})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := render.Atom(&buf, res.Changelog, render.AtomOptions{}); err != nil {
		t.Fatal(err)
	}
	var feed atomFeed
	if err := xml.Unmarshal(buf.Bytes(), &feed); err != nil {
		t.Fatal(err)
	}
	return feed.ID
}

// TestFeedIDStable: the feed id names the repository and the profile, so a
// page added to the globs, or the repository typed another way, keeps a
// reader's subscription; another repository is another feed.
func TestFeedIDStable(t *testing.T) {
	const url = "https://github.com/MicrosoftDocs/entra-docs.git"
	one := feedOf(t, url, []string{"docs/**/data-storage-eu.md", "articles/**/*data-storage-eu.md"})
	if want := "tag:residiff,2018:feed/github.com/microsoftdocs/entra-docs#entra"; one != want {
		t.Errorf("feed id %q, want %q", one, want)
	}
	for _, tc := range []struct {
		name, repository string
		pages            []string
	}{
		{"a page added", url, []string{"docs/**/data-storage-eu.md", "articles/**/*data-storage-eu.md", "docs/**/data-storage-japan.md"}},
		{"the profile's pages", url, nil},
		{"the URL typed another way", "https://x-access-token:secret@github.com/MicrosoftDocs/entra-docs/", nil},
	} {
		if got := feedOf(t, tc.repository, tc.pages); got != one {
			t.Errorf("%s: feed id %q, want %q (unchanged)", tc.name, got, one)
		}
	}
	if other := feedOf(t, "https://github.com/MicrosoftDocs/azure-docs.git", nil); other == one {
		t.Errorf("another repository has the same feed id %q", other)
	}
}

// TestFeedLinks: the feed links the hosted report and, given where it is
// published, itself (rel="self").
func TestFeedLinks(t *testing.T) {
	c := smallChangelog()
	var buf bytes.Buffer
	in := render.Input{Changelog: c, FeedURL: "https://compliance.example/residency.atom", ReportURL: "https://compliance.example/report.html"}
	atom, err := render.Lookup("atom")
	if err != nil {
		t.Fatal(err)
	}
	if err := atom.Render(&buf, in); err != nil {
		t.Fatal(err)
	}
	var feed struct {
		Links []struct {
			Href string `xml:"href,attr"`
			Rel  string `xml:"rel,attr"`
			Type string `xml:"type,attr"`
		} `xml:"link"`
	}
	if err := xml.Unmarshal(buf.Bytes(), &feed); err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, l := range feed.Links {
		got[l.Rel] = l.Href
	}
	if got[""] != in.ReportURL || got["self"] != in.FeedURL || len(feed.Links) != 2 {
		t.Errorf("feed links %+v, want the report (alternate) and self", feed.Links)
	}
}
