// Package entra provides the Microsoft Entra ID docs-source profile: the
// residency pages of MicrosoftDocs/entra-docs (and azure-docs before the
// move) and the vocabulary they use, from the embedded data file
// profile.yaml, each entry with its provenance.
package entra

import (
	_ "embed"

	"github.com/residiff/residiff/serviceid"
	"github.com/residiff/residiff/source"
)

// Name is the profile's name in configuration and state.
const Name = "entra"

//go:embed profile.yaml
var data []byte

// Profile returns a new copy of the Entra ID profile.
func Profile() *source.Profile { return source.MustParse(data) }

// Register returns a new service register holding the profile's aliases.
func Register() *serviceid.Register { return serviceid.MustNew(Profile()) }
