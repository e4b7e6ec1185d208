// Package pagecache keeps extracted page versions on disk, addressed by
// the blob they were read from and by everything else the extraction
// depends on, so that a run reads each page version of a history once —
// a whole re-walk (a rewritten upstream, a deleted report file) then costs
// the walk, not the extraction.
//
// An entry is one gzipped JSON file named by its key; it holds the key
// and the salt again, and a read checks both, so that a file renamed,
// copied or swapped on disk is a miss, never another page. The folder of a
// cache is named by its salt: the build of residiff, the docs-source
// profile, the configured aliases and the limits. A change to any of them
// starts an empty folder, so an entry is never read by an extractor other
// than the one that wrote it. Entries are written without fsync: a file a
// crash truncates fails to decode and is a miss, never a wrong page.
package pagecache

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/residiff/residiff/extractor"
	"github.com/residiff/residiff/internal/atomicfile"
)

// maxIdle is how long a folder of another salt is kept unused before
// Open removes it.
const maxIdle = 30 * 24 * time.Hour

// Cache is a folder of extracted pages. Its methods never fail the
// caller: a cache that cannot be read or written is a miss.
type Cache struct {
	dir string
	// salt is the hash of the salt, stored in every entry.
	salt string
	// Failed is set when an entry could not be written; the first such
	// error is kept.
	Failed error
	hits   int
	misses int
}

// Open returns the cache of extractions made with salt under root,
// creating its folder. Folders of other salts left unused for 30 days are
// removed.
func Open(root string, salt ...string) (*Cache, error) {
	h := sha256.Sum256([]byte(strings.Join(salt, "\x00")))
	dir := filepath.Join(root, hex.EncodeToString(h[:8]))
	saltHash := hex.EncodeToString(h[:])
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("page cache: %w", err)
	}
	now := time.Now()
	_ = os.Chtimes(dir, now, now) // only ages the folder for cleanup
	if entries, err := os.ReadDir(root); err == nil {
		for _, e := range entries {
			if !e.IsDir() || filepath.Join(root, e.Name()) == dir {
				continue
			}
			if info, err := e.Info(); err == nil && now.Sub(info.ModTime()) > maxIdle {
				_ = os.RemoveAll(filepath.Join(root, e.Name())) // stale; a failure leaves it for next time
			}
		}
	}
	return &Cache{dir: dir, salt: saltHash}, nil
}

// Key is the address of one page version: its lineage name, its path and
// its blob id.
func Key(lineage, path, blob string) string {
	h := sha256.Sum256([]byte(lineage + "\x00" + path + "\x00" + blob))
	return hex.EncodeToString(h[:16])
}

// entry is what a file holds: the page and the address it was stored
// under.
type entry struct {
	Key  string          `json:"key"`
	Salt string          `json:"salt"`
	Page *extractor.Page `json:"page"`
}

func (c *Cache) file(key string) string {
	return filepath.Join(c.dir, key[:2], key+".json.gz")
}

// Get returns the page stored under key, or false.
func (c *Cache) Get(key string) (*extractor.Page, bool) {
	if c == nil || len(key) < 3 {
		return nil, false
	}
	f, err := os.Open(c.file(key))
	if err != nil {
		c.misses++
		return nil, false
	}
	defer func() { _ = f.Close() }() // read-only
	zr, err := gzip.NewReader(f)
	if err != nil {
		c.misses++
		return nil, false
	}
	var e entry
	if err := json.NewDecoder(zr).Decode(&e); err != nil || e.Key != key || e.Salt != c.salt || e.Page == nil {
		c.misses++
		return nil, false
	}
	if _, err := io.Copy(io.Discard, zr); err != nil { // checks the gzip trailer
		c.misses++
		return nil, false
	}
	c.hits++
	return e.Page, true
}

// Put stores page under key. A failure is kept in Failed.
func (c *Cache) Put(key string, page *extractor.Page) {
	if c == nil || len(key) < 3 {
		return
	}
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestSpeed) // a valid level never fails
	err := json.NewEncoder(zw).Encode(entry{Key: key, Salt: c.salt, Page: page})
	if err == nil {
		err = zw.Close()
	}
	if err == nil {
		err = atomicfile.WriteFile(c.file(key), buf.Bytes(), atomicfile.Options{NoSync: true})
	}
	if err != nil && c.Failed == nil {
		c.Failed = fmt.Errorf("page cache: %w", err)
	}
}

// Stats returns the hits and misses so far.
func (c *Cache) Stats() (hits, misses int) {
	if c == nil {
		return 0, 0
	}
	return c.hits, c.misses
}
