// Command gen builds a docs-like git repository for residiff's benchmark:
// a mostly linear main branch with a merge every ~20 commits, thousands of
// Markdown pages of 2–10 KB in ~200 folders, 1–5 pages changed per commit,
// and the residency pages (real versions from fixtures/corpus) changed in
// ~150 commits, one of them moved once. It drives `git fast-import`, which
// is far faster than committing one by one, then runs `git gc` so the
// repository is packed like a clone. The output is deterministic for a
// seed.
//
//	go run ./bench/gen -commits 50000 -out bench/out/docs-50000.git
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// options are the generator's parameters.
type options struct {
	commits     int
	pages       int
	folders     int
	residency   int
	mergeEvery  int
	seed        uint64
	corpus      string
	out         string
	skipGC      bool
	mediaEvery  int
	progressOut io.Writer
}

func main() {
	var o options
	flag.IntVar(&o.commits, "commits", 5000, "commits on main (merges included)")
	flag.IntVar(&o.pages, "pages", 8000, "ordinary Markdown pages")
	flag.IntVar(&o.folders, "folders", 200, "folders the pages are spread over")
	flag.IntVar(&o.residency, "residency", 150, "commits that change a residency page")
	flag.IntVar(&o.mergeEvery, "merge-every", 20, "a merge commit about every N commits")
	flag.Uint64Var(&o.seed, "seed", 1, "random seed")
	flag.StringVar(&o.corpus, "corpus", "fixtures/corpus", "real page versions")
	flag.StringVar(&o.out, "out", "", "bare repository to create (must not exist)")
	flag.BoolVar(&o.skipGC, "no-gc", false, "skip git gc")
	flag.IntVar(&o.mediaEvery, "media-every", 0, "every N commits also adds 1–5 binary images of 50–500 KB under docs/area-*/media/ (0: none): the screenshots that make real docs repositories gigabytes")
	flag.Parse()
	o.progressOut = os.Stderr
	if o.out == "" {
		fmt.Fprintln(os.Stderr, "gen: -out is required")
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, o); err != nil {
		fmt.Fprintf(os.Stderr, "gen: %v\n", err)
		os.Exit(1)
	}
}

// residencyPage is one tracked page and its real versions.
type residencyPage struct {
	paths    []string // the page's paths, in order; more than one: it moves
	versions [][]byte
}

func loadCorpus(dir string) ([]*residencyPage, error) {
	layout := []struct {
		name  string
		paths []string
	}{
		{"data-storage-eu", []string{"articles/active-directory/fundamentals/active-directory-data-storage-eu.md", "docs/fundamentals/data-storage-eu.md"}},
		{"data-storage-japan", []string{"docs/fundamentals/data-storage-japan.md"}},
		{"data-storage-australia", []string{"docs/fundamentals/data-storage-australia.md"}},
		{"data-storage-australia-newzealand", []string{"docs/fundamentals/data-storage-australia-newzealand.md"}},
		{"data-residency", []string{"docs/fundamentals/data-residency.md"}},
	}
	var pages []*residencyPage
	for _, l := range layout {
		files, err := filepath.Glob(filepath.Join(dir, l.name, "*.md"))
		if err != nil || len(files) == 0 {
			return nil, fmt.Errorf("corpus %s: no versions in %s", l.name, dir)
		}
		sort.Strings(files)
		p := &residencyPage{paths: l.paths}
		for _, f := range files {
			b, err := os.ReadFile(f)
			if err != nil {
				return nil, err
			}
			p.versions = append(p.versions, b)
		}
		pages = append(pages, p)
	}
	return pages, nil
}

func run(ctx context.Context, o options) error {
	if _, err := os.Stat(o.out); err == nil {
		return fmt.Errorf("%s exists; remove it first", o.out)
	}
	pages, err := loadCorpus(o.corpus)
	if err != nil {
		return err
	}
	if err := gitCmd(ctx, "", "init", "-q", "--bare", "-b", "main", o.out).Run(); err != nil {
		return fmt.Errorf("git init: %w", err)
	}
	cmd := gitCmd(ctx, o.out, "fast-import", "--quiet", "--force")
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return err
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("git fast-import: %w", err)
	}
	w := bufio.NewWriterSize(stdin, 1<<20)
	g := &generator{o: o, w: w, rng: rand.New(rand.NewPCG(o.seed, o.seed^0x9e3779b97f4a7c15)), residency: pages,
		when: time.Date(2018, 1, 1, 9, 0, 0, 0, time.UTC)}
	genErr := g.write()
	if err := w.Flush(); err != nil && genErr == nil {
		genErr = err
	}
	_ = stdin.Close() // fast-import reads EOF; its own failure shows in Wait
	if err := cmd.Wait(); err != nil {
		return errors.Join(genErr, fmt.Errorf("git fast-import: %w", err))
	}
	if genErr != nil {
		return genErr
	}
	if err := gitCmd(ctx, o.out, "update-ref", "-d", "refs/heads/topic").Run(); err != nil {
		return fmt.Errorf("delete the topic branch: %w", err)
	}
	_, _ = fmt.Fprintf(o.progressOut, "gen: %d commits written to %s\n", g.mark, o.out)
	if o.skipGC {
		return nil
	}
	gc := gitCmd(ctx, o.out, "gc", "--quiet", "--prune=now")
	gc.Stderr = os.Stderr
	if err := gc.Run(); err != nil {
		return fmt.Errorf("git gc: %w", err)
	}
	return nil
}

func gitCmd(ctx context.Context, dir string, args ...string) *exec.Cmd {
	if dir != "" {
		args = append([]string{"-C", dir}, args...)
	}
	cmd := exec.CommandContext(ctx, "git", args...)
	cmd.Env = append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL=/dev/null")
	return cmd
}

// generator writes the fast-import stream.
type generator struct {
	o         options
	w         *bufio.Writer
	rng       *rand.Rand
	residency []*residencyPage
	mark      int
	when      time.Time
	revision  []int // per ordinary page: how often it was edited
}

var words = strings.Fields(`identity tenant directory sign-in policy conditional access application
service principal group user device token authentication authorization admin portal configure
enable disable license role permission audit log report governance lifecycle entitlement review
external collaboration guest federation domain certificate secret credential password reset
multifactor passwordless method registration provisioning synchronization connector agent cloud
on-premises hybrid workload managed identity claim consent scope endpoint protocol OpenID SAML`)

// pageBody is the content of ordinary page i at its revision r: 2–10 KB
// of Markdown, mostly stable between revisions as real edits are.
func (g *generator) pageBody(i, r int) []byte {
	prng := rand.New(rand.NewPCG(uint64(i)+1, 77))
	size := 2048 + prng.IntN(8*1024)
	var b strings.Builder
	fmt.Fprintf(&b, "---\ntitle: Page %d\nms.date: 01/%02d/2024\n---\n\n# How to configure feature %d\n\n", i, 1+r%28, i)
	para := 0
	for b.Len() < size {
		if para%5 == 0 {
			fmt.Fprintf(&b, "## Section %d\n\n", para/5+1)
		}
		for range 40 + prng.IntN(40) {
			b.WriteString(words[prng.IntN(len(words))])
			b.WriteByte(' ')
		}
		if para == r%7 {
			fmt.Fprintf(&b, "(updated in revision %d) ", r)
		}
		b.WriteString("\n\n")
		para++
	}
	return []byte(b.String())
}

func pagePath(i, folders int) string {
	return fmt.Sprintf("docs/area-%03d/page-%05d.md", i%folders, i)
}

func (g *generator) blob(path string, data []byte) {
	// g.w is a bufio.Writer: a write error sticks and is returned by the
	// Flush that ends the generation.
	_, _ = fmt.Fprintf(g.w, "M 100644 inline %s\ndata %d\n", path, len(data))
	_, _ = g.w.Write(data)
	_ = g.w.WriteByte('\n')
}

// commit starts a commit on ref with the given parents (marks).
func (g *generator) commit(ref, msg string, from int, merge int) int {
	g.mark++
	g.when = g.when.Add(time.Duration(30+g.rng.IntN(240)) * time.Minute)
	_, _ = fmt.Fprintf(g.w, "commit %s\nmark :%d\ncommitter Docs Bot <docs@example.com> %d +0000\ndata %d\n%s\n",
		ref, g.mark, g.when.Unix(), len(msg), msg)
	if from > 0 {
		_, _ = fmt.Fprintf(g.w, "from :%d\n", from)
	}
	if merge > 0 {
		_, _ = fmt.Fprintf(g.w, "merge :%d\n", merge)
	}
	return g.mark
}

// media adds 1–5 screenshots of 50–500 KB: random bytes, which no
// compression shrinks, as PNG data barely shrinks.
func (g *generator) media(n int) {
	for k := range 1 + g.rng.IntN(5) {
		data := make([]byte, 50*1024+g.rng.IntN(450*1024))
		for i := 0; i+8 <= len(data); i += 8 {
			v := g.rng.Uint64()
			for j := range 8 {
				data[i+j] = byte(v >> (8 * j))
			}
		}
		g.blob(fmt.Sprintf("docs/area-%03d/media/shot-%06d-%d.png", g.rng.IntN(g.o.folders), n, k), data)
	}
}

func (g *generator) editOrdinary(n int) []string {
	var paths []string
	for range n {
		i := g.rng.IntN(g.o.pages)
		g.revision[i]++
		p := pagePath(i, g.o.folders)
		g.blob(p, g.pageBody(i, g.revision[i]))
		paths = append(paths, p)
	}
	return paths
}

func (g *generator) write() error {
	o := g.o
	g.revision = make([]int, o.pages)
	// Root commit: every ordinary page.
	root := g.commit("refs/heads/main", "Initial import of the docs", 0, 0)
	for i := range o.pages {
		g.blob(pagePath(i, o.folders), g.pageBody(i, 0))
	}
	main := root
	// Which commits change a residency page: spread evenly.
	resEvery := max(o.commits/max(o.residency, 1), 1)
	resCount := 0
	moved := false
	due := false // a residency edit is due at the next ordinary commit
	for n := 1; n < o.commits; n++ {
		if n%resEvery == resEvery/2 {
			due = true
		}
		if n%10000 == 0 {
			_, _ = fmt.Fprintf(o.progressOut, "gen: %d commits\n", n)
		}
		if o.mergeEvery > 0 && n%o.mergeEvery == 0 {
			// A side branch of one or two commits, merged back.
			side := main
			var sidePaths [][2]string
			for range 1 + g.rng.IntN(2) {
				side = g.commit("refs/heads/topic", "Topic work", side, 0)
				for _, p := range g.editOrdinary(1 + g.rng.IntN(3)) {
					sidePaths = append(sidePaths, [2]string{p, ""})
				}
			}
			main = g.commit("refs/heads/main", "Merge pull request from topic", main, side)
			// The merge commit's tree: first parent plus the side's edits.
			seen := map[string]bool{}
			for i := len(sidePaths) - 1; i >= 0; i-- {
				p := sidePaths[i][0]
				if seen[p] {
					continue
				}
				seen[p] = true
				var idx int
				if _, err := fmt.Sscanf(filepath.Base(p), "page-%05d.md", &idx); err != nil {
					panic(fmt.Sprintf("generated page path %q: %v", p, err)) // paths come from pagePath
				}
				g.blob(p, g.pageBody(idx, g.revision[idx]))
			}
			continue
		}
		main = g.commit("refs/heads/main", fmt.Sprintf("Update docs (%d)", n), main, 0)
		g.editOrdinary(1 + g.rng.IntN(5))
		if o.mediaEvery > 0 && n%o.mediaEvery == 0 {
			g.media(n)
		}
		if due && resCount < o.residency {
			due = false
			rp := g.residency[resCount%len(g.residency)]
			k := resCount / len(g.residency)
			content := rp.versions[k%len(rp.versions)]
			// Later rounds touch the text slightly, as editors do.
			if round := k / len(rp.versions); round > 0 {
				content = append(append([]byte{}, content...), fmt.Sprintf("\n<!-- editorial pass %d -->\n", round)...)
			}
			path := rp.paths[0]
			if len(rp.paths) > 1 && resCount >= o.residency/2 {
				path = rp.paths[1]
				if !moved {
					moved = true
					_, _ = fmt.Fprintf(g.w, "D %s\n", rp.paths[0])
				}
			}
			g.blob(path, content)
			resCount++
		}
	}
	return nil
}
