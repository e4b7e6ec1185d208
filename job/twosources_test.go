package job

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/residiff/residiff/config"
	"github.com/residiff/residiff/model"
	"github.com/residiff/residiff/notifier/webhook"
)

// TestTwoSourcesOneReportRoutedBySource: one run over two docs sources —
// the Entra fixture history with the entra profile and the Microsoft 365
// one with the m365 profile — writes one report holding both, and
// webhook routes by repository send each source's changes to its own
// receiver, none to the default one; a second run sends nothing again.
func TestTwoSourcesOneReportRoutedBySource(t *testing.T) {
	entraRepo, err := filepath.Abs("../fixtures/upstream.git")
	if err != nil {
		t.Fatal(err)
	}
	m365Repo, err := filepath.Abs("../fixtures/m365.git")
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	got := map[string][]model.Item{} // receiver path → changes
	rcv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		var p webhook.Payload
		if err := json.Unmarshal(body, &p); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		mu.Lock()
		got[r.URL.Path] = append(got[r.URL.Path], p.Changes...)
		mu.Unlock()
	}))
	defer rcv.Close()
	dir := t.TempDir()
	cfg, err := config.Parse(strings.NewReader(fmt.Sprintf(`
repositories:
  - {name: entra, path: %s, profile: entra}
  - {name: m365, path: %s, profile: m365}
outputs: {json: out/changelog.json, markdown: out/CHANGELOG.md}
first_run: all
webhook:
  url_env: HOOK_ALL
  min_severity: low
  digest_above: -1
  routes:
    - {repository: entra, url_env: HOOK_ENTRA}
    - {repository: m365, url_env: HOOK_M365}
`, entraRepo, m365Repo)), dir)
	if err != nil {
		t.Fatal(err)
	}
	h := &harness{t: t, cfg: cfg, dir: dir}
	env := func(o *Options) {
		o.Getenv = func(k string) string {
			return map[string]string{"HOOK_ALL": rcv.URL + "/all", "HOOK_ENTRA": rcv.URL + "/entra", "HOOK_M365": rcv.URL + "/m365"}[k]
		}
	}
	out, err := h.run(env)
	if err != nil {
		t.Fatal(err)
	}

	// One report of both sources.
	data, err := os.ReadFile(filepath.Join(dir, "out/changelog.json"))
	if err != nil {
		t.Fatal(err)
	}
	var c model.Changelog
	if err := json.Unmarshal(data, &c); err != nil {
		t.Fatal(err)
	}
	if len(c.Repositories) != 2 || c.Repositories[0].Profile != "entra" || c.Repositories[1].Profile != "m365" {
		t.Fatalf("report repositories %+v, want entra (entra) and m365 (m365)", c.Repositories)
	}
	revs := map[string]int{}
	for _, r := range c.Revisions {
		revs[r.Repository]++
	}
	if revs["entra"] == 0 || revs["m365"] == 0 {
		t.Errorf("report revisions per repository: %v, want both", revs)
	}
	md, err := os.ReadFile(filepath.Join(dir, "out/CHANGELOG.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{"entra/data-storage-eu", "m365/m365-dr-commitments"} {
		if !strings.Contains(string(md), w) {
			t.Errorf("CHANGELOG.md lacks %s", w)
		}
	}

	// Each source's changes at its own receiver, all of them, once.
	want := map[string]map[string]bool{"entra": {}, "m365": {}}
	for _, it := range out.New {
		want[it.Repository][it.Change.ID] = true
	}
	mu.Lock()
	defer mu.Unlock()
	if n := len(got["/all"]); n != 0 {
		t.Errorf("%d changes at the default receiver, want none (every change has its source's route)", n)
	}
	for _, repo := range []string{"entra", "m365"} {
		seen := map[string]bool{}
		for _, it := range got["/"+repo] {
			if it.Repository != repo {
				t.Errorf("/%s received a change of %q (%s)", repo, it.Repository, it.Page)
			}
			if seen[it.Change.ID] {
				t.Errorf("/%s received change %s twice", repo, it.Change.ID)
			}
			seen[it.Change.ID] = true
		}
		if len(want[repo]) == 0 || len(seen) != len(want[repo]) {
			t.Errorf("/%s received %d changes, the run found %d of %s", repo, len(seen), len(want[repo]), repo)
		}
	}
	t.Logf("changes: entra %d, m365 %d", len(got["/entra"]), len(got["/m365"]))

	// Nothing new: nothing sent again.
	before := len(got["/entra"]) + len(got["/m365"])
	mu.Unlock()
	again, err := h.run(env)
	mu.Lock()
	if err != nil {
		t.Fatal(err)
	}
	if len(again.New) != 0 || len(got["/entra"])+len(got["/m365"]) != before {
		t.Errorf("second run: %d new, %d changes sent, want none", len(again.New), len(got["/entra"])+len(got["/m365"])-before)
	}
}
