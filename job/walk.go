// The walk of one configured repository: its profile, pages, aliases,
// limits and caches.

package job

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/residiff/residiff/config"
	"github.com/residiff/residiff/extractor"
	"github.com/residiff/residiff/history"
	"github.com/residiff/residiff/internal/version"
	"github.com/residiff/residiff/pagecache"
	"github.com/residiff/residiff/pipeline"
	"github.com/residiff/residiff/serviceid"
	"github.com/residiff/residiff/source"
)

// pipelineOptions are the walk of one configured repository: its profile,
// pages and aliases.
func (r *runner) pipelineOptions(cr config.Repository) (pipeline.Options, error) {
	prof, err := cr.Source()
	if err != nil {
		return pipeline.Options{}, fmt.Errorf("%s: %w", cr.Name, err)
	}
	aliases, err := registerOf(prof, r.cfg.Aliases)
	if err != nil {
		return pipeline.Options{}, err
	}
	web, src := cr.WebURL, cr.Path
	if cr.URL != "" {
		src = history.Redact(cr.URL)
		if web == "" {
			web = history.WebURL(cr.URL)
		}
	}
	lim := r.cfg.Limits
	return pipeline.Options{Profile: prof, Branch: cr.Branch, Pages: cr.Pages, Aliases: aliases,
		WebURL: web, Repository: src, Progress: crashProgress(r.opts.Progress, r.crash), Cache: r.pageCache(cr),
		Limits: r.extractorLimits(), MaxRenamePairs: lim.RenamePairs, MaxWordDiffTokens: lim.WordDiffTokens}, nil
}

// extractorLimits are the configured page limits, parsed in the worker.
func (r *runner) extractorLimits() extractor.Limits {
	l := r.cfg.Limits.ExtractorLimits()
	l.Worker = r.opts.ParseWorker
	return l
}

// pageCache is the cache of extracted pages for cr's profile, or nil (a
// dry run writes no cache; a cache that cannot be opened is a warning).
func (r *runner) pageCache(cr config.Repository) *pagecache.Cache {
	if r.opts.DryRun {
		return nil
	}
	c, err := pagecache.Open(filepath.Join(r.cfg.CacheDir, "pages"), r.code(), cr.ProfileKey(), fmt.Sprint(r.cfg.Aliases), fmt.Sprint(r.cfg.Limits))
	if err != nil {
		r.logf("warning: %s: extracted pages are not cached: %v", cr.Name, err)
		return nil
	}
	return c
}

// code identifies the running residiff for caches (see version.Code);
// when it cannot be known, a value no cache was made with.
func (r *runner) code() string {
	if r.codeID == "" {
		id, err := version.Code()
		if err != nil {
			r.logf("warning: %v; caches start empty", err)
			id = fmt.Sprintf("unknown %d", r.opts.Now().UnixNano())
		}
		r.codeID = id
	}
	return r.codeID
}

// salt is everything besides the history that a repository's report
// model depends on.
func (r *runner) salt(cr config.Repository) []string {
	return []string{r.code(), cr.ProfileKey(), cr.Branch, strings.Join(cr.Pages, "\x00"), cr.WebURL, cr.URL, cr.Path,
		fmt.Sprint(r.cfg.Aliases), fmt.Sprint(r.cfg.Limits)}
}

// registerOf is the profile's alias register with the configured aliases.
func registerOf(p *source.Profile, extra []config.Alias) (*serviceid.Register, error) {
	reg, err := serviceid.New(p)
	if err != nil {
		return nil, err
	}
	for _, a := range extra {
		if err := reg.Add(a.Alias, a.Canonical); err != nil {
			return nil, fmt.Errorf("config aliases %q: %w", a.Alias, err)
		}
	}
	return reg, nil
}
