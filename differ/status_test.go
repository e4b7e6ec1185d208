package differ

import (
	"strings"
	"testing"

	"github.com/residiff/residiff/extractor"
	"github.com/residiff/residiff/serviceid"
	"github.com/residiff/residiff/source/entra"
)

// statusPage is data-storage-eu 2023-08-17's "Services temporarily excluded
// from the EU Data Residency and EU Data Boundary" fact blocks, reworded as
// one table with a status column, as a page may write them.
const statusPage = `# Customer data storage and processing for European customers in Microsoft Entra ID

## Services that transfer data out of the EU Data Boundary

| Service | Customer data location at rest | Status |
|---------|--------------------------------|--------|
| Microsoft Entra Connect | US | Temporary, ends June 30, 2025 |
| Directory Core Store | US and Asia/Pacific | %s |
| Dynamic Groups Service | US | Temporary |
`

// TestStatusColumn: a status column sets a row's category and its end
// date, and a row turning from temporary to permanent is a category
// change, not a change of its fields.
func TestStatusColumn(t *testing.T) {
	prof, reg := entra.Profile(), entra.Register()
	extract := func(src string) *extractor.Page {
		t.Helper()
		pg, err := extractor.Extract([]byte(src), extractor.Options{Profile: prof, Aliases: reg, Path: "docs/fundamentals/data-storage-eu.md"})
		if err != nil {
			t.Fatal(err)
		}
		return pg
	}
	oldSrc := strings.Replace(statusPage, "%s", "Temporary, ends 2024-12-31", 1)
	newSrc := strings.Replace(statusPage, "%s", "Permanent", 1)
	old, cur := extract(oldSrc), extract(newSrc)
	var got []string
	for _, r := range old.Records {
		got = append(got, r.ServiceID+"/"+r.Scope+"/"+string(r.Category)+"/"+r.Until)
	}
	want := "connect/EU Data Boundary/temporary/2025-06-30 directorycorestore/EU Data Boundary/temporary/2024-12-31 dynamicgroupsservice/EU Data Boundary/temporary/"
	if strings.Join(got, " ") != want {
		t.Errorf("old records = %v\nwant %s", got, want)
	}
	changes := Compare(old, cur, Options{Lineage: "data-storage-eu", Key: "1..2", Profile: prof, Similar: serviceid.Similar,
		OldSource: []byte(oldSrc), NewSource: []byte(newSrc)})
	var kinds []string
	for _, c := range changes {
		kinds = append(kinds, string(c.Kind)+":"+c.ServiceID+":"+c.Detail)
	}
	if len(changes) != 1 || changes[0].Kind != CategoryChanged || changes[0].ServiceID != "directorycorestore" {
		t.Errorf("changes = %q, want one category_changed of directorycorestore", kinds)
	}
}
