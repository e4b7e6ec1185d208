package cli

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/residiff/residiff/history"
	"github.com/residiff/residiff/pipeline"
	"github.com/residiff/residiff/serviceid"
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
	Aliases  []string
	Quiet    bool
}

func (o *repoOptions) register(cmd *cobra.Command) {
	f := cmd.Flags()
	f.StringVar(&o.Repo, "repo", "", "repository to walk: a local path, or a URL to clone into the cache (required)")
	f.StringVar(&o.Branch, "branch", "", "branch whose first-parent history is walked (default: the repository's HEAD)")
	f.StringArrayVar(&o.Pages, "page", nil, "glob of the pages to track, repeatable (default: the Entra residency pages)")
	f.StringVar(&o.Since, "since", "", "only report revisions after this commit")
	f.StringVar(&o.CacheDir, "cache-dir", "", "where clones of URLs are kept (default: the user cache directory)")
	f.StringVar(&o.WebURL, "web-url", "", "web address of the upstream repository, for permalinks (default: derived from a GitHub URL)")
	f.StringArrayVar(&o.Aliases, "alias", nil, "extra service alias as 'Alias=Canonical name', repeatable")
	f.BoolVarP(&o.Quiet, "quiet", "q", false, "print no progress (bars on a terminal, log lines otherwise)")
	_ = cmd.MarkFlagRequired("repo")
}

// open opens or syncs the repository the options name.
func (o *repoOptions) open(ctx context.Context, p *progress) (*history.Repo, error) {
	if !history.IsRemote(o.Repo) {
		return history.Open(ctx, o.Repo)
	}
	dir, err := o.cacheDir()
	if err != nil {
		return nil, err
	}
	p.logf("syncing %s into %s", history.Redact(o.Repo), dir)
	return history.Sync(ctx, o.Repo, dir, history.SyncOptions{Branch: o.Branch, Progress: p.syncOutput()})
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

// aliases builds the alias register from the built-ins and --alias flags.
func (o *repoOptions) aliases() (*serviceid.Register, error) {
	reg := serviceid.Default()
	for _, a := range o.Aliases {
		alias, canonical, ok := strings.Cut(a, "=")
		if !ok || strings.TrimSpace(alias) == "" || strings.TrimSpace(canonical) == "" {
			return nil, fmt.Errorf("--alias %q: want 'Alias=Canonical name'", a)
		}
		if err := reg.Add(strings.TrimSpace(alias), strings.TrimSpace(canonical)); err != nil {
			return nil, fmt.Errorf("--alias %q: %w", a, err)
		}
	}
	return reg, nil
}

// build opens the repository and runs the pipeline over it.
func (o *repoOptions) build(ctx context.Context, s Streams) (*pipeline.Result, error) {
	reg, err := o.aliases()
	if err != nil {
		return nil, err
	}
	prog := newProgress(s.Err, o.Quiet)
	repo, err := o.open(ctx, prog)
	if err != nil {
		return nil, err
	}
	res, err := pipeline.Build(ctx, repo, pipeline.Options{
		Branch:     o.Branch,
		Pages:      o.Pages,
		Since:      o.Since,
		Aliases:    reg,
		WebURL:     o.webURL(),
		Repository: history.Redact(o.Repo),
		Progress:   prog,
	})
	if err != nil {
		return nil, err
	}
	for _, w := range res.Warnings {
		fmt.Fprintf(s.Err, "residiff: warning: %s\n", w)
	}
	return res, nil
}
