package render_test

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	goldenfile "github.com/residiff/residiff/internal/golden"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/residiff/residiff/differ"
	"github.com/residiff/residiff/model"
	"github.com/residiff/residiff/render"
)

// golden compares got with testdata/name (go test -update rewrites it).
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	goldenfile.Check(t, filepath.Join("testdata", name), got)
}

// smallChangelog is a hand-made changelog with one change of each
// notable kind, the input of the golden tests.
func smallChangelog() *model.Changelog {
	base := "https://github.com/MicrosoftDocs/entra-docs/blob/"
	return &model.Changelog{
		Repository: "https://github.com/MicrosoftDocs/entra-docs.git", Branch: "main", Profile: "entra",
		Pages: []model.Page{{Page: "data-storage-eu", Title: "Customer data storage and processing for European customers in Microsoft Entra ID",
			Region: "Europe", Path: "docs/fundamentals/data-storage-eu.md", Paths: []string{"docs/fundamentals/data-storage-eu.md"}, Versions: 2}},
		Revisions: []model.Revision{
			{Commit: "ca7e4e352e656d74fa7cd128110c75a890d43a64", Date: time.Date(2023, 8, 17, 9, 0, 0, 0, time.UTC), Author: "csmulligan",
				Page: "data-storage-eu", Path: "docs/fundamentals/data-storage-eu.md", PageDate: "2023-08-17",
				URL: base + "ca7e4e3/docs/fundamentals/data-storage-eu.md",
				Changes: []differ.Change{
					{ID: "0a1b2c3d4e5f6071", Kind: differ.NewlyExcluded, Severity: differ.High, Service: "Azure Customer Lockbox", ServiceID: "azurecustomerlockbox",
						Scope: "EU Data Boundary", Category: "temporary", Detail: "temporary; data: email address; processing: globally", Line: 48,
						URL: base + "ca7e4e3/docs/fundamentals/data-storage-eu.md#L48"},
					{ID: "1a1b2c3d4e5f6071", Kind: differ.Renamed, Severity: differ.Low, Service: "Microsoft Entra Connect", ServiceID: "entraconnect",
						Scope: "EU Data Residency", Category: "temporary", Before: "Azure Active Directory Connect", After: "Microsoft Entra Connect"},
					{ID: "2a1b2c3d4e5f6071", Kind: differ.FieldsChanged, Severity: differ.Medium, Service: "Microsoft Entra Connect", ServiceID: "entraconnect",
						Scope: "EU Data Residency", Category: "temporary", Fields: []differ.FieldChange{{Field: "location_at_rest", Before: "US", After: "United States <and EU>"}}},
				}},
			{Commit: "1995d1f6dc40afff726047e73ce30a3c007cf132", Date: time.Date(2024, 2, 16, 9, 0, 0, 0, time.UTC), Author: "csmulligan",
				Page: "data-storage-eu", Path: "docs/fundamentals/data-storage-eu.md", PageDate: "2024-02-16",
				Changes: []differ.Change{
					{ID: "3a1b2c3d4e5f6071", Kind: differ.Delegated, Severity: differ.Medium, Service: "Azure Customer Lockbox", ServiceID: "azurecustomerlockbox",
						Scope: "EU Data Boundary", Category: "temporary", After: "/privacy/eudb/eu-data-boundary-temporary-partial-transfers",
						Detail: "Services that temporarily transfer a subset of customer data out of the EU Data Boundary"},
					{ID: "4a1b2c3d4e5f6071", Kind: differ.NewlyCompliant, Severity: differ.High, Service: "Device Registration", ServiceID: "deviceregistration",
						Scope: "EU Data Residency", Category: "temporary"},
					{ID: "5a1b2c3d4e5f6071", Kind: differ.Editorial, Severity: differ.Low},
				}},
		},
	}
}

func TestRenderGolden(t *testing.T) {
	c := smallChangelog()
	var md, js, atom bytes.Buffer
	if err := render.Markdown(&md, c, render.MarkdownOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := render.JSON(&js, c); err != nil {
		t.Fatal(err)
	}
	if err := render.Atom(&atom, c, render.AtomOptions{Link: "https://github.com/MicrosoftDocs/entra-docs"}); err != nil {
		t.Fatal(err)
	}
	golden(t, "small.md", md.Bytes())
	golden(t, "small.json", js.Bytes())
	golden(t, "small.atom", atom.Bytes())

	var high bytes.Buffer
	if err := render.Markdown(&high, c, render.MarkdownOptions{MinSeverity: differ.High}); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(high.String(), "same service") || strings.Contains(high.String(), "wording changed") {
		t.Errorf("MinSeverity high kept low changes:\n%s", high.String())
	}
}

// atomFeed is the part of RFC 4287 the feed must carry.
type atomFeed struct {
	XMLName xml.Name `xml:"http://www.w3.org/2005/Atom feed"`
	ID      string   `xml:"id"`
	Title   string   `xml:"title"`
	Updated string   `xml:"updated"`
	Links   []struct {
		Href string `xml:"href,attr"`
	} `xml:"link"`
	Entries []struct {
		ID      string `xml:"id"`
		Title   string `xml:"title"`
		Updated string `xml:"updated"`
		Links   []struct {
			Href string `xml:"href,attr"`
		} `xml:"link"`
		Content struct {
			Type string `xml:"type,attr"`
			Body string `xml:",chardata"`
		} `xml:"content"`
	} `xml:"entry"`
}

func TestAtomIsValid(t *testing.T) {
	res := fixtureResult(t)
	var buf bytes.Buffer
	if err := render.Atom(&buf, res.Changelog, render.AtomOptions{}); err != nil {
		t.Fatal(err)
	}
	var feed atomFeed
	dec := xml.NewDecoder(&buf)
	dec.Strict = true
	if err := dec.Decode(&feed); err != nil {
		t.Fatalf("not well-formed Atom: %v", err)
	}
	if feed.ID == "" || feed.Title == "" || !isRFC3339(feed.Updated) {
		t.Errorf("feed lacks id, title or updated: %+v", feed)
	}
	withChanges := 0
	for _, r := range res.Changelog.Revisions {
		if len(r.Changes) > 0 {
			withChanges++
		}
	}
	if len(feed.Entries) != withChanges {
		t.Errorf("%d entries, want one per revision with changes: %d", len(feed.Entries), withChanges)
	}
	seen := map[string]bool{}
	for _, e := range feed.Entries {
		if !strings.HasPrefix(e.ID, "tag:") || seen[e.ID] {
			t.Errorf("entry id %q: want a unique tag: URI", e.ID)
		}
		seen[e.ID] = true
		if e.Title == "" || !isRFC3339(e.Updated) || e.Content.Body == "" {
			t.Errorf("entry %s lacks title, updated or content", e.ID)
		}
	}
	// Ids are stable: a second rendering gives the same ones.
	var again bytes.Buffer
	if err := render.Atom(&again, res.Changelog, render.AtomOptions{}); err != nil {
		t.Fatal(err)
	}
	var feed2 atomFeed
	if err := xml.Unmarshal(again.Bytes(), &feed2); err != nil {
		t.Fatal(err)
	}
	for i := range feed.Entries {
		if feed.Entries[i].ID != feed2.Entries[i].ID {
			t.Errorf("entry %d id changed between renderings", i)
		}
	}
}

func isRFC3339(s string) bool {
	_, err := time.Parse(time.RFC3339, s)
	return err == nil
}

// TestJSONRoundTrip decodes the JSON changelog of the fixture history into
// the documented schema, refusing unknown fields, and encodes it back to
// the same bytes.
func TestJSONRoundTrip(t *testing.T) {
	res := fixtureResult(t)
	var first bytes.Buffer
	if err := render.JSON(&first, res.Changelog); err != nil {
		t.Fatal(err)
	}
	dec := json.NewDecoder(bytes.NewReader(first.Bytes()))
	dec.DisallowUnknownFields()
	var back model.Changelog
	if err := dec.Decode(&back); err != nil {
		t.Fatalf("JSON does not decode into the schema: %v", err)
	}
	var second bytes.Buffer
	if err := render.JSON(&second, &back); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(first.Bytes(), second.Bytes()) {
		t.Error("JSON changed in a round trip")
	}
	// The documented required fields are present on every change.
	var raw struct {
		Pages     []map[string]any `json:"pages"`
		Revisions []struct {
			Commit, Date, Page, Path string
			Changes                  []map[string]any `json:"changes"`
		} `json:"revisions"`
	}
	if err := json.Unmarshal(first.Bytes(), &raw); err != nil {
		t.Fatal(err)
	}
	if len(raw.Pages) == 0 || len(raw.Revisions) == 0 {
		t.Fatal("empty changelog")
	}
	for _, r := range raw.Revisions {
		if r.Commit == "" || r.Date == "" || r.Page == "" {
			t.Errorf("revision lacks commit, date or page: %+v", r)
		}
		for _, ch := range r.Changes {
			for _, k := range []string{"id", "kind", "severity"} {
				if _, ok := ch[k]; !ok {
					t.Errorf("change in %s lacks %q", r.Commit, k)
				}
			}
		}
	}
}
