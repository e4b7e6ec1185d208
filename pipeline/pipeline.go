// Package pipeline wires the stages of residiff together: it walks a
// repository's history, extracts every version of every tracked page,
// compares consecutive versions of each page and returns the changelog data
// model that the report renderers and the notifier consume.
package pipeline

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"github.com/residiff/residiff/internal/short"
	"github.com/residiff/residiff/internal/version"
	"strings"
	"time"

	"github.com/residiff/residiff/differ"
	"github.com/residiff/residiff/extractor"
	"github.com/residiff/residiff/history"
	"github.com/residiff/residiff/model"
	"github.com/residiff/residiff/pagecache"
	"github.com/residiff/residiff/serviceid"
	"github.com/residiff/residiff/source"
)

// Options says what to walk and how to name what is found.
type Options struct {
	// Branch is the branch whose first-parent history is walked; "" means
	// the repository's default branch.
	Branch string
	// Profile is the docs source: its page globs and vocabulary.
	// Required.
	Profile *source.Profile
	// Pages are the globs of the tracked pages; nil means the profile's.
	Pages []string
	// Since, when set, limits the walk to revisions after this commit; the
	// first new revision of each page is compared with the page as it was
	// at Since.
	Since string
	// Aliases is the service alias register; nil means the profile's.
	Aliases *serviceid.Register
	// WebURL is the web address of the upstream repository (for example
	// https://github.com/MicrosoftDocs/entra-docs), used for permalinks;
	// "" leaves URLs out.
	WebURL string
	// Repository names the repository in the changelog (URL or path).
	Repository string
	// Progress, when not nil, is told about the work as it goes.
	Progress Progress
	// Tip, when set, ends the walk at this commit instead of the
	// branch's tip.
	Tip string
	// Known are the lineages an earlier walk reached, by their path at
	// Since: their identity and version chain carry on, so that an
	// incremental walk gives every change the id a whole walk gives it.
	Known map[string]Lineage
	// Cache, when set, keeps extracted page versions between runs.
	Cache *pagecache.Cache
	// Limits bound the work of one page version (its MaxBytes also the
	// size read from git); the zero value means extractor.DefaultLimits.
	Limits extractor.Limits
	// MaxRenamePairs and MaxWordDiffTokens bound the comparison of two
	// versions; 0 means the differ's defaults.
	MaxRenamePairs, MaxWordDiffTokens int
	// Now is the clock of the time limits (Limits.MaxDuration, for the
	// reading and for the comparison of each version); nil means
	// time.Now.
	Now func() time.Time
}

// budget is the time one page version may take to read, and to compare.
func (o *Options) budget() time.Duration {
	if o.Limits.MaxDuration > 0 {
		return o.Limits.MaxDuration
	}
	return extractor.DefaultLimits().MaxDuration
}

func (o *Options) now() time.Time {
	if o.Now != nil {
		return o.Now()
	}
	return time.Now()
}

// Lineage is model.Lineage: a page's identity and version chain.
type Lineage = model.Lineage

// nextChain is the chain of l after a version with blob (or "removed").
func nextChain(l Lineage, blob string) string {
	h := sha256.Sum256([]byte(l.ID + "\x00" + l.Chain + "\x00" + blob))
	return hex.EncodeToString(h[:12])
}

// Progress receives progress events from Build. Implementations must be
// cheap; they are called on the hot path.
type Progress interface {
	// Walking is called as the history walk compares commits: done of
	// total commits of the first-parent chain.
	Walking(done, total int)
	// Walked is called once the history walk has found the revisions.
	Walked(revisions int)
	// Extracted is called after each page version is extracted.
	Extracted(done, total int)
}

// Result is what Build found.
type Result struct {
	// Changelog holds the pages and their revisions with changes.
	Changelog *model.Changelog
	// Versions are every page version read, oldest first, for questions
	// about what was in force on a date.
	Versions []model.PageVersion
	// Tip is the commit the walk started from.
	Tip string
	// Warnings are problems that did not stop the walk (a version that
	// could not be read, a section the extractor did not understand),
	// each naming page, commit and line. A page's warning found again at
	// the same line of later versions is one warning, naming the first
	// and counting them: "… (in 214 versions)".
	Warnings []string
	// Lineages are the pages' identities and chains after the walk, by
	// lineage name, for the next incremental walk (see Options.Known).
	Lineages map[string]Lineage
	// Since is the commit the walk started after ("" for the whole
	// history).
	Since string

	// base marks the Versions that are the pages as they were at Since,
	// baseCounted the lineages whose Versions count includes it, and
	// basePath the path at Since of each lineage that existed then:
	// Extend drops the base versions (the result it extends has them)
	// and joins the lineages by basePath.
	// diffMemo keeps what claim sentences state across the run's
	// comparisons.
	diffMemo differ.Memo
	// extracted keeps, when no page cache is given, the versions this
	// run has read by cache key: a blob that comes back (a revert, a
	// page moved back) is read once per run, as the cache does across
	// runs.
	extracted map[string]*extractor.Page

	base        map[int]bool
	baseCounted map[string]bool
	basePath    map[string]string
	// warned finds the page warnings already in Warnings (see warnOnce).
	warned map[warningKey]*warningCount
}

// lineage is what Build remembers of the newest version of one page.
type lineage struct {
	id      Lineage // identity and chain so far
	commit  string  // where page was read: the version changes are proved against
	path    string
	page    *extractor.Page
	source  []byte
	blob    string
	info    model.Page
	removed bool
	// unread is set when the newest version could not be read at all;
	// page is then the last version that could.
	unread bool
}

// Build walks repo and returns its changelog.
func Build(ctx context.Context, repo *history.Repo, opts Options) (*Result, error) {
	if opts.Profile == nil {
		return nil, errors.New("pipeline: no docs-source profile")
	}
	pages := opts.Pages
	if len(pages) == 0 {
		pages = opts.Profile.PageGlobs()
	}
	aliases := opts.Aliases
	if aliases == nil {
		var err error
		if aliases, err = serviceid.New(opts.Profile); err != nil {
			return nil, err
		}
	}
	// What sentences say is read once per run: the versions of a page
	// share most of them.
	memo := extractor.NewMemo()
	tip, err := repo.Head(opts.Branch)
	if err != nil {
		return nil, err
	}
	if opts.Tip != "" {
		if tip, err = repo.Resolve(opts.Tip); err != nil {
			return nil, err
		}
	}
	since := opts.Since
	if since != "" {
		if since, err = repo.Resolve(since); err != nil {
			return nil, err
		}
	}
	walk := history.WalkOptions{Branch: opts.Branch, Tip: opts.Tip, Pages: pages, Since: opts.Since, DropPrefixes: opts.Profile.PrefixesDropped(),
		MaxPageBytes: int64(opts.Limits.MaxBytes)}
	if opts.Progress != nil {
		walk.Progress = opts.Progress.Walking
	}
	revs, err := repo.Revisions(ctx, walk)
	if err != nil {
		return nil, err
	}
	if opts.Progress != nil {
		opts.Progress.Walked(len(revs))
	}

	res := &Result{
		Changelog: &model.Changelog{SchemaVersion: model.SchemaVersion, GeneratedBy: "residiff " + version.Get().Version,
			Repository: opts.Repository, Branch: opts.Branch, Profile: opts.Profile.Name, Pages: []model.Page{}, Revisions: []model.Revision{}},
		Tip: tip, Since: since, base: map[int]bool{}, baseCounted: map[string]bool{}, basePath: map[string]string{},
	}
	byName := map[string]*lineage{}
	var order []string
	for i, rev := range revs {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		l := byName[rev.Lineage]
		if l == nil {
			l = &lineage{info: model.Page{Page: rev.Lineage}}
			if k, ok := opts.Known[rev.Path]; ok && rev.Base {
				l.id = k
			} else {
				l.id = Lineage{ID: identity(rev.Path, rev.Blob)}
			}
			byName[rev.Lineage] = l
			order = append(order, rev.Lineage)
		}
		if opts.Progress != nil {
			opts.Progress.Extracted(i+1, len(revs))
		}
		if err := res.add(l, rev, &opts, aliases, memo); err != nil {
			return nil, err
		}
	}
	res.Lineages = map[string]Lineage{}
	for _, name := range order {
		l := byName[name]
		l.id.Path, l.id.Commit = l.info.Path, l.commit
		res.Lineages[name] = l.id
		l.info.Removed = l.removed
		if l.page != nil {
			l.info.Title, l.info.Region = l.page.Title, l.page.Region
		}
		if !l.removed {
			l.info.URL = Permalink(opts.WebURL, tip, l.info.Path, 0)
		}
		res.Changelog.Pages = append(res.Changelog.Pages, l.info)
	}
	return res, nil
}

// add folds one revision of a page into the result.
func (res *Result) add(l *lineage, rev history.Revision, opts *Options, aliases *serviceid.Register, memo *extractor.Memo) error {
	profile, webURL := opts.Profile, opts.WebURL
	if rev.Path != "" && (len(l.info.Paths) == 0 || l.info.Paths[len(l.info.Paths)-1] != rev.Path) {
		l.info.Paths = append(l.info.Paths, rev.Path)
	}
	l.info.Path = rev.Path
	if rev.Base {
		res.basePath[rev.Lineage] = rev.Path
	}
	// The step's place in the page's history: the chain over its blobs.
	if !rev.Base || l.id.Chain == "" {
		step := rev.Blob
		if rev.Removed {
			step = "removed"
		}
		l.id.Chain = nextChain(l.id, step)
	}
	identityID, key := l.id.ID, l.id.Chain
	diffOpts := differ.Options{Lineage: identityID, Key: key, OldSource: l.source, Similar: serviceid.Similar, Profile: profile, Aliases: aliases,
		MaxRenamePairs: opts.MaxRenamePairs, MaxWordDiffTokens: opts.MaxWordDiffTokens, Now: opts.Now, Memo: &res.diffMemo}

	if rev.Removed {
		// A removed page is reported as removed, never as its services
		// becoming compliant: the commitments may well live elsewhere now.
		out := model.Revision{Commit: rev.Commit, Date: rev.Time, Author: rev.Author, Page: rev.Lineage, Path: rev.Path,
			Changes: []differ.Change{differ.PageEvent(differ.PageRemoved, identityID, key, rev.Path, "")}}
		if rev.NotFile != "" {
			w := extractor.Warning{Line: 1, Kind: extractor.UnrecognisedPage,
				Message: fmt.Sprintf("the page's path now holds a %s, not a file; the page is treated as removed", rev.NotFile)}
			out.Warnings = []extractor.Warning{w}
			res.Warnings = append(res.Warnings, fmt.Sprintf("%s@%s: %s", rev.Path, short.Hash(rev.Commit), w.Message))
		}
		res.Changelog.Revisions = append(res.Changelog.Revisions, out)
		res.Versions = append(res.Versions, model.PageVersion{Page: &extractor.Page{Page: rev.Lineage}, Commit: rev.Commit, Date: rev.Time, Path: rev.Path, Removed: true})
		l.page, l.source, l.blob, l.removed = nil, nil, "", true
		return nil
	}

	page, err := res.extract(rev, opts, aliases, memo)
	if err != nil {
		// One unreadable version must not stop the job: keep comparing
		// against the last version that could be read, and say so.
		res.Warnings = append(res.Warnings, err.Error())
		return nil
	}
	for _, w := range page.Warnings {
		res.warnOnce(rev.Lineage, w.Line, w.Message, fmt.Sprintf("%s@%s line %d: %s", rev.Path, short.Hash(rev.Commit), w.Line, w.Message))
	}
	for i := range page.References {
		page.References[i].URL = profile.ResolveLink(rev.Path, page.References[i].URL)
	}
	url := Permalink(webURL, rev.Commit, rev.Path, 0)
	res.Versions = append(res.Versions, model.PageVersion{Page: page, Commit: rev.Commit, Date: rev.Time, Path: rev.Path, URL: url})
	l.info.Versions++

	if rev.Base {
		res.base[len(res.Versions)-1] = true
		res.baseCounted[rev.Lineage] = true
		l.page, l.source, l.blob = page, rev.Content, rev.Blob
		l.commit, l.path = rev.Commit, rev.Path
		if l.id.Commit != "" {
			// The version at Since was committed earlier: that commit
			// is the one a whole walk links as the proof.
			l.commit = l.id.Commit
		}
		return nil
	}

	out := model.Revision{Commit: rev.Commit, Date: rev.Time, Author: rev.Author, Page: rev.Lineage, Path: rev.Path, PageDate: page.PageDate, URL: url,
		Warnings: page.Warnings}
	if len(out.Warnings) == 0 {
		out.Warnings = nil
	}
	out.CommitURL, out.PageURL = CommitURL(webURL, rev.Commit), profile.PageURL(rev.Path)
	switch {
	case l.page == nil && !l.removed && l.blob == "":
		out.Changes = append(out.Changes, differ.PageEvent(differ.PageAdded, identityID, key, rev.Path, ""))
	case rev.OldPath != "":
		out.Changes = append(out.Changes, differ.PageEvent(differ.PageMoved, identityID, key, rev.Path, rev.OldPath))
	case l.removed:
		out.Changes = append(out.Changes, differ.PageEvent(differ.PageAdded, identityID, key, rev.Path, ""))
	}
	diffOpts.NewSource = rev.Content
	diffOpts.OldUnread = l.unread
	diffOpts.Deadline = opts.now().Add(opts.budget())
	out.Changes = append(out.Changes, compare(l.page, page, diffOpts)...)
	for i := range out.Changes {
		c := &out.Changes[i]
		if c.URL == "" {
			line := c.Line
			if c.Kind == differ.NewlyCompliant || c.Kind == differ.PageRemoved {
				line = 0 // the line is in the old version, not this one
			}
			c.URL = Permalink(webURL, rev.Commit, rev.Path, line)
		}
		if c.BeforeLine > 0 && l.commit != "" {
			// The proof of what left is in the older version.
			c.BeforeURL = Permalink(webURL, l.commit, l.path, c.BeforeLine)
		}
	}
	res.Changelog.Revisions = append(res.Changelog.Revisions, out)
	if unreadPage(page) {
		// Nothing of this version could be read: the next one is compared
		// with the last version that could, and told that one between was
		// not read. Its text still helps find services it names.
		l.source, l.blob, l.removed, l.unread = rev.Content, rev.Blob, false, true
		return nil
	}
	l.page, l.source, l.blob, l.removed, l.unread = page, rev.Content, rev.Blob, false, false
	l.commit, l.path = rev.Commit, rev.Path
	return nil
}

// identity is a lineage's identity: its first path and the blob of its
// first version — content, not commits, so a rewritten upstream that keeps
// the page versions keeps the identity.
func identity(path, blob string) string {
	h := sha256.Sum256([]byte(path + "\x00" + blob))
	return hex.EncodeToString(h[:8])
}

// unreadPage reports whether nothing of a version was read.
func unreadPage(p *extractor.Page) bool {
	for _, w := range p.Warnings {
		if w.Kind == extractor.UnrecognisedPage {
			return true
		}
	}
	return false
}

// extract reads one version, within the extractor's limits; a version too
// large to read, or one that makes the extractor fail, becomes a page with
// a warning that says so — never a panic that would stop every later run
// at the same commit.
func extract(rev history.Revision, opts *Options, aliases *serviceid.Register, memo *extractor.Memo) (page *extractor.Page, err error) {
	notRead := func(format string, args ...any) *extractor.Page {
		return &extractor.Page{Page: rev.Lineage, Records: []extractor.Record{}, References: []extractor.Reference{},
			Warnings: []extractor.Warning{{Line: 1, Kind: extractor.UnrecognisedPage, Message: fmt.Sprintf(format, args...)}}}
	}
	if rev.TooLarge > 0 {
		limit := opts.Limits.MaxBytes
		if limit <= 0 {
			limit = history.MaxPageBytes
		}
		return notRead("the page was not read: %d bytes is more than residiff reads (%d; limits.page_bytes)", rev.TooLarge, limit), nil
	}
	key := pagecache.Key(rev.Lineage, rev.Path, rev.Blob)
	if rev.Blob != "" {
		if p, ok := opts.Cache.Get(key); ok {
			return p, nil
		}
	}
	defer func() {
		if r := recover(); r != nil {
			page, err = notRead("the page was not read: the extractor failed on it (%v)", r), nil
		}
	}()
	page, err = extractor.Extract(rev.Content, extractor.Options{Profile: opts.Profile, Page: rev.Lineage, Path: rev.Path,
		Commit: rev.Commit, Aliases: aliases, Limits: opts.Limits, Now: opts.Now, Memo: memo})
	if err == nil && rev.Blob != "" && !page.OverBudget() {
		opts.Cache.Put(key, page)
	}
	return page, err
}

// extract is extract, through the run's own memory of the versions it
// read when no page cache is given. A version read before is handed out
// as a copy: add resolves its references' links in place.
func (res *Result) extract(rev history.Revision, opts *Options, aliases *serviceid.Register, memo *extractor.Memo) (*extractor.Page, error) {
	if opts.Cache != nil || rev.Blob == "" || rev.TooLarge > 0 {
		return extract(rev, opts, aliases, memo)
	}
	key := pagecache.Key(rev.Lineage, rev.Path, rev.Blob)
	if p, ok := res.extracted[key]; ok {
		return p.Clone(), nil
	}
	page, err := extract(rev, opts, aliases, memo)
	if err != nil || page.OverBudget() {
		return page, err
	}
	if res.extracted == nil {
		res.extracted = map[string]*extractor.Page{}
	}
	res.extracted[key] = page.Clone()
	return page, nil
}

// compare diffs two versions; a failure of the differ becomes one change
// that asks a person to look, never a stopped run.
func compare(old, new *extractor.Page, opts differ.Options) (changes []differ.Change) {
	defer func() {
		if r := recover(); r != nil {
			changes = []differ.Change{differ.Failure(opts.Lineage, opts.Key, fmt.Sprint(r))}
		}
	}()
	return differ.Compare(old, new, opts)
}

// Permalink returns the web address of path at commit in the repository at
// webURL, with a line anchor when line > 0 — "?plain=1#L<line>", since
// GitHub shows a Markdown file rendered, where a bare #L<line> lands at the
// top. It returns "" when webURL is empty.
func Permalink(webURL, commit, path string, line int) string {
	if webURL == "" || commit == "" || path == "" {
		return ""
	}
	u := strings.TrimSuffix(webURL, "/") + "/blob/" + commit + "/" + path
	if line > 0 {
		u += fmt.Sprintf("?plain=1#L%d", line)
	}
	return u
}

// CommitURL links a commit's diff in the repository at webURL, or "".
func CommitURL(webURL, commit string) string {
	if webURL == "" || commit == "" {
		return ""
	}
	return strings.TrimSuffix(webURL, "/") + "/commit/" + commit
}
