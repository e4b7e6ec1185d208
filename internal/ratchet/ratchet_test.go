package ratchet

import (
	"fmt"
	"strings"
	"testing"
)

// recorder keeps what Report says.
type recorder struct {
	testing.TB
	errors, logs []string
}

func (r *recorder) Helper()                   {}
func (r *recorder) Log(a ...any)              { r.logs = append(r.logs, fmt.Sprint(a...)) }
func (r *recorder) Logf(f string, a ...any)   { r.logs = append(r.logs, fmt.Sprintf(f, a...)) }
func (r *recorder) Errorf(f string, a ...any) { r.errors = append(r.errors, fmt.Sprintf(f, a...)) }

func TestReport(t *testing.T) {
	for _, tc := range []struct {
		name           string
		failing        int
		floor, ceiling int
		wantErr        string
		wantLog        string
	}{
		{"within", 1, 3, 1, "", "failing    1"},
		{"over the ceiling", 2, 3, 1, "2 failing cases, the ratchet allows 1", ""},
		{"under the ceiling", 0, 3, 1, "", "lower theCeiling"},
		{"under the floor", 0, 4, 0, "3 cases generated, want at least 4", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var s Set
			for i := 0; i < 3; i++ {
				tl := s.Case("rel")
				if i < tc.failing {
					tl.Fail(fmt.Sprintf("case %d", i))
				}
			}
			r := &recorder{}
			s.Report(r, map[string]int{"rel": tc.floor}, map[string]int{"rel": tc.ceiling}, "theCeiling")
			errs, logs := strings.Join(r.errors, "\n"), strings.Join(r.logs, "\n")
			if tc.wantErr == "" && errs != "" || !strings.Contains(errs, tc.wantErr) {
				t.Errorf("errors %q, want %q", errs, tc.wantErr)
			}
			if !strings.Contains(logs, tc.wantLog) {
				t.Errorf("logs %q, want %q", logs, tc.wantLog)
			}
			if tc.failing > 0 && !strings.Contains(logs, "case 0") {
				t.Errorf("the failing case is not logged: %q", logs)
			}
		})
	}
	var s Set
	s.Case("other")
	r := &recorder{}
	s.Report(r, nil, map[string]int{}, "c")
	if !strings.Contains(strings.Join(r.errors, "\n"), "other: no ceiling") {
		t.Errorf("a relation with no ceiling passes: %q", r.errors)
	}
}
