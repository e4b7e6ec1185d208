package extractor

import (
	"strings"
	"testing"

	"github.com/residiff/residiff/source/m365"
)

// workloadSections is m365-dr-commitments 2024-02-29's workload sections:
// a heading naming the workload, a lead-in saying where the data rests,
// then a list of the data — one item denying any is read as prose.
const workloadSections = `---
title: Advanced Data Residency Commitments
---

# Advanced Data Residency Commitments

## Microsoft Teams

The following customer data is stored at rest in the _Local Region Geography_:

- Microsoft Teams chat messages (including private messages, channel messages, meeting messages and images used in chats), and, for customers using Microsoft Stream (on SharePoint), meeting recordings

## Microsoft Defender for Office P1

The following customer data is stored at rest in the _Local Region Geography_:

- MDO P1 doesn't store any customer data within its service.
`

// TestDataList: a lead-in the profile calls a list of data makes the items
// the data of the section's workload, at rest where the lead-in says.
func TestDataList(t *testing.T) {
	pg, err := Extract([]byte(workloadSections), Options{Profile: m365.Profile(), Aliases: m365.Register(), Path: "microsoft-365/enterprise/m365-dr-commitments.md"})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range pg.Records {
		got = append(got, r.ServiceID+"/"+r.Scope+"/"+string(r.Category)+"/"+r.LocationAtRest+"/"+r.DataTypes)
	}
	want := "microsoftteams/Advanced Data Residency/in_region/Local Region Geography/Microsoft Teams chat messages (including private messages, channel messages, meeting messages and images used in chats), and, for customers using Microsoft Stream (on SharePoint), meeting recordings"
	if strings.Join(got, " | ") != want {
		t.Errorf("records = %q\nwant %q", got, want)
	}
	for _, w := range pg.Warnings {
		if strings.Contains(w.Message, "Microsoft Teams") {
			t.Errorf("warning on the Teams section: %s", w.Message)
		}
	}
}
