// Package m365 provides the Microsoft 365 docs-source profile: the
// data-residency pages of MicrosoftDocs/microsoft-365-docs under
// microsoft-365/enterprise/ (advanced data residency, the m365-dr-* pages,
// the data-locations pages) and the vocabulary they use — geographies,
// commitments (Product Terms, Advanced Data Residency, Multi-Geo),
// workloads and their aliases — from the embedded data file profile.yaml,
// each entry with its provenance.
package m365

import (
	_ "embed"

	"github.com/residiff/residiff/serviceid"
	"github.com/residiff/residiff/source"
)

// Name is the profile's name in configuration and state.
const Name = "m365"

//go:embed profile.yaml
var data []byte

// Profile returns a new copy of the Microsoft 365 profile.
func Profile() *source.Profile { return source.MustParse(data) }

// Register returns a new service register holding the profile's aliases.
func Register() *serviceid.Register { return serviceid.MustNew(Profile()) }
