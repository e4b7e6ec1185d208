package cli

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"residiff": func() {
			os.Exit(Main(context.Background(), os.Args[1:], Streams{In: os.Stdin, Out: os.Stdout, Err: os.Stderr}))
		},
	})
}

// TestScripts runs the residiff binary through the scripts in
// testdata/script: each is a small shell session with its expected output.
func TestScripts(t *testing.T) {
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	testscript.Run(t, testscript.Params{
		Dir: "testdata/script",
		Setup: func(env *testscript.Env) error {
			env.Setenv("FIXTURES", filepath.Join(root, "fixtures"))
			env.Setenv("XDG_CACHE_HOME", filepath.Join(env.WorkDir, ".cache"))
			return nil
		},
	})
}

func TestCacheName(t *testing.T) {
	for in, want := range map[string]string{
		"https://github.com/MicrosoftDocs/entra-docs":       "github.com_MicrosoftDocs_entra-docs.git",
		"https://user:token@github.com/MicrosoftDocs/x.git": "github.com_MicrosoftDocs_x.git",
		"git@github.com:MicrosoftDocs/entra-docs.git":       "github.com_MicrosoftDocs_entra-docs.git",
		"http://127.0.0.1:8080/docs.git":                    "127.0.0.1_8080_docs.git",
	} {
		if got := cacheName(in); got != want {
			t.Errorf("cacheName(%q) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]string{
		"https://github.com/MicrosoftDocs/entra-docs.git": "https://github.com/MicrosoftDocs/entra-docs",
		"git@github.com:MicrosoftDocs/entra-docs.git":     "https://github.com/MicrosoftDocs/entra-docs",
		"/srv/docs":                    "",
		"https://example.com/docs.git": "",
	} {
		if got := webURLOf(in); got != want {
			t.Errorf("webURLOf(%q) = %q, want %q", in, got, want)
		}
	}
}
