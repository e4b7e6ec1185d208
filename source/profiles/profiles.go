// Package profiles names the docs-source profiles residiff ships, so that
// configuration and flags can choose one by name.
package profiles

import (
	"fmt"
	"strings"
	"sync"

	"github.com/residiff/residiff/source"
	"github.com/residiff/residiff/source/entra"
	"github.com/residiff/residiff/source/m365"
)

// Default is the profile used when none is named.
const Default = entra.Name

// Names lists the shipped profiles.
func Names() []string { return []string{entra.Name, m365.Name} }

// ByName returns a new copy of the named profile; "" means Default.
func ByName(name string) (*source.Profile, error) {
	switch name {
	case "", entra.Name:
		return entra.Profile(), nil
	case m365.Name:
		return m365.Profile(), nil
	}
	return nil, fmt.Errorf("profile %q: unknown (want %s)", name, strings.Join(Names(), ", "))
}

// shipped are the shipped profiles, parsed once and only read.
var shipped = sync.OnceValue(func() []*source.Profile {
	out := make([]*source.Profile, 0, len(Names()))
	for _, n := range Names() {
		p, err := ByName(n)
		if err != nil {
			panic(err) // a shipped profile that does not parse fails every test
		}
		out = append(out, p)
	}
	return out
})

// ScopeWording names the scope or region called name in a sentence, as the
// first shipped profile that knows the name words it ("the EU Data
// Boundary", "the Japan region", "the Multi-Geo add-on"); false when none
// does.
func ScopeWording(name string) (string, bool) {
	for _, p := range shipped() {
		if w, ok := p.ScopeWording(name); ok {
			return w, true
		}
	}
	return "", false
}
