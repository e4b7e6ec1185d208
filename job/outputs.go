package job

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"

	"github.com/residiff/residiff/config"
	"github.com/residiff/residiff/history"
	"github.com/residiff/residiff/internal/atomicfile"
	"github.com/residiff/residiff/model"
	"github.com/residiff/residiff/pipeline"
	"github.com/residiff/residiff/render"
	"github.com/residiff/residiff/reportcache"
)

// wantsOutputs reports whether any report file is configured.
func (r *runner) wantsOutputs() bool {
	for _, p := range r.cfg.Outputs {
		if p != "" {
			return true
		}
	}
	return false
}

// writeReports writes the report files from every configured repository's
// whole history, combined, when this run found something new, a file is
// missing or an earlier run could not write them. A repository this run
// did not walk is taken from the model the last run kept (or walked again,
// without fetching). When one repository's history cannot be had, no file
// is written: a report missing a repository would read as its pages gone.
func (r *runner) writeReports(ctx context.Context) error {
	if !r.wantsOutputs() || r.opts.DryRun {
		return nil
	}
	due := r.reportsDue || r.st.ReportsDue || r.outputMissing()
	if !due {
		return nil
	}
	var parts []model.Part
	for _, cr := range r.cfg.Repositories {
		full := r.fulls[cr.Name]
		if full == nil {
			var err error
			if full, err = r.fullOf(ctx, cr); err != nil {
				r.st.ReportsDue = true
				return fmt.Errorf("report files not written: %s: %w (the next run writes them)", cr.Name, err)
			}
		}
		parts = append(parts, model.Part{Name: cr.Name, Changelog: full.Changelog, Versions: full.Versions})
	}
	c, versions := model.Combine(parts)
	if err := r.writeOutputs(c, versions); err != nil {
		r.st.ReportsDue = true
		return fmt.Errorf("%w (the next run writes them)", err)
	}
	r.st.ReportsDue = false
	return nil
}

// outputMissing reports whether a configured report file does not exist
// (a new output in the config, or a deleted file).
func (r *runner) outputMissing() bool {
	for _, path := range r.cfg.Outputs {
		if path != "" {
			if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
				return true
			}
		}
	}
	return false
}

// fullOf is the whole history of a repository this run did not walk: the
// model the last run kept when it is at the processed commit, else a walk
// of the clone as it is (no fetch).
func (r *runner) fullOf(ctx context.Context, cr config.Repository) (*pipeline.Result, error) {
	rs := r.st.Repositories[cr.Name]
	if rs == nil || rs.Processed == "" {
		return nil, errors.New("never processed")
	}
	if m, ok := r.reportCache().Load(cr.Name, r.salt(cr)...); ok && m.Tip == rs.Processed {
		return m, nil
	}
	p, err := r.pipelineOptions(cr)
	if err != nil {
		return nil, err
	}
	dir := cr.Path
	if cr.URL != "" {
		dir = history.CacheDir(r.cfg.CacheDir, cr.URL)
	}
	repo, err := history.Open(ctx, dir)
	if err != nil {
		return nil, err
	}
	defer func() { _ = repo.Close() }()
	p.Tip = rs.Processed
	full, err := pipeline.Build(ctx, repo, p)
	if err != nil {
		return nil, err
	}
	if err := r.reportCache().Save(cr.Name, full, r.salt(cr)...); err != nil {
		r.logf("warning: %v", err)
	}
	return full, nil
}

// wholeHistory is the whole-history result the report files are drawn
// from: res itself when it is one, else the model the last run kept
// extended with res, else a walk of the whole history. The result is kept
// for the next run.
func (r *runner) wholeHistory(ctx context.Context, repo *history.Repo, cr config.Repository, p pipeline.Options, res *pipeline.Result) (*pipeline.Result, error) {
	cache := r.reportCache()
	salt := r.salt(cr)
	full := res
	if res.Since != "" {
		full = nil
		if prev, ok := cache.Load(cr.Name, salt...); ok {
			var err error
			if full, err = pipeline.Extend(prev, res); err != nil {
				r.logf("%s: walking the whole history for the report files: %v", cr.Name, err)
				full = nil
			}
		} else if cache != nil {
			r.logf("%s: walking the whole history for the report files: no usable report model from the last run", cr.Name)
		}
		if full == nil {
			whole := p
			whole.Since, whole.Known = "", nil
			var err error
			if full, err = pipeline.Build(ctx, repo, whole); err != nil {
				return nil, fmt.Errorf("%s: %w", cr.Name, err)
			}
		}
	}
	if err := cache.Save(cr.Name, full, salt...); err != nil {
		r.logf("warning: %v (the next run walks the whole history for its report files)", err)
	}
	return full, nil
}

// reportCache is where whole-history models are kept, or nil in a dry run.
func (r *runner) reportCache() *reportcache.Cache {
	if r.opts.DryRun {
		return nil
	}
	return reportcache.New(filepath.Join(r.cfg.CacheDir, "reports"))
}

// writeOutputs writes every configured report file, atomically, in the
// render registry's order.
func (r *runner) writeOutputs(c *model.Changelog, versions []model.PageVersion) error {
	if r.opts.DryRun {
		return nil
	}
	in := render.Input{Changelog: c, Versions: versions, Generated: r.opts.Now().UTC(), FeedURL: r.cfg.FeedURL, ReportURL: r.cfg.ReportURL}
	for _, f := range render.Formats() {
		path := r.cfg.Outputs[f.Name()]
		if path == "" {
			continue
		}
		var buf bytes.Buffer
		if err := f.Render(&buf, in); err != nil {
			return fmt.Errorf("render %s: %w", path, err)
		}
		if err := atomicfile.WriteFile(path, buf.Bytes(), atomicfile.Options{}); err != nil {
			return fmt.Errorf("write %s: %w", path, err)
		}
	}
	return nil
}

// printReport writes the new revisions to Out when no notifier is
// configured.
func (r *runner) printReport(reports []*model.Changelog) error {
	// The changelog document, as `changelog --format json` writes it.
	merged := &model.Changelog{SchemaVersion: model.SchemaVersion, Pages: []model.Page{}, Revisions: []model.Revision{}}
	if len(reports) == 1 {
		c := reports[0]
		merged.GeneratedBy, merged.Repository, merged.Branch, merged.Profile = c.GeneratedBy, c.Repository, c.Branch, c.Profile
	}
	for _, c := range reports {
		merged.Pages = append(merged.Pages, c.Pages...)
		merged.Revisions = append(merged.Revisions, c.Revisions...)
	}
	sort.SliceStable(merged.Revisions, func(i, j int) bool { return merged.Revisions[i].Date.Before(merged.Revisions[j].Date) })
	format := r.opts.Format
	if format == "" {
		format = "markdown"
	}
	f, err := render.Lookup(format)
	if err != nil {
		return err
	}
	if format == "markdown" && len(merged.Revisions) == 0 {
		_, err := fmt.Fprintln(r.opts.Out, "No new revisions of the tracked pages.")
		return err
	}
	return f.Render(r.opts.Out, render.Input{Changelog: merged, Generated: r.opts.Now().UTC()})
}
