package cli

import (
	"bytes"
	"fmt"

	"github.com/residiff/residiff/internal/atomicfile"
	"github.com/residiff/residiff/render"
	"github.com/spf13/cobra"
)

type reportOptions struct {
	repoOptions
	filterOptions
	Out   string
	Title string
}

func newReportCmd(s Env) *cobra.Command {
	var o reportOptions
	cmd := &cobra.Command{
		Use:   "report --repo PATH|URL [--out render.html]",
		Short: "Write a self-contained HTML report: timelines, latest changes, commitments as of a date",
		Long: `report walks the history like changelog and writes one HTML file with no
outside resources (inline CSS and script; it opens from a file:// URL and
works as a CI artifact): a timeline per page and scope with a bar for each
period a service was excluded and a mark for each change, the changes newest
first with filters, and the commitments in force on a chosen date. It reads
without JavaScript and prints cleanly.`,
		Example: `  residiff report --repo fixtures/upstream.git --out render.html`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			filter, err := o.filter()
			if err != nil {
				return err
			}
			res, err := o.build(cmd.Context(), s)
			if err != nil {
				return err
			}
			res.Changelog = filter.Apply(res.Changelog)
			var buf bytes.Buffer
			opts := render.HTMLOptions{Title: o.Title, Generated: s.Now().UTC()}
			if err := render.HTML(&buf, res.Changelog, res.Versions, opts); err != nil {
				return err
			}
			if o.Out == "" || o.Out == "-" {
				_, err := s.Out.Write(buf.Bytes())
				return err
			}
			if err := atomicfile.WriteFile(o.Out, buf.Bytes(), atomicfile.Options{}); err != nil {
				return fmt.Errorf("write %s: %w", o.Out, err)
			}
			return nil
		},
	}
	o.repoOptions.register(cmd)
	cmd.Flags().StringVar(&o.Out, "out", "", "file to write (default: standard output)")
	cmd.Flags().StringVar(&o.Title, "title", "", "report title (default: Data-residency commitments)")
	o.filterOptions.register(cmd)
	return cmd
}
