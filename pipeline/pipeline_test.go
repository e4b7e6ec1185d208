package pipeline

import (
	"context"
	"github.com/residiff/residiff/source/entra"
	"sort"
	"strings"
	"testing"

	"github.com/residiff/residiff/differ"
	"github.com/residiff/residiff/history"
	"github.com/residiff/residiff/model"
)

func buildFixture(t *testing.T, since string) *Result {
	t.Helper()
	repo, err := history.Open(context.Background(), "../fixtures/upstream.git")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { repo.Close() })
	res, err := Build(context.Background(), repo, Options{Profile: entra.Profile(), Since: since, WebURL: "https://github.com/MicrosoftDocs/entra-docs"})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// buildWith walks the fixture history with opts (profile and web URL
// filled in).
func buildWith(t *testing.T, opts Options) *Result {
	t.Helper()
	repo, err := history.Open(context.Background(), "../fixtures/upstream.git")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { repo.Close() })
	opts.Profile = entra.Profile()
	opts.WebURL = "https://github.com/MicrosoftDocs/entra-docs"
	res, err := Build(context.Background(), repo, opts)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func revisionAt(t *testing.T, c *model.Changelog, page, commitPrefix string) model.Revision {
	t.Helper()
	for _, r := range c.Revisions {
		if r.Page == page && len(r.Commit) >= len(commitPrefix) && r.Commit[:len(commitPrefix)] == commitPrefix {
			return r
		}
	}
	t.Fatalf("no revision of %s at %s", page, commitPrefix)
	return model.Revision{}
}

// TestFixtureHistory checks the whole bundled history end to end: the
// transitions a compliance team must be told about, and the false alarms
// it must never get.
func TestFixtureHistory(t *testing.T) {
	res := buildFixture(t, "")
	c := res.Changelog
	// Real pages hold sentences residiff cannot read: each is a claim of
	// the ledger, shown as an unread_claim warning. Nothing else may warn.
	for _, w := range res.Warnings {
		if !strings.Contains(w, "says where data goes but was not read") {
			t.Errorf("warning on real pages: %v", w)
		}
	}
	if len(c.Pages) != 6 {
		t.Errorf("pages = %d, want 6", len(c.Pages))
	}
	for _, r := range c.Revisions {
		for _, ch := range r.Changes {
			if ch.ID == "" || ch.Severity == 0 {
				t.Errorf("%s@%s: change without id or severity: %+v", r.Page, r.Commit[:7], ch)
			}
			if ch.Severity >= differ.Medium && ch.Kind != differ.PageRemoved && ch.Evidence == nil {
				t.Errorf("%s@%s: %s %s without the sentence it rests on", r.Page, r.Commit[:7], ch.Kind, ch.Service)
			}
		}
	}
	// Every high-severity change of the history, and every change residiff
	// could not confirm, exactly: each was read against its page by hand.
	// A rename, a move, a CRLF re-save or a typo fix is never a service
	// entering or leaving a list, so those commits are not here at all.
	want := map[string][]string{}
	for _, e := range []struct {
		page, commit string
		changes      []string
	}{
		{"data-storage-eu", "0b166ca", []string{
			// The intro "five user-related attributes … are typically
			// stored in U.S. datacenters" is unread (the sentence names
			// its own subject), but its "some operational,
			// service-specific data that's required for normal Azure AD
			// operation, which is stored in the U.S." is the product's
			// own data, which no entry of the list keeps: the product is
			// excluded (branch bp).
			"newly_excluded b2b Europe",
			"newly_excluded b2c Europe",
			"newly_excluded domainservices Europe",
			"newly_excluded entraid Europe",
			"newly_excluded identityrelatedattributes Europe",
			"newly_excluded multifactorauthentication Europe",
			"newly_excluded selfservicepasswordreset Europe",
		}},
		{"data-storage-eu", "ca7e4e3", []string{
			// The rewritten page no longer says that the product's
			// operational data is stored in the U.S.: the product is
			// newly compliant with its former list's entries.
			"newly_compliant b2b Europe",
			"newly_compliant b2c Europe",
			"newly_compliant domainservices Europe",
			"newly_compliant entraid Europe",
			"newly_compliant identityrelatedattributes Europe",
			"newly_compliant selfservicepasswordreset Europe",
			"newly_excluded azurecertificateservice EU Data Boundary",
			"newly_excluded connect EU Data Boundary",
			"newly_excluded connect EU Data Residency",
			"newly_excluded connecthealth EU Data Boundary",
			"newly_excluded connecthealth EU Data Residency",
			"newly_excluded deviceregistration EU Data Boundary",
			"newly_excluded deviceregistration EU Data Residency",
			"newly_excluded directorycorestore EU Data Boundary",
			"newly_excluded directorycorestore EU Data Residency",
			"newly_excluded dynamicgroupsservice EU Data Boundary",
			"newly_excluded dynamicgroupsservice EU Data Residency",
			"newly_excluded enterpriseapplicationmanagement EU Data Boundary",
			"newly_excluded enterpriseappmanagement EU Data Boundary",
			"newly_excluded identitygovernance EU Data Boundary",
			"newly_excluded jit EU Data Boundary",
			"newly_excluded myaccount EU Data Boundary",
			"newly_excluded myapps EU Data Boundary",
			"newly_excluded mysignins EU Data Boundary",
			"newly_excluded reportingandauditinsights EU Data Boundary",
			"newly_excluded selfservicecredentialsmanagement EU Data Boundary",
			"newly_excluded selfservicegroupmanagement EU Data Boundary",
			"newly_excluded selfservicegroupmanagement EU Data Residency",
			"newly_excluded signin EU Data Boundary",
			"newly_excluded syncfabric EU Data Boundary",
			"newly_excluded termsofuse EU Data Boundary",
			"scope_changed multifactorauthentication EU Data Boundary",
		}},
		{"data-storage-japan", "c52c0c8", []string{
			"newly_excluded azurerolebasedaccesscontrol Japan",
			"newly_excluded multifactorauthentication Japan",
		}},
		{"data-storage-australia-newzealand", "ace9c5e", []string{
			"newly_excluded entraid Australia and New Zealand",
			"newly_excluded multifactorauthentication Australia and New Zealand",
		}},
		{"concept-mfa-data-residency", "8629fad", []string{
			// The phone calls routed by global providers and the
			// 21Vianet row (its reports are kept in the US); the
			// Government-cloud row keeps its customers' data in the
			// United States, the cloud's own place: in region, no
			// exclusion (AUDIT.md class F).
			"newly_excluded multifactorauthentication Global",
			"newly_excluded multifactorauthentication Global",
			"newly_excluded multifactorauthenticationserver Global",
		}},
		{"fundamentals/data-residency", "c5ece73", []string{
			// The Domain Services row's location cell says "In geo
			// location", its own sentence "The service holds system
			// metadata globally in Azure Tables"; B2B collaboration's
			// "user data copied in other tenants" and managed identities'
			// "writes certificates … in the East US region" leave their
			// rows' "In geo location" cells too (AUDIT.md class G).
			"newly_excluded businesstobusinessb2bcollaboration Global",
			"newly_excluded domainservices Global",
			"newly_excluded managedidentitiesforazureresources Global",
			"newly_excluded multifactorauthentication Global",
		}},
		{"data-storage-eu", "01bf620", []string{
			"newly_compliant jit EU Data Boundary",
			"newly_excluded applicationproxy EU Data Boundary",
			"newly_excluded applicationproxy EU Data Residency",
			"newly_excluded azurecustomerlockbox EU Data Boundary",
			"newly_excluded microsoft365multigeo EU Data Boundary",
			"newly_excluded microsoft365multigeo EU Data Residency",
			"newly_excluded multitenantcollaboration EU Data Boundary",
			"newly_excluded multitenantcollaboration EU Data Residency",
			"scope_changed multifactorauthentication EU Data Residency",
		}},
		{"data-storage-eu", "1995d1f", []string{
			"newly_compliant connect EU Data Residency",
			"newly_compliant connecthealth EU Data Residency",
			"newly_compliant deviceregistration EU Data Residency",
			"newly_compliant dynamicgroupsservice EU Data Residency",
			"newly_compliant microsoft365multigeo EU Data Residency",
			"newly_compliant multifactorauthentication EU Data Residency",
			"newly_compliant selfservicegroupmanagement EU Data Residency",
			"newly_excluded entraid EU Data Residency",
		}},
		{"data-storage-australia-newzealand", "cef928f", []string{
			"category_changed multifactorauthentication Australia and New Zealand",
			"newly_excluded azurerolebasedaccesscontrol Australia and New Zealand",
		}},
	} {
		want[e.page+"@"+e.commit] = e.changes
	}
	for _, r := range c.Revisions {
		var got []string
		for _, ch := range r.Changes {
			switch ch.Kind {
			case differ.NewlyExcluded, differ.NewlyCompliant, differ.CategoryChanged, differ.ScopeChanged, differ.ExtractionDrift:
				got = append(got, string(ch.Kind)+" "+ch.ServiceID+" "+ch.Scope)
			}
		}
		sort.Strings(got)
		key := r.Page + "@" + r.Commit[:7]
		if w := want[key]; strings.Join(got, "\n") != strings.Join(w, "\n") {
			t.Errorf("%s (%s): high-severity and unconfirmed changes\n got  %q\n want %q", key, r.PageDate, got, w)
		}
		delete(want, key)
	}
	for key := range want {
		t.Errorf("%s: expected revision not in the history", key)
	}
	eu2024 := revisionAt(t, c, "data-storage-eu", "1995d1f")
	for _, ch := range eu2024.Changes {
		if ch.Kind == differ.NewlyCompliant && ch.Scope == "EU Data Boundary" {
			t.Errorf("2024-02-16: %s reported compliant with the EU Data Boundary; its list moved to another page", ch.Service)
		}
		if ch.URL == "" {
			t.Errorf("2024-02-16: change without permalink: %+v", ch)
		}
	}
	if eu2024.URL != "https://github.com/MicrosoftDocs/entra-docs/blob/"+eu2024.Commit+"/docs/fundamentals/data-storage-eu.md" {
		t.Errorf("revision URL = %s", eu2024.URL)
	}
	kinds := func(r model.Revision) map[differ.Kind]int {
		m := map[differ.Kind]int{}
		for _, ch := range r.Changes {
			m[ch.Kind]++
		}
		return m
	}
	for _, tc := range []struct {
		page, commit string
		want         map[differ.Kind]int
	}{
		{"data-storage-eu", "11c5277", map[differ.Kind]int{differ.Editorial: 1}},    // CRLF re-save
		{"data-storage-eu", "782b6c1", map[differ.Kind]int{differ.Renamed: 1}},      // typo introduced
		{"data-storage-eu", "2afe404", map[differ.Kind]int{differ.Renamed: 1}},      // typo fixed
		{"data-storage-eu", "37db1bf", map[differ.Kind]int{differ.PageMoved: 1}},    // rename of the file
		{"data-storage-japan", "42ec18b", map[differ.Kind]int{differ.Editorial: 1}}, // trailing spaces
		{"data-storage-japan", "4898a2f", map[differ.Kind]int{differ.Editorial: 1}}, // facts unchanged
		{"data-storage-australia-newzealand", "b306af1", map[differ.Kind]int{differ.PageMoved: 1}},
	} {
		r := revisionAt(t, c, tc.page, tc.commit)
		got := kinds(r)
		if len(got) != len(tc.want) {
			t.Errorf("%s@%s: kinds %v, want %v", tc.page, tc.commit, got, tc.want)
			continue
		}
		for k, n := range tc.want {
			if got[k] != n {
				t.Errorf("%s@%s: kinds %v, want %v", tc.page, tc.commit, got, tc.want)
			}
		}
	}
}

// TestSinceMatchesFullWalk: the changes reported after a commit are the
// same, ids included, whether the history is walked whole or from there by
// a walk that carries on the lineages the walk up to there reached.
func TestSinceMatchesFullWalk(t *testing.T) {
	full := buildFixture(t, "")
	const since = "a03b32f" // the move to docs/
	upTo := buildWith(t, Options{Tip: since})
	known := map[string]Lineage{}
	for _, l := range upTo.Lineages {
		known[l.Path] = l
	}
	part := buildWith(t, Options{Since: since, Known: known})
	var want []string
	seen := false
	for _, r := range full.Changelog.Revisions {
		if r.Commit[:7] == since {
			seen = true
			continue
		}
		if seen {
			for _, ch := range r.Changes {
				want = append(want, ch.ID)
			}
		}
	}
	var got []string
	for _, r := range part.Changelog.Revisions {
		for _, ch := range r.Changes {
			got = append(got, ch.ID)
		}
	}
	if len(got) == 0 || len(got) != len(want) {
		t.Fatalf("since %s: %d changes, full walk has %d after it", since, len(got), len(want))
	}
	for i := range got {
		if got[i] != want[i] {
			t.Errorf("change %d: id %s, full walk %s", i, got[i], want[i])
		}
	}
}
