package cli

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/residiff/residiff/config"
	"github.com/residiff/residiff/differ"
	"github.com/residiff/residiff/job"
	"github.com/spf13/cobra"
)

type runOptions struct {
	Config   string
	DryRun   bool
	Format   string
	ExitCode bool
	Quiet    bool
	CommitTo string
}

func newRunCmd(s Env) *cobra.Command {
	var o runOptions
	cmd := &cobra.Command{
		Use:   "run [--config residiff.yaml]",
		Short: "The scheduled job: sync upstream, report what is new, notify Slack exactly once",
		Long: `run is what a scheduled CI job calls. Under a lock it clones or fetches each
configured repository, walks only the revisions after the last processed
commit, writes the configured report files, queues the new changes in the
state file's outbox, saves the state, then delivers the outbox to Slack and
records each delivery. Without Slack in the config, the new changes are
printed to standard output.

The first run backfills the whole history: it writes the report files but
sends Slack one summary message (first_run in the config).

When a run cannot process a repository (the upstream unreachable), the
destinations are told once per failure streak and once when it ends, the
streak is recorded in the state, and ping_url (if set) gets /fail; stdout
then carries no report.

Without --config, residiff.yaml in the current directory is read when it
exists; otherwise the defaults apply (the public Entra docs repository,
state and cache in the current directory, report to standard output).`,
		Example: `  residiff run --config residiff.yaml
  residiff run --config residiff.yaml --dry-run
  residiff run --config residiff.yaml --commit-to residiff-state
  residiff run --exit-code --format json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runRun(cmd, s, &o)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.Config, "config", "", "configuration file (default: residiff.yaml when present)")
	f.BoolVar(&o.DryRun, "dry-run", false, "fetch, and print the messages the next run would send (heartbeats included); send nothing, write no report, save no state")
	f.StringVar(&o.Format, "format", "markdown", "format of the report printed when Slack is off: markdown or json")
	f.BoolVar(&o.ExitCode, "exit-code", false, "exit with status 1 when the run found changes of medium or high severity")
	f.BoolVarP(&o.Quiet, "quiet", "q", false, "print no progress and no log lines; errors still go to stderr")
	f.StringVar(&o.CommitTo, "commit-to", "", "commit the state and report files to this branch of the repository holding the state file after every run that changed them, and restore a missing state file from it (config: commit_to)")
	return cmd
}

func runRun(cmd *cobra.Command, s Env, o *runOptions) error {
	if o.Format != "markdown" && o.Format != "json" {
		return fmt.Errorf("--format %q: want markdown or json", o.Format)
	}
	cfg, err := loadConfig(o.Config, s.Err)
	if err != nil {
		return err
	}
	if o.Config == "" && !fileExists("residiff.yaml") && !o.Quiet {
		// A diagnostic: nothing to do if stderr fails.
		_, _ = fmt.Fprintf(s.Err, "residiff: no --config and no residiff.yaml here: using the defaults (%s; state %s; cache %s; report to standard output)\n",
			cfg.Repositories[0].URL, cfg.State, cfg.CacheDir)
	}
	if o.CommitTo != "" {
		cfg.CommitTo = o.CommitTo
	}
	prog := newProgress(s.Err, o.Quiet)
	opts := job.Options{DryRun: o.DryRun, Format: o.Format, Out: s.Out, Log: s.Err, Progress: prog, SyncProgress: prog.syncOutput(), ParseWorker: s.Worker}
	if o.Quiet {
		opts.Log = io.Discard
	}
	out, err := job.Run(cmd.Context(), cfg, opts)
	if err != nil {
		return err
	}
	if o.ExitCode {
		for _, it := range out.New {
			if it.Change.Severity >= differ.Medium {
				return errChanges
			}
		}
	}
	return nil
}

func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// loadConfig reads the named file, or residiff.yaml when it exists, or
// returns the defaults. A configuration with problems is refused with
// every problem on errOut, one "error: line N: …" line each, as config
// check shows them.
func loadConfig(name string, errOut io.Writer) (*config.Config, error) {
	if name == "" {
		if _, err := os.Stat("residiff.yaml"); err == nil {
			name = "residiff.yaml"
		} else if !errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("config: %w", err)
		}
	}
	if name == "" {
		dir, err := filepath.Abs(".")
		if err != nil {
			return nil, fmt.Errorf("config: %w", err)
		}
		return config.Default(dir), nil
	}
	cfg, problems, err := config.Check(name)
	if err != nil {
		return nil, err
	}
	if len(problems) > 0 {
		writeProblems(errOut, problems)
		return nil, fmt.Errorf("config %s: %w (%d)", name, errConfigProblems, len(problems))
	}
	return cfg, nil
}
