// Command naive finds the commits that changed the tracked pages the way
// go-git's documentation suggests — Log with a PathFilter — for the
// benchmark's scale comparison. residiff does not work this way: Log diffs
// whole trees for every commit and, on merges, reports commits that the
// first-parent history does not contain.
//
//	go run ./bench/naive -repo bench/out/docs-5000.git
package main

import (
	"flag"
	"fmt"
	"github.com/residiff/residiff/source/entra"
	"os"

	"github.com/bmatcuk/doublestar/v4"
	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing/object"
)

func main() {
	repoPath := flag.String("repo", "", "repository")
	flag.Parse()
	if err := run(*repoPath); err != nil {
		fmt.Fprintf(os.Stderr, "naive: %v\n", err)
		os.Exit(1)
	}
}

func run(path string) error {
	repo, err := git.PlainOpen(path)
	if err != nil {
		return err
	}
	head, err := repo.Head()
	if err != nil {
		return err
	}
	globs := entra.Profile().PageGlobs()
	match := func(p string) bool {
		for _, g := range globs {
			if ok, _ := doublestar.Match(g, p); ok {
				return true
			}
		}
		return false
	}
	iter, err := repo.Log(&git.LogOptions{From: head.Hash(), PathFilter: match})
	if err != nil {
		return err
	}
	n := 0
	err = iter.ForEach(func(c *object.Commit) error {
		n++
		fmt.Println(c.Hash)
		return nil
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "naive: %d commits\n", n)
	return nil
}
