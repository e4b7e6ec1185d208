package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/residiff/residiff/config"
	"github.com/residiff/residiff/history"
	"github.com/spf13/cobra"
)

// errConfigProblems: config check found problems (exit 2).
var errConfigProblems = errors.New("the configuration has problems")

// newConfigCmd is `residiff config check`.
func newConfigCmd(s Env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "config check [--config residiff.yaml]",
		Short: "Check a configuration without fetching anything",
		Args:  cobra.NoArgs,
	}
	var path string
	check := &cobra.Command{
		Use:   "check",
		Short: "Report every problem of a configuration; fetch nothing",
		Long: `check reads the configuration (--config, else residiff.yaml) and reports
every problem at once: unknown keys with their line and the nearest known
key, values that cannot work, environment variables for secrets that are
not set, and which files each page glob matches at the tip of each local
repository or already cached clone (nothing is fetched). It exits 2 when
it found a problem.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runConfigCheck(cmd.Context(), s, path)
		},
	}
	check.Flags().StringVar(&path, "config", "", "configuration file (default: residiff.yaml)")
	cmd.AddCommand(check)
	return cmd
}

func runConfigCheck(ctx context.Context, s Env, path string) error {
	var out bytes.Buffer
	defer func() { _, _ = s.Out.Write(out.Bytes()) }()
	if path == "" {
		path = "residiff.yaml"
		if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
			fmt.Fprintln(&out, "no residiff.yaml here: run uses the defaults (the public Entra docs repository, state and cache in this folder, report to standard output)")
			return nil
		}
	}
	cfg, problems, err := config.Check(path)
	if err != nil {
		return err
	}
	for _, p := range problems {
		fmt.Fprintf(&out, "error: %s\n", oneLine(p.Error()))
	}
	for _, v := range cfg.EnvVars() {
		if s.Getenv(v[1]) == "" {
			problems = append(problems, errors.New(v[1]))
			fmt.Fprintf(&out, "error: %s: environment variable %s is empty or unset\n", v[0], v[1])
		} else {
			fmt.Fprintf(&out, "ok: %s: %s is set\n", v[0], v[1])
		}
	}
	if what := history.URLSecret(cfg.ReportURL); what != "" {
		problems = append(problems, errors.New(what))
		fmt.Fprintf(&out, "error: report_url carries %s (%s): it is linked in every message; remove it\n", what, history.Redact(cfg.ReportURL))
	}
	for i, r := range cfg.Repositories {
		for _, u := range []struct{ key, url string }{{"url", r.URL}, {"web_url", r.WebURL}} {
			if what := history.URLSecret(u.url); what != "" {
				problems = append(problems, errors.New(what))
				fmt.Fprintf(&out, "error: %s: repositories[%d].%s carries %s (%s): a URL is printed in logs and reports; "+
					"remove it and give the credential through token_env, or username_env and password_env\n", r.Name, i, u.key, what, history.Redact(u.url))
			}
		}
		dir, where := r.Path, r.Path
		if r.URL != "" {
			dir, where = history.CacheDir(cfg.CacheDir, r.URL), "the cached clone of "+history.Redact(r.URL)
			if _, err := os.Stat(dir); err != nil {
				fmt.Fprintf(&out, "note: %s: not cloned yet; page globs are checked on the first run\n", r.Name)
				continue
			}
		}
		if dir == "" {
			continue
		}
		repo, err := history.Open(ctx, dir)
		if err != nil {
			problems = append(problems, err)
			fmt.Fprintf(&out, "error: %s: %v\n", r.Name, err)
			continue
		}
		unmatched, err := repo.UnmatchedGlobs(ctx, r.Branch, r.Pages, nil)
		_ = repo.Close()
		if err != nil {
			problems = append(problems, err)
			fmt.Fprintf(&out, "error: %s: %v\n", r.Name, err)
			continue
		}
		switch {
		case len(unmatched) == 0:
			fmt.Fprintf(&out, "ok: %s: every page glob matches a file at the tip of %s\n", r.Name, where)
		case r.PagesFromProfile && len(unmatched) < len(r.Pages):
			fmt.Fprintf(&out, "ok: %s: %d of the %s profile's %d page globs match files at the tip of %s\n", r.Name, len(r.Pages)-len(unmatched), r.Profile, len(r.Pages), where)
		default:
			for _, g := range unmatched {
				fmt.Fprintf(&out, "warning: %s: page glob %q matches no file at the tip of %s (run fails unless it matches a page in the history)\n", r.Name, g, where)
			}
		}
	}
	if len(problems) > 0 {
		return fmt.Errorf("config %s: %w (%d)", path, errConfigProblems, len(problems))
	}
	fmt.Fprintf(&out, "%s: no problem found\n", path)
	return nil
}
