package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spf13/cobra"
)

// TestManPages: every command, subcommands included, gets a page with its
// name, synopsis, description and the exit statuses; the date comes from
// SOURCE_DATE_EPOCH, so a release rebuild writes the same pages.
func TestManPages(t *testing.T) {
	t.Setenv("SOURCE_DATE_EPOCH", "1765051200") // 2025-12-06
	dir := t.TempDir()
	if err := WriteManPages(dir); err != nil {
		t.Fatal(err)
	}
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		if !c.IsAvailableCommand() && c.Name() != "residiff" {
			return
		}
		name := strings.ReplaceAll(c.CommandPath(), " ", "-") + ".1"
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Errorf("no man page for %q: %v", c.CommandPath(), err)
			return
		}
		page := string(data)
		for _, want := range []string{".SH NAME", ".SH SYNOPSIS", "Dec 2025"} {
			if !strings.Contains(page, want) {
				t.Errorf("%s lacks %q", name, want)
			}
		}
		if c.Long != "" && !strings.Contains(page, "Exit status") {
			t.Errorf("%s lacks the exit statuses", name)
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	root := newRoot(Env{}.withDefaults())
	walk(root)
	for _, want := range []string{"residiff-export.1", "residiff-config-check.1", "residiff-run.1"} {
		if _, err := os.Stat(filepath.Join(dir, want)); err != nil {
			t.Errorf("missing %s", want)
		}
	}
}
