package cli

import (
	"fmt"
	"os"
	"time"

	"github.com/spf13/cobra/doc"
)

// WriteManPages writes a man page per command (section 1) to dir, from the
// commands' own help: residiff.1, residiff-changelog.1, … The date is the
// source's (SOURCE_DATE_EPOCH when set), so a rebuild writes the same
// pages.
func WriteManPages(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("man pages: %w", err)
	}
	root := newRoot(Env{}.withDefaults())
	root.DisableAutoGenTag = true
	header := &doc.GenManHeader{Title: "RESIDIFF", Section: "1", Source: "residiff", Manual: "residiff manual"}
	if epoch := os.Getenv("SOURCE_DATE_EPOCH"); epoch != "" {
		var sec int64
		if _, err := fmt.Sscan(epoch, &sec); err == nil {
			d := time.Unix(sec, 0).UTC()
			header.Date = &d
		}
	}
	if err := doc.GenManTree(root, header, dir); err != nil {
		return fmt.Errorf("man pages: %w", err)
	}
	return nil
}
