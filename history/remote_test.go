package history

import "testing"

func TestCacheDir(t *testing.T) {
	for in, want := range map[string]string{
		"https://github.com/MicrosoftDocs/entra-docs":       "c/github.com_MicrosoftDocs_entra-docs.git",
		"https://user:token@github.com/MicrosoftDocs/x.git": "c/github.com_MicrosoftDocs_x.git",
		"git@github.com:MicrosoftDocs/entra-docs.git":       "c/github.com_MicrosoftDocs_entra-docs.git",
		"http://127.0.0.1:8080/docs.git":                    "c/127.0.0.1_8080_docs.git",
	} {
		if got := CacheDir("c", in); got != want {
			t.Errorf("CacheDir(c, %q) = %q, want %q", in, got, want)
		}
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
