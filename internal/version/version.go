// Package version says which residiff this is: the module version, the
// commit and the build date, from the build information Go records in the
// binary.
package version

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"runtime/debug"
)

// Info is what a build knows about itself.
type Info struct {
	Version string `json:"version"`
	Commit  string `json:"commit,omitempty"`
	Date    string `json:"date,omitempty"`
	Go      string `json:"go"`
}

// Get reads the build information of the running binary.
func Get() Info {
	info := Info{Version: "(devel)"}
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return info
	}
	info.Go = bi.GoVersion
	if v := bi.Main.Version; v != "" {
		info.Version = v
	}
	dirty := false
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			info.Commit = s.Value
		case "vcs.time":
			info.Date = s.Value
		case "vcs.modified":
			dirty = s.Value == "true"
		}
	}
	if dirty && info.Commit != "" {
		info.Commit += "-dirty"
	}
	return info
}

// String is the one-line form: "v1.2.3 (commit 1a2b3c4, 2026-11-29)".
func (i Info) String() string {
	s := i.Version
	switch {
	case i.Commit != "" && i.Date != "":
		s += fmt.Sprintf(" (commit %.7s, %s)", i.Commit, i.Date)
	case i.Commit != "":
		s += fmt.Sprintf(" (commit %.7s)", i.Commit)
	}
	return s
}

// UserAgent is the HTTP User-Agent residiff sends: "residiff/<version>".
func (i Info) UserAgent() string { return "residiff/" + i.Version }

// Code identifies the code of the running binary, for caches of what it
// computed: the commit it was built from when the build is clean, else a
// hash of the executable itself (a development build changes with every
// edit, and its version says nothing of that).
func Code() (string, error) {
	if bi, ok := debug.ReadBuildInfo(); ok {
		rev, dirty := "", true
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				rev = s.Value
			case "vcs.modified":
				dirty = s.Value == "true"
			}
		}
		if rev != "" && !dirty {
			return bi.Main.Path + "@" + rev, nil
		}
	}
	exe, err := os.Executable()
	if err != nil {
		return "", fmt.Errorf("identify the residiff binary: %w", err)
	}
	f, err := os.Open(exe)
	if err != nil {
		return "", fmt.Errorf("identify the residiff binary: %w", err)
	}
	defer func() { _ = f.Close() }() // read-only
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", fmt.Errorf("identify the residiff binary: %w", err)
	}
	return "sha256:" + hex.EncodeToString(h.Sum(nil)), nil
}
