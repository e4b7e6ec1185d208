package version_test

import (
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestBuilds builds residiff the ways it is built and asks each its
// version: a release (stamped by the linker, as .goreleaser.yaml does)
// reports the stamp; a build without VCS information (a tarball,
// -buildvcs=false) names its executable, never "(devel)".
func TestBuilds(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	dir := t.TempDir()
	const pkg = "github.com/residiff/residiff/internal/version"
	for _, tc := range []struct {
		name  string
		flags []string
		want  string // a regexp over `residiff version`
	}{
		{"release", []string{"-buildvcs=false", "-ldflags", "-X " + pkg + ".version=1.2.3-SNAPSHOT-abc1234 -X " + pkg + ".commit=abc1234def5678abc1234def5678abc1234def56 -X " + pkg + ".date=2026-12-06T20:00:00Z"},
			`^residiff 1\.2\.3-SNAPSHOT-abc1234 \(commit abc1234, 2026-12-06T20:00:00Z\)\n$`},
		{"no VCS", []string{"-buildvcs=false"}, `^residiff devel-[0-9a-f]{12}\n$`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			bin := filepath.Join(dir, strings.ReplaceAll(tc.name, " ", "-"))
			args := append(append([]string{"build", "-o", bin}, tc.flags...), "../../cmd/residiff")
			if out, err := exec.Command("go", args...).CombinedOutput(); err != nil {
				t.Fatalf("go build: %v\n%s", err, out)
			}
			out, err := exec.Command(bin, "version").Output()
			if err != nil {
				t.Fatal(err)
			}
			if !regexp.MustCompile(tc.want).Match(out) {
				t.Errorf("residiff version = %q, want %s", out, tc.want)
			}
			ua, err := exec.Command(bin, "version", "--json").Output()
			if err != nil {
				t.Fatal(err)
			}
			if strings.Contains(string(ua), "(devel)") {
				t.Errorf("version --json = %s", ua)
			}
		})
	}
}
