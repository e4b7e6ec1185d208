package extractor

import (
	"strings"
	"testing"

	"github.com/residiff/residiff/source/m365"
)

// countryTable is m365-dr-overview 2022-09-30's Table 3 cut to a few rows
// and columns (one cell changed to a code the legend does not explain),
// with its legend.
const countryTable = `---
title: Overview and Definitions
---

# Overview and Definitions

**Table 3: Available Data Residency by Country**

|   | Exchange Online  | Teams  | MDO P1  |
| --- | --- | --- | --- |
| Australia  | P-M-A  | P-M-A  | A  |
| United States  | P-M  | P-M  | -  |
| Poland (future)  | M-A  | M-A  | A  |
| Canada  | P-M-A  | P-M-Q  | A  |

P=Product Terms Data Residency M=Multi-Geo Data Residency A=Advanced Data Residency
`

// TestCodeTable: each letter of a cell is a record of the column's
// service in the scope the page's legend gives it, for the row's
// geography; a row not in force yet makes none, a dash none, and a code
// the legend does not explain is a warning, never a record.
func TestCodeTable(t *testing.T) {
	pg, err := Extract([]byte(countryTable), Options{Profile: m365.Profile(), Aliases: m365.Register(), Path: "microsoft-365/enterprise/m365-dr-overview.md"})
	if err != nil {
		t.Fatal(err)
	}
	short := strings.NewReplacer("Product Terms", "P", "Multi-Geo", "M", "Advanced Data Residency", "A")
	var got []string
	for _, r := range pg.Records {
		got = append(got, r.ServiceID+"/"+short.Replace(r.Scope)+"/"+r.SubScope+"/"+string(r.Category))
	}
	want := []string{
		"exchangeonline/P/Australia/in_region", "exchangeonline/M/Australia/in_region", "exchangeonline/A/Australia/in_region",
		"microsoftteams/P/Australia/in_region", "microsoftteams/M/Australia/in_region", "microsoftteams/A/Australia/in_region",
		"microsoftdefenderforofficep1/A/Australia/in_region",
		"exchangeonline/P/United States/in_region", "exchangeonline/M/United States/in_region",
		"microsoftteams/P/United States/in_region", "microsoftteams/M/United States/in_region",
		"exchangeonline/P/Canada/in_region", "exchangeonline/M/Canada/in_region", "exchangeonline/A/Canada/in_region",
		"microsoftdefenderforofficep1/A/Canada/in_region",
	}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("records\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	warned := false
	for _, w := range pg.Warnings {
		if strings.Contains(w.Message, `"P-M-Q"`) {
			warned = true
		}
	}
	if !warned {
		t.Errorf("no warning for the code the legend does not explain; warnings: %+v", pg.Warnings)
	}
}

// TestCodeTableNeedsLegend: without a legend that names the profile's
// scopes, letters are not read as scopes.
func TestCodeTableNeedsLegend(t *testing.T) {
	src := strings.Replace(countryTable, "P=Product Terms Data Residency M=Multi-Geo Data Residency A=Advanced Data Residency", "P, M and A are the options.", 1)
	pg, err := Extract([]byte(src), Options{Profile: m365.Profile(), Aliases: m365.Register(), Path: "microsoft-365/enterprise/m365-dr-overview.md"})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range pg.Records {
		if r.SubScope != "" {
			t.Errorf("record %+v from a table without a legend", r)
		}
	}
}
