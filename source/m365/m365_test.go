package m365_test

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/bmatcuk/doublestar/v4"

	"github.com/residiff/residiff/history"
	"github.com/residiff/residiff/pipeline"
	"github.com/residiff/residiff/source/m365"
)

// TestProfile checks the shipped profile loads and reads the pages'
// vocabulary: regions from titles and paths, scopes, geographies, and
// workload names that are one service under every spelling the pages used.
func TestProfile(t *testing.T) {
	p := m365.Profile()
	if p.Name != m365.Name || p.RepoURL == "" || p.Product.ID != "microsoft365" {
		t.Fatalf("profile = %s %s %s", p.Name, p.RepoURL, p.Product.ID)
	}
	for _, g := range p.PageGlobs() {
		if !doublestar.ValidatePattern(g) {
			t.Errorf("glob %q is not valid", g)
		}
	}
	if got := p.PageURL("microsoft-365/enterprise/advanced-data-residency.md"); got != "https://learn.microsoft.com/microsoft-365/enterprise/advanced-data-residency" {
		t.Errorf("PageURL = %q", got)
	}
	for _, tc := range []struct{ text, region string }{
		{"Data locations for the European Union", "European Union"},
		{"microsoft-365/enterprise/EU-data-storage-locations.md", "European Union"},
		{"Overview of Product Terms Data Residency", "Tenant Geography"},
		{"Advanced Data Residency Commitments", "Local Region Geography"},
		{"microsoft-365/enterprise/m365-dr-workload-teams.md", "Local Region Geography"},
		{"Where your Microsoft 365 customer data is stored", ""},
	} {
		if got := p.RegionOf(tc.text); got != tc.region {
			t.Errorf("RegionOf(%q) = %q, want %q", tc.text, got, tc.region)
		}
	}
	if got := p.ScopesIn("the Privacy and Security Product Terms, the Advanced Data Residency add-on (ADR) and the Multi-Geo add-on"); strings.Join(got, ",") != "Product Terms,Advanced Data Residency,Multi-Geo" {
		t.Errorf("ScopesIn = %v", got)
	}
	for text, want := range map[string]string{
		"stored at rest in the _Local Region Geography_ or _Expanded Local Region Geography_":  "Local Region Geography,Expanded Local Region Geography",
		"Tenant has a sign up country included in Local Geography or Expanded Local Geography": "Local Region Geography,Expanded Local Region Geography",
		"at rest only within that Geo":                                     "Tenant Geography",
		"Australia, Brazil, South Korea, the United Arab Emirates, and UK": "Australia,Brazil,South Korea,United Arab Emirates,United Kingdom",
		"| Exchange Online | France | Germany | European Union |":          "France,Germany,European Union",
		"a sentence with no place at all":                                  "",
	} {
		var got []string
		for _, l := range p.LocationsIn(text) {
			got = append(got, l.Name)
		}
		if strings.Join(got, ",") != want {
			t.Errorf("LocationsIn(%q) = %v, want %s", text, got, want)
		}
	}
	reg := m365.Register()
	for _, same := range [][]string{
		{"Exchange Online", "EXO"},
		{"SharePoint Online/OneDrive for Business", "SharePoint/OneDrive", "SharePoint and OneDrive", "ODSP"},
		{"Microsoft 365 Copilot", "Copilot for Microsoft 365"},
		{"Microsoft Defender for Office P1", "MDO P1", "Microsoft Defender for Office 365 P1"},
		{"Microsoft Teams", "Teams"},
		{"Viva Engage", "Yammer"},
		{"Data Loss Prevention", "Information Protection - Data Loss Prevention (DLP)", "DLP"},
		{"Information Barriers", "Insider Risk Management - Information Barriers", "Risk and compliance - information barriers"},
	} {
		for _, name := range same[1:] {
			if reg.ID(name) != reg.ID(same[0]) {
				t.Errorf("%q is %q, %q is %q: want one service", name, reg.ID(name), same[0], reg.ID(same[0]))
			}
		}
	}
	if reg.ID("SharePoint") == reg.ID("OneDrive") || reg.ID("Exchange Online") == reg.ID("Exchange Online Protection") {
		t.Error("distinct workloads share an identity")
	}
}

// TestFixtureHistoryWalks walks fixtures/m365.git with the profile: its
// globs follow exactly the corpus's residency pages (never the TOC or the
// unrelated pages beside them), and every real version of the corpus is
// read once, at its upstream path.
func TestFixtureHistoryWalks(t *testing.T) {
	ctx := context.Background()
	repo, err := history.Open(ctx, filepath.Join("..", "..", "fixtures", "m365.git"))
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = repo.Close() }()
	res, err := pipeline.Build(ctx, repo, pipeline.Options{Profile: m365.Profile(), Aliases: m365.Register(), WebURL: "https://github.com/MicrosoftDocs/microsoft-365-docs"})
	if err != nil {
		t.Fatal(err)
	}
	corpus := filepath.Join("..", "..", "fixtures", "m365", "corpus")
	files, err := filepath.Glob(filepath.Join(corpus, "*", "*.md"))
	if err != nil || len(files) < 15 {
		t.Fatalf("corpus: %d files, %v", len(files), err)
	}
	want := map[string]int{} // upstream path -> versions
	contents := map[string]bool{}
	for _, f := range files {
		page := filepath.Base(filepath.Dir(f))
		want["microsoft-365/enterprise/"+page+".md"]++
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		contents[string(data)] = true
	}
	got := map[string]int{}
	for _, v := range res.Versions {
		if v.Removed {
			t.Errorf("%s removed at %s: no residency page is removed in the fixture", v.Path, v.Commit)
			continue
		}
		got[v.Path]++
		if !strings.HasPrefix(v.URL, "https://") {
			t.Errorf("%s@%s: URL %q", v.Path, v.Commit, v.URL)
		}
	}
	var paths []string
	for p := range got {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for p, n := range want {
		if got[p] != n {
			t.Errorf("%s: %d versions walked, want %d (the corpus's)", p, got[p], n)
		}
	}
	if len(got) != len(want) {
		t.Errorf("pages walked %v, want the %d corpus pages", paths, len(want))
	}
	if i := slices.IndexFunc(paths, func(p string) bool { return !strings.HasPrefix(p, "microsoft-365/enterprise/") }); i >= 0 {
		t.Errorf("walked %s, outside the residency pages", paths[i])
	}
	if len(res.Changelog.Revisions) == 0 {
		t.Error("no revisions in the changelog")
	}
}

// TestWithdraws: of the profile's commitment bounds, only a service
// leaving a scope withdraws the service from the commitment; a denied
// guarantee leaves some data uncovered, not the service (BLIND5 class 7).
func TestWithdraws(t *testing.T) {
	p := m365.Profile()
	for _, tc := range []struct {
		text      string
		bound     string
		withdraws bool
	}{
		{"Therefore, as of October 31, 2024, Viva Topics will no longer be a supported workload in ADR", "withdrawn", true},
		{"Viva Topics was retired on February 22, 2025 and was removed from the supported workloads in ADR on October 31, 2024", "withdrawn", true},
		{"This feature doesn't guarantee email routing through a dedicated geo-specific region (data in transit).", "no guarantee", false},
		{"Viva Topics customer data is stored in the Local Region Geography.", "", false},
	} {
		if got := p.Bound(tc.text); got != tc.bound {
			t.Errorf("Bound(%q) = %q, want %q", tc.text, got, tc.bound)
		}
		if got := p.Withdraws(tc.text); got != tc.withdraws {
			t.Errorf("Withdraws(%q) = %v, want %v", tc.text, got, tc.withdraws)
		}
	}
}
