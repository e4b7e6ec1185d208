package extractor

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/residiff/residiff/source/entra"
)

// TestMain lets the test binary stand in for residiff as a parse worker.
func TestMain(m *testing.M) {
	if len(os.Args) > 1 && os.Args[1] == WorkerArg {
		os.Exit(ServeWorker(os.Args[2:], os.Stdin, os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

// worker is this test binary, serving WorkerArg.
func worker(t *testing.T) string {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Skip(err)
	}
	return exe
}

// hostilePages are the pages of issue 23 that cost goldmark gigabytes or
// minutes.
func hostilePages() map[string]string {
	header := "| " + strings.Repeat("c | ", 1000) + "\n|" + strings.Repeat("---|", 1000) + "\n"
	rows := func(size int) string {
		var b strings.Builder
		b.WriteString("# Japan\n\n" + header)
		for i := 0; b.Len() < size; i++ {
			b.WriteString("row without a pipe\n")
		}
		return b.String()
	}
	return map[string]string{
		"pipeless table 43 KB":  rows(43 << 10),
		"pipeless table 223 KB": rows(223 << 10),
		"emphasis run":          "# Japan\n\n" + strings.Repeat("*a_", 100_000) + "\n",
		"list markers":          "# Japan\n\n" + strings.Repeat("- ", 100_000) + "x\n",
	}
}

// TestHostilePagesPreScan: with the default limits the pre-scan refuses
// each hostile page at once, naming the limit.
func TestHostilePagesPreScan(t *testing.T) {
	want := map[string]string{
		"pipeless table 43 KB":  "limits.table_cells",
		"pipeless table 223 KB": "limits.table_cells",
		"emphasis run":          "limits.delimiters",
		"list markers":          "limits.nesting",
	}
	for name, page := range hostilePages() {
		t.Run(name, func(t *testing.T) {
			start := time.Now()
			p, err := Extract([]byte(page), Options{Profile: entra.Profile(), Path: "p.md", Limits: Limits{Worker: worker(t)}})
			if err != nil {
				t.Fatal(err)
			}
			if len(p.Warnings) != 1 || p.Warnings[0].Kind != UnrecognisedPage || !strings.Contains(p.Warnings[0].Message, want[name]) {
				t.Errorf("warnings %+v, want one unrecognised_page naming %s", p.Warnings, want[name])
			}
			if d := time.Since(start); d > time.Second {
				t.Errorf("took %s", d)
			}
		})
	}
}

// TestWorkerStopsParse: with the pre-scan's limits raised out of the way,
// the parse itself is stopped — by the worker's time limit or its memory
// ceiling — and the page is a warning naming that limit, in little more
// than the limit.
func TestWorkerStopsParse(t *testing.T) {
	pages := hostilePages()
	loose := Limits{Worker: worker(t), MaxTableCells: 1 << 40, MaxNesting: 1 << 30, MaxDelimiters: 1 << 30}
	tests := []struct {
		page   string
		limits func(Limits) Limits
		want   string
	}{
		{"emphasis run", func(l Limits) Limits { l.MaxDuration = time.Second; return l }, "limits.page_seconds"},
		{"pipeless table 223 KB", func(l Limits) Limits { l.MaxDuration = 30 * time.Second; l.MaxMemory = 200 << 20; return l }, "limits.page_memory_mb"},
	}
	for _, tt := range tests {
		t.Run(tt.page, func(t *testing.T) {
			l := tt.limits(loose)
			start := time.Now()
			p, err := Extract([]byte(pages[tt.page]), Options{Profile: entra.Profile(), Path: "p.md", Limits: l})
			if err != nil {
				t.Fatal(err)
			}
			if len(p.Warnings) != 1 || !strings.Contains(p.Warnings[0].Message, tt.want) || len(p.Records) != 0 {
				t.Errorf("warnings %+v, want one naming %s", p.Warnings, tt.want)
			}
			if p.OverBudget() {
				t.Error("a page the worker stopped is not remembered (OverBudget)")
			}
			if d := time.Since(start); d > l.MaxDuration+5*time.Second {
				t.Errorf("took %s, limit %s", d, l.MaxDuration)
			}
		})
	}
}

// TestWorkerPassesRealPages: a large real page goes through the worker
// and reads exactly as in process.
func TestWorkerPassesRealPages(t *testing.T) {
	src, err := os.ReadFile("../fixtures/corpus/data-residency/2022-12-05.md")
	if err != nil {
		t.Fatal(err)
	}
	big := append(append([]byte{}, src...), []byte("\n\n"+strings.Repeat("Padding prose of no interest.\n", 2000))...)
	if len(big) <= workerBytes {
		t.Fatal("the page is not large enough to go to the worker")
	}
	if why, suspicious := DefaultLimits().scan(big); why != "" || !suspicious {
		t.Fatalf("scan: %q, suspicious %v", why, suspicious)
	}
	in, err := Extract(big, Options{Profile: entra.Profile(), Path: "p.md"})
	if err != nil {
		t.Fatal(err)
	}
	out, err := Extract(big, Options{Profile: entra.Profile(), Path: "p.md", Limits: Limits{Worker: worker(t)}})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Records) == 0 || len(out.Records) != len(in.Records) || len(out.Warnings) != len(in.Warnings) {
		t.Errorf("through the worker %d records, %d warnings; in process %d, %d", len(out.Records), len(out.Warnings), len(in.Records), len(in.Warnings))
	}
	// A worker that cannot start leaves the page to the in-process parse.
	gone, err := Extract(big, Options{Profile: entra.Profile(), Path: "p.md", Limits: Limits{Worker: "/nonexistent/residiff"}})
	if err != nil || len(gone.Records) != len(in.Records) {
		t.Errorf("without a worker: %d records, %v", len(gone.Records), err)
	}
}
