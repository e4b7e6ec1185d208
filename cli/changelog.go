package cli

import (
	"fmt"
	"slices"

	"github.com/residiff/residiff/differ"
	"github.com/residiff/residiff/model"
	"github.com/residiff/residiff/render"
	"github.com/spf13/cobra"
)

type changelogOptions struct {
	repoOptions
	Format   string
	ExitCode bool
}

func newChangelogCmd(s Env) *cobra.Command {
	var o changelogOptions
	cmd := &cobra.Command{
		Use:   "changelog --repo PATH|URL",
		Short: "Walk a docs repository's history and print the residency changelog",
		Long: `changelog walks the first-parent history of --branch, extracts every version
of every tracked page, compares consecutive versions of each page and prints
the semantic changes, newest first (markdown) or as the documented JSON or
Atom documents.`,
		Example: `  residiff changelog --repo fixtures/upstream.git
  residiff changelog --repo https://github.com/MicrosoftDocs/entra-docs --format json
  residiff changelog --repo . --page 'docs/**/data-storage-*.md' --since 1a2b3c4`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runChangelog(cmd, s, &o)
		},
	}
	o.register(cmd)
	cmd.Flags().StringVar(&o.Format, "format", "markdown", "output format: markdown, json or atom")
	cmd.Flags().BoolVar(&o.ExitCode, "exit-code", false, "exit with status 1 when there are changes of medium or high severity")
	return cmd
}

func runChangelog(cmd *cobra.Command, s Env, o *changelogOptions) error {
	render, err := changelogRenderer(o.Format)
	if err != nil {
		return err
	}
	res, err := o.build(cmd.Context(), s)
	if err != nil {
		return err
	}
	if err := render.Render(s.Out, renderInput(s, res)); err != nil {
		return fmt.Errorf("write changelog: %w", err)
	}
	if o.ExitCode && hasSignificant(res.Changelog) {
		return errChanges
	}
	return nil
}

// changelogFormats are the formats changelog prints: the render registry's
// stream formats (the HTML report is the report command's).
func changelogRenderer(format string) (render.Renderer, error) {
	var names []string
	for _, f := range render.Formats() {
		if f.Name() != "html" {
			names = append(names, f.Name())
		}
	}
	if format == "md" {
		format = "markdown"
	}
	if slices.Contains(names, format) {
		return render.Lookup(format)
	}
	return nil, fmt.Errorf("--format %q: want %s", format, render.Either(names))
}

// hasSignificant reports whether the changelog holds a change of medium or
// high severity.
func hasSignificant(c *model.Changelog) bool {
	for _, r := range c.Revisions {
		for _, ch := range r.Changes {
			if ch.Severity >= differ.Medium {
				return true
			}
		}
	}
	return false
}
