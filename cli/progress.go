package cli

import (
	"fmt"
	"io"
	"os"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"
)

// progress reports long work on stderr: progress bars when stderr is a
// terminal, a few plain log lines when it is not (CI logs), nothing with
// --quiet. It implements pipeline.Progress.
type progress struct {
	w     io.Writer
	tty   bool
	quiet bool

	bar          *progressbar.ProgressBar
	barFor       string
	walkLogged   bool
	lastQuarter  int
	walkStart    time.Time
	extractStart time.Time
}

// Below these amounts of work a non-terminal run prints no progress lines
// at all: small jobs stay silent.
const (
	plainWalkThreshold    = 2000 // commits
	plainExtractThreshold = 100  // page versions
)

func newProgress(w io.Writer, quiet bool) *progress {
	return &progress{w: w, tty: isTerminal(w), quiet: quiet, lastQuarter: -1}
}

// isTerminal reports whether w is a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// syncOutput is where go-git's clone and fetch progress goes: the terminal,
// or nowhere.
func (p *progress) syncOutput() io.Writer {
	if p.quiet || !p.tty {
		return nil
	}
	return p.w
}

// logf prints one plain line unless quiet.
func (p *progress) logf(format string, args ...any) {
	if !p.quiet {
		_, _ = fmt.Fprintf(p.w, "residiff: "+format+"\n", args...) // a diagnostic; nothing to do if stderr fails
	}
}

// bar returns the progress bar for a phase, making it on first use.
func (p *progress) phase(name string, total int) *progressbar.ProgressBar {
	if p.bar == nil || p.barFor != name {
		if p.bar != nil {
			_ = p.bar.Finish()
		}
		p.barFor = name
		p.bar = progressbar.NewOptions(total,
			progressbar.OptionSetWriter(p.w),
			progressbar.OptionSetDescription(name),
			progressbar.OptionShowCount(),
			progressbar.OptionSetWidth(30),
			progressbar.OptionThrottle(100*time.Millisecond),
			progressbar.OptionClearOnFinish(),
		)
	}
	return p.bar
}

// Walking implements pipeline.Progress.
func (p *progress) Walking(done, total int) {
	switch {
	case p.quiet:
	case p.tty:
		_ = p.phase("walking commits", total).Set(done)
	case total >= plainWalkThreshold && !p.walkLogged:
		p.walkLogged = true
		p.walkStart = time.Now()
		p.logf("walking %d commits of history", total)
	}
}

// Walked implements pipeline.Progress.
func (p *progress) Walked(revisions int) {
	switch {
	case p.quiet:
	case p.tty:
		if p.bar != nil {
			_ = p.bar.Finish()
			p.bar = nil
		}
	case p.walkLogged:
		p.logf("found %d page revisions in %s", revisions, time.Since(p.walkStart).Round(time.Millisecond))
	}
	p.extractStart = time.Now()
}

// Extracted implements pipeline.Progress.
func (p *progress) Extracted(done, total int) {
	switch {
	case p.quiet:
	case p.tty:
		bar := p.phase("reading page versions", total)
		_ = bar.Set(done)
		if done == total {
			_ = bar.Finish()
			p.bar = nil
		}
	case total >= plainExtractThreshold:
		if q := done * 4 / total; q > p.lastQuarter {
			p.lastQuarter = q
			p.logf("read %d of %d page versions", done, total)
		}
	}
}
