// Package cli is residiff's command line: it parses flags into an options
// value per command, runs the command with its I/O injected, and maps
// errors to exit codes in one place.
//
// Exit codes: 0 success (no change), 1 changes found (only for commands
// given --exit-code), 2 any error. Errors print as one line on stderr,
// prefixed "residiff: ", never as a stack trace.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/residiff/residiff/history"

	"github.com/spf13/cobra"
)

// Exit codes returned by Main.
const (
	ExitOK      = 0
	ExitChanges = 1
	ExitError   = 2
)

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
	return Run(ctx, args, Env{Streams: streams})
}

// Run is Main with every outside dependency in env. It is the one place
// errors become exit codes and the one line a user reads.
func Run(ctx context.Context, args []string, env Env) int {
	env = env.withDefaults()
	streams := env.Streams
	root := newRoot(env)
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	switch {
	case err == nil:
		return ExitOK
	case errors.Is(err, errChanges):
		return ExitChanges
	default:
		_, _ = fmt.Fprintf(streams.Err, "residiff: %s\n", oneLine(err.Error())) // a diagnostic; nothing to do if stderr fails
		return ExitError
	}
}

func newRoot(s Env) *cobra.Command {
	root := &cobra.Command{
		Use:   "residiff",
		Short: "Track data-residency commitments in docs history and report what changed",
		Long: `residiff walks the git history of cloud data-residency pages (the Microsoft
Entra ID data-storage and data-residency pages by default), extracts the
residency facts of every version and reports what changed between versions:
services newly excluded from or newly compliant with a scope, changed
categories, scopes, data types, locations, processing and reasons.`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetIn(s.In)
	root.SetOut(s.Out)
	root.SetErr(s.Err)
	root.CompletionOptions.DisableDefaultCmd = true
	root.AddCommand(
		newChangelogCmd(s),
		newExtractCmd(s),
		newDiffCmd(s),
		newTimelineCmd(s),
		newAtCmd(s),
		newRunCmd(s),
		newReportCmd(s),
	)
	return root
}

// oneLine folds a multi-line error message into one line.
func oneLine(s string) string {
	return strings.Join(strings.Fields(strings.ReplaceAll(s, "\n", " ")), " ")
}
