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
// gigabytes, never a wedge. goldmark pads every table row to the header's
// width and backtracks over runs of unclosed brackets; these are checked on
// the raw text first.
type Limits struct {
	// MaxBytes is the largest page read.
	MaxBytes int
	// MaxTableCells bounds a table's header width times its rows.
	MaxTableCells int
	// MaxNesting bounds list and blockquote nesting.
	MaxNesting int
	// MaxOpenBrackets bounds the "[" and "(" left open at once.
	MaxOpenBrackets int
	// MaxDuration bounds the wall-clock time of reading one page, checked
	// between its blocks: a page that takes longer is not read (nothing
	// of it, so its services drift rather than leave).
	MaxDuration time.Duration
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
	return Limits{MaxBytes: 2 << 20, MaxTableCells: 20_000, MaxNesting: 16, MaxOpenBrackets: 2_000, MaxDuration: 10 * time.Second}
}

// orDefaults is l with its zero fields set to DefaultLimits'.
func (l Limits) orDefaults() Limits {
	d := DefaultLimits()
	for _, f := range []struct{ v, d *int }{{&l.MaxBytes, &d.MaxBytes}, {&l.MaxTableCells, &d.MaxTableCells},
		{&l.MaxNesting, &d.MaxNesting}, {&l.MaxOpenBrackets, &d.MaxOpenBrackets}} {
		if *f.v <= 0 {
			*f.v = *f.d
		}
	}
	if l.MaxDuration <= 0 {
		l.MaxDuration = d.MaxDuration
	}
	return l
}

// check reports the first limit src exceeds, or "".
func (l Limits) check(src []byte) string {
	if len(src) > l.MaxBytes {
		return fmt.Sprintf("%d bytes (limit %d: limits.page_bytes)", len(src), l.MaxBytes)
	}
	openSquare, openRound := 0, 0
	tableWidth, tableRows := 0, 0
	for rest := src; len(rest) > 0; {
		line := rest
		if i := bytes.IndexByte(rest, '\n'); i >= 0 {
			line, rest = rest[:i], rest[i+1:]
		} else {
			rest = nil
		}
		// Nesting: blockquote markers and indentation of list items.
		depth, indent := 0, 0
		for _, c := range line {
			switch c {
			case '>':
				depth++
				continue
			case ' ':
				indent++
				continue
			case '\t':
				indent += 4
				continue
			}
			break
		}
		if depth+indent/2 > 2*l.MaxNesting {
			return fmt.Sprintf("nesting deeper than %d (limits.nesting)", l.MaxNesting)
		}
		// Tables: cells of consecutive lines with pipes.
		if pipes := bytes.Count(line, []byte("|")); pipes > 0 {
			if tableRows == 0 {
				tableWidth = pipes + 1
			}
			tableRows++
			if tableWidth*tableRows > l.MaxTableCells {
				return fmt.Sprintf("a table of more than %d cells (limits.table_cells)", l.MaxTableCells)
			}
		} else {
			tableRows = 0
		}
		if !bytes.ContainsAny(line, "[]()") {
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
			return fmt.Sprintf("more than %d unclosed brackets (limits.open_brackets)", l.MaxOpenBrackets)
		}
	}
	return ""
}
