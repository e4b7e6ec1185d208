package render_test

import (
	"bytes"
	"context"
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/residiff/residiff/differ"
	"github.com/residiff/residiff/extractor"
	"github.com/residiff/residiff/history"
	"github.com/residiff/residiff/model"
	"github.com/residiff/residiff/pipeline"
	"github.com/residiff/residiff/render"
	"github.com/residiff/residiff/source/entra"
	"github.com/residiff/residiff/timeline"
	"golang.org/x/net/html"
)

// fixtureResult runs the pipeline over the bundled fixture history.
func fixtureResult(t *testing.T) *pipeline.Result {
	t.Helper()
	ctx := context.Background()
	repo, err := history.Open(ctx, "../fixtures/upstream.git")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { repo.Close() })
	res, err := pipeline.Build(ctx, repo, pipeline.Options{Profile: entra.Profile(), WebURL: "https://github.com/MicrosoftDocs/entra-docs", Repository: "fixtures/upstream.git"})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func hasClass(n *html.Node, class string) bool {
	return n.Type == html.ElementNode && strings.Contains(" "+attr(n, "class")+" ", " "+class+" ")
}

func walk(n *html.Node, f func(*html.Node)) {
	f(n)
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		walk(c, f)
	}
}

func text(n *html.Node) string {
	var b strings.Builder
	walk(n, func(x *html.Node) {
		if x.Type == html.TextNode {
			b.WriteString(x.Data)
		}
	})
	return strings.TrimSpace(b.String())
}

func TestHTMLReportStructure(t *testing.T) {
	res := fixtureResult(t)
	var buf bytes.Buffer
	gen := time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
	if err := render.HTML(&buf, res.Changelog, res.Versions, render.HTMLOptions{Generated: gen}); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, banned := range []string{"<link ", "src=\"http", "@import", "url(http"} {
		if strings.Contains(out, banned) {
			t.Errorf("report loads an outside resource: %q", banned)
		}
	}
	doc, err := html.Parse(strings.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}

	// Every timeline row, keyed page/scope/service id, with its bars.
	type barKey struct{ page, scope, service, category, from, to string }
	rows := map[string]int{}
	var bars []barKey
	walk(doc, func(n *html.Node) {
		if n.Type != html.ElementNode || n.Data != "table" || !hasClass(n, "timeline") {
			return
		}
		page, scope := attr(n, "data-page"), attr(n, "data-scope")
		walk(n, func(tr *html.Node) {
			if tr.Type != html.ElementNode || tr.Data != "tr" || attr(tr, "data-service-id") == "" {
				return
			}
			id := attr(tr, "data-service-id")
			rows[page+"|"+scope+"|"+id]++
			walk(tr, func(b *html.Node) {
				if hasClass(b, "bar") {
					bars = append(bars, barKey{page, scope, id, attr(b, "data-category"), attr(b, "data-from"), attr(b, "data-to")})
				}
			})
		})
	})

	periods := timeline.Periods(res.Versions)
	var want []barKey
	wantRows := map[string]bool{}
	for _, p := range periods {
		to := "now"
		if !p.Open() {
			to = p.To.UTC().Format("2006-01-02")
		}
		want = append(want, barKey{p.Page, p.Scope, p.ServiceID, string(p.Category), p.From.UTC().Format("2006-01-02"), to})
		wantRows[p.Page+"|"+p.Scope+"|"+p.ServiceID] = true
	}
	for k, n := range rows {
		if n != 1 {
			t.Errorf("row %s appears %d times, want once", k, n)
		}
		if !wantRows[k] {
			t.Errorf("row %s has no period", k)
		}
	}
	if len(rows) != len(wantRows) {
		t.Errorf("%d rows, want one per service and scope: %d", len(rows), len(wantRows))
	}
	sortBars := func(b []barKey) {
		sort.Slice(b, func(i, j int) bool { return fmt.Sprint(b[i]) < fmt.Sprint(b[j]) })
	}
	sortBars(bars)
	sortBars(want)
	if fmt.Sprint(bars) != fmt.Sprint(want) {
		t.Errorf("bars differ from the periods:\n got %v\nwant %v", bars, want)
	}

	// The changes table: one row per change of the JSON changelog, newest
	// first, except that identical delegated changes of one revision are
	// one row naming every service, which carries the anchors of the
	// others; every change has its anchor exactly once.
	var changeRows []*html.Node
	anchors := map[string]int{}
	grouped := 0
	walk(doc, func(n *html.Node) {
		if n.Type == html.ElementNode && n.Data == "tr" && strings.HasPrefix(attr(n, "id"), "change-") {
			changeRows = append(changeRows, n)
			anchors[attr(n, "id")]++
		}
		if n.Type == html.ElementNode && n.Data == "span" && strings.HasPrefix(attr(n, "id"), "change-") {
			anchors[attr(n, "id")]++
			grouped++
		}
	})
	total, delegatedGroups := 0, map[string]int{}
	for _, r := range res.Changelog.Revisions {
		total += len(r.Changes)
		for _, ch := range r.Changes {
			if ch.Kind == differ.Delegated && ch.Service != "" {
				delegatedGroups[r.Commit+"|"+ch.Scope+"|"+ch.Category+"|"+ch.After+"|"+ch.Detail+"|"+ch.Severity.String()]++
			}
			if anchors["change-"+ch.ID] != 1 {
				t.Errorf("change %s has %d anchors, want 1", ch.ID, anchors["change-"+ch.ID])
			}
		}
	}
	wantGrouped := 0
	for _, n := range delegatedGroups {
		wantGrouped += n - 1
	}
	if wantGrouped == 0 {
		t.Fatal("the fixture has no identical delegated changes to group")
	}
	if len(changeRows) != total-wantGrouped || grouped != wantGrouped {
		t.Errorf("%d change rows and %d grouped anchors, want %d and %d", len(changeRows), grouped, total-wantGrouped, wantGrouped)
	}
	for _, r := range changeRows {
		if attr(r, "data-service") != "" && strings.Contains(attr(r, "data-service"), ", ") {
			if !strings.Contains(text(r), " and ") || !strings.Contains(text(r), "the list moved to another page") {
				t.Errorf("a grouped row does not list its services: %q", text(r))
			}
		}
	}
	if len(changeRows) > 0 {
		newest := res.Changelog.Revisions[len(res.Changelog.Revisions)-1]
		if got := attr(changeRows[0], "id"); got != "change-"+newest.Changes[0].ID {
			t.Errorf("first change row %s, want the newest revision's first change", got)
		}
	}

	// The no-JS as-of table is the answer of AsOf on the generation date.
	snap := timeline.AsOf(gen, res.Versions)
	var asofCaptions []string
	walk(doc, func(n *html.Node) {
		if n.Type == html.ElementNode && n.Data == "table" && hasClass(n, "asof") {
			asofCaptions = append(asofCaptions, strings.Fields(text(n))[0])
		}
	})
	var wantCaptions []string
	for _, p := range snap.Pages {
		wantCaptions = append(wantCaptions, p.Page)
	}
	if fmt.Sprint(asofCaptions) != fmt.Sprint(wantCaptions) {
		t.Errorf("as-of tables %v, want %v", asofCaptions, wantCaptions)
	}
}

// TestPeriodsAgreeWithChanges checks the periods against the changelog the
// differ produced: every period that starts after a page's first version
// starts at a change to that service and scope, and every closed period
// ends at one.
func TestPeriodsAgreeWithChanges(t *testing.T) {
	res := fixtureResult(t)
	first := map[string]time.Time{}
	for _, v := range res.Versions {
		if f, ok := first[v.Page.Page]; !ok || v.Date.Before(f) {
			first[v.Page.Page] = v.Date
		}
	}
	events := map[string]bool{} // page|scope|service|date
	for _, r := range res.Changelog.Revisions {
		for _, ch := range r.Changes {
			if ch.Kind == differ.Editorial || ch.ServiceID == "" {
				continue
			}
			d := r.Date.UTC().Format(time.RFC3339)
			events[r.Page+"|"+ch.Scope+"|"+ch.ServiceID+"|"+d] = true
			if ch.Kind == differ.ScopeChanged { // names the other scope in Before/After
				for _, s := range []string{ch.Before, ch.After} {
					for _, part := range strings.Split(s, ", ") {
						events[r.Page+"|"+part+"|"+ch.ServiceID+"|"+d] = true
					}
				}
			}
		}
	}
	periods := timeline.Periods(res.Versions)
	if len(periods) == 0 {
		t.Fatal("no periods")
	}
	for _, p := range periods {
		key := p.Page + "|" + p.Scope + "|" + p.ServiceID + "|"
		if !p.From.Equal(first[p.Page]) && !events[key+p.From.UTC().Format(time.RFC3339)] {
			t.Errorf("period %s %s %s (%s) starts %s with no change that day", p.Page, p.Scope, p.Service, p.Category, p.From.Format("2006-01-02"))
		}
		if !p.Open() && !events[key+p.To.UTC().Format(time.RFC3339)] {
			t.Errorf("period %s %s %s (%s) ends %s with no change that day", p.Page, p.Scope, p.Service, p.Category, p.To.Format("2006-01-02"))
		}
	}
}

func TestHTMLEscapes(t *testing.T) {
	c := &model.Changelog{Pages: []model.Page{{Page: "p"}}, Revisions: []model.Revision{{
		Commit: "abcdef1234", Date: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), Page: "p",
		Changes: []differ.Change{{ID: "x1", Kind: differ.Delegated, Severity: differ.Medium, Service: "<script>alert(1)</script>",
			Scope: "EU Data Boundary", Category: "temporary", After: "javascript:alert(1)"}},
	}}}
	var buf bytes.Buffer
	if err := render.HTML(&buf, c, nil, render.HTMLOptions{}); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	if strings.Contains(out, "<script>alert(1)") {
		t.Error("service name not escaped")
	}
	if strings.Contains(out, `href="javascript:`) {
		t.Error("javascript: URL linked")
	}
}

// TestHTMLNeedsALook checks that a version residiff could not fully read
// is marked on its changes and listed for a person to read.
func TestHTMLNeedsALook(t *testing.T) {
	c := &model.Changelog{Pages: []model.Page{{Page: "p"}}, Revisions: []model.Revision{{
		Commit: "1234567890", Date: time.Date(2024, 2, 16, 0, 0, 0, 0, time.UTC), Page: "p", Path: "p.md",
		Changes:  []differ.Change{{ID: "x1", Kind: differ.ExtractionDrift, Severity: differ.Medium, Detail: "residiff could not read part of this page"}},
		Warnings: []extractor.Warning{{Line: 12, Kind: extractor.UnrecognisedSection, Section: "Services", Message: "section \"Services\" was not read"}},
	}}}
	var buf bytes.Buffer
	if err := render.HTML(&buf, c, nil, render.HTMLOptions{}); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{`id="needs-a-look"`, "line 12: section &#34;Services&#34; was not read", "⚠ not fully read"} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q", want)
		}
	}
}

// TestHTMLFindsServicesByAnyName: every change row and timeline row carries
// all the names its service had, so the filter finds "Azure Active
// Directory Connect" under its new name; pages show their titles with the
// slug beside; narrow screens keep every third year label; the footer says
// which residiff made the report and when.
func TestHTMLFindsServicesByAnyName(t *testing.T) {
	res := fixtureResult(t)
	var buf bytes.Buffer
	generated := time.Date(2026, 11, 29, 12, 30, 0, 0, time.UTC)
	if err := render.HTML(&buf, res.Changelog, res.Versions, render.HTMLOptions{Generated: generated}); err != nil {
		t.Fatal(err)
	}
	doc, err := html.Parse(&buf)
	if err != nil {
		t.Fatal(err)
	}
	var connectRows, connectNamed, titled, e3, ticks int
	var footer string
	walk(doc, func(n *html.Node) {
		if n.Type != html.ElementNode {
			return
		}
		if n.Data == "tr" && attr(n, "data-service-id") == "connect" {
			connectRows++
			names := attr(n, "data-names")
			if strings.Contains(names, "azure active directory connect") && strings.Contains(names, "microsoft entra connect") {
				connectNamed++
			}
		}
		if n.Data == "option" && strings.Contains(text(n), "Customer data storage and processing for European customers") && attr(n, "value") == "data-storage-eu" {
			titled++
		}
		if n.Data == "span" && n.Parent != nil && hasClass(n.Parent, "axis") {
			ticks++
			if hasClass(n, "e3") {
				e3++
			}
		}
		if n.Data == "footer" {
			footer = text(n)
		}
	})
	if connectRows == 0 || connectNamed != connectRows {
		t.Errorf("%d rows of Microsoft Entra Connect, %d carrying its old and new names", connectRows, connectNamed)
	}
	if titled != 1 {
		t.Error("the page filter does not show data-storage-eu by its title")
	}
	if ticks == 0 || e3 == 0 || e3 >= ticks {
		t.Errorf("%d year labels, %d kept on narrow screens", ticks, e3)
	}
	if !strings.Contains(footer, "2026-11-29 12:30 UTC") || !strings.Contains(footer, "by residiff") {
		t.Errorf("footer %q lacks the generation time and version", footer)
	}
}
