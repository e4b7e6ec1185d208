package pipeline

import (
	"errors"
	"fmt"

	"github.com/residiff/residiff/history"
	"github.com/residiff/residiff/internal/short"
	"github.com/residiff/residiff/model"
)

// ErrNotExtendable is wrapped by Extend's error when a walk cannot be
// joined to an earlier result; the caller walks the whole history instead.
var ErrNotExtendable = errors.New("the new revisions cannot be joined to the earlier report")

// Extend returns the whole-history result of prev (a Build up to its Tip)
// followed by next (a Build with Since = prev.Tip and the lineages prev
// recorded as Known): what a Build of the whole history up to next's tip
// gives, without walking that history again. Lineages are joined by their
// path at the join; names are given again over the union, as a whole walk
// names them (a page moved in next renames its earlier revisions too).
//
// When the two cannot be joined with certainty — next does not start at
// prev's tip, a page of prev is missing from next, a page comes back at
// the path of a removed one — Extend returns an error wrapping
// ErrNotExtendable and the caller walks the whole history.
func Extend(prev, next *Result) (*Result, error) {
	notJoinable := func(format string, args ...any) error {
		return fmt.Errorf("%w: %s", ErrNotExtendable, fmt.Sprintf(format, args...))
	}
	switch {
	case prev == nil || prev.Changelog == nil || next == nil || next.Changelog == nil:
		return nil, notJoinable("no earlier result")
	case next.base == nil:
		return nil, notJoinable("the new result was not built by this process")
	case next.Since == "" || next.Since != prev.Tip:
		return nil, notJoinable("the walk starts at %s, the earlier report ends at %s", short.Hash(next.Since), short.Hash(prev.Tip))
	}

	// Lineage keys: "p<i>" for prev's pages, "n<i>" for next's new ones.
	key := map[string]string{}    // next lineage name -> key
	newest := map[string]string{} // key -> newest path
	livePath := map[string]string{}
	for i, p := range prev.Changelog.Pages {
		k := fmt.Sprintf("p%d", i)
		newest[k] = p.Path
		if !p.Removed {
			if _, dup := livePath[p.Path]; dup {
				return nil, notJoinable("two pages at %s", p.Path)
			}
			livePath[p.Path] = k
		}
	}
	joined := map[string]bool{}
	var added []string // next lineages new since prev, in next's order
	for i, p := range next.Changelog.Pages {
		base, ok := next.basePath[p.Page]
		if !ok {
			if len(p.Paths) == 0 {
				return nil, notJoinable("page %s has no path", p.Page)
			}
			for _, old := range prev.Changelog.Pages {
				if old.Removed && old.Path == p.Paths[0] {
					return nil, notJoinable("%s comes back at the path of a removed page", p.Paths[0])
				}
			}
			k := fmt.Sprintf("n%d", i)
			key[p.Page], newest[k] = k, p.Path
			added = append(added, p.Page)
			continue
		}
		k, ok := livePath[base]
		if !ok || joined[k] {
			return nil, notJoinable("%s was not a page of the earlier report", base)
		}
		joined[k] = true
		key[p.Page], newest[k] = k, p.Path
	}
	for path, k := range livePath {
		if !joined[k] {
			return nil, notJoinable("%s is missing from the new walk", path)
		}
	}
	names := history.LineageNames(newest)
	prevName := func(i int) string { return names[fmt.Sprintf("p%d", i)] }
	nextName := func(lineage string) string { return names[key[lineage]] }

	out := &Result{
		Changelog: &model.Changelog{SchemaVersion: next.Changelog.SchemaVersion, GeneratedBy: next.Changelog.GeneratedBy,
			Repository: next.Changelog.Repository, Branch: next.Changelog.Branch, Profile: next.Changelog.Profile, Pages: []model.Page{}, Revisions: []model.Revision{}},
		Tip: next.Tip, Since: prev.Since, Lineages: map[string]Lineage{},
		Warnings: append(append([]string{}, prev.Warnings...), next.Warnings...),
	}
	byOld := map[string]string{} // prev lineage name -> merged name
	nextPage := map[string]model.Page{}
	for _, p := range next.Changelog.Pages {
		nextPage[key[p.Page]] = p
	}
	for i, p := range prev.Changelog.Pages {
		name := prevName(i)
		byOld[p.Page] = name
		merged := p
		merged.Page = name
		merged.Paths = append([]string{}, p.Paths...)
		if np, ok := nextPage[fmt.Sprintf("p%d", i)]; ok {
			merged.Title, merged.Region, merged.Path, merged.URL, merged.Removed = np.Title, np.Region, np.Path, np.URL, np.Removed
			merged.Versions += np.Versions
			for _, path := range np.Paths {
				if len(merged.Paths) == 0 || merged.Paths[len(merged.Paths)-1] != path {
					merged.Paths = append(merged.Paths, path)
				}
			}
		}
		out.Changelog.Pages = append(out.Changelog.Pages, merged)
	}
	for _, lineage := range added {
		p := nextPage[key[lineage]]
		p.Page = nextName(lineage)
		out.Changelog.Pages = append(out.Changelog.Pages, p)
	}
	// Versions counted twice: the base version is prev's newest.
	for lineage := range next.baseCounted {
		name := nextName(lineage)
		for i := range out.Changelog.Pages {
			if out.Changelog.Pages[i].Page == name {
				out.Changelog.Pages[i].Versions--
			}
		}
	}

	for _, r := range prev.Changelog.Revisions {
		r.Page = byOld[r.Page]
		out.Changelog.Revisions = append(out.Changelog.Revisions, r)
	}
	for _, r := range next.Changelog.Revisions {
		r.Page = nextName(r.Page)
		out.Changelog.Revisions = append(out.Changelog.Revisions, r)
	}
	relabel := func(v model.PageVersion, name string) model.PageVersion {
		if v.Page != nil {
			p := *v.Page
			p.Page = name
			v.Page = &p
		}
		return v
	}
	for _, v := range prev.Versions {
		out.Versions = append(out.Versions, relabel(v, byOld[pageOf(v)]))
	}
	for i, v := range next.Versions {
		if !next.base[i] {
			out.Versions = append(out.Versions, relabel(v, nextName(pageOf(v))))
		}
	}
	for name, l := range prev.Lineages {
		out.Lineages[byOld[name]] = l
	}
	for name, l := range next.Lineages {
		out.Lineages[nextName(name)] = l
	}
	for _, r := range out.Changelog.Revisions {
		if r.Page == "" {
			return nil, notJoinable("revision %s of an unknown page", short.Hash(r.Commit))
		}
	}
	return out, nil
}

func pageOf(v model.PageVersion) string {
	if v.Page == nil {
		return ""
	}
	return v.Page.Page
}
