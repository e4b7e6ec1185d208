package history

import (
	"strings"
	"testing"
)

// TestRedact: every URL form residiff may print loses its secrets and
// keeps what tells a person which repository it is.
func TestRedact(t *testing.T) {
	for in, want := range map[string]string{
		"https://github.com/MicrosoftDocs/entra-docs":                                        "https://github.com/MicrosoftDocs/entra-docs",
		"https://user:s3cret@git.example/docs.git":                                           "https://***@git.example/docs.git",
		"https://ghp_s3cret@github.com/o/r.git":                                              "https://***@github.com/o/r.git",
		"https://u:p@ss/w0rd@git.example/docs.git":                                           "https://***@git.example/docs.git",
		"https://git.example/docs.git?access_token=s3cret":                                   "https://git.example/docs.git?access_token=***",
		"https://git.example/docs.git?a=1&private_token=s3cret;sig=s3cret#frag":              "https://git.example/docs.git?a=***&private_token=***;sig=***#frag",
		"https://git.example/docs.git?s3cret":                                                "https://git.example/docs.git?***",
		"https://git.example/docs.git#token=s3cret":                                          "https://git.example/docs.git#token=***",
		"HTTPS://U:s3cret@GIT.EXAMPLE/docs.git?Token=s3cret":                                 "HTTPS://***@GIT.EXAMPLE/docs.git?Token=***",
		"ssh://git:s3cret@git.example:22/docs.git":                                           "ssh://***@git.example:22/docs.git",
		"git@github.com:o/r.git":                                                             "git@github.com:o/r.git",
		"deploy:s3cret@git.example:o/r.git":                                                  "***@git.example:o/r.git",
		"s3cret@git.example:o/r.git":                                                         "***@git.example:o/r.git",
		`"https://git.example/x.git/info/refs?service=git-upload-pack&access_token=s3cret":`: `"https://git.example/x.git/info/refs?service=git-upload-pack&access_token=***":`,
		"/srv/docs.git": "/srv/docs.git",
	} {
		if got := Redact(in); got != want {
			t.Errorf("Redact(%q) = %q, want %q", in, got, want)
		}
		if strings.Contains(Redact(in), "s3cret") {
			t.Errorf("Redact(%q) keeps the secret", in)
		}
	}
	msg := `unexpected client error: unexpected requesting "https://u:s3cret@h/x.git/info/refs?service=git-upload-pack&access_token=s3cret" status code: 404`
	if got := scrub(msg); strings.Contains(got, "s3cret") || !strings.Contains(got, "status code: 404") || !strings.Contains(got, "service=git-upload-pack") {
		t.Errorf("scrub: %q", got)
	}
}

// TestCacheDirHoldsNoSecret: the clone's folder (printed in progress and
// warnings) names the repository without its token, and a rotated token
// keeps the same clone.
func TestCacheDirHoldsNoSecret(t *testing.T) {
	a := CacheDir("/c", "https://git.example/docs.git?access_token=s3cret")
	b := CacheDir("/c", "https://git.example/docs.git?access_token=rotated")
	if strings.Contains(a, "s3cret") || a != b {
		t.Errorf("CacheDir: %q and %q", a, b)
	}
	if c := CacheDir("/c", "https://u:s3cret@git.example/docs.git"); strings.Contains(c, "s3cret") || c != CacheDir("/c", "https://git.example/docs.git") {
		t.Errorf("CacheDir with userinfo: %q", c)
	}
	if CacheDir("/c", "https://git.example/docs.git?ref=a") == CacheDir("/c", "https://git.example/docs.git") {
		t.Error("a URL with a query shares the clone of the URL without")
	}
}

func TestURLSecret(t *testing.T) {
	for url, want := range map[string]string{
		"https://github.com/o/r.git":              "",
		"git@github.com:o/r.git":                  "",
		"https://u:p@h/r.git":                     "password",
		"https://ghp_x@h/r.git":                   "user name",
		"https://h/r.git?access_token=x":          "query",
		"https://h/r.git?service=git-upload-pack": "",
		"deploy:x@h:o/r.git":                      "user name",
	} {
		got := URLSecret(url)
		if (want == "") != (got == "") || !strings.Contains(got, want) {
			t.Errorf("URLSecret(%q) = %q, want %q", url, got, want)
		}
	}
}
