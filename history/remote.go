package history

import (
	"crypto/sha256"
	"encoding/hex"
	neturl "net/url"
	"path/filepath"
	"regexp"
	"strings"

	githttp "github.com/go-git/go-git/v5/plumbing/transport/http"
)

// IsRemote reports whether repo names a remote (a URL, or ssh's scp-like
// user@host:path) rather than a local path.
func IsRemote(repo string) bool {
	return strings.Contains(repo, "://") || scpLike.MatchString(repo)
}

// scpLike matches the scp-like syntax of ssh remotes: user@host:path.
var scpLike = regexp.MustCompile(`^[\w.-]+@[\w.-]+:`)

var unsafeChars = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

// CacheDir is the directory under base that holds the clone of url: the
// URL without scheme and credentials, made safe as one directory name, and
// a hash of the whole normalised URL, so that two URLs that read alike once
// made safe ("/x/y.git", "/x_y.git") never share a clone.
//
// A query string's values (a token) are in neither: the name keeps no
// query at all, the hash its keys only.
func CacheDir(base, url string) string {
	url = stripCredentials(url)
	if q := strings.IndexAny(url, "?#"); q >= 0 {
		url = url[:q] + redactQuery(url[q:])
	}
	u := url
	if q := strings.IndexAny(u, "?#"); q >= 0 {
		u = u[:q]
	}
	if i := strings.Index(u, "://"); i >= 0 {
		u = u[i+3:]
	} else if scpLike.MatchString(u) {
		u = u[strings.Index(u, "@")+1:]
	}
	u = strings.TrimSuffix(strings.TrimSuffix(u, "/"), ".git")
	sum := sha256.Sum256([]byte(strings.ToLower(strings.TrimSuffix(strings.TrimSuffix(stripCredentials(url), "/"), ".git"))))
	return filepath.Join(base, strings.Trim(unsafeChars.ReplaceAllString(u, "_"), "_")+"-"+hex.EncodeToString(sum[:4])+".git")
}

// stripCredentials removes the userinfo of a URL.
func stripCredentials(raw string) string {
	if u, err := neturl.Parse(raw); err == nil && u.User != nil {
		u.User = nil
		return u.String()
	}
	return raw
}

// credentials splits the userinfo off a URL: the URL to store and fetch
// from, and the basic-auth credentials to send with each request (never
// written to the clone's configuration).
func credentials(raw string) (string, *githttp.BasicAuth) {
	u, err := neturl.Parse(raw)
	if err != nil || u.User == nil {
		return raw, nil
	}
	auth := &githttp.BasicAuth{Username: u.User.Username()}
	auth.Password, _ = u.User.Password()
	u.User = nil
	return u.String(), auth
}

// WebURL derives the web address of a GitHub repository from its clone
// URL (https or ssh), for permalinks; other remotes and local paths have
// none and return "".
func WebURL(remote string) string {
	u := strings.TrimSuffix(strings.TrimSuffix(remote, "/"), ".git")
	switch {
	case strings.HasPrefix(u, "git@github.com:"):
		return "https://github.com/" + strings.TrimPrefix(u, "git@github.com:")
	case strings.HasPrefix(u, "https://github.com/"), strings.HasPrefix(u, "http://github.com/"):
		return "https://github.com/" + u[strings.Index(u, "github.com/")+len("github.com/"):]
	}
	return ""
}
