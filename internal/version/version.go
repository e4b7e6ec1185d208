// Package version says which residiff this is: the version, the commit
// and the build date. A release build stamps them with the linker
// (GoReleaser passes -X for version, commit and date; see .goreleaser.yaml);
// other builds take them from the build information Go records in the
// binary (the module version of `go install …@v1.2.3`, the VCS revision
// and time of a build in a git checkout). A build with neither (a source
// tarball, -buildvcs=false) reports "devel-" and the first 12 hex digits
// of its executable's SHA-256, which tells two such builds apart.
package version

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"sync"
)

// Info is what a build knows about itself.
type Info struct {
	Version string `json:"version"`
	Commit  string `json:"commit,omitempty"`
	Date    string `json:"date,omitempty"`
	Go      string `json:"go"`
}

// Stamped by release builds with the linker:
//
//	-X github.com/residiff/residiff/internal/version.version=1.2.3
//	-X github.com/residiff/residiff/internal/version.commit=<full hash>
//	-X github.com/residiff/residiff/internal/version.date=<RFC 3339>
//
// They are set once, at link time, and never written by the program.
var (
	version string
	commit  string
	date    string
)

// Get reads the build information of the running binary: what the linker
// stamped, else what Go recorded.
func Get() Info {
	info := fromBuildInfo()
	if version != "" {
		info.Version = version
		if commit != "" {
			info.Commit = commit
		}
		if date != "" {
			info.Date = date
		}
	}
	if info.Version == "" || info.Version == "(devel)" {
		info.Version = develVersion()
	}
	return info
}

// develVersion names a build without version or VCS stamp by its
// executable: "devel-0123456789ab", or "devel" when it cannot be read.
var develVersion = sync.OnceValue(func() string {
	sum, err := exeSum()
	if err != nil || len(sum) < 12 {
		return "devel"
	}
	return "devel-" + sum[:12]
})

func fromBuildInfo() Info {
	var info Info
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return info
	}
	info.Go = bi.GoVersion
	info.Version = bi.Main.Version
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
	sum, err := exeSum()
	if err != nil {
		return "", err
	}
	return "sha256:" + sum, nil
}

// exeSum is the hex SHA-256 of the running executable.
func exeSum() (string, error) {
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
	return hex.EncodeToString(h.Sum(nil)), nil
}
