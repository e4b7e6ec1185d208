package config

import (
	"errors"
	"strings"
	"testing"
)

func TestCheckURL(t *testing.T) {
	for _, tc := range []struct {
		url, want string // want "" means accepted
	}{
		{"https://compliance.example/report.html", ""},
		{"http://127.0.0.1:8080/hook", ""},
		{"http://[::1]/hook", ""},
		{"http://localhost/hook", ""},
		{"compliance.example/report", "absolute URL"},
		{"github.com/MicrosoftDocs/entra-docs", "absolute URL"},
		{"/report.html", "absolute URL"},
		{"http://compliance.example/report", "want https"},
		{"ftp://compliance.example/report", `scheme "ftp"`},
		{"https://%zz", "not a URL"},
	} {
		err := CheckURL(tc.url)
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("CheckURL(%q) = %v, want nil", tc.url, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("CheckURL(%q) = %v, want %q", tc.url, err, tc.want)
		}
	}
}

func TestCheckValues(t *testing.T) {
	data := []byte(`repositories:
  - url: https://github.com/MicrosoftDocs/entra-docs.git
slack:
  webhook_url_env: HOOK
  routes:
    - scope: EU Data Boundry
      webhook_url_env: EU
    - region: japan
      webhook_url_env: JP
    - region: Mars
      webhook_url_env: MARS
    - page: data-storage-ue
      webhook_url_env: P
    - repository: entra-doc
      webhook_url_env: R
    - repository: entra-docs
      webhook_url_env: R2
`)
	c, err := Parse(strings.NewReader(string(data)), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	lines := LinesOf(data)
	got := join(c.CheckValues(lines, c.ProfileVocabulary()))
	for _, want := range []string{
		`line 6: slack.routes[0].scope "EU Data Boundry": no scope of the configured profiles is called that (did you mean "EU Data Boundary"?)`,
		`line 10: slack.routes[2].region "Mars": no region of the configured profiles is called that (want "Australia and New Zealand", "Australia", "Japan", "Europe")`,
		`line 14: slack.routes[4].repository "entra-doc": no configured repository is called that (did you mean "entra-docs"?)`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("CheckValues:\n%s\nwant a line %q", got, want)
		}
	}
	if strings.Contains(got, "japan") || strings.Contains(got, "page") || strings.Contains(got, "routes[5]") {
		t.Errorf("CheckValues flagged a right region or repository, or an unchecked page:\n%s", got)
	}
	pages := join(c.CheckRoutePages(lines, []string{"data-storage-eu", "data-storage-japan"}))
	if want := `line 12: slack.routes[3].page "data-storage-ue": matches no page followed (a page is named by its file name without .md) (did you mean "data-storage-eu"?)`; pages != want {
		t.Errorf("CheckRoutePages = %q, want %q", pages, want)
	}
}

func TestLocate(t *testing.T) {
	lines := LinesOf([]byte("heartbeat: hourly\nslack:\n  max_attempts: 99\nemail:\n  host: x\n"))
	for _, tc := range []struct{ err, want string }{
		{`heartbeat "hourly": want weekly, daily or off`, `line 1: heartbeat "hourly"`},
		{`slack.max_attempts 99: want 1 to 20`, `line 3: slack.max_attempts`},
		{`email.port 0: want 1 to 65535`, `line 4: email.port`}, // absent key: its section's line
		{`email: host, from and to are required`, `line 4: email:`},
		{`first_run "x": want summary`, `first_run "x"`},
		{`line 7: unknown key "x"`, `line 7: unknown key`},
	} {
		if got := lines.Locate(errors.New(tc.err)).Error(); !strings.HasPrefix(got, tc.want) {
			t.Errorf("Locate(%q) = %q, want prefix %q", tc.err, got, tc.want)
		}
	}
}

func join(errs []error) string {
	var s []string
	for _, e := range errs {
		s = append(s, e.Error())
	}
	return strings.Join(s, "\n")
}
