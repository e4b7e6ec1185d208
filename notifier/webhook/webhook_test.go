package webhook

import (
	"context"
	"crypto/hmac"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/residiff/residiff/internal/fixtureitems"
	"github.com/residiff/residiff/notifier"
	"github.com/residiff/residiff/notifier/delivery"
)

const signingKey = "hmac-key-NEVER-PRINTED"

// receiver is a loopback webhook receiver that checks signatures and
// answers from a script of status codes (then 200).
type receiver struct {
	*httptest.Server
	mu        sync.Mutex
	script    []int
	attempts  int
	accepted  []Payload
	badSigned int
	ids       []string
}

func newReceiver(t *testing.T, script ...int) *receiver {
	rc := &receiver{script: script}
	rc.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		rc.mu.Lock()
		defer rc.mu.Unlock()
		rc.attempts++
		if !hmac.Equal([]byte(r.Header.Get(SignatureHeader)), []byte(Sign(signingKey, body))) {
			rc.badSigned++
			http.Error(w, "bad signature", http.StatusUnauthorized)
			return
		}
		if len(rc.script) > 0 {
			code := rc.script[0]
			rc.script = rc.script[1:]
			if code == 429 {
				w.Header().Set("Retry-After", "1")
			}
			// A receiver echoing what it was sent must not make residiff
			// print a secret.
			http.Error(w, "try later; you sent "+r.URL.String()+" "+r.Header.Get(SignatureHeader), code)
			return
		}
		var p Payload
		if err := json.Unmarshal(body, &p); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		rc.accepted = append(rc.accepted, p)
		rc.ids = append(rc.ids, r.Header.Get(DeliveryHeader))
	}))
	t.Cleanup(rc.Close)
	return rc
}

func noSleep(waits *[]time.Duration) delivery.Retry {
	return delivery.Retry{MaxAttempts: 4, BaseDelay: time.Millisecond, MaxDelay: time.Millisecond, MaxRetryAfter: time.Minute,
		Sleep: func(_ context.Context, d time.Duration) error { *waits = append(*waits, d); return nil }}
}

// TestSendSignedWithRetries: a 503 and a 429 are retried (the 429 after
// its Retry-After), the body is signed and carries the changes, the ids
// are reported delivered, and a later identical batch has the same
// delivery id.
func TestSendSignedWithRetries(t *testing.T) {
	rc := newReceiver(t, 503, 429)
	items := fixtureitems.Items(t)[:3]
	var waits []time.Duration
	w := &Webhook{Label: "$HOOK", URL: rc.URL + "/hooks/PATH-SECRET-123", Secret: signingKey, Retry: noSleep(&waits)}
	var delivered []string
	b := notifier.Batch{Destination: "webhook:HOOK", Title: "Residency changes", Items: items, Pending: 3,
		Delivered: func(ids []string) error { delivered = append(delivered, ids...); return nil }}
	got, err := w.Send(context.Background(), b)
	if err != nil {
		t.Fatal(err)
	}
	if rc.attempts != 3 || rc.badSigned != 0 || len(rc.accepted) != 1 || got.Messages != 1 {
		t.Fatalf("attempts %d, bad signatures %d, accepted %d, receipt %+v: want 3 attempts, one signed message", rc.attempts, rc.badSigned, len(rc.accepted), got)
	}
	if len(waits) != 2 || waits[1] != time.Second {
		t.Errorf("waits %v: want a back-off, then the 429's Retry-After of 1s", waits)
	}
	p := rc.accepted[0]
	if p.SchemaVersion != SchemaVersion || p.Kind != "changes" || len(p.Changes) != 3 || p.Changes[0].Change.ID != items[0].Change.ID || p.Changes[0].Page != items[0].Page {
		t.Errorf("payload %+v: want the three changes as JSON", p)
	}
	if strings.Join(delivered, ",") != strings.Join(p.IDs(), ",") || len(delivered) != 3 {
		t.Errorf("delivered %v, want %v", delivered, p.IDs())
	}
	if _, err := w.Send(context.Background(), b); err != nil {
		t.Fatal(err)
	}
	if len(rc.ids) != 2 || rc.ids[0] != rc.ids[1] || rc.ids[0] == "" {
		t.Errorf("delivery ids %v: want the same id for the same changes", rc.ids)
	}
}

// TestErrorsCarryNoSecret: the receiver's failures, echoing the URL and
// the signature, are reported without the URL's path or the key; a 4xx
// other than 429 is not retried.
func TestErrorsCarryNoSecret(t *testing.T) {
	for _, tt := range []struct {
		name     string
		script   []int
		attempts int
	}{
		{"server errors until the attempts run out", []int{500, 502, 503, 504, 500}, 4},
		{"a client error is final", []int{404}, 1},
	} {
		t.Run(tt.name, func(t *testing.T) {
			rc := newReceiver(t, tt.script...)
			var waits []time.Duration
			w := &Webhook{Label: "$HOOK", URL: rc.URL + "/hooks/PATH-SECRET-123?token=QUERY-SECRET-456", Secret: signingKey, Retry: noSleep(&waits)}
			_, err := w.Send(context.Background(), notifier.Batch{Destination: "webhook:HOOK", Items: fixtureitems.Items(t)[:1]})
			if err == nil {
				t.Fatal("no error")
			}
			msg := err.Error()
			for _, secret := range []string{"PATH-SECRET-123", "QUERY-SECRET-456", signingKey, Sign(signingKey, nil)[:20]} {
				if strings.Contains(msg, secret) {
					t.Errorf("error %q carries %q", msg, secret)
				}
			}
			if !strings.Contains(msg, "webhook $HOOK") || rc.attempts != tt.attempts {
				t.Errorf("error %q after %d attempt(s): want it named, after %d", msg, rc.attempts, tt.attempts)
			}
		})
	}
}

// TestSplitAndHeartbeat: a batch past MaxChanges is split and numbered; a
// heartbeat is one message with its text and no change.
func TestSplitAndHeartbeat(t *testing.T) {
	items := fixtureitems.Items(t)
	if len(items) <= MaxChanges {
		t.Skipf("the fixture has %d changes, not more than %d", len(items), MaxChanges)
	}
	ps := payloads(notifier.Batch{Destination: "d", Items: items, Digest: true})
	total := 0
	for i, p := range ps {
		total += len(p.Changes)
		if p.Kind != "digest" || p.Part != i+1 || p.Parts != len(ps) || len(p.Changes) > MaxChanges {
			t.Errorf("part %d: %+v", i, p)
		}
	}
	if total != len(items) {
		t.Errorf("%d changes in the parts, want %d", total, len(items))
	}
	hb := payloads(notifier.Batch{Destination: "d", Heartbeat: "still watching"})
	if len(hb) != 1 || hb[0].Kind != "heartbeat" || hb[0].Text != "still watching" || hb[0].Changes == nil {
		t.Errorf("heartbeat %+v", hb)
	}
}

// TestSection: the section's validation, secrets and a built destination
// that reads its secrets from the environment.
func TestSection(t *testing.T) {
	c := Kind().New().(*Config)
	c.Fill("/")
	if errs := c.Validate(); len(errs) != 1 || !strings.Contains(errs[0].Error(), "url_env is required") {
		t.Errorf("empty section: %v", errs)
	}
	c.URLEnv, c.SecretEnv = "HOOK_URL", "HOOK_KEY"
	c.Routes = []Route{{URLEnv: "EU_HOOK"}}
	c.Routes[0].Scope = "EU Data Boundary"
	if errs := c.Validate(); len(errs) != 0 {
		t.Errorf("valid section: %v", errs)
	}
	env := notifier.Env{Getenv: func(k string) string {
		return map[string]string{"HOOK_URL": "http://127.0.0.1:9/a", "EU_HOOK": "http://127.0.0.1:9/eu", "HOOK_KEY": "k"}[k]
	}}
	ns, err := c.Build(env)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := ns["webhook:EU_HOOK"]; !ok || len(ns) != 2 || c.Policy().Routes[0].Destination != "webhook:EU_HOOK" {
		t.Errorf("built %v, policy %+v", ns, c.Policy())
	}
	env.Getenv = func(k string) string {
		return map[string]string{"HOOK_URL": "http://hooks.example/a", "EU_HOOK": "x", "HOOK_KEY": "k"}[k]
	}
	if _, err := c.Build(env); err == nil || strings.Contains(err.Error(), "hooks.example") {
		t.Errorf("a plain-http URL: %v, want an error that does not echo it", err)
	}
}
