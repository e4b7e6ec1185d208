package history

import (
	"strings"
	"testing"
)

func TestCacheDir(t *testing.T) {
	for in, want := range map[string]string{
		"https://github.com/MicrosoftDocs/entra-docs": "c/github.com_MicrosoftDocs_entra-docs-",
		"git@github.com:MicrosoftDocs/entra-docs.git": "c/github.com_MicrosoftDocs_entra-docs-",
		"http://127.0.0.1:8080/docs.git":              "c/127.0.0.1_8080_docs-",
	} {
		if got := CacheDir("c", in); !strings.HasPrefix(got, want) || !strings.HasSuffix(got, ".git") {
			t.Errorf("CacheDir(c, %q) = %q, want %q<hash>.git", in, got, want)
		}
	}
	// Credentials never change the folder (a rotated token keeps the
	// clone), and never appear in it.
	plain, withToken := CacheDir("c", "https://github.com/MicrosoftDocs/x.git"), CacheDir("c", "https://user:s3cr3t@github.com/MicrosoftDocs/x.git")
	if plain != withToken || strings.Contains(withToken, "s3cr3t") {
		t.Errorf("credentials change the cache folder: %q vs %q", plain, withToken)
	}
	// URLs that read alike once made safe never share a clone.
	if a, b := CacheDir("c", "https://example.com/x/y.git"), CacheDir("c", "https://example.com/x_y.git"); a == b {
		t.Errorf("two repositories share the cache folder %q", a)
	}
}

func TestWebURL(t *testing.T) {
	for in, want := range map[string]string{
		"https://github.com/MicrosoftDocs/entra-docs.git": "https://github.com/MicrosoftDocs/entra-docs",
		"git@github.com:MicrosoftDocs/entra-docs.git":     "https://github.com/MicrosoftDocs/entra-docs",
		"/srv/docs":                    "",
		"https://example.com/docs.git": "",
	} {
		if got := WebURL(in); got != want {
			t.Errorf("WebURL(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestIsRemote(t *testing.T) {
	for in, want := range map[string]bool{
		"https://github.com/x/y": true, "git@github.com:x/y.git": true, "file:///srv/x": true,
		"/srv/docs": false, "fixtures/upstream.git": false, "C:dir": false,
	} {
		if got := IsRemote(in); got != want {
			t.Errorf("IsRemote(%q) = %v, want %v", in, got, want)
		}
	}
}
