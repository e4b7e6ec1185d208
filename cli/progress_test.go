package cli

import (
	"bytes"
	"io"
	"os"
	"strings"
	"testing"
)

// drive feeds a progress reporter a long backfill.
func drive(p *progress) {
	for i := 1; i <= 5000; i += 7 {
		p.Walking(i, 5000)
	}
	p.Walking(5000, 5000)
	p.Walked(400)
	for i := 1; i <= 400; i++ {
		p.Extracted(i, 400)
	}
}

func TestProgressOnAPipe(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	p := newProgress(w, false)
	if p.tty {
		t.Fatal("a pipe was taken for a terminal")
	}
	if p.syncOutput() != nil {
		t.Error("git progress would be written to a pipe")
	}
	drive(p)
	w.Close()
	out, _ := io.ReadAll(r)
	if bytes.ContainsAny(out, "\r\x1b") || strings.Contains(string(out), "█") {
		t.Errorf("progress bar output on a pipe: %q", out)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	if len(lines) < 3 || len(lines) > 8 {
		t.Errorf("want a few plain lines, got %d:\n%s", len(lines), out)
	}
	for _, want := range []string{"residiff: walking 5000 commits of history", "residiff: found 400 page revisions in ", "residiff: read 400 of 400 page versions"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestProgressSmallJobIsSilent(t *testing.T) {
	var buf bytes.Buffer
	p := newProgress(&buf, false)
	p.Walking(25, 25)
	p.Walked(20)
	p.Extracted(20, 20)
	if buf.Len() != 0 {
		t.Errorf("small job printed progress: %q", buf.String())
	}
}

func TestProgressQuiet(t *testing.T) {
	var buf bytes.Buffer
	p := newProgress(&buf, true)
	p.tty = true // even on a terminal
	drive(p)
	p.logf("syncing")
	if buf.Len() != 0 || p.syncOutput() != nil {
		t.Errorf("--quiet printed: %q", buf.String())
	}
}

func TestProgressOnATerminalDrawsBars(t *testing.T) {
	var buf bytes.Buffer
	p := newProgress(&buf, false)
	p.tty = true // what isTerminal says for a terminal
	drive(p)
	if !bytes.Contains(buf.Bytes(), []byte("\r")) || !strings.Contains(buf.String(), "reading page versions") {
		t.Errorf("no progress bar drawn: %q", buf.String())
	}
	if strings.Contains(buf.String(), "residiff: walking") {
		t.Error("plain log lines on a terminal")
	}
}
