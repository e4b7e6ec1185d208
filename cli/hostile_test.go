package cli

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/residiff/residiff/internal/gittest"
)

// selfBinary runs this test binary as the residiff command (TestMain
// dispatches on argv[0]) and returns its exit code, stderr, wall time and
// peak memory.
func selfBinary(t *testing.T, dir string, args ...string) (code int, stderr string, took time.Duration, maxRSS int64) {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Skip(err)
	}
	cmd := exec.Command(exe, args...)
	cmd.Args[0] = "residiff"
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "XDG_CACHE_HOME="+filepath.Join(dir, ".cache"))
	var errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &bytes.Buffer{}, &errOut
	start := time.Now()
	err = cmd.Run()
	took = time.Since(start)
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		maxRSS = ru.Maxrss << 10 // KiB on Linux
	}
	if ee, ok := err.(*exec.ExitError); ok {
		return ee.ExitCode(), errOut.String(), took, maxRSS
	} else if err != nil {
		t.Fatal(err)
	}
	return 0, errOut.String(), took, maxRSS
}

// hostileRepo is a git repository whose tracked page is first a real page,
// then page.
func hostileRepo(t *testing.T, page string) string {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not installed")
	}
	dir := t.TempDir()
	repo := filepath.Join(dir, "docs")
	gittest.Git(t, dir, "init", "-q", "-b", "main", "docs")
	path := filepath.Join(repo, "docs", "data-storage-japan.md")
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	for i, content := range []string{"# Customer data storage for Japan customers\n\n## Azure RBAC\n\nAzure RBAC stores role definitions in the United States.\n", page} {
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		gittest.Git(t, repo, "add", ".")
		gittest.Git(t, repo, "commit", "-qm", fmt.Sprint("version ", i))
	}
	return repo
}

// hostilePages are the pages of issue 23 that cost goldmark gigabytes or
// minutes (14.4 GB; 119 s; 24 s).
func hostilePages() map[string]string {
	header := "| " + strings.Repeat("c | ", 1000) + "\n|" + strings.Repeat("---|", 1000) + "\n"
	table := func(size int) string {
		var b strings.Builder
		b.WriteString("# Customer data storage for Japan customers\n\n" + header)
		for b.Len() < size {
			b.WriteString("row without a pipe\n")
		}
		return b.String()
	}
	return map[string]string{
		"table-43KB":   table(43 << 10),
		"table-223KB":  table(223 << 10),
		"emphasis":     "# Customer data storage for Japan customers\n\n" + strings.Repeat("*a_", 100_000) + "\n",
		"list-markers": "# Customer data storage for Japan customers\n\n" + strings.Repeat("- ", 100_000) + "x\n",
	}
}

// TestHostilePagesThroughBinary: each hostile page, committed upstream,
// costs the real binary a warning naming the limit — exit 0 or 1, under
// 10 s and 600 MB.
func TestHostilePagesThroughBinary(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the binary")
	}
	want := map[string]string{"table-43KB": "limits.table_cells", "table-223KB": "limits.table_cells",
		"emphasis": "limits.delimiters", "list-markers": "limits.nesting"}
	for name, page := range hostilePages() {
		t.Run(name, func(t *testing.T) {
			repo := hostileRepo(t, page)
			code, stderr, took, rss := selfBinary(t, filepath.Dir(repo), "changelog", "--repo", repo, "--page", "docs/*.md", "--format", "json", "-q")
			t.Logf("exit %d, %s, %d MB", code, took.Round(time.Millisecond), rss>>20)
			if code != 0 && code != 1 {
				t.Errorf("exit %d:\n%s", code, stderr)
			}
			if !strings.Contains(stderr, "warning:") || !strings.Contains(stderr, want[name]) {
				t.Errorf("stderr %q, want a warning naming %s", stderr, want[name])
			}
			if took > 10*time.Second || rss > 600<<20 {
				t.Errorf("took %s and %d MB, want under 10 s and 600 MB", took, rss>>20)
			}
		})
	}
}

// TestWorkerLimitsThroughBinary: with the pre-scan's limits raised out of
// the way (as a configuration may), `run` still stops the parse in its
// worker — the emphasis run at page_seconds, the pipeless table at
// page_memory_mb — with a warning naming the limit, and remembers the
// verdict: a second run over the same history does not pay again.
func TestWorkerLimitsThroughBinary(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the binary")
	}
	pages := hostilePages()
	tests := []struct {
		page, limits, want string
	}{
		{"emphasis", "{delimiters: 100000000, page_seconds: 2}", "limits.page_seconds"},
		{"table-223KB", "{table_cells: 100000000, page_memory_mb: 200, page_seconds: 30}", "limits.page_memory_mb"},
	}
	for _, tt := range tests {
		t.Run(tt.page, func(t *testing.T) {
			repo := hostileRepo(t, pages[tt.page])
			dir := filepath.Dir(repo)
			cfg := fmt.Sprintf("repositories: [{path: %s, pages: ['docs/*.md']}]\nfirst_run: all\nstate: %s\ncache_dir: %s\nlimits: %s\n",
				repo, filepath.Join(dir, "state.json"), filepath.Join(dir, "cache"), tt.limits)
			if err := os.WriteFile(filepath.Join(dir, "residiff.yaml"), []byte(cfg), 0o644); err != nil {
				t.Fatal(err)
			}
			var first time.Duration
			for run := 1; run <= 2; run++ {
				code, stderr, took, rss := selfBinary(t, dir, "run", "--config", "residiff.yaml")
				t.Logf("run %d: exit %d, %s, %d MB", run, code, took.Round(time.Millisecond), rss>>20)
				if code != 0 && code != 1 {
					t.Fatalf("run %d: exit %d:\n%s", run, code, stderr)
				}
				if run == 1 {
					first = took
					if !strings.Contains(stderr, tt.want) {
						t.Errorf("stderr %q, want a warning naming %s", stderr, tt.want)
					}
					if took > 35*time.Second || rss > 600<<20 {
						t.Errorf("took %s and %d MB", took, rss>>20)
					}
					// Both versions are in the page cache: the real one
					// and the hostile one's verdict.
					var entries int
					_ = filepath.WalkDir(filepath.Join(dir, "cache", "pages"), func(_ string, d os.DirEntry, err error) error {
						if err == nil && !d.IsDir() {
							entries++
						}
						return nil
					})
					if entries != 2 {
						t.Errorf("%d page versions cached, want 2 (the verdict on the hostile one remembered)", entries)
					}
				} else if !strings.Contains(stderr, tt.want) {
					t.Errorf("second run: stderr %q, want the remembered warning naming %s", stderr, tt.want)
				}
				t.Logf("first run %s", first)
				// Walk the whole history again: the page cache answers.
				if err := os.Remove(filepath.Join(dir, "state.json")); err != nil {
					t.Fatal(err)
				}
			}
		})
	}
}
