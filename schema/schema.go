// Package schema holds the JSON Schema of residiff's changelog document
// (changelog.schema.json, draft 2020-12): the form `residiff changelog
// --format json`, `residiff run --format json` and the json report file
// write. Tests of every JSON output validate against it.
package schema

import (
	"bytes"
	_ "embed" // the schema file
	"fmt"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// Changelog is the JSON Schema of the changelog document.
//
//go:embed changelog.schema.json
var Changelog []byte

// ChangelogID is the schema's $id.
const ChangelogID = "https://github.com/residiff/residiff/schema/changelog.schema.json"

// ValidateChangelog reports how the JSON document data breaks the
// changelog schema (formats such as date-time and uri are asserted), or
// nil when it does not.
func ValidateChangelog(data []byte) error {
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(Changelog))
	if err != nil {
		return fmt.Errorf("schema: read changelog.schema.json: %w", err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	if err := c.AddResource(ChangelogID, doc); err != nil {
		return fmt.Errorf("schema: %w", err)
	}
	sch, err := c.Compile(ChangelogID)
	if err != nil {
		return fmt.Errorf("schema: compile: %w", err)
	}
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		return fmt.Errorf("not JSON: %w", err)
	}
	if err := sch.Validate(v); err != nil {
		return fmt.Errorf("does not match changelog.schema.json: %w", err)
	}
	return nil
}
