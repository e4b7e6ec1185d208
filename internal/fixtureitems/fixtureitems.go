// Package fixtureitems gives tests the changes of the bundled fixture
// history (fixtures/upstream.git) as a run queues them: the items of
// medium and high severity, oldest first, and the same split per revision
// as successive runs send them.
package fixtureitems

import (
	"context"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/residiff/residiff/differ"
	"github.com/residiff/residiff/history"
	"github.com/residiff/residiff/model"
	"github.com/residiff/residiff/pipeline"
	"github.com/residiff/residiff/source/entra"
)

// Items are the medium and high changes of the fixture history, of the
// repository named "entra-docs", with GitHub links.
func Items(t testing.TB) []model.Item {
	t.Helper()
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		t.Fatal("fixtureitems: no source path")
	}
	ctx := context.Background()
	repo, err := history.Open(ctx, filepath.Join(filepath.Dir(file), "..", "..", "fixtures", "upstream.git"))
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = repo.Close() }() // read-only
	res, err := pipeline.Build(ctx, repo, pipeline.Options{Profile: entra.Profile(), WebURL: "https://github.com/MicrosoftDocs/entra-docs"})
	if err != nil {
		t.Fatal(err)
	}
	var out []model.Item
	for _, it := range model.ItemsOf("entra-docs", res.Changelog) {
		if it.Change.Severity >= differ.Medium {
			out = append(out, it)
		}
	}
	if len(out) < 20 {
		t.Fatalf("fixtureitems: only %d changes in the fixture history", len(out))
	}
	return out
}

// ByRevision splits items per commit, in order.
func ByRevision(items []model.Item) [][]model.Item {
	var out [][]model.Item
	last := ""
	for _, it := range items {
		if it.Commit != last {
			out = append(out, nil)
			last = it.Commit
		}
		out[len(out)-1] = append(out[len(out)-1], it)
	}
	return out
}
