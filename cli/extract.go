package cli

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/residiff/residiff/extractor"
	"github.com/residiff/residiff/internal/short"
	"github.com/residiff/residiff/render"
	"github.com/residiff/residiff/serviceid"
	"github.com/residiff/residiff/source"
	"github.com/spf13/cobra"
)

type extractOptions struct {
	Format string
	sourceFlags
}

func newExtractCmd(s Env) *cobra.Command {
	var o extractOptions
	cmd := &cobra.Command{
		Use:   "extract FILE...",
		Short: "Print the residency records of page files",
		Long: `extract reads data-residency pages from files and prints their residency
records, references and warnings. With one FILE the JSON output is one page
object; with several it is an array of them, in argument order.`,
		Example: `  residiff extract fixtures/corpus/data-storage-eu/2024-02-16.md
  residiff extract --format text data-storage-japan.md`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runExtract(s, &o, args)
		},
	}
	cmd.Flags().StringVar(&o.Format, "format", "json", "output format: json or text")
	o.register(cmd)
	return cmd
}

func runExtract(s Env, o *extractOptions, files []string) error {
	if o.Format != "json" && o.Format != "text" {
		return fmt.Errorf("--format %q: want json or text", o.Format)
	}
	prof, reg, err := o.source()
	if err != nil {
		return err
	}
	pages := make([]*extractor.Page, 0, len(files))
	for _, f := range files {
		p, err := extractFile(f, prof, reg)
		if err != nil {
			return err
		}
		if o.Format == "json" {
			// The text report lists a page's warnings itself; JSON
			// holds them for scripts, and stderr shows them to people.
			for _, w := range p.Warnings {
				_, _ = fmt.Fprintf(s.Err, "residiff: warning: %s line %d: %s\n", f, w.Line, w.Message) // a diagnostic; nothing to do if stderr fails
			}
		}
		pages = append(pages, p)
	}
	if o.Format == "text" {
		for _, p := range pages {
			if err := writePageText(s.Out, p); err != nil {
				return err
			}
		}
		return nil
	}
	var v any = pages
	if len(pages) == 1 {
		v = pages[0]
	}
	return render.WriteJSON(s.Out, v)
}

// extractFile reads and extracts one page file. The page's lineage name is
// the file's base name without its extension.
func extractFile(path string, prof *source.Profile, reg *serviceid.Register) (*extractor.Page, error) {
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	name := strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
	return extractor.Extract(src, extractor.Options{Profile: prof, Page: name, Path: path, Aliases: reg})
}

func writePageText(w io.Writer, p *extractor.Page) error {
	if _, err := fmt.Fprintf(w, "%s — %s (region %s, page date %s)\n", p.Page, p.Title, p.Region, p.PageDate); err != nil {
		return err
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	_, _ = fmt.Fprintln(tw, "LINE\tSCOPE\tCATEGORY\tSERVICE\tAT REST\tPROCESSING") // errors surface at Flush
	for _, r := range p.Records {
		_, _ = fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\n", r.Line, r.Scope, r.Category, r.Service, short.Clip(r.LocationAtRest, 40), short.Clip(r.Processing, 40))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, r := range p.References {
		format, args := "line %d: %s %s list moved to %s\n", []any{r.Line, r.Scope, r.Category, r.URL}
		if r.Category == extractor.InRegion && r.Service != "" {
			// A commitment given by pointer: no list moved.
			format, args = "line %d: %s commitment of %s given by pointer to %s\n", []any{r.Line, r.Scope, r.Service, r.URL}
		}
		if _, err := fmt.Fprintf(w, format, args...); err != nil {
			return err
		}
	}
	for _, wn := range p.Warnings {
		if _, err := fmt.Fprintf(w, "line %d: warning: %s\n", wn.Line, wn.Message); err != nil {
			return err
		}
	}
	cv := p.Coverage
	if _, err := fmt.Fprintf(w, "claims: %d sentences, items and rows say where data goes; %d accounted for, %d unread\n", cv.Claims, cv.Accounted, cv.Unread); err != nil {
		return err
	}
	_, err := fmt.Fprintln(w)
	return err
}
