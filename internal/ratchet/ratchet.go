// Package ratchet counts the cases of generated (metamorphic) tests per
// relation and holds each relation to a floor of cases generated and a
// ceiling of cases failing: the ceiling may only go down.
package ratchet

import (
	"sort"
	"testing"
)

// Tally counts one relation's cases.
type Tally struct {
	Generated, Failed int
	logged            []string
}

// Fail counts a failing case and keeps its message for the report.
func (tl *Tally) Fail(msg string) {
	tl.Failed++
	tl.logged = append(tl.logged, msg)
}

// Set holds the tallies of a test's relations.
type Set struct {
	tallies map[string]*Tally
}

// Case counts one more case of relation prop and returns its tally.
func (s *Set) Case(prop string) *Tally {
	tl := s.Tally(prop)
	tl.Generated++
	return tl
}

// Tally returns the tally of relation prop.
func (s *Set) Tally(prop string) *Tally {
	if s.tallies == nil {
		s.tallies = map[string]*Tally{}
	}
	tl := s.tallies[prop]
	if tl == nil {
		tl = &Tally{}
		s.tallies[prop] = tl
	}
	return tl
}

// Report logs each relation's counts and failing cases, fails t when a
// relation fails more cases than its ceiling allows or generates fewer
// than its floor, and asks for a lower ceiling (named ceilingName) when
// fewer cases fail.
func (s *Set) Report(t testing.TB, floor, ceiling map[string]int, ceilingName string) {
	t.Helper()
	var props []string
	total := 0
	for p, tl := range s.tallies {
		props = append(props, p)
		total += tl.Generated
	}
	sort.Strings(props)
	for _, p := range props {
		tl := s.tallies[p]
		t.Logf("%-12s generated %5d  passing %5d  failing %4d", p, tl.Generated, tl.Generated-tl.Failed, tl.Failed)
	}
	t.Logf("%d cases in all", total)
	for _, p := range props {
		tl := s.tallies[p]
		for _, l := range tl.logged {
			t.Log(l)
		}
		c, ok := ceiling[p]
		if !ok {
			t.Errorf("%s: no ceiling", p)
		}
		if tl.Failed > c {
			t.Errorf("%s: %d failing cases, the ratchet allows %d (the cases are logged above)", p, tl.Failed, c)
		} else if tl.Failed < c {
			t.Logf("%s: %d failing cases, fewer than the ratchet's %d: lower %s", p, tl.Failed, c, ceilingName)
		}
	}
	for p, n := range floor {
		got := 0
		if tl := s.tallies[p]; tl != nil {
			got = tl.Generated
		}
		if got < n {
			t.Errorf("%s: %d cases generated, want at least %d", p, got, n)
		}
	}
}
