package render

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"html"
	"html/template"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/residiff/residiff/differ"
	"github.com/residiff/residiff/internal/short"
	"github.com/residiff/residiff/model"
	"github.com/residiff/residiff/timeline"
)

//go:embed report.html.tmpl
var htmlTemplate string

// HTMLOptions tune the HTML report.
type HTMLOptions struct {
	// Title heads the report; default "Data-residency commitments".
	Title string
	// Generated is the report's time, shown and used as the right edge of
	// the timelines; zero means the newest revision's date.
	Generated time.Time
}

// HTML writes a self-contained HTML report: per page and scope a timeline
// of the periods each service was excluded, with a mark per change; the
// changes newest first, filterable; and the commitments in force on a
// chosen date. It needs no network (inline CSS and script) and reads
// without JavaScript.
func HTML(w io.Writer, c *model.Changelog, versions []model.PageVersion, opts HTMLOptions) error {
	view, err := buildHTMLView(c, versions, opts)
	if err != nil {
		return err
	}
	t, err := template.New("report").Funcs(template.FuncMap{
		"date": func(t time.Time) string {
			if t.IsZero() {
				return "now"
			}
			return t.UTC().Format("2006-01-02")
		},
		"short": short.Hash,
		"datetime": func(t time.Time) string {
			if t.IsZero() {
				return "now"
			}
			return t.UTC().Format("2006-01-02 15:04 UTC")
		},
	}).Parse(htmlTemplate)
	if err != nil {
		return fmt.Errorf("html template: %w", err)
	}
	var buf bytes.Buffer
	if err := t.Execute(&buf, view); err != nil {
		return fmt.Errorf("html report: %w", err)
	}
	_, err = w.Write(buf.Bytes())
	return err
}

type htmlView struct {
	Title     string
	Version   string
	Generated time.Time
	// LastCommit is the date of the newest commit the history holds (a
	// page version or a revision), LastHash its commit: what the report
	// is up to, shown in its header.
	LastCommit time.Time
	LastHash   string
	// Total counts the changes (the list may show fewer rows: grouped
	// delegated rows).
	Total       int
	Start, End  time.Time
	Repository  string
	Ticks       []tickView
	Timelines   []timelineView
	Changes     []changeView
	Pages       []pageOption
	Scopes      []string
	Snapshot    timeline.Snapshot
	PeriodsJSON template.JS
	Categories  []string
	// Unread are the versions residiff could not fully read: a reader
	// must look at them.
	Unread []unreadView
}

type tickView struct {
	Left  string
	Label string
	// Every2 and Every3 mark the ticks kept when there is room for only
	// every second or third label (narrow screens).
	Every2, Every3 bool
}

// pageOption is a page in the filter: its lineage and its title.
type pageOption struct {
	Page, Title string
}

type timelineView struct {
	ID    string
	Page  string
	Title string
	Scope string
	Rows  []rowView
}

type rowView struct {
	ServiceID string
	Service   string
	// Names are every name the service had (renames), lower-cased and
	// "|"-joined, for the service filter.
	Names string
	Bars  []barView
	Marks []markView
}

type barView struct {
	Category   string
	Left       string
	Width      string
	From, To   time.Time
	FromCommit string
	URL        string
}

type markView struct {
	Left     string
	Change   changeView
	Severity string
}

type changeView struct {
	Anchor    string
	Date      time.Time
	Page      string
	Scope     string
	Severity  string
	Kind      string
	KindLabel string
	Service   string
	ServiceID string
	// Names are every name the service had, as for rowView.
	Names string
	// Title is the page's title.
	Title  string
	Text   template.HTML
	Plain  string
	Commit string
	URL    string
	// Unread marks a change of a version residiff could not fully read.
	Unread bool
	// Also are the anchors of the changes this row stands for besides
	// its own: identical delegated rows of one revision are one row
	// listing their services.
	Also []string
}

// unreadView is a version residiff could not fully read.
type unreadView struct {
	Date   time.Time
	Page   string
	Commit string
	URL    string
	Lines  []string
}

func buildHTMLView(c *model.Changelog, versions []model.PageVersion, opts HTMLOptions) (*htmlView, error) {
	v := &htmlView{Title: opts.Title, Generated: opts.Generated, Repository: sources(c), Version: c.GeneratedBy,
		Categories: []string{"permanent", "temporary", "optional", "outside", "global", string(timeline.Delegated)}}
	if v.Title == "" {
		v.Title = "Data-residency commitments"
	}
	for _, pv := range versions {
		if v.Start.IsZero() || pv.Date.Before(v.Start) {
			v.Start = pv.Date
		}
		if pv.Date.After(v.End) {
			v.End = pv.Date
		}
		if !pv.Date.Before(v.LastCommit) {
			v.LastCommit, v.LastHash = pv.Date, pv.Commit
		}
	}
	for _, r := range c.Revisions {
		if v.Start.IsZero() || r.Date.Before(v.Start) {
			v.Start = r.Date
		}
		if r.Date.After(v.End) {
			v.End = r.Date
		}
		if !r.Date.Before(v.LastCommit) {
			v.LastCommit, v.LastHash = r.Date, r.Commit
		}
	}
	if opts.Generated.After(v.End) {
		v.End = opts.Generated
	}
	if v.Generated.IsZero() {
		v.Generated = v.End
	}
	// Leave a margin so the newest mark is not on the edge.
	span := v.End.Sub(v.Start)
	v.End = v.End.Add(span/40 + 24*time.Hour)
	pos := func(t time.Time) float64 {
		total := v.End.Sub(v.Start)
		if total <= 0 {
			return 0
		}
		return 100 * float64(t.Sub(v.Start)) / float64(total)
	}
	pct := func(f float64) string { return fmt.Sprintf("%.3f%%", f) }

	for i, y := 0, v.Start.Year()+1; y <= v.End.Year(); i, y = i+1, y+1 {
		t := time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC)
		v.Ticks = append(v.Ticks, tickView{Left: pct(pos(t)), Label: fmt.Sprint(y), Every2: i%2 == 0, Every3: i%3 == 0})
	}

	titles := map[string]string{}
	for _, p := range c.Pages {
		titles[p.Page] = p.Title
	}
	// Every name a service had, by canonical id: a filter by an old name
	// finds the service under its new one.
	names := map[string]map[string]bool{}
	addName := func(id, name string) {
		if id == "" || name == "" {
			return
		}
		if names[id] == nil {
			names[id] = map[string]bool{}
		}
		names[id][strings.ToLower(name)] = true
	}
	for _, r := range c.Revisions {
		for _, ch := range r.Changes {
			addName(ch.ServiceID, ch.Service)
			if ch.Kind == differ.Renamed {
				addName(ch.ServiceID, ch.Before)
				addName(ch.ServiceID, ch.After)
			}
		}
	}
	for _, pv := range versions {
		if pv.Page != nil {
			for _, rec := range pv.Page.Records {
				addName(rec.ServiceID, rec.Service)
			}
		}
	}
	namesOf := func(id, name string) string {
		set := map[string]bool{strings.ToLower(name): true}
		for n := range names[id] {
			set[n] = true
		}
		list := make([]string, 0, len(set))
		for n := range set {
			list = append(list, n)
		}
		sort.Strings(list)
		return strings.Join(list, "|")
	}
	// Changes, newest first: every change for the timelines' marks; in
	// the list, identical delegated rows of one revision (the same scope,
	// category and destination page) are one row listing the services.
	var all []changeView
	for i := len(c.Revisions) - 1; i >= 0; i-- {
		r := c.Revisions[i]
		unread := r.Unread()
		if len(unread) > 0 {
			u := unreadView{Date: r.Date, Page: r.Page, Commit: r.Commit, URL: r.URL}
			for _, w := range unread {
				u.Lines = append(u.Lines, fmt.Sprintf("line %d: %s", w.Line, w.Message))
			}
			v.Unread = append(v.Unread, u)
		}
		v.Total += len(r.Changes)
		groups := map[[5]string][]differ.Change{}
		var keys [][5]string
		for _, ch := range r.Changes {
			cv := changeView{Anchor: "change-" + ch.ID, Date: r.Date, Page: r.Page, Scope: ch.Scope,
				Severity: ch.Severity.String(), Kind: string(ch.Kind), KindLabel: strings.ReplaceAll(string(ch.Kind), "_", " "),
				Service: ch.Service, ServiceID: ch.ServiceID, Names: namesOf(ch.ServiceID, ch.Service), Title: titles[r.Page], Text: template.HTML(Sentence(ch, htmlStyle())), Plain: sentencePlain(ch), Commit: r.Commit, URL: firstNonEmpty(r.URL, ch.URL),
				Unread: len(unread) > 0}
			all = append(all, cv)
			if ch.Kind == differ.Delegated && ch.Service != "" {
				k := [5]string{ch.Scope, ch.Category, ch.After, ch.Detail, ch.Severity.String()}
				if groups[k] == nil {
					keys = append(keys, k)
					v.Changes = append(v.Changes, cv) // its place in the list; filled below
				}
				groups[k] = append(groups[k], ch)
				continue
			}
			v.Changes = append(v.Changes, cv)
		}
		for _, k := range keys {
			if g := groups[k]; len(g) > 1 {
				for j := range v.Changes {
					if v.Changes[j].Anchor == "change-"+g[0].ID {
						v.Changes[j] = delegatedGroup(v.Changes[j], g, namesOf)
					}
				}
			}
		}
	}

	// Timelines from the periods, marks from the changes.
	periods := timeline.Periods(versions)
	type tlKey struct{ page, scope string }
	tls := map[tlKey]*timelineView{}
	rows := map[[3]string]*rowView{}
	var order []tlKey
	lane := func(page, scope string) *timelineView {
		k := tlKey{page, scope}
		if tls[k] == nil {
			tls[k] = &timelineView{ID: anchorID("timeline-" + page + "-" + scope), Page: page, Title: titles[page], Scope: scope}
			order = append(order, k)
		}
		return tls[k]
	}
	row := func(page, scope, id, name string) *rowView {
		k := [3]string{page, scope, id}
		if rows[k] == nil {
			rows[k] = &rowView{ServiceID: id, Service: name}
		}
		return rows[k]
	}
	for _, p := range periods {
		lane(p.Page, p.Scope)
		rv := row(p.Page, p.Scope, p.ServiceID, p.Service)
		end := p.To
		if p.Open() {
			end = v.End
		}
		left := pos(p.From)
		rv.Bars = append(rv.Bars, barView{Category: string(p.Category), Left: pct(left), Width: pct(max(pos(end)-left, 0.4)),
			From: p.From, To: p.To, FromCommit: p.FromCommit, URL: p.URL})
		rv.Service = p.Service // the newest name
	}
	for _, ch := range all {
		if ch.Scope == "" {
			continue
		}
		id := ch.ServiceID
		if id == "" {
			continue
		}
		k := [3]string{ch.Page, ch.Scope, id}
		if rows[k] == nil {
			continue // a change to a service no period shows (e.g. in_region rows)
		}
		rows[k].Marks = append(rows[k].Marks, markView{Left: pct(pos(ch.Date)), Change: ch, Severity: ch.Severity})
	}
	sort.Slice(order, func(i, j int) bool {
		if order[i].page != order[j].page {
			return order[i].page < order[j].page
		}
		return order[i].scope < order[j].scope
	})
	for _, k := range order {
		tl := tls[k]
		for rk, rv := range rows {
			if rk[0] == k.page && rk[1] == k.scope {
				rv.Names = namesOf(rv.ServiceID, rv.Service)
				tl.Rows = append(tl.Rows, *rv)
			}
		}
		sort.Slice(tl.Rows, func(i, j int) bool {
			return strings.ToLower(tl.Rows[i].Service) < strings.ToLower(tl.Rows[j].Service)
		})
		v.Timelines = append(v.Timelines, *tl)
	}

	seenPage, seenScope := map[string]bool{}, map[string]bool{}
	for _, ch := range v.Changes {
		if !seenPage[ch.Page] {
			seenPage[ch.Page] = true
			v.Pages = append(v.Pages, pageOption{Page: ch.Page, Title: titles[ch.Page]})
		}
		if ch.Scope != "" && !seenScope[ch.Scope] {
			seenScope[ch.Scope] = true
			v.Scopes = append(v.Scopes, ch.Scope)
		}
	}
	sort.Slice(v.Pages, func(i, j int) bool { return v.Pages[i].Page < v.Pages[j].Page })
	sort.Strings(v.Scopes)

	v.Snapshot = timeline.AsOf(v.Generated, versions)
	data, err := json.Marshal(periods) // escapes <, > and & for a script element
	if err != nil {
		return nil, err
	}
	v.PeriodsJSON = template.JS(data)
	return v, nil
}

// delegatedGroup makes the row of the first of the identical delegated
// changes g one that names every service of g ("A, B and C (EU Data
// Boundary, temporary): the list moved to another page: …"), with the
// other changes' anchors and every name for the service filter.
func delegatedGroup(first changeView, g []differ.Change, namesOf func(id, name string) string) changeView {
	st := htmlStyle()
	var bold, plain, names, ids []string
	for _, ch := range g {
		bold = append(bold, st.Bold(st.Text(ch.Service)))
		plain = append(plain, ch.Service)
		names = append(names, namesOf(ch.ServiceID, ch.Service))
		ids = append(ids, ch.ServiceID)
	}
	one := g[0]
	rest := strings.TrimPrefix(Sentence(one, st), st.Bold(st.Text(one.Service)))
	restPlain := strings.TrimPrefix(sentencePlain(one), one.Service)
	for _, ch := range g[1:] {
		first.Also = append(first.Also, "change-"+ch.ID)
	}
	first.Text = template.HTML(andList(bold) + rest)
	first.Plain = andList(plain) + restPlain
	first.Service = strings.Join(plain, ", ")
	first.ServiceID = strings.Join(ids, " ")
	first.Names = strings.Join(names, "|")
	return first
}

// andList joins items as "a, b and c".
func andList(items []string) string {
	if len(items) < 2 {
		return strings.Join(items, "")
	}
	return strings.Join(items[:len(items)-1], ", ") + " and " + items[len(items)-1]
}

// htmlStyle renders Sentence as HTML; every piece of text is escaped and
// only web links are linked. A changed field shows its word diff: the
// words removed struck through, the words added marked.
func htmlStyle() Style {
	return Style{
		Text:     html.EscapeString,
		Bold:     func(s string) string { return "<strong>" + s + "</strong>" },
		Code:     func(s string) string { return "<code>" + s + "</code>" },
		Deleted:  func(s string) string { return `<del title="removed">` + s + "</del>" },
		Inserted: func(s string) string { return `<ins title="added">` + s + "</ins>" },
		Link: func(text, url string) string {
			if !strings.HasPrefix(url, "https://") && !strings.HasPrefix(url, "http://") && !strings.HasPrefix(url, "/") {
				return text
			}
			return `<a href="` + html.EscapeString(url) + `">` + text + "</a>"
		},
	}
}

func anchorID(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
		default:
			b.WriteByte('-')
		}
	}
	return b.String()
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

// sentencePlain is a change sentence without markup, for tooltips.
func sentencePlain(ch differ.Change) string {
	return Sentence(ch, Style{
		Text: func(s string) string { return s },
		Bold: func(s string) string { return s },
		Code: func(s string) string { return s },
		Link: func(text, _ string) string { return text },
	})
}
