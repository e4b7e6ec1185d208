package rawjson

import (
	"bytes"
	"encoding/json"
	"testing"
)

type aliased struct{ S string }

func (a aliased) MarshalJSON() ([]byte, error) {
	return Marshal(struct {
		S string `json:"s"`
	}{a.S})
}

func TestMarshalKeepsHTML(t *testing.T) {
	for _, c := range []struct {
		escape bool
		want   string
	}{
		{false, `{"s":"United States <and EU> & more"}` + "\n"},
		{true, `{"s":"United States \u003cand EU\u003e \u0026 more"}` + "\n"},
	} {
		var b bytes.Buffer
		enc := json.NewEncoder(&b)
		enc.SetEscapeHTML(c.escape)
		if err := enc.Encode(aliased{"United States <and EU> & more"}); err != nil {
			t.Fatal(err)
		}
		if b.String() != c.want {
			t.Errorf("escape %v: got %s want %s", c.escape, b.String(), c.want)
		}
	}
}
