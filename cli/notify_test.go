package cli

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/residiff/residiff/internal/smtptest"
	"github.com/rogpeppe/go-internal/testscript"
)

// standIn records the bodies posted to it, by path's first segment.
type standIn struct {
	*httptest.Server
	mu   sync.Mutex
	got  map[string][]string
	fail map[string]int // status codes to answer by first segment
}

func newStandIn(t *testing.T) *standIn {
	s := &standIn{got: map[string][]string{}, fail: map[string]int{}}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		who, _, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, "/"), "/")
		s.mu.Lock()
		defer s.mu.Unlock()
		if code := s.fail[who]; code != 0 {
			http.Error(w, "stand-in refuses", code)
			return
		}
		s.got[who] = append(s.got[who], string(body))
		if who == "teams" {
			w.WriteHeader(http.StatusAccepted)
			return
		}
		fmt.Fprint(w, "ok")
	}))
	t.Cleanup(s.Close)
	return s
}

// TestNotifyScripts runs testdata/notify: `config routes test` and
// `notify test` against loopback Slack (incoming webhook), Teams
// (Workflows URL), generic webhook and SMTP (STARTTLS) stand-ins. The
// script's `received NAME [SUBSTRING]` prints what stand-in NAME (slack,
// slack-eu, teams, hook, watch, ping, smtp) received so far (only the
// messages containing SUBSTRING), after their count.
func TestNotifyScripts(t *testing.T) {
	web := newStandIn(t)
	web.fail["broken"] = http.StatusBadGateway
	mail := smtptest.Start(t, smtptest.Options{})
	fixtures, err := filepath.Abs("../fixtures")
	if err != nil {
		t.Fatal(err)
	}
	testscript.Run(t, testscript.Params{
		Dir: "testdata/notify",
		Setup: func(env *testscript.Env) error {
			for k, v := range map[string]string{
				"SLACK_URL": web.URL + "/slack/T0/B0/SECRETPATH", "SLACK_EU_URL": web.URL + "/slack-eu/T0/B1/SECRETPATH",
				"TEAMS_URL": web.URL + "/teams/workflows/x?sig=SECRETSIG", "HOOK_URL": web.URL + "/hook/SECRETPATH",
				"HOOK_KEY": "hmac-SECRET-key", "SMTP_PASSWORD": mail.Password, "BROKEN_URL": web.URL + "/broken/SECRETPATH",
				"WATCH_HOOK_URL": web.URL + "/watch/SECRETPATH", "PING_BASE": web.URL + "/ping", "FIXTURES": fixtures,
			} {
				env.Setenv(k, v)
			}
			cfg := fmt.Sprintf(`repositories: [{path: %s}]
state: state.json
slack:
  webhook_url_env: SLACK_URL
  routes:
    - {scope: EU Data Boundary, webhook_url_env: SLACK_EU_URL}
    - {repository: none, page: "data-storage-australia*", webhook_url_env: SLACK_EU_URL}
teams:
  webhook_url_env: TEAMS_URL
  min_severity: medium
email:
  host: %s
  port: %d
  from: %s
  to: [audit@example.com]
  password_env: SMTP_PASSWORD
  tls_ca_file: %s
webhook:
  url_env: HOOK_URL
  secret_env: HOOK_KEY
  routes:
    - {page: "data-storage-japan", url_env: BROKEN_URL}
`, filepath.Join(env.WorkDir, "none.git"), mail.Host, mail.Port, mail.User, mail.CAFile)
			return os.WriteFile(filepath.Join(env.WorkDir, "residiff.yaml"), []byte(cfg), 0o644)
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"received": func(ts *testscript.TestScript, neg bool, args []string) {
				if len(args) < 1 || len(args) > 2 {
					ts.Fatalf("usage: received NAME [SUBSTRING]")
				}
				var got []string
				if args[0] == "smtp" {
					for _, m := range mail.Received() {
						got = append(got, string(m))
					}
				} else {
					web.mu.Lock()
					got = append(got, web.got[args[0]]...)
					web.mu.Unlock()
				}
				if len(args) == 2 {
					var with []string
					for _, g := range got {
						if strings.Contains(g, args[1]) {
							with = append(with, g)
						}
					}
					got = with
				}
				fmt.Fprintf(ts.Stdout(), "%d message(s)\n%s\n", len(got), strings.Join(got, "\n"))
			},
		},
	})
}
