// Package cli is residiff's command line: it parses flags into an options
// value per command, runs the command with its I/O injected, and maps
// errors to exit codes in one place.
//
// Exit codes (restic-style; every --help says them):
//
//	0   success
//	1   changes found (only for commands given --exit-code)
//	2   usage, configuration or any other error
//	3   another run holds the lock (benign: try later)
//	4   the state file is corrupt or from a newer residiff (a person must act)
//	5   notifications still pending after the retries (the next run retries)
//	130 interrupted
//
// Errors print as one line on stderr, prefixed "residiff: ", never as a
// stack trace.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/residiff/residiff/extractor"
	"github.com/residiff/residiff/history"
	"github.com/residiff/residiff/internal/version"
	"github.com/residiff/residiff/job"
	"github.com/residiff/residiff/render"
	"github.com/residiff/residiff/state"

	"github.com/spf13/cobra"
)

// Exit codes returned by Main.
const (
	ExitOK          = 0
	ExitChanges     = 1
	ExitError       = 2
	ExitLocked      = 3
	ExitState       = 4
	ExitPending     = 5
	ExitInterrupted = 130
)

// exitCodesHelp is the exit-code table every command's help shows.
const exitCodesHelp = `Exit status: 0 ok; 1 changes found (with --exit-code); 2 usage, configuration or
other error; 3 another run holds the lock; 4 corrupt or newer state file (a
person must act); 5 notifications still pending (the next run retries); 130
interrupted.`

// exitCode is the one place errors become exit codes.
func exitCode(ctx context.Context, err error) int {
	switch {
	case err == nil:
		return ExitOK
	case errors.Is(err, errChanges):
		return ExitChanges
	case ctx.Err() != nil && (errors.Is(err, context.Canceled) || errors.Is(err, ctx.Err())):
		return ExitInterrupted
	case errors.Is(err, state.ErrLocked):
		return ExitLocked
	case errors.Is(err, state.ErrCorrupt):
		return ExitState
	case errors.Is(err, job.ErrUndelivered):
		return ExitPending
	}
	return ExitError
}

// errChanges is returned by a command run with --exit-code that found
// changes; Main maps it to ExitChanges.
var errChanges = errors.New("changes found")

// Streams are the command's standard streams.
type Streams struct {
	In  io.Reader
	Out io.Writer
	Err io.Writer
}

// Env is what commands take from the world besides their flags: the
// standard streams, the clock, the environment and the way repositories
// are opened. Tests replace any of them.
type Env struct {
	Streams
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Getenv reads the environment; nil means os.Getenv.
	Getenv func(string) string
	// OpenRepo opens a local repository; nil means history.Open.
	OpenRepo func(ctx context.Context, path string) (*history.Repo, error)
	// Worker is the residiff executable that parses suspicious pages in a
	// worker process under the page limits (extractor.Limits.Worker); ""
	// parses them in process.
	Worker string
}

// withDefaults fills what e leaves nil with the real world.
func (e Env) withDefaults() Env {
	if e.Now == nil {
		e.Now = time.Now
	}
	if e.Getenv == nil {
		e.Getenv = os.Getenv
	}
	if e.OpenRepo == nil {
		e.OpenRepo = history.Open
	}
	if e.In == nil {
		e.In = strings.NewReader("")
	}
	if e.Out == nil {
		e.Out = io.Discard
	}
	if e.Err == nil {
		e.Err = io.Discard
	}
	return e
}

// Main runs residiff with args (without the program name) and returns the
// process exit code.
func Main(ctx context.Context, args []string, streams Streams) int {
	env := Env{Streams: streams}
	if exe, err := os.Executable(); err == nil {
		env.Worker = exe // this binary: it serves extractor.WorkerArg
	}
	return Run(ctx, args, env)
}

// Run is Main with every outside dependency in env. It is the one place
// errors become exit codes and the one line a user reads.
func Run(ctx context.Context, args []string, env Env) int {
	env = env.withDefaults()
	streams := env.Streams
	if len(args) > 0 && args[0] == extractor.WorkerArg {
		// A parse worker (hidden: only residiff runs it).
		return extractor.ServeWorker(args[1:], streams.In, streams.Out, streams.Err)
	}
	root := newRoot(env)
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	code := exitCode(ctx, err)
	if code != ExitOK && code != ExitChanges {
		msg := oneLine(err.Error())
		if code == ExitInterrupted {
			msg = "interrupted"
		}
		_, _ = fmt.Fprintf(streams.Err, "residiff: %s\n", msg) // a diagnostic; nothing to do if stderr fails
	}
	return code
}

func newRoot(s Env) *cobra.Command {
	root := &cobra.Command{
		Use:   "residiff",
		Short: "Track data-residency commitments in docs history and report what changed",
		Long: `residiff walks the git history of cloud data-residency pages (the Microsoft
Entra ID data-storage and data-residency pages by default), extracts the
residency facts of every version and reports what changed between versions:
services newly excluded from or newly compliant with a scope, changed
categories, scopes, data types, locations, processing and reasons.

` + exitCodesHelp,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetIn(s.In)
	root.SetOut(s.Out)
	root.SetErr(s.Err)
	root.Version = version.Get().String()
	root.SetVersionTemplate("residiff {{.Version}}\n")
	root.AddCommand(
		newVersionCmd(s),
		newChangelogCmd(s),
		newExtractCmd(s),
		newDiffCmd(s),
		newTimelineCmd(s),
		newAtCmd(s),
		newRunCmd(s),
		newReportCmd(s),
		newExportCmd(s),
		newStateCmd(s),
		newConfigCmd(s),
		newNotifyCmd(s),
	)
	strictCompletion(root)
	root.SetFlagErrorFunc(flagError)
	for _, c := range root.Commands() {
		if c.Name() == "config" {
			addRoutesCmd(c, s)
		}
	}
	var withExitCodes func(*cobra.Command)
	withExitCodes = func(cmd *cobra.Command) {
		for _, c := range cmd.Commands() {
			if c.Long != "" {
				c.Long += "\n\n" + exitCodesHelp
			}
			withExitCodes(c)
		}
	}
	withExitCodes(root)
	return root
}

// oneLine folds a multi-line error message into one line.
func oneLine(s string) string {
	return strings.Join(strings.Fields(strings.ReplaceAll(s, "\n", " ")), " ")
}

func newVersionCmd(s Env) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "version",
		Short: "Print residiff's version, commit and build date",
		Args:  cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			info := version.Get()
			if asJSON {
				return render.WriteJSON(s.Out, info)
			}
			_, err := fmt.Fprintf(s.Out, "residiff %s\n", info)
			return err
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the build information as JSON")
	return cmd
}
