// Package deploy holds the configuration of the shipped residency watch;
// its test checks the deployment files: the watch's configuration, the
// reusable action's scripts and the workflow's references.
package deploy

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/residiff/residiff/cli"
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
				Uses  string `yaml:"uses"`
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
		if s.Uses != "" {
			continue // an action, pinned (TestPinned)
		}
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

// TestPinned: every action the workflows and the reusable action use is
// pinned by commit, as actionlint cannot check.
func TestPinned(t *testing.T) {
	files, err := filepath.Glob("../.github/workflows/*.yml")
	if err != nil {
		t.Fatal(err)
	}
	files = append(files, "../action.yml")
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for n, line := range strings.Split(string(data), "\n") {
			i := strings.Index(line, "uses: ")
			if i < 0 || strings.HasPrefix(strings.TrimSpace(line), "#") {
				continue
			}
			ref := strings.Fields(line[i+len("uses: "):])[0]
			if _, sha, _ := strings.Cut(ref, "@"); len(sha) != 40 || !strings.Contains(line, "# v") {
				t.Errorf("%s:%d: %s is not pinned by commit with its version in a comment", f, n+1, ref)
			}
		}
	}
}

// TestActionInstallsItsOwnRelease: the action downloads the release of its
// own ref, never "latest", verifies the checksum of the archive it runs
// (and its attestation), and caches with a key that names the attempt.
func TestActionInstallsItsOwnRelease(t *testing.T) {
	data, err := os.ReadFile("../action.yml")
	if err != nil {
		t.Fatal(err)
	}
	action := string(data)
	for _, want := range []string{"github.action_ref", "sha256sum --check", "gh attestation verify", "github.run_attempt", "cache-dir:"} {
		if !strings.Contains(action, want) {
			t.Errorf("action.yml lacks %q", want)
		}
	}
	if strings.Contains(action, "default: latest") || strings.Contains(action, "gh release view") {
		t.Error("action.yml still resolves the latest release")
	}
}

// TestReadmeSnippetRunsTheExample: the workflow snippet README gives, with
// residiff.example.yaml as its configuration, passes config check when
// exactly the secrets the snippet passes are set: the example needs no
// secret the snippet does not pass.
func TestReadmeSnippetRunsTheExample(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	const start = "<!-- action-snippet -->"
	text := string(readme)
	i := strings.Index(text, start)
	if i < 0 {
		t.Fatalf("README.md has no %s marker before the action snippet", start)
	}
	block := text[i:]
	block = block[strings.Index(block, "```yaml")+len("```yaml"):]
	block = block[:strings.Index(block, "```")]
	var wf struct {
		Jobs map[string]struct {
			Steps []struct {
				Uses string            `yaml:"uses"`
				With map[string]string `yaml:"with"`
				Env  map[string]string `yaml:"env"`
			} `yaml:"steps"`
		} `yaml:"jobs"`
	}
	if err := yaml.Unmarshal([]byte(block), &wf); err != nil {
		t.Fatalf("the README snippet is not YAML: %v\n%s", err, block)
	}
	env := map[string]string{}
	var config string
	for _, job := range wf.Jobs {
		for _, s := range job.Steps {
			if strings.HasPrefix(s.Uses, "residiff/residiff@") {
				config = s.With["config"]
				for k := range s.Env {
					// A webhook URL of the form the test server would have.
					env[k] = "https://hooks.example/" + strings.ToLower(k)
				}
			}
		}
	}
	if config != "residiff.yaml" || len(env) == 0 {
		t.Fatalf("the snippet runs config %q with secrets %v; want residiff.yaml (the example, copied) and its secrets", config, env)
	}
	dir := t.TempDir()
	example, err := os.ReadFile("../residiff.example.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, config), example, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir)
	var out, errOut bytes.Buffer
	code := cli.Run(context.Background(), []string{"config", "check", "--config", config},
		cli.Env{Streams: cli.Streams{Out: &out, Err: &errOut}, Getenv: func(k string) string { return env[k] }})
	if code != cli.ExitOK {
		t.Errorf("config check of residiff.example.yaml with the snippet's secrets: exit %d\n%s%s", code, out.String(), errOut.String())
	}
}
