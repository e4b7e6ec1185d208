// Command mangen writes residiff's man pages, one per command, generated
// from the commands' own help (cobra/doc): residiff.1, residiff-run.1, …
//
//	go run ./internal/mangen [-epoch SECONDS] DIR
//
// -epoch is the date the pages carry, in seconds since 1970 (the release
// passes the commit's, so a rebuild writes the same pages); without it,
// SOURCE_DATE_EPOCH, else today.
// The release runs it before the build (.goreleaser.yaml) and ships the
// pages in the archives and the deb and rpm packages.
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/residiff/residiff/cli"
)

func main() {
	epoch := flag.String("epoch", "", "date of the pages, seconds since 1970 (default: SOURCE_DATE_EPOCH, else today)")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: mangen [-epoch SECONDS] DIR")
		os.Exit(2)
	}
	if *epoch != "" {
		if err := os.Setenv("SOURCE_DATE_EPOCH", *epoch); err != nil {
			fmt.Fprintf(os.Stderr, "mangen: %v\n", err)
			os.Exit(1)
		}
	}
	if err := cli.WriteManPages(flag.Arg(0)); err != nil {
		fmt.Fprintf(os.Stderr, "mangen: %v\n", err)
		os.Exit(1)
	}
}
