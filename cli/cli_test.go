package cli

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/residiff/residiff/internal/gittest"
	"github.com/rogpeppe/go-internal/testscript"
)

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"residiff": func() {
			os.Exit(Main(context.Background(), os.Args[1:], Streams{In: os.Stdin, Out: os.Stdout, Err: os.Stderr}))
		},
	})
}

// TestScripts runs the residiff binary through the scripts in
// testdata/script: each is a small shell session with its expected output.
func TestScripts(t *testing.T) {
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	// Scripts that need a remote put bare repositories under $GITROOT
	// and reach them at $GITURL (git's smart HTTP on 127.0.0.1); each
	// script uses a folder of its own name.
	gitRoot, gitURL := t.TempDir(), ""
	if _, err := exec.LookPath("git"); err == nil {
		gitURL = gittest.Server(t, gitRoot).URL
	}
	testscript.Run(t, testscript.Params{
		Dir:  "testdata/script",
		Cmds: scriptCmds,
		Setup: func(env *testscript.Env) error {
			env.Setenv("GITROOT", gitRoot)
			env.Setenv("GITURL", gitURL)
			env.Setenv("FIXTURES", filepath.Join(root, "fixtures"))
			env.Setenv("XDG_CACHE_HOME", filepath.Join(env.WorkDir, ".cache"))
			return nil
		},
	})
}

func TestRunExitCode(t *testing.T) {
	dir := t.TempDir()
	root, err := filepath.Abs("../fixtures/upstream.git")
	if err != nil {
		t.Fatal(err)
	}
	cfg := filepath.Join(dir, "residiff.yaml")
	if err := os.WriteFile(cfg, []byte("repositories: [{path: "+root+"}]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	run := func() int {
		var out, errOut bytes.Buffer
		return Main(context.Background(), []string{"run", "--config", cfg, "--exit-code", "--quiet"}, Streams{Out: &out, Err: &errOut})
	}
	if got := run(); got != ExitChanges {
		t.Errorf("first run exit %d, want %d (changes found)", got, ExitChanges)
	}
	if got := run(); got != ExitOK {
		t.Errorf("second run exit %d, want %d (nothing new)", got, ExitOK)
	}
	if err := os.WriteFile(filepath.Join(dir, "residiff-state.json"), []byte("{"), 0o600); err != nil {
		t.Fatal(err)
	}
	if got := run(); got != ExitState {
		t.Errorf("corrupt state exit %d, want %d", got, ExitState)
	}
}
