package profiles

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"

	"github.com/residiff/residiff/source"
	"go.yaml.in/yaml/v3"
)

// File is a profile read from a YAML file (a config's profile_file:, the
// --profile-file flag): a docs source without rebuilding residiff.
type File struct {
	// Path is the file's path as given.
	Path string
	// Data is its content; Digest a hash of it, so that caches made with
	// one version of the file are not used with another.
	Data   []byte
	Digest string
	// Name is the profile's name (its name: key).
	Name string
}

// ReadFile reads and validates the profile at path the way the shipped
// ones are (unknown keys, entries without provenance and patterns that do
// not compile are errors). An error names the file and, where the YAML
// says where, the line: "my.yaml:12: claim_words[3] …".
func ReadFile(path string) (*File, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("profile file: %w", err)
	}
	p, err := source.Parse(data)
	if err != nil {
		return nil, located(path, data, err)
	}
	sum := sha256.Sum256(data)
	return &File{Path: path, Data: data, Digest: hex.EncodeToString(sum[:8]), Name: p.Name}, nil
}

// Profile returns a new copy of the file's profile.
func (f *File) Profile() (*source.Profile, error) {
	p, err := source.Parse(f.Data)
	if err != nil {
		return nil, located(f.Path, f.Data, err)
	}
	return p, nil
}

var (
	// yamlLine is where the YAML decoder says a problem is.
	yamlLine = regexp.MustCompile(`(?m)^(?:profile: )?\s*(?:yaml: )?line (\d+): (.*)$`)
	// entryRef is the entry a profile's validation names: "pages[2]",
	// "claim_words[0]", or a key alone ("locations:").
	entryRef = regexp.MustCompile(`^([a-z_]+)(?:\[(\d+)\]|\b)`)
)

// located rewrites err, an error of source.Parse, as "path:line: …": the
// YAML decoder's own lines, else the line of the key or list entry the
// error names; "path: …" when it names none.
func located(path string, data []byte, err error) error {
	msg := err.Error()
	if m := yamlLine.FindAllStringSubmatch(msg, -1); m != nil {
		lines := make([]string, len(m))
		for i, l := range m {
			lines[i] = fmt.Sprintf("%s:%s: %s", path, l[1], l[2])
		}
		return fmt.Errorf("%s", strings.Join(lines, "\n"))
	}
	detail := strings.TrimPrefix(msg, "profile: ")
	if i := strings.Index(detail, ": "); strings.HasPrefix(msg, "profile ") && i >= 0 {
		detail = detail[i+2:] // "profile NAME: …"
	}
	if line := lineOf(data, detail); line > 0 {
		return fmt.Errorf("%s:%d: %s", path, line, detail)
	}
	return fmt.Errorf("%s: %s", path, detail)
}

// lineOf finds the line of the entry msg starts by naming: a top-level
// key, or the i-th item of its list ("within" names its place instead);
// 0 when msg names none the file has.
func lineOf(data []byte, msg string) int {
	var doc yaml.Node
	if yaml.Unmarshal(data, &doc) != nil || len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return 0
	}
	top := doc.Content[0]
	key, index := "", -1
	switch {
	case strings.HasPrefix(msg, "no name"):
		key = "name"
	case strings.HasPrefix(msg, "product "):
		key = "product"
	case strings.HasPrefix(msg, "no page globs"):
		key = "pages"
	case strings.HasPrefix(msg, "within "):
		key = "within"
		place, _, _ := strings.Cut(strings.TrimPrefix(msg, "within "), " in ")
		if v := valueOf(top, key); v != nil && v.Kind == yaml.SequenceNode {
			for _, item := range v.Content {
				if p := valueOf(item, "place"); p != nil && p.Value == place {
					return item.Line
				}
			}
		}
	default:
		m := entryRef.FindStringSubmatch(msg)
		if m == nil {
			return 0
		}
		key = m[1]
		if m[2] != "" {
			index, _ = strconv.Atoi(m[2])
		}
	}
	for i := 0; i+1 < len(top.Content); i += 2 {
		if top.Content[i].Value != key {
			continue
		}
		v := top.Content[i+1]
		if index >= 0 && v.Kind == yaml.SequenceNode && index < len(v.Content) {
			return v.Content[index].Line
		}
		return top.Content[i].Line
	}
	if key == "name" || key == "pages" {
		return 1 // the key is missing: the file as a whole
	}
	return 0
}

// valueOf is the value of key in the mapping n, or nil.
func valueOf(n *yaml.Node, key string) *yaml.Node {
	if n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}
