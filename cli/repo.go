package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/residiff/residiff/extractor"
	"github.com/residiff/residiff/history"
	"github.com/residiff/residiff/pipeline"
	"github.com/residiff/residiff/render"
	"github.com/residiff/residiff/serviceid"
	"github.com/residiff/residiff/source"
	"github.com/residiff/residiff/source/profiles"
	"github.com/spf13/cobra"
)

// repoOptions are the flags of every command that walks a repository.
type repoOptions struct {
	Repo     string
	Branch   string
	Pages    []string
	Since    string
	CacheDir string
	WebURL   string
	sourceFlags
	Quiet bool
}

// sourceFlags choose the docs source (a shipped profile or a profile
// file) and extend its aliases.
type sourceFlags struct {
	Profile     string
	ProfileFile string
	Aliases     []string
}

func (o *repoOptions) register(cmd *cobra.Command) {
	f := cmd.Flags()
	f.StringVar(&o.Repo, "repo", "", "repository to walk: a local path, or a URL to clone into the cache (required)")
	f.StringVar(&o.Branch, "branch", "", "branch whose first-parent history is walked (default: the repository's HEAD)")
	f.StringArrayVar(&o.Pages, "page", nil, "glob of the pages to track, repeatable (default: the profile's residency pages)")
	f.StringVar(&o.Since, "since", "", "only report revisions after this commit")
	f.StringVar(&o.CacheDir, "cache-dir", "", "where clones of URLs are kept (default: the user cache directory)")
	f.StringVar(&o.WebURL, "web-url", "", "web address of the upstream repository, for permalinks (default: derived from a GitHub URL)")
	o.sourceFlags.register(cmd)
	f.BoolVarP(&o.Quiet, "quiet", "q", false, "print no progress (bars on a terminal, log lines otherwise)")
	_ = cmd.MarkFlagRequired("repo")
}

// register adds the flags that choose the docs source and extend its
// aliases.
func (o *sourceFlags) register(cmd *cobra.Command) {
	f := cmd.Flags()
	f.StringVar(&o.Profile, "profile", profiles.Default, "docs-source profile of the pages: "+render.Either(profiles.Names()))
	f.StringVar(&o.ProfileFile, "profile-file", "", "YAML file holding the docs-source profile instead of --profile (validated like the shipped ones)")
	f.StringArrayVar(&o.Aliases, "alias", nil, "extra service alias as 'Alias=Canonical name', repeatable")
	cmd.MarkFlagsMutuallyExclusive("profile", "profile-file")
}

// open opens or syncs the repository the options name.
func (o *repoOptions) open(ctx context.Context, s Env, p *progress) (*history.Repo, error) {
	if !history.IsRemote(o.Repo) {
		return s.OpenRepo(ctx, o.Repo)
	}
	dir, err := o.cacheDir()
	if err != nil {
		return nil, err
	}
	p.logf("syncing %s into %s", history.Redact(o.Repo), dir)
	return history.Sync(ctx, o.Repo, dir, history.SyncOptions{Branch: o.Branch, Progress: p.syncOutput(),
		Note: func(s string) { p.logf("%s", s) },
		Warn: func(w string) { _, _ = fmt.Fprintf(s.Err, "residiff: warning: %s\n", w) }}) // a diagnostic; nothing to do if stderr fails
}

// cacheDir is the directory the clone of o.Repo lives in.
func (o *repoOptions) cacheDir() (string, error) {
	base := o.CacheDir
	if base == "" {
		userCache, err := os.UserCacheDir()
		if err != nil {
			return "", fmt.Errorf("no cache directory for %s: %w (give --cache-dir)", history.Redact(o.Repo), err)
		}
		base = filepath.Join(userCache, "residiff")
	}
	return history.CacheDir(base, o.Repo), nil
}

// webURL is the permalink base for the repository.
func (o *repoOptions) webURL() string {
	if o.WebURL != "" {
		return o.WebURL
	}
	return history.WebURL(o.Repo)
}

// source is the chosen profile and its alias register with the --alias
// flags.
func (o *sourceFlags) source() (*source.Profile, *serviceid.Register, error) {
	prof, err := o.profile()
	if err != nil {
		return nil, nil, err
	}
	reg, err := serviceid.New(prof)
	if err != nil {
		return nil, nil, err
	}
	for _, a := range o.Aliases {
		alias, canonical, ok := strings.Cut(a, "=")
		if !ok || strings.TrimSpace(alias) == "" || strings.TrimSpace(canonical) == "" {
			return nil, nil, fmt.Errorf("--alias %q: want 'Alias=Canonical name'", a)
		}
		if err := reg.Add(strings.TrimSpace(alias), strings.TrimSpace(canonical)); err != nil {
			return nil, nil, fmt.Errorf("--alias %q: %w", a, err)
		}
	}
	return prof, reg, nil
}

// profile is the --profile-file's profile, or the shipped one --profile
// names.
func (o *sourceFlags) profile() (*source.Profile, error) {
	if o.ProfileFile == "" {
		prof, err := profiles.ByName(o.Profile)
		if err != nil {
			return nil, fmt.Errorf("--profile: %w", err)
		}
		return prof, nil
	}
	f, err := profiles.ReadFile(o.ProfileFile)
	if err != nil {
		return nil, fmt.Errorf("--profile-file: %w", err)
	}
	return f.Profile()
}

// build opens the repository and runs the pipeline over it.
func (o *repoOptions) build(ctx context.Context, s Env) (*pipeline.Result, error) {
	prof, reg, err := o.source()
	if err != nil {
		return nil, err
	}
	prog := newProgress(s.Err, o.Quiet)
	repo, err := o.open(ctx, s, prog)
	if err != nil {
		return nil, err
	}
	defer func() { _ = repo.Close() }()
	res, err := pipeline.Build(ctx, repo, pipeline.Options{
		Profile:    prof,
		Branch:     o.Branch,
		Pages:      o.Pages,
		Since:      o.Since,
		Aliases:    reg,
		WebURL:     o.webURL(),
		Repository: history.Redact(o.Repo),
		Progress:   prog,
		Limits:     extractor.Limits{Worker: s.Worker},
	})
	if err != nil {
		return nil, err
	}
	if err := o.checkGlobs(ctx, repo, prof, res); err != nil {
		return nil, err
	}
	for _, w := range res.Warnings {
		_, _ = fmt.Fprintf(s.Err, "residiff: warning: %s\n", w) // a diagnostic; nothing to do if stderr fails
	}
	return res, nil
}

// renderInput is what the renderers draw from a pipeline result.
func renderInput(s Env, res *pipeline.Result) render.Input {
	return render.Input{Changelog: res.Changelog, Versions: res.Versions, Generated: s.Now().UTC()}
}

// errEmptyGlob is the error of a walk whose page globs name nothing.
var errEmptyGlob = errors.New("matches no file at the tip or in the history")

// checkGlobs refuses a walk whose --page glob matches no file at the tip
// and no path the pages had in the history: a typo must not read as "no
// residency changes". Each such glob gets a warning naming it. Without
// --page, the profile's globs cover layouts of several years and some may
// match nothing; only all of them matching nothing (the wrong repository)
// is an error.
func (o *repoOptions) checkGlobs(ctx context.Context, repo *history.Repo, prof *source.Profile, res *pipeline.Result) error {
	pages, fromProfile := o.Pages, false
	if len(pages) == 0 {
		pages, fromProfile = prof.PageGlobs(), true
	}
	var seen []string
	for _, p := range res.Changelog.Pages {
		seen = append(seen, p.Path)
		seen = append(seen, p.Paths...)
	}
	for _, r := range res.Changelog.Revisions {
		seen = append(seen, r.Path)
	}
	unmatched, err := repo.UnmatchedGlobs(ctx, o.Branch, pages, seen)
	if err != nil {
		return err
	}
	switch {
	case len(unmatched) == 0:
		return nil
	case fromProfile && len(unmatched) < len(pages):
		return nil
	case fromProfile:
		return fmt.Errorf("none of the %s profile's page globs matches a file at the tip or in the history of %s: is this the right repository? (give --page)", prof.Name, history.Redact(o.Repo))
	}
	quoted := make([]string, len(unmatched))
	for i, g := range unmatched {
		quoted[i] = strconv.Quote(g)
	}
	return fmt.Errorf("--page %s %w of %s", strings.Join(quoted, ", "), errEmptyGlob, history.Redact(o.Repo))
}
