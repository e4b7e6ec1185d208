// Package rawjson marshals a value as residiff's outputs write JSON: with
// <, > and & as they are, not escaped for HTML. A MarshalJSON method that
// builds its output with json.Marshal would escape them, and the encoder
// around it would keep the escapes.
package rawjson

import (
	"bytes"
	"encoding/json"
)

// Marshal returns the JSON encoding of v without HTML escaping.
func Marshal(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}
