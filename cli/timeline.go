package cli

import (
	"fmt"
	"time"

	"github.com/residiff/residiff/render"
	"github.com/residiff/residiff/timeline"
	"github.com/spf13/cobra"
)

type queryOptions struct {
	repoOptions
	Format string
}

func newTimelineCmd(s Env) *cobra.Command {
	var o queryOptions
	cmd := &cobra.Command{
		Use:   "timeline SERVICE --repo PATH|URL",
		Short: "Print every change to one service across all pages, oldest first",
		Long: `timeline walks the history like changelog and prints every change to one
service across all tracked pages, oldest first. SERVICE matches by canonical
identity, so "Azure AD Connect" also finds "Microsoft Entra Connect".`,
		Example: `  residiff timeline "Microsoft Entra Connect" --repo fixtures/upstream.git`,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if o.Format != "markdown" && o.Format != "json" {
				return fmt.Errorf("--format %q: want markdown or json", o.Format)
			}
			_, reg, err := o.source()
			if err != nil {
				return err
			}
			res, err := o.build(cmd.Context(), s)
			if err != nil {
				return err
			}
			tl := timeline.Of(res.Changelog, args[0], reg)
			if o.Format == "json" {
				return render.WriteJSON(s.Out, tl)
			}
			return render.TimelineMarkdown(s.Out, tl)
		},
	}
	o.register(cmd)
	cmd.Flags().StringVar(&o.Format, "format", "markdown", "output format: markdown or json")
	return cmd
}

func newAtCmd(s Env) *cobra.Command {
	var o queryOptions
	cmd := &cobra.Command{
		Use:   "at DATE --repo PATH|URL",
		Short: "Print the exclusions in force on a date, per page, scope and category",
		Long: `at walks the history and prints, for every tracked page, the version that was
published on DATE (YYYY-MM-DD, the end of that day UTC, or an RFC 3339 time)
and the exclusions it states, grouped by scope and category.`,
		Example: `  residiff at 2023-09-01 --repo fixtures/upstream.git`,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if o.Format != "markdown" && o.Format != "json" {
				return fmt.Errorf("--format %q: want markdown or json", o.Format)
			}
			date, err := parseDate(args[0])
			if err != nil {
				return err
			}
			res, err := o.build(cmd.Context(), s)
			if err != nil {
				return err
			}
			snap := timeline.AsOf(date, res.Versions)
			if o.Format == "json" {
				return render.WriteJSON(s.Out, snap)
			}
			return render.SnapshotMarkdown(s.Out, snap)
		},
	}
	o.register(cmd)
	cmd.Flags().StringVar(&o.Format, "format", "markdown", "output format: markdown or json")
	return cmd
}

// parseDate reads a date as YYYY-MM-DD (meaning the end of that day, UTC)
// or as an RFC 3339 time.
func parseDate(s string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("date %q: want YYYY-MM-DD or an RFC 3339 time", s)
	}
	return t.Add(24*time.Hour - time.Nanosecond), nil
}
