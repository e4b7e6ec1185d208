package cli

import (
	"fmt"
	"slices"
	"strings"

	"github.com/residiff/residiff/differ"
	"github.com/residiff/residiff/model"
	"github.com/residiff/residiff/render"
	"github.com/spf13/cobra"
)

type changelogOptions struct {
	repoOptions
	filterOptions
	Format    string
	ExitCode  bool
	FeedURL   string
	ReportURL string
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
	o.repoOptions.register(cmd)
	cmd.Flags().StringVar(&o.Format, "format", "markdown", "output format: markdown, json or atom")
	cmd.Flags().BoolVar(&o.ExitCode, "exit-code", false, "exit with status 1 when there are changes of medium or high severity")
	cmd.Flags().StringVar(&o.FeedURL, "feed-url", "", "where the Atom feed is published, for its rel=\"self\" link")
	cmd.Flags().StringVar(&o.ReportURL, "report-url", "", "where the HTML report is hosted: the Atom feed links it")
	o.filterOptions.register(cmd)
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
	filter, err := o.filter()
	if err != nil {
		return err
	}
	in := renderInput(s, res)
	in.Changelog, in.FeedURL, in.ReportURL = filter.Apply(in.Changelog), o.FeedURL, o.ReportURL
	if err := render.Render(s.Out, in); err != nil {
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

// filterOptions are the flags that narrow the changes shown.
type filterOptions struct {
	MinSeverity string
	Kinds       []string
}

func (o *filterOptions) register(cmd *cobra.Command) {
	cmd.Flags().StringVar(&o.MinSeverity, "min-severity", "", "show only changes of this severity or higher: low, medium or high")
	cmd.Flags().StringArrayVar(&o.Kinds, "kind", nil, "show only changes of this kind (newly_excluded, newly_compliant, …), repeatable")
}

// filter is the render.Filter the flags ask for.
func (o *filterOptions) filter() (render.Filter, error) {
	var f render.Filter
	if o.MinSeverity != "" {
		if err := checkChoice("--min-severity", strings.ToLower(strings.TrimSpace(o.MinSeverity)), []string{"low", "medium", "high"}); err != nil {
			return f, err
		}
		sev, err := differ.ParseSeverity(o.MinSeverity)
		if err != nil {
			return f, fmt.Errorf("--min-severity: %w", err)
		}
		f.MinSeverity = sev
	}
	for _, k := range o.Kinds {
		for _, part := range strings.Split(k, ",") {
			if err := checkChoice("--kind", strings.TrimSpace(part), render.KindNames()); err != nil {
				return f, err
			}
		}
	}
	kinds, err := render.ParseKinds(o.Kinds)
	if err != nil {
		return f, fmt.Errorf("--kind: %w", err)
	}
	f.Kinds = kinds
	return f, nil
}
