// Command residiff tracks the data-residency commitments that cloud
// providers publish as Markdown in public docs repositories, and reports
// what changed between versions. Run `residiff --help` for the commands.
package main

import (
	"context"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"

	"github.com/residiff/residiff/cli"
)

// main wires signals to the command: the first interrupt cancels the run
// (which stops cleanly and exits 130), a second one exits at once.
func main() {
	// The walk's live heap is mostly the pack indexes; collecting at
	// half the default growth keeps a 200,000-commit history under 200 MB
	// for ~1% more time at 50,000 commits. GOGC still overrides it.
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(50)
	}
	ctx, cancel := context.WithCancel(context.Background())
	signals := make(chan os.Signal, 2)
	signal.Notify(signals, os.Interrupt, syscall.SIGTERM)
	go func() {
		<-signals
		cancel()
		<-signals
		os.Exit(cli.ExitInterrupted)
	}()
	code := cli.Main(ctx, os.Args[1:], cli.Streams{In: os.Stdin, Out: os.Stdout, Err: os.Stderr})
	cancel()
	os.Exit(code)
}
