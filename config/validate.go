package config

import (
	"errors"
	"fmt"
	"github.com/residiff/residiff/notifier"
	"net"
	"net/url"
	"path"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/residiff/residiff/serviceid"
	"go.yaml.in/yaml/v3"
)

// Lines maps the keys of a configuration document ("slack.routes[0].scope")
// to the lines they are on, so that every problem names its line.
type Lines map[string]int

// LinesOf indexes the keys of the YAML document data. A document that does
// not parse has no lines.
func LinesOf(data []byte) Lines {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil || len(doc.Content) == 0 {
		return Lines{}
	}
	l := Lines{}
	l.index(doc.Content[0], "")
	return l
}

func (l Lines) index(n *yaml.Node, where string) {
	switch n.Kind {
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			key, val := n.Content[i], n.Content[i+1]
			p := strings.TrimPrefix(where+"."+key.Value, ".")
			l[p] = key.Line
			l.index(val, p)
		}
	case yaml.SequenceNode:
		for i, item := range n.Content {
			p := fmt.Sprintf("%s[%d]", where, i)
			l[p] = item.Line
			l.index(item, p)
		}
	}
}

// Of is the line of key, or of its nearest parent in the document (a
// missing key is reported on its section); 0 when none is there.
func (l Lines) Of(key string) int {
	for key != "" {
		if n, ok := l[key]; ok {
			return n
		}
		i := strings.LastIndexAny(key, ".[")
		if i < 0 {
			break
		}
		key = key[:i]
	}
	return 0
}

// At prefixes err with the line of key: "line 12: …".
func (l Lines) At(key string, err error) error {
	if n := l.Of(key); n > 0 {
		return fmt.Errorf("line %d: %w", n, err)
	}
	return err
}

// Locate prefixes an error of Validate, which starts with the key it is
// about ("slack.max_attempts 99: …", "repositories[0]: …"), with that
// key's line. An error already naming its line is returned as it is.
func (l Lines) Locate(err error) error {
	msg := err.Error()
	if strings.HasPrefix(msg, "line ") {
		return err
	}
	key := msg
	if i := strings.IndexAny(key, " :"); i >= 0 {
		key = key[:i]
	}
	return l.At(key, err)
}

// Vocabulary is what the values of routes are checked against: the
// scopes and regions changes can carry.
type Vocabulary struct {
	// Scopes are the scope names a change can have (a page's region is
	// the scope of its records, so regions are scopes too).
	Scopes []string
	// Regions are the regions pages speak for.
	Regions []string
}

// ProfileVocabulary is the scopes and regions of the profiles of the
// configured repositories.
func (c *Config) ProfileVocabulary() Vocabulary {
	var v Vocabulary
	seen := map[string]bool{}
	for _, r := range c.Repositories {
		p, err := r.Source()
		if err != nil || seen[p.Name] {
			continue // an unknown profile is Validate's error
		}
		seen[p.Name] = true
		for _, s := range p.Scopes {
			v.Scopes = append(v.Scopes, s.Name)
		}
		for _, s := range p.Regions {
			v.Regions = append(v.Regions, s.Name)
			v.Scopes = append(v.Scopes, s.Name)
		}
	}
	return v
}

// CheckValues reports every value of c that names nothing or cannot be
// reached, each with its line in l: route scopes and regions that voc
// does not know (with the nearest known one), and URLs that are not
// absolute https (http only to a loopback address, for tests).
func (c *Config) CheckValues(l Lines, voc Vocabulary) []error {
	var errs []error
	for i, r := range c.Repositories {
		if r.WebURL != "" {
			key := fmt.Sprintf("repositories[%d].web_url", i)
			if err := CheckURL(r.WebURL); err != nil {
				errs = append(errs, l.At(key, fmt.Errorf("%s %q: %w", key, r.WebURL, err)))
			}
		}
	}
	for _, u := range []struct{ key, v string }{{"report_url", c.ReportURL}, {"feed_url", c.FeedURL}} {
		if u.v == "" {
			continue
		}
		if err := CheckURL(u.v); err != nil {
			errs = append(errs, l.At(u.key, fmt.Errorf("%s %q: %w", u.key, u.v, err)))
		}
	}
	var repos []string
	for _, r := range c.Repositories {
		repos = append(repos, r.Name)
	}
	for _, sec := range c.routeSections() {
		for i, rt := range sec.routes {
			where := fmt.Sprintf("%s.routes[%d]", sec.name, i)
			if rt.Repository != "" && !slices.ContainsFunc(repos, func(n string) bool { return strings.EqualFold(n, rt.Repository) }) {
				key := where + ".repository"
				msg := fmt.Sprintf("%s %q: no configured repository is called that", key, rt.Repository)
				if near := Nearest(rt.Repository, repos); near != "" {
					msg += fmt.Sprintf(" (did you mean %q?)", near)
				} else {
					msg += fmt.Sprintf(" (want %s)", quoteList(repos))
				}
				errs = append(errs, l.At(key, errors.New(msg)))
			}
			errs = append(errs, checkName(l, where+".scope", rt.Scope, "scope", voc.Scopes)...)
			errs = append(errs, checkName(l, where+".region", rt.Region, "region", voc.Regions)...)
		}
	}
	return errs
}

// CheckRoutePages reports every route page glob that matches none of
// pages, the page lineage names known (from the repositories), each with
// its line in l and the nearest page.
func (c *Config) CheckRoutePages(l Lines, pages []string) []error {
	var errs []error
	for _, sec := range c.routeSections() {
		for i, rt := range sec.routes {
			if rt.Page != "" {
				errs = append(errs, checkPage(l, fmt.Sprintf("%s.routes[%d].page", sec.name, i), rt.Page, pages)...)
			}
		}
	}
	return errs
}

type routeSection struct {
	name   string
	routes []notifier.Route
}

// routeSections are the routes of every notifier section present.
func (c *Config) routeSections() []routeSection {
	var out []routeSection
	for _, n := range c.Notifiers {
		out = append(out, routeSection{n.Key, n.Section.Policy().Routes})
	}
	return out
}

// checkName checks that v (case-insensitive, as routes match) is one of
// known.
func checkName(l Lines, key, v, what string, known []string) []error {
	if v == "" || known == nil {
		return nil
	}
	for _, k := range known {
		if strings.EqualFold(k, v) {
			return nil
		}
	}
	msg := fmt.Sprintf("%s %q: no %s of the configured profiles is called that", key, v, what)
	if near := Nearest(v, known); near != "" {
		msg += fmt.Sprintf(" (did you mean %q?)", near)
	} else {
		msg += fmt.Sprintf(" (want %s)", quoteList(known))
	}
	return []error{l.At(key, errors.New(msg))}
}

// checkPage checks that the lineage glob v matches a known page.
func checkPage(l Lines, key, v string, known []string) []error {
	if _, err := path.Match(v, ""); err != nil {
		return []error{l.At(key, fmt.Errorf("%s %q: %w", key, v, err))}
	}
	for _, k := range known {
		if ok, _ := path.Match(v, k); ok {
			return nil
		}
	}
	msg := fmt.Sprintf("%s %q: matches no page followed (a page is named by its file name without .md)", key, v)
	if near := Nearest(v, known); near != "" {
		msg += fmt.Sprintf(" (did you mean %q?)", near)
	} else if len(known) > 0 {
		msg += fmt.Sprintf(" (pages: %s)", quoteList(known))
	}
	return []error{l.At(key, errors.New(msg))}
}

// Nearest is the name of known closest to v when it is close enough to be
// a slip of the keyboard, or "".
func Nearest(v string, known []string) string {
	names := append([]string(nil), known...)
	sort.Strings(names)
	limit := 1 // a short word: one slip; longer: two or three
	switch {
	case len(v) > 10:
		limit = 3
	case len(v) > 5:
		limit = 2
	}
	for d := 1; d <= limit; d++ {
		for _, n := range names {
			if serviceid.Near(v, n, d) {
				return n
			}
		}
	}
	return ""
}

func quoteList(names []string) string {
	uniq := map[string]bool{}
	var q []string
	for _, n := range names {
		if !uniq[n] {
			uniq[n] = true
			q = append(q, strconv.Quote(n))
		}
	}
	return strings.Join(q, ", ")
}

// CheckURL reports why s cannot be a link or an endpoint residiff uses: it
// must be an absolute https URL, or http to a loopback address (a test
// server).
func CheckURL(s string) error {
	u, err := url.Parse(s)
	if err != nil {
		return errors.New("not a URL")
	}
	switch {
	case u.Scheme == "" || u.Host == "":
		return errors.New("want an absolute URL starting with https://")
	case u.Scheme == "https":
		return nil
	case u.Scheme == "http" && isLoopback(u.Hostname()):
		return nil
	case u.Scheme == "http":
		return errors.New("want https (http only to a loopback address, for tests)")
	}
	return fmt.Errorf("scheme %q: want https", u.Scheme)
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// SortByLine orders problems by the line they name ("line N: …"), those
// naming none last, keeping the order of problems on one line.
func SortByLine(problems []error) {
	sort.SliceStable(problems, func(i, j int) bool { return lineNumber(problems[i]) < lineNumber(problems[j]) })
}

func lineNumber(err error) int {
	rest, ok := strings.CutPrefix(err.Error(), "line ")
	if !ok {
		return int(^uint(0) >> 1)
	}
	digits, _, _ := strings.Cut(rest, ":")
	n, err2 := strconv.Atoi(digits)
	if err2 != nil {
		return int(^uint(0) >> 1)
	}
	return n
}
