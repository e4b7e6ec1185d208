package history

import (
	"path/filepath"
	"regexp"
	"strings"
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
// URL without scheme and credentials, made safe as one directory name.
func CacheDir(base, url string) string {
	u := url
	if i := strings.Index(u, "://"); i >= 0 {
		u = u[i+3:]
	}
	if i := strings.LastIndex(u, "@"); i >= 0 { // drop credentials
		u = u[i+1:]
	}
	u = strings.TrimSuffix(strings.TrimSuffix(u, "/"), ".git")
	return filepath.Join(base, strings.Trim(unsafeChars.ReplaceAllString(u, "_"), "_")+".git")
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
