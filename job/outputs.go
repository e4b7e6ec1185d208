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

// ensureOutputs writes the report files when one is missing (a new output
// in the config, or a deleted file). full is a whole-history result, or nil
// to walk the history for one.
func (r *runner) ensureOutputs(ctx context.Context, repo *history.Repo, cr config.Repository, p pipeline.Options, full *pipeline.Result) error {
	missing := false
	for _, path := range r.cfg.Outputs {
		if path != "" {
			if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
				missing = true
			}
		}
	}
	if !missing || r.opts.DryRun {
		return nil
	}
	if full == nil || full.Changelog == nil {
		if tip, err := repo.Head(cr.Branch); err == nil {
			if m, ok := r.reportCache().Load(cr.Name, r.salt(cr)...); ok && m.Tip == tip {
				return r.writeOutputs(m)
			}
		}
		p.Since, p.Known = "", nil
		var err error
		if full, err = pipeline.Build(ctx, repo, p); err != nil {
			return fmt.Errorf("%s: %w", cr.Name, err)
		}
	}
	return r.writeOutputs(full)
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
func (r *runner) writeOutputs(res *pipeline.Result) error {
	if r.opts.DryRun {
		return nil
	}
	in := render.Input{Changelog: res.Changelog, Versions: res.Versions, Generated: r.opts.Now().UTC()}
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
	merged := &model.Changelog{Pages: []model.Page{}, Revisions: []model.Revision{}}
	for _, c := range reports {
		merged.Pages = append(merged.Pages, c.Pages...)
		merged.Revisions = append(merged.Revisions, c.Revisions...)
	}
	sort.SliceStable(merged.Revisions, func(i, j int) bool { return merged.Revisions[i].Date.Before(merged.Revisions[j].Date) })
	if r.opts.Format == "json" {
		return render.JSON(r.opts.Out, merged)
	}
	if len(merged.Revisions) == 0 {
		_, err := fmt.Fprintln(r.opts.Out, "No new revisions of the tracked pages.")
		return err
	}
	return render.Markdown(r.opts.Out, merged, render.MarkdownOptions{})
}
