package extractor

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/text"
)

// WorkerArg is the hidden first argument that makes residiff a parse
// worker: `residiff __parse-page SECONDS BYTES` reads one page on stdin,
// parses it as the extractor does, under a CPU-time limit and an
// address-space ceiling it sets on itself, and prints "ok" (see
// ServeWorker).
const WorkerArg = "__parse-page"

// workerOK is the worker's answer for a page it parsed.
const workerOK = "ok"

// isolate parses src in the worker under l's time and memory limits and
// returns the limit it ran past, or "". A worker that cannot be started
// leaves the page to the in-process parse (the pre-scan has passed it).
func (l Limits) isolate(src []byte) string {
	ctx, cancel := context.WithTimeout(context.Background(), l.MaxDuration)
	defer cancel()
	seconds := int((l.MaxDuration + time.Second - 1) / time.Second)
	cmd := exec.CommandContext(ctx, l.Worker, WorkerArg, strconv.Itoa(seconds), strconv.Itoa(l.MaxMemory))
	// argv[0] is what a multi-call binary (a test binary standing in for
	// residiff) dispatches on.
	cmd.Args[0] = "residiff"
	cmd.Stdin = bytes.NewReader(src)
	var stdout bytes.Buffer
	stderr := &headBuffer{max: 4 << 10}
	cmd.Stdout, cmd.Stderr = &stdout, stderr
	cmd.WaitDelay = time.Second
	err := cmd.Run()
	timeLimit := fmt.Sprintf("parsing it took longer than %s (limits.page_seconds)", l.MaxDuration)
	memLimit := fmt.Sprintf("parsing it needed more than %d MiB (limits.page_memory_mb)", l.MaxMemory>>20)
	var ee *exec.ExitError
	switch {
	case err == nil && strings.TrimSpace(stdout.String()) == workerOK:
		return ""
	case ctx.Err() != nil:
		return timeLimit
	case errors.As(err, &ee):
		if killedForCPU(ee) {
			return timeLimit // RLIMIT_CPU
		}
		if outOfMemory(stderr.String()) {
			return memLimit
		}
		return fmt.Sprintf("the parse worker failed on it (%s)", lastLine(stderr.String(), err))
	case err != nil:
		// The worker could not be started (the executable moved or is
		// not residiff): the pre-scan's word stands.
		return ""
	}
	return fmt.Sprintf("the parse worker answered %q", lastLine(stdout.String(), nil))
}

// outOfMemory reports whether a worker's stderr says it hit the memory
// ceiling: the Go runtime's words, or the race detector's (errno 12,
// ENOMEM) in race-enabled builds.
func outOfMemory(stderr string) bool {
	for _, s := range []string{"out of memory", "cannot allocate memory", "failed to allocate"} {
		if strings.Contains(stderr, s) {
			return true
		}
	}
	return false
}

// headBuffer keeps the first max bytes written to it: where the Go
// runtime says why it died, before its stack traces.
type headBuffer struct {
	buf []byte
	max int
}

func (h *headBuffer) Write(p []byte) (int, error) {
	if room := h.max - len(h.buf); room > 0 {
		h.buf = append(h.buf, p[:min(room, len(p))]...)
	}
	return len(p), nil
}

func (h *headBuffer) String() string { return string(h.buf) }

// lastLine is the first line of s that says something (a Go runtime's
// "fatal error: …"), or err.
func lastLine(s string, err error) string {
	for _, line := range strings.Split(s, "\n") {
		if line = strings.TrimSpace(line); strings.HasPrefix(line, "fatal error") || strings.HasPrefix(line, "panic") {
			return line
		}
	}
	if err != nil {
		return err.Error()
	}
	return strings.TrimSpace(s)
}

// ServeWorker is the parse worker (args are what follow WorkerArg): it
// limits its own CPU time and address space, reads one page from in,
// parses it with the extractor's parser, visits every node, and writes
// "ok" to out. Past a limit it dies (SIGKILL from the kernel, or the Go
// runtime's "out of memory"), which its parent reads as the limit. It
// returns the process exit code.
func ServeWorker(args []string, in io.Reader, out, errOut io.Writer) int {
	if len(args) != 2 {
		_, _ = fmt.Fprintf(errOut, "usage: residiff %s SECONDS BYTES\n", WorkerArg) // a diagnostic for whoever ran it by hand
		return 2
	}
	seconds, err1 := strconv.Atoi(args[0])
	memory, err2 := strconv.Atoi(args[1])
	if err1 != nil || err2 != nil || seconds < 1 || memory < 1 {
		_, _ = fmt.Fprintf(errOut, "residiff %s: want two positive numbers, got %q\n", WorkerArg, args) // as above
		return 2
	}
	if err := limitSelf(seconds, memory); err != nil {
		_, _ = fmt.Fprintf(errOut, "residiff %s: %v\n", WorkerArg, err) // as above
		return 2
	}
	debug.SetMemoryLimit(int64(memory)) // collect hard before the ceiling
	src, err := io.ReadAll(in)
	if err != nil {
		_, _ = fmt.Fprintf(errOut, "residiff %s: read the page: %v\n", WorkerArg, err) // as above
		return 2
	}
	probeParse(src)
	if _, err := fmt.Fprintf(out, "%s\n", workerOK); err != nil {
		return 2
	}
	return 0
}

// probeParse parses src as Extract does and visits every node and its
// text, the way the extraction will.
func probeParse(src []byte) {
	doc := goldmark.New(goldmark.WithExtensions(east.Table)).Parser().Parse(text.NewReader(src))
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering && n.Type() == ast.TypeBlock {
			_ = n.Lines().Len()
		}
		return ast.WalkContinue, nil
	})
}
