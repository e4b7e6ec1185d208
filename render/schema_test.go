package render_test

import (
	"bytes"
	"testing"

	"github.com/residiff/residiff/render"
	"github.com/residiff/residiff/schema"
)

// TestJSONMatchesSchema: the JSON renderer's document of the whole fixture
// history validates against schema/changelog.schema.json.
func TestJSONMatchesSchema(t *testing.T) {
	res := fixtureResult(t)
	var buf bytes.Buffer
	if err := render.JSON(&buf, res.Changelog); err != nil {
		t.Fatal(err)
	}
	if err := schema.ValidateChangelog(buf.Bytes()); err != nil {
		t.Fatal(err)
	}
}
