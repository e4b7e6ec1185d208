package render

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"html"
	"io"
	"path"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/gorilla/feeds"
	"github.com/residiff/residiff/differ"
	"github.com/residiff/residiff/extractor"
	"github.com/residiff/residiff/internal/short"
	"github.com/residiff/residiff/model"
	"github.com/residiff/residiff/source/profiles"
)

// JSON writes the changelog as the documented JSON document.
func JSON(w io.Writer, c *model.Changelog) error {
	return writeJSON(w, c)
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// MarkdownOptions tune the Markdown changelog.
type MarkdownOptions struct {
	// MinSeverity leaves out changes below it; zero keeps all.
	MinSeverity differ.Severity
	// Title heads the document; "" means "Residency changelog".
	Title string
}

// sections group the kinds of change under Keep a Changelog-style
// headings, in the order a compliance reader needs them.
var sections = []struct {
	title string
	kinds []differ.Kind
}{
	{"Newly excluded", []differ.Kind{differ.NewlyExcluded}},
	{"No longer listed as excluded", []differ.Kind{differ.NewlyCompliant}},
	{"Changed category or scope", []differ.Kind{differ.CategoryChanged, differ.ScopeChanged}},
	{"Check the page", []differ.Kind{differ.ExtractionDrift}},
	{"Moved to another page", []differ.Kind{differ.Delegated, differ.Restored}},
	{"Changed facts", []differ.Kind{differ.FieldsChanged}},
	{"Reworded facts", []differ.Kind{differ.Reworded}},
	{"Changed sentences", []differ.Kind{differ.ClaimChanged}},
	{"Renamed", []differ.Kind{differ.Renamed}},
	{"Read differently, text unchanged", []differ.Kind{differ.ReadDifferently, differ.FirstRead}},
	{"Page", []differ.Kind{differ.PageAdded, differ.PageMoved, differ.PageRemoved}},
	{"Editorial", []differ.Kind{differ.Editorial}},
}

// Markdown writes the changelog newest first: one section per date and
// page, changes grouped by kind, services in bold, before → after for
// facts.
func Markdown(w io.Writer, c *model.Changelog, opts MarkdownOptions) error {
	return oneTrailingNewline(w, func(w io.Writer) error { return markdown(w, c, opts) })
}

// oneTrailingNewline writes what write writes, ending in exactly one
// newline (markdownlint MD012/MD047).
func oneTrailingNewline(w io.Writer, write func(io.Writer) error) error {
	var buf bytes.Buffer
	if err := write(&buf); err != nil {
		return err
	}
	_, err := w.Write(append(bytes.TrimRight(buf.Bytes(), "\n"), '\n'))
	return err
}

func markdown(w io.Writer, c *model.Changelog, opts MarkdownOptions) error {
	b := &errWriter{w: w}
	title := opts.Title
	if title == "" {
		title = "Residency changelog"
	}
	b.printf("# %s\n\n", title)
	switch {
	case len(c.Repositories) > 0:
		var names []string
		for _, r := range c.Repositories {
			s := "**" + markdownEscape.Replace(r.Name) + "**"
			if r.Source != "" {
				s += " (" + markdownEscape.Replace(r.Source)
				if r.Branch != "" {
					s += ", branch " + markdownEscape.Replace(r.Branch)
				}
				s += ")"
			}
			names = append(names, s)
		}
		b.printf("Sources: %s. Pages followed: %d.\n\n", strings.Join(names, "; "), len(c.Pages))
	case c.Repository != "":
		b.printf("Source: %s", c.Repository)
		if c.Branch != "" {
			b.printf(" (branch %s)", c.Branch)
		}
		b.printf(". Pages followed: %d.\n\n", len(c.Pages))
	}
	shown := 0
	for i := len(c.Revisions) - 1; i >= 0; i-- {
		r := c.Revisions[i]
		changes := filter(r.Changes, opts.MinSeverity)
		if len(changes) == 0 {
			continue
		}
		shown++
		b.printf("## %s — %s (%s)\n\n", r.Date.UTC().Format("2006-01-02"), r.Page, link(short.Hash(r.Commit), r.URL))
		meta := []string{"`" + r.Path + "`"}
		if r.Author != "" {
			meta = append(meta, "by "+r.Author)
		}
		if r.PageDate != "" {
			meta = append(meta, "page date "+r.PageDate)
		}
		b.printf("%s\n\n", strings.Join(meta, ", "))
		writeUnread(b, r.Unread())
		writeSections(b, changes)
	}
	if shown == 0 {
		b.printf("No residency changes.\n")
	}
	return b.err
}

// sources names the repository, or the repositories of a combined
// changelog.
func sources(c *model.Changelog) string {
	if len(c.Repositories) == 0 {
		return c.Repository
	}
	var out []string
	for _, r := range c.Repositories {
		out = append(out, r.Name)
	}
	return strings.Join(out, ", ")
}

// writeUnread says what residiff could not read in a version, so that no
// reader takes a quiet changelog for a complete one.
func writeUnread(b *errWriter, ws []extractor.Warning) {
	if len(ws) == 0 {
		return
	}
	b.printf("> **residiff could not read part of this page**; changes there may be missing:\n")
	for _, w := range ws {
		where := ""
		if w.Section != "" {
			where = " (" + w.Section + ")"
		}
		b.printf("> - line %d%s: %s\n", w.Line, where, w.Message)
	}
	b.printf("\n")
}

// writeSections writes changes grouped under one heading per group of
// kinds.
func writeSections(b *errWriter, changes []differ.Change) {
	for _, sec := range sections {
		var lines []string
		for _, ch := range changes {
			if slices.Contains(sec.kinds, ch.Kind) {
				lines = append(lines, changeLine(ch))
			}
		}
		if len(lines) == 0 {
			continue
		}
		b.printf("### %s\n\n", sec.title)
		for _, l := range lines {
			b.printf("- %s\n", l)
		}
		b.printf("\n")
	}
}

// MarkdownChanges writes one comparison's changes under a title, grouped
// as in the changelog.
//
// The warnings of the two versions that say part of them was not read come
// first, so that "no changes" is never read as "nothing changed".
func MarkdownChanges(w io.Writer, title string, changes []differ.Change, oldWarnings, newWarnings []extractor.Warning) error {
	return oneTrailingNewline(w, func(w io.Writer) error { return markdownChanges(w, title, changes, oldWarnings, newWarnings) })
}

func markdownChanges(w io.Writer, title string, changes []differ.Change, oldWarnings, newWarnings []extractor.Warning) error {
	b := &errWriter{w: w}
	b.printf("# %s\n\n", title)
	for _, ws := range [][]extractor.Warning{oldWarnings, newWarnings} {
		var unread []extractor.Warning
		for _, w := range ws {
			if w.Kind.Blinding() {
				unread = append(unread, w)
			}
		}
		writeUnread(b, unread)
	}
	if len(changes) == 0 {
		b.printf("No residency changes.\n")
		return b.err
	}
	writeSections(b, changes)
	return b.err
}

func changeLine(ch differ.Change) string { return Sentence(ch, MarkdownStyle()) }

// Style says how a Sentence marks up service names, links and paths, so
// that the Markdown changelog and Slack's mrkdwn share one wording.
type Style struct {
	// Text escapes plain text for the target syntax.
	Text func(s string) string
	// Bold emphasises an (already escaped) service name.
	Bold func(s string) string
	// Code marks up an (already escaped) path.
	Code func(s string) string
	// Link links (already escaped) text to url; url may be "".
	Link func(text, url string) string
	// Deleted and Inserted, when both set, mark up the words a field
	// change removed and added (already escaped): a changed field is then
	// shown as its word diff ("~old~ → *new*" in Slack), not as two
	// clipped texts.
	Deleted, Inserted func(s string) string
}

// MarkdownStyle is the Style of the Markdown changelog.
func MarkdownStyle() Style {
	return Style{
		Text: markdownEscape.Replace,
		Bold: func(s string) string { return "**" + s + "**" },
		Code: func(s string) string { return "`" + s + "`" },
		Link: link,
		// GitHub's Markdown: struck words left, bold words came.
		Deleted:  func(s string) string { return "~~" + s + "~~" },
		Inserted: func(s string) string { return "**" + s + "**" },
	}
}

// Sentence is the one-line account of a change in style st: "**Azure
// Customer Lockbox** is newly excluded from the EU Data Boundary (…)".
func Sentence(ch differ.Change, st Style) string {
	t := st.Text
	svc := ""
	if ch.Service != "" {
		svc = st.Bold(t(ch.Service))
	}
	where := ""
	if ch.Scope != "" {
		where = ch.Scope
		if ch.Category != "" {
			where += ", " + ch.Category
		}
	}
	where = t(where)
	scope := t(scopePhrase(ch.Scope))
	if ch.SubScope != "" {
		// One row of a table keyed by the customer's region or cloud.
		scope = t(scopePhrase(ch.Scope) + " for " + ch.SubScope)
	}
	var s string
	switch ch.Kind {
	case differ.NewlyExcluded:
		if ch.Covers() {
			s = fmt.Sprintf("%s is no longer covered by %s (%s)", svc, scope, t(detailOr(ch.Detail, ch.Category)))
			break
		}
		s = fmt.Sprintf("%s is newly excluded from %s (%s)", svc, scope, t(detailOr(ch.Detail, ch.Category)))
	case differ.NewlyCompliant:
		if ch.Covers() {
			s = fmt.Sprintf("%s is newly covered by %s (%s)", svc, scope, t(detailOr(ch.Detail, ch.Category)))
			break
		}
		s = fmt.Sprintf("%s is no longer listed as excluded from %s (was %s)", svc, scope, t(ch.Category))
	case differ.CategoryChanged:
		s = fmt.Sprintf("%s in %s: %s → %s", svc, scope, t(ch.Before), t(ch.After))
	case differ.ScopeChanged:
		if ch.Category == "in_region" && ch.Detail != "" {
			// A commitment offered in other geographies (rows of a
			// table keyed by geography).
			s = fmt.Sprintf("%s is covered by %s in other geographies: %s", svc, scope, t(ch.Detail))
			break
		}
		s = fmt.Sprintf("%s (%s) exclusion scope: %s → %s", svc, t(ch.Category), t(ch.Before), t(ch.After))
	case differ.FieldsChanged, differ.Reworded:
		var parts []string
		for _, f := range ch.Fields {
			name := strings.ReplaceAll(f.Field, "_", " ")
			if st.Deleted != nil && st.Inserted != nil && f.Before != "" && f.After != "" && mostlyKept(f.Diff) {
				parts = append(parts, fmt.Sprintf("%s: %s", name, markedWords(f.Diff, st)))
				continue
			}
			if blocks, ok := blockChanges(name, f.Before, f.After, t); ok {
				parts = append(parts, blocks...)
				continue
			}
			if b, a := short.Clip(f.Before, 300), short.Clip(f.After, 300); b != a || len(f.Diff) == 0 {
				parts = append(parts, fmt.Sprintf("%s: “%s” → “%s”", name, t(b), t(a)))
				continue
			}
			// Long texts that differ beyond the clip: show only what changed.
			parts = append(parts, fmt.Sprintf("%s (long text) changed: %s", name, t(wordChanges(f.Diff))))
		}
		s = fmt.Sprintf("%s (%s): %s", svc, where, strings.Join(parts, "; "))
		if ch.Kind == differ.Reworded {
			s += " (reworded: the same places, numbers, dates and data)"
		}
	case differ.Renamed:
		s = fmt.Sprintf("%s → %s (same service)", t(ch.Before), svc)
	case differ.Delegated:
		s = fmt.Sprintf("%s (%s): the list moved to another page: %s", svc, where, st.Link(t(detailOr(ch.Detail, ch.After)), ch.After))
	case differ.Restored:
		s = fmt.Sprintf("%s (%s) is listed on this page again (was on %s)", svc, where, t(ch.Before))
	case differ.ExtractionDrift:
		if svc != "" {
			s = fmt.Sprintf("%s (%s) may still be excluded from %s; residiff could not confirm it: %s", svc, where, scope, t(ch.Detail))
		} else {
			s = fmt.Sprintf("needs a look: %s", t(ch.Detail))
		}
	case differ.PageAdded:
		s = fmt.Sprintf("page added at %s", st.Code(t(ch.After)))
	case differ.PageMoved:
		s = fmt.Sprintf("page moved from %s to %s", st.Code(t(ch.Before)), st.Code(t(ch.After)))
	case differ.PageRemoved:
		s = fmt.Sprintf("page removed from %s", st.Code(t(ch.Before)))
	case differ.Editorial:
		s = "wording changed; no residency fact did"
	case differ.ClaimChanged:
		// What the differ found, in its own words when it says more than
		// that a sentence moved; then the sentences themselves, unless the
		// evidence line below quotes them.
		var quote string
		switch {
		case ch.Before != "" && ch.After != "":
			s = "a sentence that says where data goes changed; check what it changes"
			quote = fmt.Sprintf("“%s” → “%s”", t(short.Clip(ch.Before, 300)), t(short.Clip(ch.After, 300)))
		case ch.Before != "":
			s = "a sentence that said where data goes was removed"
			quote = fmt.Sprintf("“%s”", t(short.Clip(ch.Before, 300)))
		default:
			s = "a sentence that says where data goes was added"
			quote = fmt.Sprintf("“%s”", t(short.Clip(ch.After, 300)))
		}
		s = detailOr(t(ch.Detail), s)
		if ch.Evidence == nil {
			s += ": " + quote
		}
		// The service and scope the page puts the sentence under, when
		// it says.
		switch {
		case svc != "" && where != "":
			s = fmt.Sprintf("%s (%s): %s", svc, where, s)
		case svc != "":
			s = svc + ": " + s
		case where != "":
			s = fmt.Sprintf("(%s) %s", where, s)
		}
	case differ.ReadDifferently, differ.FirstRead:
		what := "read differently; the text did not change"
		if ch.Kind == differ.FirstRead {
			what = "read for the first time from text the previous version already had"
		}
		s = fmt.Sprintf("%s (%s): %s", svc, where, what)
	default:
		s = fmt.Sprintf("%s %s %s", t(string(ch.Kind)), svc, where)
	}
	if ev := Evidence(ch, st); ev != "" {
		s += " — " + ev
	}
	// The evidence: the line in this version, and for what left (a
	// service no longer listed, a list moved away, a removed field) the
	// line in the version before, where it still stands.
	if ch.URL != "" && ch.Line > 0 && ch.Kind != differ.NewlyCompliant {
		s += " " + st.Link(fmt.Sprintf("L%d", ch.Line), ch.URL)
	}
	if ch.BeforeURL != "" && ch.BeforeLine > 0 {
		s += " " + st.Link(fmt.Sprintf("previous version L%d", ch.BeforeLine), ch.BeforeURL)
	}
	return s
}

// Evidence is the sentence a medium or high change rests on, old → new,
// with the changed words marked where the style can mark them; for a
// change read from unchanged text, that text. "" when the change has no
// evidence.
func Evidence(ch differ.Change, st Style) string {
	e := ch.Evidence
	if e == nil || ch.Severity < differ.Medium && ch.Kind != differ.ReadDifferently && ch.Kind != differ.FirstRead {
		return ""
	}
	t := st.Text
	quote := func(site *differ.Site) string {
		return fmt.Sprintf("L%d “%s”", site.Line, t(short.Clip(site.Text, 240)))
	}
	switch {
	case e.Old != nil && e.New != nil && e.Old.Text == e.New.Text:
		if e.Old.Context != e.New.Context {
			return fmt.Sprintf("the sentence stayed (%s); what it stands under changed: “%s” → “%s”", quote(e.New),
				t(short.Clip(e.Old.Context, 160)), t(short.Clip(e.New.Context, 160)))
		}
		return "text unchanged: " + quote(e.New)
	case e.Old != nil && e.New != nil:
		if st.Deleted != nil && st.Inserted != nil && len(e.Diff) > 0 && mostlyKept(e.Diff) {
			return fmt.Sprintf("L%d → L%d: %s", e.Old.Line, e.New.Line, markedWords(e.Diff, st))
		}
		return "was " + quote(e.Old) + ", now " + quote(e.New)
	case e.Old != nil:
		return "was " + quote(e.Old)
	case e.New != nil:
		return "now " + quote(e.New)
	}
	return ""
}

// scopePhrase names a scope in a sentence as its source's profile words
// it ("the EU Data Boundary", "the Japan region"); the neutral global
// scope is "the global data-location commitments", and a scope no profile
// knows is a region.
func scopePhrase(scope string) string {
	switch scope {
	case extractor.ScopeGlobal:
		return "the global data-location commitments"
	case "":
		return "its scope"
	}
	if w, ok := profiles.ScopeWording(scope); ok {
		return w
	}
	return "the " + scope + " region"
}

func detailOr(detail, fallback string) string {
	if detail != "" {
		return detail
	}
	return fallback
}

func link(text, url string) string {
	if url == "" || !extractor.SafeURL(url) {
		return text
	}
	return "[" + text + "](" + url + ")"
}

func filter(cs []differ.Change, min differ.Severity) []differ.Change {
	if min == 0 {
		return cs
	}
	var out []differ.Change
	for _, c := range cs {
		if c.Severity >= min {
			out = append(out, c)
		}
	}
	return out
}

// markdownEscape escapes what upstream text must not turn into Markdown:
// emphasis, links, HTML.
var markdownEscape = strings.NewReplacer(`\`, `\\`, "*", `\*`, "_", `\_`, "<", `\<`, "[", `\[`)

// errWriter keeps the first write error so renderers can print freely.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) printf(format string, args ...any) {
	if e.err == nil {
		_, e.err = fmt.Fprintf(e.w, format, args...)
	}
}

// AtomOptions tune the Atom feed.
type AtomOptions struct {
	// Title of the feed; "" means "Residency changes".
	Title string
	// Link is the feed's alternate link (the hosted report); "" uses
	// the repository.
	Link string
	// Authority is the tag: URI authority of ids; "" means "residiff".
	Authority string
	// Self is the address the feed is published at (rel="self"), when
	// known.
	Self string
}

// Atom writes the changelog as an Atom feed: one entry per revision with
// changes, newest first, with tag: ids that stay the same across runs.
func Atom(w io.Writer, c *model.Changelog, opts AtomOptions) error {
	authority := opts.Authority
	if authority == "" {
		authority = "residiff"
	}
	title := opts.Title
	if title == "" {
		title = "Residency changes"
	}
	linkURL := opts.Link
	if linkURL == "" && strings.HasPrefix(c.Repository, "http") {
		linkURL = c.Repository
	}
	updated := time.Unix(0, 0).UTC()
	for _, r := range c.Revisions {
		if r.Date.After(updated) {
			updated = r.Date.UTC()
		}
	}
	feedID := FeedID(c, authority)
	feed := &feeds.Feed{
		Title:   title,
		Link:    &feeds.Link{Href: linkURL},
		Updated: updated,
		Author:  &feeds.Author{Name: "residiff"},
	}
	for i := len(c.Revisions) - 1; i >= 0; i-- {
		r := c.Revisions[i]
		if len(r.Changes) == 0 {
			continue
		}
		var body strings.Builder
		body.WriteString("<ul>")
		var ids []string
		for _, ch := range r.Changes {
			fmt.Fprintf(&body, `<li id="change-%s">%s</li>`, ch.ID, inlineHTML(changeLine(ch)))
			ids = append(ids, ch.ID)
		}
		body.WriteString("</ul>")
		if unread := r.Unread(); len(unread) > 0 {
			body.WriteString("<p><strong>residiff could not read part of this page</strong>; changes there may be missing:</p><ul>")
			for _, w := range unread {
				fmt.Fprintf(&body, "<li>line %d: %s</li>", w.Line, html.EscapeString(w.Message))
			}
			body.WriteString("</ul>")
		}
		sort.Strings(ids)
		// An entry's id comes from its changes' ids, which depend on the
		// page versions, not the commit: a force-push keeps it.
		sum := sha256.Sum256([]byte(strings.Join(ids, ",")))
		item := &feeds.Item{
			Id:      fmt.Sprintf("tag:%s,%s:%s/%s", authority, r.Date.UTC().Format("2006-01-02"), tagSafe(r.Page), hex.EncodeToString(sum[:8])),
			Title:   fmt.Sprintf("%s: %s", r.Page, headline(r.Changes)),
			Author:  &feeds.Author{Name: r.Author},
			Created: r.Date.UTC(),
			Updated: r.Date.UTC(),
			Content: body.String(),
		}
		if r.URL != "" {
			item.Link = &feeds.Link{Href: r.URL}
		}
		feed.Items = append(feed.Items, item)
	}
	// gorilla/feeds takes the feed id from its link; Atom wants a
	// permanent id, so it is set on the Atom form. Its feed holds one
	// link; the feed written has the alternate link (the hosted report,
	// else the repository) and rel="self" (where the feed itself is
	// published) both.
	af := (&feeds.Atom{Feed: feed}).AtomFeed()
	out := atomFeed{Xmlns: af.Xmlns, Title: af.Title, Id: feedID, Updated: af.Updated, Author: af.Author, Entries: af.Entries}
	if linkURL != "" {
		out.Links = append(out.Links, feeds.AtomLink{Href: linkURL})
	}
	if opts.Self != "" {
		out.Links = append(out.Links, feeds.AtomLink{Href: opts.Self, Rel: "self", Type: "application/atom+xml"})
	}
	for _, e := range af.Entries {
		links := e.Links[:0]
		for _, l := range e.Links {
			if l.Href != "" {
				links = append(links, l)
			}
		}
		e.Links = links
	}
	atom, err := feeds.ToXML(out)
	if err != nil {
		return fmt.Errorf("atom: %w", err)
	}
	_, err = io.WriteString(w, atom+"\n")
	return err
}

// atomFeed is gorilla/feeds' Atom feed with more than one link.
type atomFeed struct {
	XMLName xml.Name `xml:"feed"`
	Xmlns   string   `xml:"xmlns,attr"`
	Title   string   `xml:"title"`
	Id      string   `xml:"id"` //nolint:revive // the Atom element's name
	Updated string   `xml:"updated"`
	Links   []feeds.AtomLink
	Author  *feeds.AtomAuthor  `xml:"author,omitempty"`
	Entries []*feeds.AtomEntry `xml:"entry"`
}

// FeedXml makes atomFeed a feeds.XmlFeed.
func (f atomFeed) FeedXml() any { return f } //nolint:revive // gorilla/feeds' method name

// FeedID is the Atom feed id of c: the repositories watched (however
// their URLs were typed, a local path by its name) and the profile the
// pages are read with, nothing else. Adding a page to the globs, another
// branch name for the same history, --since or the place the command runs
// keep the id, so a feed reader keeps its subscription.
func FeedID(c *model.Changelog, authority string) string {
	if authority == "" {
		authority = "residiff"
	}
	watched := canonicalRepo(c.Repository) + withProfile(c.Profile)
	if len(c.Repositories) > 0 {
		var rs []string
		for _, r := range c.Repositories {
			rs = append(rs, canonicalRepo(r.Source)+withProfile(r.Profile))
		}
		watched = strings.Join(rs, "+")
	}
	return fmt.Sprintf("tag:%s,2018:feed/%s", authority, tagSafe(watched))
}

func withProfile(p string) string {
	if p == "" {
		return ""
	}
	return "#" + p
}

// canonicalRepo is a repository's name however it was typed: no scheme,
// credentials, trailing ".git" or "/", leading "./", case folded.
func canonicalRepo(r string) string {
	if i := strings.Index(r, "://"); i >= 0 {
		r = r[i+3:]
	} else if !strings.Contains(r, "@") {
		// A local path: its name, wherever it was cloned.
		r = path.Base(strings.TrimSuffix(r, "/"))
	}
	if i := strings.LastIndex(r, "@"); i >= 0 {
		r = r[i+1:]
	}
	r = strings.TrimPrefix(r, "./")
	r = strings.TrimSuffix(strings.TrimSuffix(r, "/"), ".git")
	return strings.ToLower(r)
}

// Filter keeps the changes a reader asked for.
type Filter struct {
	// MinSeverity leaves out less severe changes; zero keeps all.
	MinSeverity differ.Severity
	// Kinds, when not empty, keeps only these kinds.
	Kinds []differ.Kind
}

// Apply returns c with only the changes f keeps (c itself when f keeps
// all); revisions left without changes are dropped.
func (f Filter) Apply(c *model.Changelog) *model.Changelog {
	if f.MinSeverity == 0 && len(f.Kinds) == 0 {
		return c
	}
	out := *c
	out.Revisions = []model.Revision{}
	for _, r := range c.Revisions {
		var keep []differ.Change
		for _, ch := range r.Changes {
			if ch.Severity >= f.MinSeverity && (len(f.Kinds) == 0 || slices.Contains(f.Kinds, ch.Kind)) {
				keep = append(keep, ch)
			}
		}
		if len(keep) > 0 {
			r.Changes = keep
			out.Revisions = append(out.Revisions, r)
		}
	}
	return &out
}

// ParseKinds reads change kinds, refusing unknown ones.
func ParseKinds(names []string) ([]differ.Kind, error) {
	var out []differ.Kind
	for _, n := range names {
		for _, part := range strings.Split(n, ",") {
			k := differ.Kind(strings.TrimSpace(part))
			if _, ok := differ.KindOrder(k); !ok {
				return nil, fmt.Errorf("unknown change kind %q (want %s)", part, strings.Join(KindNames(), ", "))
			}
			out = append(out, k)
		}
	}
	return out, nil
}

// KindNames are the names of the change kinds, in the order changes are
// shown.
func KindNames() []string {
	kinds := []differ.Kind{differ.NewlyExcluded, differ.NewlyCompliant, differ.CategoryChanged, differ.ScopeChanged,
		differ.FieldsChanged, differ.Renamed, differ.Delegated, differ.Restored, differ.ExtractionDrift,
		differ.ClaimChanged, differ.Reworded, differ.ReadDifferently, differ.FirstRead,
		differ.PageAdded, differ.PageRemoved, differ.PageMoved, differ.Editorial}
	kinds = slices.DeleteFunc(kinds, func(k differ.Kind) bool { _, ok := differ.KindOrder(k); return !ok })
	slices.SortStableFunc(kinds, func(a, b differ.Kind) int {
		x, _ := differ.KindOrder(a)
		y, _ := differ.KindOrder(b)
		return x - y
	})
	out := make([]string, len(kinds))
	for i, k := range kinds {
		out[i] = string(k)
	}
	return out
}

// headline counts a revision's changes by kind for titles.
func headline(cs []differ.Change) string {
	counts := map[differ.Kind]int{}
	var order []differ.Kind
	for _, c := range cs {
		if counts[c.Kind] == 0 {
			order = append(order, c.Kind)
		}
		counts[c.Kind]++
	}
	var parts []string
	for _, k := range order {
		parts = append(parts, fmt.Sprintf("%d %s", counts[k], strings.ReplaceAll(string(k), "_", " ")))
	}
	return strings.Join(parts, ", ")
}

// tagSafe makes s usable in the specific part of a tag: URI.
func tagSafe(s string) string {
	return strings.Map(func(r rune) rune {
		if r <= ' ' {
			return '_'
		}
		return r
	}, s)
}

var (
	mdLink   = regexp.MustCompile(`\[([^\]]+)\]\(([^)\s]+)\)`)
	mdStrong = regexp.MustCompile(`\*\*([^*]+)\*\*`)
	mdCode   = regexp.MustCompile("`([^`]+)`")
)

// inlineHTML renders the inline Markdown of a change line (bold, code,
// links) as HTML, escaping everything else.
func inlineHTML(s string) string {
	s = html.EscapeString(s)
	s = mdLink.ReplaceAllString(s, `<a href="$2">$1</a>`)
	s = mdStrong.ReplaceAllString(s, `<strong>$1</strong>`)
	return mdCode.ReplaceAllString(s, `<code>$1</code>`)
}

// wordChanges summarises a word diff as its changed runs:
// “region” → “EU location”; −“[63]”; +“RCS, or WhatsApp”.
// blockSep joins the values of one field across a service's fact blocks
// (differ).
const blockSep = " | "

// blockChanges shows a field whose value comes from several fact blocks
// block by block — only the blocks that changed, each before → after —
// instead of the joined texts. It reports false for a one-block field.
func blockChanges(name, before, after string, t func(string) string) ([]string, bool) {
	bb, ab := strings.Split(before, blockSep), strings.Split(after, blockSep)
	if len(bb) < 2 && len(ab) < 2 {
		return nil, false
	}
	quote := func(s string) string { return "“" + t(short.Clip(strings.TrimSpace(s), 200)) + "”" }
	if len(bb) != len(ab) {
		list := func(ss []string) string {
			q := make([]string, len(ss))
			for i, s := range ss {
				q[i] = quote(s)
			}
			return strings.Join(q, ", ")
		}
		return []string{fmt.Sprintf("%s: %d block(s) %s → %d block(s) %s", name, len(bb), list(bb), len(ab), list(ab))}, true
	}
	var out []string
	pair := pairBlocks(bb, ab)
	for i := range bb {
		if j := pair[i]; strings.TrimSpace(bb[i]) != strings.TrimSpace(ab[j]) {
			out = append(out, fmt.Sprintf("%s (block %d of %d): %s → %s", name, i+1, len(bb), quote(bb[i]), quote(ab[j])))
		}
	}
	return out, len(out) > 0
}

// pairBlocks pairs each value of before with one of after, as many as
// there are: the values are sorted, not in page order, so an unchanged
// block pairs with its equal and the rest with the most alike ("13 in AS
// (Asia/Pacific), 50 in US." with "US and Asia/Pacific.", not with the
// other block's "US").
func pairBlocks(before, after []string) []int {
	pair := make([]int, len(before))
	used := make([]bool, len(after))
	done := make([]bool, len(before))
	for i, b := range before {
		for j, a := range after {
			if !used[j] && strings.TrimSpace(a) == strings.TrimSpace(b) {
				pair[i], used[j], done[i] = j, true, true
				break
			}
		}
	}
	for i, b := range before {
		if done[i] {
			continue
		}
		best, bj := -1.0, -1
		for j, a := range after {
			if s := differ.Similarity(b, a); !used[j] && s > best {
				best, bj = s, j
			}
		}
		pair[i], used[bj] = bj, true
	}
	return pair
}

// mostlyKept reports whether most words survived an edit: a word diff
// then reads well; a rewrite reads better as before → after.
func mostlyKept(diff []differ.WordDiff) bool {
	kept, changed := 0, 0
	for _, d := range diff {
		n := len(strings.Fields(d.Text))
		if d.Op == "equal" {
			kept += n
		} else {
			changed += n
		}
	}
	return len(diff) > 0 && kept >= 2*changed
}

// markedWords shows a word diff in place: unchanged runs kept short (their
// first and last words around "…"), removed words through st.Deleted,
// added ones through st.Inserted.
func markedWords(diff []differ.WordDiff, st Style) string {
	var b strings.Builder
	for i, d := range diff {
		switch d.Op {
		case "delete":
			b.WriteString(st.Deleted(st.Text(short.Clip(strings.TrimSpace(d.Text), 200))))
			if i+1 < len(diff) && diff[i+1].Op == "insert" {
				b.WriteString(" → ")
			} else {
				b.WriteString(" ")
			}
		case "insert":
			b.WriteString(st.Inserted(st.Text(short.Clip(strings.TrimSpace(d.Text), 200))))
			b.WriteString(" ")
		default:
			words := strings.Fields(d.Text)
			switch {
			case len(words) == 0:
			case len(words) <= 8:
				b.WriteString(st.Text(strings.Join(words, " ")) + " ")
			case i == 0:
				b.WriteString("… " + st.Text(strings.Join(words[len(words)-4:], " ")) + " ")
			case i == len(diff)-1:
				b.WriteString(st.Text(strings.Join(words[:4], " ")) + " …")
			default:
				b.WriteString(st.Text(strings.Join(words[:3], " ")) + " … " + st.Text(strings.Join(words[len(words)-3:], " ")) + " ")
			}
		}
	}
	return strings.TrimSpace(b.String())
}

func wordChanges(diff []differ.WordDiff) string {
	var parts []string
	for i := 0; i < len(diff); i++ {
		d := diff[i]
		switch {
		case d.Op == "delete" && i+1 < len(diff) && diff[i+1].Op == "insert":
			parts = append(parts, fmt.Sprintf("“%s” → “%s”", short.Clip(strings.TrimSpace(d.Text), 120), short.Clip(strings.TrimSpace(diff[i+1].Text), 120)))
			i++
		case d.Op == "delete":
			parts = append(parts, fmt.Sprintf("−“%s”", short.Clip(strings.TrimSpace(d.Text), 120)))
		case d.Op == "insert":
			parts = append(parts, fmt.Sprintf("+“%s”", short.Clip(strings.TrimSpace(d.Text), 120)))
		}
	}
	if len(parts) > 6 {
		parts = append(parts[:6], fmt.Sprintf("and %d more", len(parts)-6))
	}
	return strings.Join(parts, "; ")
}
