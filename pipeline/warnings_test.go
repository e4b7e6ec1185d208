package pipeline

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/residiff/residiff/history"
	"github.com/residiff/residiff/internal/gittest"
	"github.com/residiff/residiff/source/entra"
)

// TestWarningOncePerLine: a table row naming no location, unchanged
// through 30 versions of a page whose other lines change, is one warning
// counting the 30 versions, naming the first; moved to another line it
// is a second warning; a second page's identical row is its own warning.
func TestWarningOncePerLine(t *testing.T) {
	dir := t.TempDir()
	gittest.Git(t, dir, "init", "-q", "-b", "main")
	write := func(name, text string) {
		p := filepath.Join(dir, "docs", "fundamentals", name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	page := func(pre string, n int) string {
		return "# Customer data storage for Japan customers in Microsoft Entra ID\n\n" + pre +
			"| Service | Location of customer data |\n|---|---|\n| Widget | Somewhere nice |\n| Gadget | United States |\n\n" +
			fmt.Sprintf("Microsoft Entra multifactor authentication stores customer data in the United States (edit %d).\n", n)
	}
	var first string
	for i := range 30 {
		write("data-storage-japan.md", page("", i))
		gittest.Git(t, dir, "add", "-A")
		gittest.Git(t, dir, "commit", "-q", "-m", fmt.Sprint("edit ", i))
		if i == 0 {
			first = gittest.Git(t, dir, "rev-parse", "--short=7", "HEAD")
		}
	}
	write("data-storage-japan.md", page("A new line.\n\n", 30))
	write("data-storage-korea.md", page("", 0))
	gittest.Git(t, dir, "add", "-A")
	gittest.Git(t, dir, "commit", "-q", "-m", "moved down; a second page")

	repo, err := history.Open(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	defer repo.Close()
	res, err := Build(context.Background(), repo, Options{Profile: entra.Profile(), Branch: "main"})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"docs/fundamentals/data-storage-japan.md@" + first + " line 5: table row \"Widget\" names no location (Somewhere nice); no record made for it (in 30 versions)",
		"line 7: table row \"Widget\" names no location",
		"data-storage-korea.md@",
	}
	if len(res.Warnings) != len(want) {
		t.Fatalf("%d warnings, want %d:\n%s", len(res.Warnings), len(want), strings.Join(res.Warnings, "\n"))
	}
	for i, w := range want {
		if !strings.Contains(res.Warnings[i], w) {
			t.Errorf("warning %d: %q, want it to contain %q", i, res.Warnings[i], w)
		}
	}
	if strings.Contains(res.Warnings[1], "versions)") || strings.Contains(res.Warnings[2], "versions)") {
		t.Errorf("single warnings counted: %q", res.Warnings[1:])
	}
	// Each revision still carries its own warnings.
	for _, r := range res.Changelog.Revisions {
		if len(r.Warnings) != 1 {
			t.Errorf("revision %s: %d warnings, want 1", r.Commit[:7], len(r.Warnings))
		}
	}
}
