// Package reportcache keeps each repository's whole-history report model
// (the pipeline result the report files are drawn from) between runs, so
// that a run with a few new commits extends it (pipeline.Extend) instead
// of walking the whole history again.
//
// It is a cache, never the record: a model that is missing, damaged or
// made with other settings is a miss, and the caller walks the history.
// The settings are the salt — the residiff build, the profile, the pages,
// the aliases and the limits — so a model is only ever extended by the
// code and configuration that made it.
package reportcache

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/residiff/residiff/internal/atomicfile"
	"github.com/residiff/residiff/pipeline"
)

// Cache is a folder of report models.
type Cache struct {
	dir string
}

// New returns the cache in dir (created when first written).
func New(dir string) *Cache { return &Cache{dir: dir} }

// file holds the model of one repository, whatever its salt: a new salt
// replaces the old model instead of piling up beside it.
func (c *Cache) file(repository string) string {
	h := sha256.Sum256([]byte(repository))
	return filepath.Join(c.dir, hex.EncodeToString(h[:8])+".json.gz")
}

// entry is what a file holds: the model, and the repository and salt it
// was made for, checked on every read, so that a file renamed, copied or
// swapped on disk is a miss.
type entry struct {
	// Key is a hash of the repository (which may be a URL, not written
	// to disk).
	Key    string           `json:"key"`
	Salt   string           `json:"salt"`
	Result *pipeline.Result `json:"result"`
}

// saltOf is a hash of the settings: they may name a repository URL,
// which is not written to disk.
func saltOf(salt []string) string {
	h := sha256.Sum256([]byte(strings.Join(salt, "\x00")))
	return hex.EncodeToString(h[:])
}

// keyOf is the hash of a repository stored in its entry.
func keyOf(repository string) string {
	h := sha256.Sum256([]byte("repository\x00" + repository))
	return hex.EncodeToString(h[:])
}

// Load returns the model of repository made with salt, or false.
func (c *Cache) Load(repository string, salt ...string) (*pipeline.Result, bool) {
	if c == nil {
		return nil, false
	}
	f, err := os.Open(c.file(repository))
	if err != nil {
		return nil, false
	}
	defer func() { _ = f.Close() }() // read-only
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, false
	}
	var e entry
	if err := json.NewDecoder(zr).Decode(&e); err != nil || e.Key != keyOf(repository) || e.Salt != saltOf(salt) || e.Result == nil || e.Result.Changelog == nil {
		return nil, false
	}
	return e.Result, true
}

// Save stores res as the model of repository made with salt.
func (c *Cache) Save(repository string, res *pipeline.Result, salt ...string) error {
	if c == nil {
		return nil
	}
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestSpeed) // a valid level never fails
	err := json.NewEncoder(zw).Encode(entry{Key: keyOf(repository), Salt: saltOf(salt), Result: res})
	if err == nil {
		err = zw.Close()
	}
	if err == nil {
		err = atomicfile.WriteFile(c.file(repository), buf.Bytes(), atomicfile.Options{NoSync: true})
	}
	if err != nil {
		return fmt.Errorf("report cache %s: %w", repository, err)
	}
	return nil
}
