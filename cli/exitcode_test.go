package cli

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/residiff/residiff/state"
)

// TestExitCodes runs the built binary once per exit code, so that a
// scheduler can tell a benign lock from a corrupt state from Slack being
// down.
func TestExitCodes(t *testing.T) {
	bin := filepath.Join(t.TempDir(), "residiff")
	if out, err := exec.Command("go", "build", "-o", bin, "../cmd/residiff").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	fixtures, err := filepath.Abs("../fixtures/upstream.git")
	if err != nil {
		t.Fatal(err)
	}
	down := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusInternalServerError) }))
	defer down.Close()

	config := func(t *testing.T, extra string) string {
		dir := t.TempDir()
		cfg := filepath.Join(dir, "residiff.yaml")
		if err := os.WriteFile(cfg, []byte("repositories: [{path: "+fixtures+"}]\nfirst_run: all\n"+extra), 0o644); err != nil {
			t.Fatal(err)
		}
		return cfg
	}
	for _, tc := range []struct {
		name  string
		args  func(t *testing.T) []string
		want  int
		words string
	}{
		{"ok", func(*testing.T) []string { return []string{"version"} }, ExitOK, ""},
		{"changes", func(*testing.T) []string { return []string{"changelog", "--repo", fixtures, "--exit-code", "-q"} }, ExitChanges, ""},
		{"usage", func(*testing.T) []string { return []string{"changelog", "--repo", fixtures, "--format", "yaml"} }, ExitError, "--format"},
		{"empty glob", func(*testing.T) []string {
			return []string{"changelog", "--repo", fixtures, "--page", "docs/typo-*.md", "-q"}
		}, ExitError, `--page "docs/typo-*.md" matches no file`},
		{"locked", func(t *testing.T) []string {
			cfg := config(t, "")
			lock, err := state.Acquire(filepath.Join(filepath.Dir(cfg), "residiff-state.json"))
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _ = lock.Release() })
			return []string{"run", "--config", cfg, "-q"}
		}, ExitLocked, "lock"},
		{"corrupt state", func(t *testing.T) []string {
			cfg := config(t, "")
			if err := os.WriteFile(filepath.Join(filepath.Dir(cfg), "residiff-state.json"), []byte(`{"version": 99}`), 0o600); err != nil {
				t.Fatal(err)
			}
			return []string{"run", "--config", cfg, "-q"}
		}, ExitState, "newer residiff"},
		{"pending", func(t *testing.T) []string {
			return []string{"run", "--config", config(t, "slack: {webhook_url_env: TEST_HOOK, max_attempts: 1}\n"), "-q"}
		}, ExitPending, "pending"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cmd := exec.Command(bin, tc.args(t)...)
			cmd.Env = append(os.Environ(), "TEST_HOOK="+down.URL+"/hook", "XDG_CACHE_HOME="+t.TempDir())
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			err := cmd.Run()
			got := 0
			var ee *exec.ExitError
			if errors.As(err, &ee) {
				got = ee.ExitCode()
			} else if err != nil {
				t.Fatal(err)
			}
			if got != tc.want || !strings.Contains(stderr.String(), tc.words) {
				t.Errorf("exit %d, stderr %q; want %d and %q", got, stderr.String(), tc.want, tc.words)
			}
		})
	}
}

// TestInterrupted: a run stopped by a signal exits 130.
func TestInterrupted(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	fixtures, _ := filepath.Abs("../fixtures/upstream.git")
	var errOut bytes.Buffer
	if got := Main(ctx, []string{"changelog", "--repo", fixtures, "-q"}, Streams{Out: &bytes.Buffer{}, Err: &errOut}); got != ExitInterrupted {
		t.Errorf("exit %d (%s), want %d", got, errOut.String(), ExitInterrupted)
	}
}
