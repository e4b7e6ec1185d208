package extractor

import (
	"strings"
	"testing"

	"github.com/residiff/residiff/source/m365"
)

// TestOwnCustomers: a sentence that names the customers its data is for
// ("for tenants in <scope/place>") is judged against where they are: data
// kept within their own scope or place is in region, data kept elsewhere
// stays outside (BLIND2.md class 9).
func TestOwnCustomers(t *testing.T) {
	const head = "# Data Residency for Other Microsoft 365 Services\n\n## Viva Goals\n\n### Data Residency Available\n\n"
	tests := []struct{ name, text, want string }{
		{"data in the customers' scope", "Viva Goals Customer Data for new tenants in the EU Data Boundary will be stored in data centers located in the EU.", "EU Data Boundary | in_region | European Union"},
		{"data in the customers' country", "Viva Goals Customer Data for tenants in Canada will be stored in data centers located in Canada.", "Local Region Geography | in_region | Canada"},
		{"data elsewhere than the customers' scope", "Viva Goals Customer Data for new tenants in the EU Data Boundary will be stored in data centers located in the United States.", "EU Data Boundary | outside | United States"},
		{"no customers named", "Viva Goals Customer Data will be stored in data centers located in the EU.", "Local Region Geography | outside | European Union"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := m365Records(t, "microsoft-365/enterprise/m365-dr-workload-other.md", head+tc.text+"\n"); got != tc.want {
				t.Errorf("records\n%s\nwant\n%s", got, tc.want)
			}
		})
	}
}

// m365Records extracts src as the M365 page at path and lists its records
// as "scope | category | at rest", one a line.
func m365Records(t *testing.T, path, src string) string {
	t.Helper()
	pg, err := Extract([]byte(src), Options{Profile: m365.Profile(), Aliases: m365.Register(), Path: path})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range pg.Records {
		got = append(got, r.Scope+" | "+string(r.Category)+" | "+r.LocationAtRest)
	}
	return strings.Join(got, "\n")
}

// footnotedTable is m365-dr-workload-other 2024-09-24's static table cut
// to a few rows, with the numbered list above it.
const footnotedTable = "# Data Residency for Other Microsoft 365 Services\n\n## Static data location information for select workloads\n\n" +
	"1. Macro Region Geography 1 – EMEA / European Union\n1. Macro Region Geography 2 - Asia Pacific\n1. Macro Region Geography 3 – Americas\n1. Australia\n\n" +
	"| Country Code | Countries/Regions | Viva Insights Advanced | Viva Learning | Planner |\n| --- | --- | --- | --- | --- |\n" +
	"| AF | Afghanistan | APC<sup>2</sup>| APC<sup>2</sup>| APC<sup>2</sup>|\n" +
	"| AX | Aland Islands | APC<sup>2</sup>| AMER<sup>3</sup>| EUR<sup>1</sup>|\n" +
	"| AU | Australia | AUS<sup>4</sup>| AUS<sup>4</sup>| AUS<sup>4</sup>|\n"

// TestFootnotedPlaceTable: a table of services keyed by the customer's
// country, whose cells' footnotes a numbered list above it explains, is
// a record per service column for the row's country, at rest where the
// footnote says; the country is never where data rests (BLIND2.md class
// 6). A cell whose footnote the list does not explain is one warning for
// the table.
func TestFootnotedPlaceTable(t *testing.T) {
	tests := []struct {
		name, src string
		want      []string
		warning   string
	}{
		{name: "footnotes explained", src: footnotedTable, want: []string{
			"Viva Insights Advanced | Afghanistan | in_region | Macro Region Geography 2 - Asia Pacific",
			"Viva Learning | Afghanistan | in_region | Macro Region Geography 2 - Asia Pacific",
			"Planner | Afghanistan | in_region | Macro Region Geography 2 - Asia Pacific",
			"Viva Insights Advanced | Aland Islands | in_region | Macro Region Geography 2 - Asia Pacific",
			"Viva Learning | Aland Islands | in_region | Macro Region Geography 3 – Americas",
			"Planner | Aland Islands | in_region | Macro Region Geography 1 – EMEA / European Union",
			"Viva Insights Advanced | Australia | in_region | Australia",
			"Viva Learning | Australia | in_region | Australia",
			"Planner | Australia | in_region | Australia",
		}},
		{name: "a footnote the list lacks", src: strings.Replace(footnotedTable, "1. Australia\n", "", 1), want: []string{
			"Viva Insights Advanced | Afghanistan | in_region | Macro Region Geography 2 - Asia Pacific",
			"Viva Learning | Afghanistan | in_region | Macro Region Geography 2 - Asia Pacific",
			"Planner | Afghanistan | in_region | Macro Region Geography 2 - Asia Pacific",
			"Viva Insights Advanced | Aland Islands | in_region | Macro Region Geography 2 - Asia Pacific",
			"Viva Learning | Aland Islands | in_region | Macro Region Geography 3 – Americas",
			"Planner | Aland Islands | in_region | Macro Region Geography 1 – EMEA / European Union",
		}, warning: "3 cells of the table"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			pg, err := Extract([]byte(tc.src), Options{Profile: m365.Profile(), Aliases: m365.Register(), Path: "microsoft-365/enterprise/m365-dr-workload-other.md"})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, r := range pg.Records {
				got = append(got, r.Service+" | "+r.SubScope+" | "+string(r.Category)+" | "+r.LocationAtRest)
			}
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("records\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
			tableWarnings := 0
			for _, w := range pg.Warnings {
				if w.Line >= 9 {
					tableWarnings++
					if tc.warning == "" || !strings.Contains(w.Message, tc.warning) {
						t.Errorf("warning %+v", w)
					}
				}
			}
			if tc.warning != "" && tableWarnings != 1 {
				t.Errorf("%d warnings on the table's rows, want 1: %+v", tableWarnings, pg.Warnings)
			}
		})
	}
}

// TestScopeInsideDecidesClaim: under a section of one scope, a claim that
// keeps data in a place of that scope ("the Satellite Geography" of
// Multi-Geo) is in region, as the statement reader has it, and one that
// keeps it elsewhere is not (BLIND3.md classes 8 and 9: every OneDrive
// paragraph under Multi-Geo was `outside`).
func TestScopeInsideDecidesClaim(t *testing.T) {
	const head = "# Data Residency for SharePoint Online and OneDrive for Business\n\n## Multi-Geo Capabilities in SharePoint Online / OneDrive for Business\n\n### OneDrive\n\n"
	tests := []struct{ name, text, want string }{
		{"a place of the scope", "Personal files are then kept in that _Satellite Geography_ location.", "Multi-Geo | in_region | Satellite Geography"},
		{"another place of the scope", "Personal files are stored in the _Macro Region Geography_.", "Multi-Geo | in_region | Macro Region Geography"},
		{"a place outside the scope", "Personal files are stored in the United States.", "Multi-Geo | outside | United States"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := m365Records(t, "microsoft-365/enterprise/m365-dr-workload-spo.md", head+tc.text+"\n"); got != tc.want {
				t.Errorf("records\n%s\nwant\n%s", got, tc.want)
			}
		})
	}
}

// TestFirmDenial: denying that data leaves a place of the region keeps it
// there only when the denial is plain; a hedged or qualified one ("can't
// guarantee that it won't", "won't always", "may not") states nothing the
// reader can rely on and is no in-region record (the review of
// BLIND2.md's class 8 rule: each gave a false high newly_compliant).
func TestFirmDenial(t *testing.T) {
	const head = "# Data Residency for Other Microsoft 365 Services\n\n## Microsoft Intune\n\n### Advanced Data Residency add-on\n\n"
	const inRegion = "Advanced Data Residency | in_region | Tenant Geography"
	for _, tc := range []struct{ text, want string }{
		{"Microsoft won't store Intune customer data at rest outside the stated geo.", inRegion},
		{"Intune customer data will not be stored at rest outside the stated geo.", inRegion},
		{"Microsoft can't guarantee that it won't store Intune customer data at rest outside the stated geo.", ""},
		{"Microsoft won't always store Intune customer data at rest outside the stated geo.", ""},
		{"Microsoft may not store Intune customer data at rest outside the stated geo.", ""},
	} {
		if got := m365Records(t, "microsoft-365/enterprise/m365-dr-workload-other.md", head+tc.text+"\n"); got != tc.want {
			t.Errorf("%s\nrecords %q, want %q", tc.text, got, tc.want)
		}
	}
}
