package job

import (
	"bytes"
	"crypto/hmac"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/residiff/residiff/config"
	"github.com/residiff/residiff/notifier/webhook"
)

// TestWebhookThroughTheRegistry: a webhook: section the job has never
// heard of by name is read, routed, retried, signed and recorded through
// notifier.Section alone; the second run sends nothing again, and no
// secret reaches the log.
func TestWebhookThroughTheRegistry(t *testing.T) {
	h := newHarness(t)
	var mu sync.Mutex
	var bodies []string
	fails := 1
	rcv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		mu.Lock()
		defer mu.Unlock()
		if !hmac.Equal([]byte(r.Header.Get(webhook.SignatureHeader)), []byte(webhook.Sign("KEY-never-printed", body))) {
			http.Error(w, "bad signature", http.StatusUnauthorized)
			return
		}
		if fails > 0 {
			fails--
			http.Error(w, "busy", http.StatusServiceUnavailable)
			return
		}
		bodies = append(bodies, string(body))
	}))
	defer rcv.Close()
	cfg, err := config.Parse(strings.NewReader(fmt.Sprintf(`
repositories:
  - url: %s
    branch: main
first_run: all
webhook:
  url_env: HOOK_URL
  secret_env: HOOK_KEY
  min_severity: low
`, h.up.url)), h.dir)
	if err != nil {
		t.Fatal(err)
	}
	h.cfg = cfg
	h.up.commit("docs/fundamentals/data-storage-eu.md", "data-storage-eu", "2023-08-17", "2023-08-17")
	h.up.commit("docs/fundamentals/data-storage-eu.md", "data-storage-eu", "2024-02-16", "2024-02-16")
	h.up.push(false)
	var log bytes.Buffer
	env := func(o *Options) {
		o.Log = &log
		o.Getenv = func(k string) string {
			return map[string]string{"HOOK_URL": rcv.URL + "/hook/PATH-SECRET", "HOOK_KEY": "KEY-never-printed"}[k]
		}
	}
	out, err := h.run(env)
	if err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	sent := strings.Join(bodies, "\n")
	n := len(bodies)
	mu.Unlock()
	if n == 0 || out.Delivered != len(out.New) || !strings.Contains(sent, `"kind":"changes"`) || !strings.Contains(sent, "Azure Customer Lockbox") {
		t.Fatalf("%d bodies, delivered %d of %d changes:\n%.400s", n, out.Delivered, len(out.New), sent)
	}
	st := h.state()
	if len(st.Outbox) != 0 || len(st.Delivered) != len(out.New) {
		t.Errorf("state: %d pending, %d delivered", len(st.Outbox), len(st.Delivered))
	}
	for k := range st.Delivered {
		if !strings.HasPrefix(k, "webhook:HOOK_URL ") {
			t.Errorf("delivery key %q", k)
		}
	}
	if _, err := h.run(env); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	again := len(bodies) - n
	mu.Unlock()
	if again != 0 {
		t.Errorf("the second run sent %d message(s) again", again)
	}
	if strings.Contains(log.String(), "PATH-SECRET") || strings.Contains(log.String(), "KEY-never") {
		t.Errorf("the log carries a secret:\n%s", log.String())
	}
}
