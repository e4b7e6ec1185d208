// Command serve serves the bare repositories under a folder over smart HTTP
// on loopback with git http-backend, for bench/run.sh's first-run
// measurements. It prints the base URL and serves until killed.
//
//	go run ./bench/serve -root bench/out
package main

import (
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"net/http/cgi"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

func main() {
	root := flag.String("root", ".", "folder holding the bare repositories")
	flag.Parse()
	execPath, err := exec.Command("git", "--exec-path").Output()
	if err != nil {
		log.Fatalf("serve: git --exec-path: %v", err)
	}
	abs, err := filepath.Abs(*root)
	if err != nil {
		log.Fatal(err)
	}
	h := &cgi.Handler{
		Path: filepath.Join(strings.TrimSpace(string(execPath)), "git-http-backend"),
		Env:  []string{"GIT_PROJECT_ROOT=" + abs, "GIT_HTTP_EXPORT_ALL=1"},
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("http://%s\n", l.Addr())
	_ = os.Stdout.Sync()
	log.Fatal(http.Serve(l, h))
}
