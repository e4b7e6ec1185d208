package config

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"

	"github.com/residiff/residiff/notifier/notifiers"
	"github.com/residiff/residiff/serviceid"
	"go.yaml.in/yaml/v3"
)

// UnknownKeys lists every key of the YAML document data that the
// configuration does not have, each with its line and the nearest known
// key ("did you mean"). The decoder stops at the first; a person fixing a
// file wants them all.
func UnknownKeys(data []byte) ([]error, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, err
	}
	if len(doc.Content) == 0 {
		return nil, nil
	}
	var out []error
	walkKeys(doc.Content[0], reflect.TypeFor[Config](), "", &out)
	return out, nil
}

// walkKeys checks the keys of mapping n against the yaml fields of t.
func walkKeys(n *yaml.Node, t reflect.Type, where string, out *[]error) {
	for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice {
		if t.Kind() == reflect.Slice && n.Kind == yaml.SequenceNode {
			for i, item := range n.Content {
				walkKeys(item, t.Elem(), fmt.Sprintf("%s[%d]", where, i), out)
			}
			return
		}
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct || n.Kind != yaml.MappingNode {
		return
	}
	fields := yamlFields(t)
	if t == reflect.TypeFor[Config]() {
		for _, k := range notifiers.Kinds() {
			fields[k.Key] = reflect.TypeOf(k.New())
		}
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		key, val := n.Content[i], n.Content[i+1]
		path := strings.TrimPrefix(where+"."+key.Value, ".")
		ft, ok := fields[key.Value]
		if !ok {
			msg := fmt.Sprintf("line %d: unknown key %q", key.Line, path)
			if near := nearest(key.Value, fields); near != "" {
				msg += fmt.Sprintf(" (did you mean %q?)", near)
			}
			*out = append(*out, fmt.Errorf("%s", msg))
			continue
		}
		walkKeys(val, ft, path, out)
	}
}

// yamlFields maps the yaml keys of struct t to their types, the fields
// of inline structs included.
func yamlFields(t reflect.Type) map[string]reflect.Type {
	fields := map[string]reflect.Type{}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		name, opts, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		if opts == "inline" && f.Type.Kind() == reflect.Struct {
			for k, v := range yamlFields(f.Type) {
				fields[k] = v
			}
			continue
		}
		if name != "" && name != "-" {
			fields[name] = f.Type
		}
	}
	return fields
}

// nearest is the known key closest to k, when it is close enough to be
// a slip of the keyboard (an edit or two, a swapped pair).
func nearest(k string, fields map[string]reflect.Type) string {
	names := make([]string, 0, len(fields))
	for n := range fields {
		names = append(names, n)
	}
	sort.Strings(names)
	k = strings.ToLower(k)
	for d := 1; d <= len(k)/2+1; d++ {
		for _, n := range names {
			if serviceid.Near(k, n, d) {
				return n
			}
		}
	}
	return ""
}

// Check reads the configuration at path and reports every problem it can
// find without the network, each with its line: unknown keys, values that
// cannot work, route scopes and regions the profiles do not know and URLs
// that are not absolute https (CheckValues). The configuration is returned, defaults filled,
// even when there are problems, so that a caller can check more.
func Check(path string) (*Config, []error, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, fmt.Errorf("config: %w", err)
	}
	dir, err := filepath.Abs(filepath.Dir(path))
	if err != nil {
		return nil, nil, fmt.Errorf("config %s: %w", path, err)
	}
	problems, err := UnknownKeys(data)
	if err != nil {
		return nil, nil, fmt.Errorf("config %s: %w", path, err)
	}
	var c Config
	if err := yaml.Unmarshal(data, &c); err != nil {
		return nil, append(problems, err), nil
	}
	if err := c.decodeSections(); err != nil {
		problems = append(problems, err)
	}
	c.fill(dir)
	lines := LinesOf(data)
	for _, err := range []error{c.readProfiles(), c.Validate()} {
		if err == nil {
			continue
		}
		errs := []error{err}
		if joined, ok := err.(interface{ Unwrap() []error }); ok {
			errs = joined.Unwrap()
		}
		for _, e := range errs {
			problems = append(problems, lines.Locate(e))
		}
	}
	problems = append(problems, c.CheckValues(lines, c.ProfileVocabulary())...)
	SortByLine(problems)
	return &c, problems, nil
}

// EnvVars lists the environment variables the configuration reads
// secrets from, each with the key that names it.
func (c *Config) EnvVars() [][2]string {
	var out [][2]string
	for i, r := range c.Repositories {
		for key, v := range map[string]string{"token_env": r.TokenEnv, "username_env": r.UsernameEnv, "password_env": r.PasswordEnv} {
			if v != "" {
				out = append(out, [2]string{fmt.Sprintf("repositories[%d].%s", i, key), v})
			}
		}
	}
	for _, n := range c.Notifiers {
		for _, sec := range n.Section.Secrets() {
			out = append(out, [2]string{sec.Key, sec.Env})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i][0] < out[j][0] })
	return out
}
