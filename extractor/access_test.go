package extractor

import (
	"fmt"
	"strings"
	"testing"

	"github.com/residiff/residiff/source/entra"
)

// TestAccessIsNoStorage: a place named in a clause that says who may
// reach the data (the profile's access_verbs: "can be shared with users
// in …", "accessed from …") is where those people are, not where the data
// rests (BLIND3 class 8: OneDrive's personal files "kept in that
// Satellite Geography location, though they can be shared with users in
// other … locations" were read as resting in those other places too). A
// data verb after the clause places data again.
func TestAccessIsNoStorage(t *testing.T) {
	const head = "# Customer data storage for European customers\n\n## Microsoft Entra ID\n\n"
	for _, tc := range []struct {
		name, sentence string
		want           string // category|location_at_rest|processing
	}{
		{"shared with users elsewhere", "Files are stored in EU datacenters, though they can be shared with users in the United States.",
			"in_region|Europe|"},
		{"shared with users in a list of places", "Files are stored in EU datacenters, though they can be shared with users in the United States, Asia or Australia.",
			"in_region|Europe|"},
		{"accessed from elsewhere", "Reports are kept in EU datacenters and can be accessed from the United States by support engineers.",
			"in_region|Europe|"},
		{"a data verb after the clause", "Files are kept in EU datacenters, shared with users in Asia, and replicated to the United States.",
			"outside|United States|"},
		{"no access clause", "Files are stored in EU datacenters and replicated to the United States.",
			"outside|United States|"},
		{"an adjective opens no clause", "Shared files are stored in the United States.",
			"outside|United States|"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := Extract([]byte(head+tc.sentence+"\n"), Options{Profile: entra.Profile()})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, r := range p.Records {
				got = append(got, fmt.Sprintf("%s|%s|%s", r.Category, r.LocationAtRest, r.Processing))
			}
			if strings.Join(got, "\n") != tc.want {
				t.Errorf("records:\n%s\nwant:\n%s", strings.Join(got, "\n"), tc.want)
			}
		})
	}
}

// TestAccessIsNoStorageM365 is the SharePoint page's own paragraph under
// its Multi-Geo section (m365-dr-workload-spo 2024-02-29 l.117).
func TestAccessIsNoStorageM365(t *testing.T) {
	src := "# Data Residency for SharePoint and OneDrive\n\n## Multi-Geo add-on\n\n### OneDrive\n\n" +
		"Each user's OneDrive can be provisioned in or moved by an administrator to a _Satellite Geography_ location in accordance with the user's PDL. " +
		"Personal files are then kept in that _Satellite Geography_ location, though they can be shared with users in other _Macro Region Geography_ or _Local Region Geography_ locations.\n"
	if got, want := m365Records(t, "m365-dr-workload-spo.md", src), "Multi-Geo | in_region | Satellite Geography"; got != want {
		t.Errorf("records:\n%s\nwant:\n%s", got, want)
	}
}
