// Package deploy holds the configuration of the shipped residency watch;
// its test checks the deployment files: the watch's configuration, the
// reusable action's scripts and the workflow's references.
package deploy

import (
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/residiff/residiff/config"
	"go.yaml.in/yaml/v3"
)

// TestWatchConfig: the configuration the workflow runs is valid.
func TestWatchConfig(t *testing.T) {
	cfg, err := config.Load("residiff.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if len(cfg.Repositories) == 0 || cfg.Outputs["html"] == "" || cfg.Outputs["atom"] == "" {
		t.Errorf("the watch publishes report.html and the Atom feed to Pages: outputs %v", cfg.Outputs)
	}
	wf, err := os.ReadFile("../.github/workflows/residency-watch.yml")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"--config deploy/residiff.yaml", "--commit-to", "contents: write", "run_attempt", ".residiff/out/report.html", ".residiff/out/changelog.atom"} {
		if !strings.Contains(string(wf), want) {
			t.Errorf("the workflow lacks %q", want)
		}
	}
	for _, line := range strings.Split(string(wf), "\n") {
		if i := strings.Index(line, "uses: "); i >= 0 {
			ref := strings.Fields(line[i+len("uses: "):])[0]
			if _, sha, _ := strings.Cut(ref, "@"); len(sha) != 40 {
				t.Errorf("action %s is not pinned by commit", ref)
			}
		}
	}
}

// TestActionScripts: every shell step of the reusable action passes
// shellcheck, as the workflows' steps do under actionlint (skipped where
// shellcheck is not installed; .ci/run installs it).
func TestActionScripts(t *testing.T) {
	data, err := os.ReadFile("../action.yml")
	if err != nil {
		t.Fatal(err)
	}
	var action struct {
		Runs struct {
			Using string `yaml:"using"`
			Steps []struct {
				Name  string `yaml:"name"`
				Shell string `yaml:"shell"`
				Run   string `yaml:"run"`
			} `yaml:"steps"`
		} `yaml:"runs"`
	}
	if err := yaml.Unmarshal(data, &action); err != nil {
		t.Fatal(err)
	}
	if action.Runs.Using != "composite" || len(action.Runs.Steps) < 2 {
		t.Fatalf("action.yml: %+v", action.Runs)
	}
	shellcheck, err := exec.LookPath("shellcheck")
	if err != nil {
		t.Skip("shellcheck is not installed")
	}
	for _, s := range action.Runs.Steps {
		if s.Shell != "bash" {
			t.Errorf("step %q: shell %q, want bash", s.Name, s.Shell)
			continue
		}
		if strings.Contains(s.Run, "${{") {
			t.Errorf("step %q interpolates an expression into its script; pass it through env", s.Name)
		}
		cmd := exec.Command(shellcheck, "-s", "bash", "-")
		cmd.Stdin = strings.NewReader(s.Run)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("step %q: shellcheck: %v\n%s", s.Name, err, out)
		}
	}
}
