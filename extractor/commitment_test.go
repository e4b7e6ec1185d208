package extractor

import (
	"strings"
	"testing"

	"github.com/residiff/residiff/source/m365"
)

// productTerms is m365-dr-product-terms-dr 2025-02-11.2's table of the
// services the Product Terms cover, with one cell reworded to a wording the
// profile does not know.
const productTerms = `---
title: Overview of Product Terms Data Residency
---

# Overview of Product Terms Data Residency

## Product Terms

Services covered by the _Microsoft Privacy and Security Product Terms_ are:

| Service | Date Added to Privacy and Security Terms |
|:-----|:-----|
|Exchange Online |Always Included |
|SharePoint |Always Included |
|Microsoft Teams |Added November 1, 2022 |
|Microsoft 365 Copilot |Planned for 2026 |
`

// TestCommitmentColumn: a commitment column's cells are commitments and
// their dates, not places; a cell the profile does not know is a warning.
func TestCommitmentColumn(t *testing.T) {
	p := m365.Profile()
	pg, err := Extract([]byte(productTerms), Options{Profile: p, Aliases: m365.Register(), Path: "microsoft-365/enterprise/m365-dr-product-terms-dr.md"})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range pg.Records {
		got = append(got, r.ServiceID+"/"+r.Scope+"/"+string(r.Category)+"/"+r.From)
	}
	want := "exchangeonline/Product Terms/in_region/ sharepoint/Product Terms/in_region/ microsoftteams/Product Terms/in_region/2022-11-01"
	if strings.Join(got, " ") != want {
		t.Errorf("records = %v\nwant %s", got, want)
	}
	var warned bool
	for _, w := range pg.Warnings {
		if strings.Contains(w.Message, "Always Included") || strings.Contains(w.Message, "Added November") {
			t.Errorf("warning on a commitment cell: %s", w.Message)
		}
		if strings.Contains(w.Message, "Planned for 2026") {
			warned = true
		}
	}
	if !warned {
		t.Errorf("no warning for the cell the profile does not know; warnings: %+v", pg.Warnings)
	}
}

// workloadTable is m365-dr-overview 2024-02-29's Table 2 (a row cut, one
// cell changed to a value the profile does not know): each column is one
// scope, "X" puts the row's service in it, "-" leaves it out.
const workloadTable = `---
title: Overview and Definitions
---

# Overview and Definitions

#### **Table 2: Available Data Residency by Workload**

| Service Name | Product Terms | Multi-Geo | ADR |
|:-----|:-----|:-----|:-----|
|Exchange Online |X<sup>1</sup> |X<sup>2</sup> |X<sup>3</sup> |
| Microsoft 365 Copilot |X<sup>1</sup> |X<sup>2</sup> |X<sup>3</sup> |
| Office for the Web |- |- |X<sup>3</sup> |
| Viva Topics |- |Soon |X<sup>3</sup> |
`

// TestScopeColumns: a table whose columns are headed by scopes holds one
// in-region record per marked cell, in that column's scope; a dash is no
// record and an unknown value a warning, never a record.
func TestScopeColumns(t *testing.T) {
	p := m365.Profile()
	pg, err := Extract([]byte(workloadTable), Options{Profile: p, Aliases: m365.Register(), Path: "microsoft-365/enterprise/m365-dr-overview.md"})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range pg.Records {
		got = append(got, r.ServiceID+"/"+r.Scope+"/"+string(r.Category))
	}
	want := "exchangeonline/Product Terms/in_region exchangeonline/Multi-Geo/in_region exchangeonline/Advanced Data Residency/in_region " +
		"copilot/Product Terms/in_region copilot/Multi-Geo/in_region copilot/Advanced Data Residency/in_region " +
		"officefortheweb/Advanced Data Residency/in_region vivatopics/Advanced Data Residency/in_region"
	if strings.Join(got, " ") != want {
		t.Errorf("records = %v\nwant %s", got, want)
	}
	warned := false
	for _, w := range pg.Warnings {
		if strings.Contains(w.Message, `"Soon"`) {
			warned = true
		}
	}
	if !warned {
		t.Errorf("no warning for the cell the profile does not know; warnings: %+v", pg.Warnings)
	}
}

// TestBoldServiceItem: a list item that opens with a bold service label is
// that service's entry, as the paragraph would be; places the data may be
// "anywhere within" are an area, not the customer's choice of one.
func TestBoldServiceItem(t *testing.T) {
	const head = "---\ntitle: Overview of Product Terms Data Residency\n---\n\n# Overview of Product Terms Data Residency\n\n## Product Terms Data Residency for Educational Customers\n\nThe language at the time of writing this article is:\n\n"
	for _, tc := range []struct {
		name, item, want string
	}{
		{"anywhere within two places, one outside: outside",
			"- **Office 365 Education:** If Customer is provisioned outside of the EU or EFTA, and Customer has an Office 365 Education subscription but has not purchased an Advanced Data Residency for Education add-on, then notwithstanding the \"Location of Customer Data at Rest for Core Online Services\" section of the Product Terms, Microsoft may provision Customer's Office 365 Education tenant in, transfer Customer Data to, and store Customer Data at rest anywhere within the European Union or North America.",
			"Office 365 Education/Product Terms/outside"},
		{"in one of two places, where the customer provisions: in the region",
			"- **Office 365 Education:** Microsoft stores Customer Data at rest in the European Union or the United States.",
			"Office 365 Education/Product Terms/in_region"},
		{"a clause's name is no service: no record",
			"- **Office 365 Services** If Customer provisions its tenant in France, Microsoft stores the following Customer Data at rest only within that Geo.",
			""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			pg, err := Extract([]byte(head+tc.item+"\n"), Options{Profile: m365.Profile(), Aliases: m365.Register(), Path: "microsoft-365/enterprise/m365-dr-product-terms-dr.md"})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, r := range pg.Records {
				got = append(got, r.Service+"/"+r.Scope+"/"+string(r.Category))
			}
			if strings.Join(got, " ") != tc.want {
				t.Errorf("records %v, want %q", got, tc.want)
			}
		})
	}
}

// TestTermsList: after a lead-in naming one commitment, a plain "Online
// Services:" item puts each service in it since the date after it; the
// other items make no record; a lead-in naming no commitment makes none.
func TestTermsList(t *testing.T) {
	const page = "---\ntitle: Overview of Product Terms Data Residency\n---\n\n# Overview of Product Terms Data Residency\n\n" +
		"Microsoft Privacy and Security product terms included with Microsoft's Cloud product terms provides data residency commitment with the following scope:\n\n" +
		"1. Online Services: Exchange Online, SharePoint,  Microsoft Teams (as of November 1, 2022) and Copilot for Microsoft 365 (as of March 1, 2024).\n" +
		"2. Commitments period: The length of the customers contract with Microsoft. Typically, this is 1-3 years.\n" +
		"3. Country/regions included: Australia, Brazil, Canada and the European Union.\n"
	for _, tc := range []struct {
		name, src, want string
	}{
		{"the services item of the terms", page,
			"exchangeonline/Product Terms/ sharepoint/Product Terms/ microsoftteams/Product Terms/2022-11-01 copilot/Product Terms/2024-03-01"},
		{"a lead-in naming no commitment", strings.Replace(page, "Microsoft Privacy and Security product terms included with Microsoft's Cloud product terms provides", "Our agreements provide", 1), ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			pg, err := Extract([]byte(tc.src), Options{Profile: m365.Profile(), Aliases: m365.Register(), Path: "microsoft-365/enterprise/m365-dr-product-terms-dr.md"})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, r := range pg.Records {
				got = append(got, r.ServiceID+"/"+r.Scope+"/"+r.From)
			}
			if strings.Join(got, " ") != tc.want {
				t.Errorf("records %v, want %q", got, tc.want)
			}
		})
	}
}
