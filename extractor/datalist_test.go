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

// draftSections is m365-dr-commitments 2022-10-01's layout: each workload
// headed by a bold label "<workload> Data Residency Commitments" (one of
// them two bold spans written edge to edge), a lead-in, then the data; an
// item that denies storing data goes on to say where it is processed.
const draftSections = `---
title: Advanced Data Residency Commitments
---

# Advanced Data Residency Commitments

**Microsoft Defender for Office P1 Data Residency Commitments**

The following customer data will be stored at rest in the \_Local Region Geography\_:

- MDO P1 does not store any customer data within its service. In addition, all processing of data that is required to analyze threats is done in a sandbox environment and performed within the \_Local Region Geography\_.

- EOP service configuration data and policies

**Viva Connections Data Residency Commitments**

The following customer data will be stored in the \_Local Region Geography\_:

- Viva Connections Dashboard and Feed can have content sourced from SharePoint Online and Microsoft Teams. All customer data sourced from these services will be stored in the \_Local Region Geography\_.

**Data lifecycle management - Records Management**** Data Residency Commitments**

The following customer data will be stored at rest in the \_Local Region Geography\_:

- Record retention label definitions
`

// TestBoldLabelSections: a bold label heading a workload's part names the
// workload (the profile's heading_subject), ends the part before it, and
// stands in the context of the claims under it; "all customer data" under
// it is the workload's; a denial does not stand for the next sentence's
// claim.
func TestBoldLabelSections(t *testing.T) {
	pg, err := Extract([]byte(draftSections), Options{Profile: m365.Profile(), Aliases: m365.Register(), Path: "microsoft-365/enterprise/m365-dr-commitments.md"})
	if err != nil {
		t.Fatal(err)
	}
	byLine := map[int]string{}
	for _, r := range pg.Records {
		byLine[r.Line] = r.Service
	}
	for line, want := range map[int]string{13: "Microsoft Defender for Office P1", 19: "Viva Connections", 25: "Data lifecycle management - Records Management"} {
		if byLine[line] != want {
			t.Errorf("record at line %d: service %q, want %q (records %v)", line, byLine[line], want, byLine)
		}
	}
	for _, c := range pg.Claims {
		if c.Line == 11 {
			if c.Disposition == NotTransfer && c.Reason == "negated" {
				t.Errorf("line 11 %q: negated, though its second sentence places the processing", c.Text)
			}
			if !strings.Contains(c.Context, "Microsoft Defender for Office P1 Data Residency Commitments") {
				t.Errorf("line 11 context %q lacks its bold label", c.Context)
			}
		}
	}
}
