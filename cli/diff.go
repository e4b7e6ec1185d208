package cli

import (
	"fmt"
	"os"

	"github.com/residiff/residiff/differ"
	"github.com/residiff/residiff/extractor"
	"github.com/residiff/residiff/render"
	"github.com/residiff/residiff/serviceid"
	"github.com/spf13/cobra"
)

type diffOptions struct {
	Format string
	sourceFlags
	ExitCode bool
}

func newDiffCmd(s Env) *cobra.Command {
	var o diffOptions
	cmd := &cobra.Command{
		Use:   "diff OLD NEW",
		Short: "Print the semantic changes between two versions of a page",
		Long: `diff extracts the residency records of two page files and prints what
changed between them: services newly excluded or newly compliant, changed
categories, scopes and facts, renames, lists delegated to other pages.`,
		Example: `  residiff diff fixtures/corpus/data-storage-eu/2022-07-20.md fixtures/corpus/data-storage-eu/2023-08-17.md`,
		Args:    cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runDiff(s, &o, args[0], args[1])
		},
	}
	cmd.Flags().StringVar(&o.Format, "format", "markdown", "output format: markdown or json")
	o.register(cmd)
	cmd.Flags().BoolVar(&o.ExitCode, "exit-code", false, "exit with status 1 when there are changes of medium or high severity")
	return cmd
}

func runDiff(s Env, o *diffOptions, oldPath, newPath string) error {
	if o.Format != "json" && o.Format != "markdown" && o.Format != "md" {
		return fmt.Errorf("--format %q: want markdown or json", o.Format)
	}
	prof, reg, err := o.source()
	if err != nil {
		return err
	}
	oldSrc, err := os.ReadFile(oldPath)
	if err != nil {
		return err
	}
	newSrc, err := os.ReadFile(newPath)
	if err != nil {
		return err
	}
	oldPage, err := extractFile(oldPath, prof, reg)
	if err != nil {
		return err
	}
	newPage, err := extractFile(newPath, prof, reg)
	if err != nil {
		return err
	}
	// Both files are versions of one page: name the lineage after the new one.
	oldPage.Page = newPage.Page
	changes := differ.Compare(oldPage, newPage, differ.Options{
		Lineage: newPage.Page, Key: oldPath + ".." + newPath,
		OldSource: oldSrc, NewSource: newSrc, Similar: serviceid.Similar, Profile: prof, Aliases: reg,
	})
	type warnings struct {
		Old []extractor.Warning `json:"old"`
		New []extractor.Warning `json:"new"`
	}
	if o.Format == "json" {
		if err := render.WriteJSON(s.Out, struct {
			Old      string          `json:"old"`
			New      string          `json:"new"`
			Changes  []differ.Change `json:"changes"`
			Warnings warnings        `json:"warnings"`
		}{oldPath, newPath, nonNil(changes), warnings{oldPage.Warnings, newPage.Warnings}}); err != nil {
			return err
		}
	} else if err := render.MarkdownChanges(s.Out, oldPath+" → "+newPath, changes, oldPage.Warnings, newPage.Warnings); err != nil {
		return err
	}
	if o.ExitCode {
		for _, c := range changes {
			if c.Severity >= differ.Medium {
				return errChanges
			}
		}
	}
	return nil
}

func nonNil(c []differ.Change) []differ.Change {
	if c == nil {
		return []differ.Change{}
	}
	return c
}
