package extractor

import (
	"bytes"
	"fmt"
	"strings"
	"time"
)

// Limits bound the work one page version may cause. A page beyond them is
// not parsed: it yields an unrecognised_page warning that names the limit,
// so a hostile or broken upstream edit costs a warning, never hours or
// gigabytes, never a wedge.
//
// Two guards enforce them. The pre-scan (check) counts, on the raw text,
// what goldmark struggles with: it pads every row of a table to the
// header's width (and a table goes on to the next blank line, pipes or
// not), nests a list per marker (however many stand on one line), matches
// runs of emphasis delimiters pairwise and backtracks over open brackets.
// Then a page the pre-scan finds large or suspicious is parsed first in a
// worker process (Worker) under a wall-clock limit (MaxDuration) and a
// memory ceiling (MaxMemory): what goldmark does with a page no pre-scan
// foresaw is bounded too.
type Limits struct {
	// MaxBytes is the largest page read.
	MaxBytes int
	// MaxTableCells bounds a table's header width times its rows.
	MaxTableCells int
	// MaxNesting bounds list and blockquote nesting.
	MaxNesting int
	// MaxOpenBrackets bounds the "[" and "(" left open at once.
	MaxOpenBrackets int
	// MaxDelimiters bounds the runs of "*" and "_" in one block (text
	// between blank lines): goldmark pairs them in quadratic time.
	MaxDelimiters int
	// MaxDuration bounds the wall-clock time of reading one page: the
	// parse in the worker, and the reading checked between blocks. A
	// page that takes longer is not read (nothing of it, so its services
	// drift rather than leave).
	MaxDuration time.Duration
	// MaxMemory bounds, in bytes, the memory the worker's parse of one
	// page may use.
	MaxMemory int
	// Worker is the path of a residiff executable that serves WorkerArg
	// (the running binary, os.Executable()); "" parses every page in
	// process, guarded by the pre-scan alone.
	Worker string
}

// overBudget starts every warning of a page abandoned for its time.
const overBudget = "the page was not read: reading it took longer than"

// OverBudget reports whether p was abandoned for taking longer than its
// time limit: a result of the machine's speed as much as of the page, so
// not one to keep.
func (p *Page) OverBudget() bool {
	for _, w := range p.Warnings {
		if w.Kind == UnrecognisedPage && strings.HasPrefix(w.Message, overBudget) {
			return true
		}
	}
	return false
}

// DefaultLimits are generous for real residency pages (a few kilobytes,
// tables of tens of cells, three levels of nesting).
func DefaultLimits() Limits {
	return Limits{MaxBytes: 2 << 20, MaxTableCells: 20_000, MaxNesting: 16, MaxOpenBrackets: 2_000, MaxDelimiters: 5_000,
		MaxDuration: 10 * time.Second, MaxMemory: 512 << 20}
}

// orDefaults is l with its zero fields set to DefaultLimits'.
func (l Limits) orDefaults() Limits {
	d := DefaultLimits()
	for _, f := range []struct{ v, d *int }{{&l.MaxBytes, &d.MaxBytes}, {&l.MaxTableCells, &d.MaxTableCells},
		{&l.MaxNesting, &d.MaxNesting}, {&l.MaxOpenBrackets, &d.MaxOpenBrackets},
		{&l.MaxDelimiters, &d.MaxDelimiters}, {&l.MaxMemory, &d.MaxMemory}} {
		if *f.v <= 0 {
			*f.v = *f.d
		}
	}
	if l.MaxDuration <= 0 {
		l.MaxDuration = d.MaxDuration
	}
	return l
}

// check reports the first limit src exceeds, or "": the pre-scan, then,
// for a page it finds large or close to a limit, the parse in the worker.
func (l Limits) check(src []byte) string {
	why, suspicious := l.scan(src)
	if why != "" || !suspicious || l.Worker == "" {
		return why
	}
	return l.isolate(src)
}

// workerBytes is the size from which a page is parsed in the worker
// first: real residency pages are a few kilobytes (the largest of the
// corpus 16 KB).
const workerBytes = 32 << 10

// scan is the pre-scan: the first limit src exceeds, or "", and whether
// the page is large or past a quarter of a limit (suspicious: parsed in
// the worker first).
func (l Limits) scan(src []byte) (why string, suspicious bool) {
	if len(src) > l.MaxBytes {
		return fmt.Sprintf("%d bytes (limit %d: limits.page_bytes)", len(src), l.MaxBytes), true
	}
	suspicious = len(src) > workerBytes
	near := func(v, limit int) {
		if 4*v > limit {
			suspicious = true
		}
	}
	openSquare, openRound := 0, 0
	// A table (or what goldmark may take for one) runs from a line with
	// a pipe to the next blank line; it is as wide as its widest line.
	tableWidth, tableRows := 0, 0
	// Runs of emphasis delimiters in the current block.
	delimiters := 0
	for rest := src; len(rest) > 0; {
		line := rest
		if i := bytes.IndexByte(rest, '\n'); i >= 0 {
			line, rest = rest[:i], rest[i+1:]
		} else {
			rest = nil
		}
		if len(bytes.TrimSpace(line)) == 0 {
			tableWidth, tableRows, delimiters = 0, 0, 0
			continue
		}
		// Nesting: blockquote markers, list markers (however many on
		// one line) and indentation.
		depth, indent := lineNesting(line)
		if depth+indent/2 > 2*l.MaxNesting || depth > l.MaxNesting {
			return fmt.Sprintf("nesting deeper than %d (limits.nesting)", l.MaxNesting), true
		}
		near(depth, l.MaxNesting)
		// Tables.
		if pipes := bytes.Count(line, []byte("|")); pipes > 0 || tableRows > 0 {
			tableWidth = max(tableWidth, pipes+1)
			tableRows++
			if tableWidth*tableRows > l.MaxTableCells {
				return fmt.Sprintf("a table of more than %d cells (limits.table_cells)", l.MaxTableCells), true
			}
			near(tableWidth*tableRows, l.MaxTableCells)
		}
		// Emphasis delimiter runs.
		if bytes.IndexByte(line, '*') >= 0 || bytes.IndexByte(line, '_') >= 0 { // ContainsAny, byte by byte
			for i := 0; i < len(line); i++ {
				if c := line[i]; c == '*' || c == '_' {
					delimiters++
					for i+1 < len(line) && line[i+1] == c {
						i++
					}
				}
			}
			if delimiters > l.MaxDelimiters {
				return fmt.Sprintf("more than %d runs of emphasis delimiters in one block (limits.delimiters)", l.MaxDelimiters), true
			}
			near(delimiters, l.MaxDelimiters)
		}
		if !hasBracket(line) {
			continue
		}
		for _, c := range line {
			switch c {
			case '[':
				openSquare++
			case ']':
				openSquare = max(openSquare-1, 0)
			case '(':
				openRound++
			case ')':
				openRound = max(openRound-1, 0)
			}
		}
		if openSquare > l.MaxOpenBrackets || openRound > l.MaxOpenBrackets {
			return fmt.Sprintf("more than %d unclosed brackets (limits.open_brackets)", l.MaxOpenBrackets), true
		}
		near(max(openSquare, openRound), l.MaxOpenBrackets)
	}
	return "", suspicious
}

// lineNesting is the nesting a line opens: its blockquote and list markers
// (goldmark nests a list per marker, "- - - x" three deep) and its
// indentation in columns.
func lineNesting(line []byte) (depth, indent int) {
	i := 0
	for i < len(line) {
		switch c := line[i]; {
		case c == ' ':
			indent++
			i++
		case c == '\t':
			indent += 4
			i++
		case c == '>':
			depth++
			i++
		case (c == '-' || c == '*' || c == '+') && (i+1 == len(line) || line[i+1] == ' ' || line[i+1] == '\t'):
			depth++
			i++
		case c >= '0' && c <= '9':
			j := i
			for j < len(line) && j-i < 9 && line[j] >= '0' && line[j] <= '9' {
				j++
			}
			if j < len(line) && (line[j] == '.' || line[j] == ')') && (j+1 == len(line) || line[j+1] == ' ' || line[j+1] == '\t') {
				depth++
				i = j + 1
				continue
			}
			return depth, indent
		default:
			return depth, indent
		}
	}
	return depth, indent
}

// hasBracket is bytes.ContainsAny(line, "[]()"), each byte looked for with
// IndexByte (ContainsAny reads the line a byte at a time).
func hasBracket(line []byte) bool {
	return bytes.IndexByte(line, '[') >= 0 || bytes.IndexByte(line, ']') >= 0 ||
		bytes.IndexByte(line, '(') >= 0 || bytes.IndexByte(line, ')') >= 0
}
