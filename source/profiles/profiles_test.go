package profiles

import (
	"slices"
	"testing"
)

// TestByName: every shipped profile is found by its name, "" is the
// default, and an unknown name is an error that lists the known ones.
func TestByName(t *testing.T) {
	names := Names()
	if !slices.Contains(names, "entra") || !slices.Contains(names, "m365") {
		t.Fatalf("Names() = %v, want entra and m365", names)
	}
	for _, n := range names {
		p, err := ByName(n)
		if err != nil || p.Name != n {
			t.Errorf("ByName(%q) = %v, %v", n, p, err)
		}
	}
	if p, err := ByName(""); err != nil || p.Name != Default {
		t.Errorf("ByName(\"\") = %v, %v; want %s", p, err, Default)
	}
	if _, err := ByName("nimbus"); err == nil {
		t.Error("ByName(nimbus) accepted an unknown profile")
	}
}
