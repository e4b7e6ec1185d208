// Package profiles names the docs-source profiles residiff ships, so that
// configuration and flags can choose one by name.
package profiles

import (
	"fmt"
	"strings"

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
