package email

import (
	"bufio"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"math/big"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/residiff/residiff/notifier"
	"github.com/residiff/residiff/notifier/delivery"
)

// relay is a hand-driven SMTP relay on 127.0.0.1 with STARTTLS, for the
// faults a real server library will not make: dropping the connection
// after the message's final "." (having queued it), and echoing the AUTH
// argument in its refusal.
type relay struct {
	ln       net.Listener
	pool     *x509.CertPool
	cert     tls.Certificate
	mode     string // "drop-after-data", "echo-auth"
	mu       sync.Mutex
	messages []string
	auths    []string
}

func startRelay(t *testing.T, mode string) *relay {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "127.0.0.1"},
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IsCA: true, BasicConstraintsValid: true}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	parsed, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	r := &relay{ln: ln, pool: x509.NewCertPool(), cert: tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, mode: mode}
	r.pool.AddCert(parsed)
	var wg sync.WaitGroup
	t.Cleanup(func() { _ = ln.Close(); wg.Wait() })
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			wg.Add(1)
			go func() { defer wg.Done(); r.serve(conn) }()
		}
	}()
	return r
}

func (r *relay) serve(conn net.Conn) {
	defer func() { _ = conn.Close() }()
	_ = conn.SetDeadline(time.Now().Add(10 * time.Second))
	rd, w := bufio.NewReader(conn), conn
	say := func(s string) { _, _ = w.Write([]byte(s + "\r\n")) }
	say("220 relay.test ESMTP")
	tlsOn := false
	for {
		line, err := rd.ReadString('\n')
		if err != nil {
			return
		}
		cmd := strings.TrimRight(line, "\r\n")
		verb := strings.ToUpper(strings.Fields(cmd + " x")[0])
		switch verb {
		case "EHLO", "HELO":
			if tlsOn {
				say("250-relay.test\r\n250 AUTH PLAIN")
			} else {
				say("250-relay.test\r\n250 STARTTLS")
			}
		case "STARTTLS":
			say("220 go ahead")
			tc := tls.Server(conn, &tls.Config{Certificates: []tls.Certificate{r.cert}})
			if tc.Handshake() != nil {
				return
			}
			conn, rd, w, tlsOn = tc, bufio.NewReader(tc), tc, true
		case "AUTH":
			arg := strings.TrimSpace(strings.TrimPrefix(cmd, strings.Fields(cmd)[0]))
			r.mu.Lock()
			r.auths = append(r.auths, arg)
			r.mu.Unlock()
			if r.mode == "echo-auth" {
				say("535 5.7.8 Authentication credentials invalid: " + arg)
				continue
			}
			say("235 2.7.0 ok")
		case "MAIL", "RCPT":
			say("250 ok")
		case "DATA":
			say("354 go on")
			var msg strings.Builder
			for {
				l, err := rd.ReadString('\n')
				if err != nil {
					return
				}
				if l == ".\r\n" {
					break
				}
				msg.WriteString(l)
			}
			r.mu.Lock()
			r.messages = append(r.messages, msg.String())
			r.mu.Unlock()
			if r.mode == "drop-after-data" {
				return // queued, and the answer is lost
			}
			say("250 queued")
		case "QUIT":
			say("221 bye")
			return
		default:
			say("502 no")
		}
	}
}

func (r *relay) sender() *Sender {
	addr := r.ln.Addr().(*net.TCPAddr)
	return &Sender{Label: "audit@example.com", Host: "127.0.0.1", Port: addr.Port, From: "residiff@example.com", To: []string{"audit@example.com"},
		Password: "correct-horse-battery", RootCAs: r.pool,
		Retry: delivery.Retry{MaxAttempts: 5, Sleep: func(context.Context, time.Duration) error { return nil }}}
}

// TestDropAfterDataIsNotRetried: the relay queues the message and drops
// the connection before answering the final ".": residiff sends it once,
// reports it uncertain (never sent again), and the message carries a
// Message-ID derived from its change ids.
func TestDropAfterDataIsNotRetried(t *testing.T) {
	r := startRelay(t, "drop-after-data")
	s := r.sender()
	items := fixtureItems(t)[:2]
	var uncertain, delivered []string
	var why string
	b := notifier.Batch{Destination: "email:audit@example.com", Title: "Residency changes", Items: items,
		Delivered: func(ids []string) error { delivered = append(delivered, ids...); return nil },
		Uncertain: func(ids []string, w string) error { uncertain, why = append(uncertain, ids...), w; return nil }}
	rc, err := s.Send(context.Background(), b)
	if err != nil {
		t.Fatal(err)
	}
	r.mu.Lock()
	copies := len(r.messages)
	first := ""
	if copies > 0 {
		first = r.messages[0]
	}
	r.mu.Unlock()
	if copies != 1 {
		t.Fatalf("the relay received %d copies, want 1", copies)
	}
	if len(uncertain) != len(items) || len(delivered) != 0 || rc.Messages != 1 || !strings.Contains(why, "not sent again") {
		t.Errorf("uncertain %v, delivered %v, receipt %+v, why %q", uncertain, delivered, rc, why)
	}
	want := MessageID(Message{IDs: idsOf(items)}, s.From)
	if !strings.Contains(first, "Message-ID: "+want+"\r\n") {
		t.Errorf("the message lacks Message-ID %s:\n%.400s", want, first)
	}
	// Without an Uncertain callback the outcome is an error, still one copy.
	b.Uncertain = nil
	if _, err := s.Send(context.Background(), b); err == nil || !strings.Contains(err.Error(), "may or may not have been delivered") {
		t.Errorf("err = %v", err)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.messages) != 2 || !strings.Contains(r.messages[1], "Message-ID: "+want+"\r\n") {
		t.Errorf("%d messages; the second must carry the same Message-ID", len(r.messages))
	}
}

// TestEchoingRelayPrintsNoCredential: a relay that refuses AUTH echoing
// its argument (base64 of the user and password) makes residiff print
// neither the argument nor the password.
func TestEchoingRelayPrintsNoCredential(t *testing.T) {
	r := startRelay(t, "echo-auth")
	s := r.sender()
	_, err := s.Send(context.Background(), notifier.Batch{Destination: "email:audit@example.com", Items: fixtureItems(t)[:1]})
	if err == nil {
		t.Fatal("a refused AUTH delivered")
	}
	r.mu.Lock()
	auths := append([]string(nil), r.auths...)
	r.mu.Unlock()
	if len(auths) == 0 {
		t.Fatal("the relay saw no AUTH")
	}
	cred := base64.StdEncoding.EncodeToString([]byte("\x00residiff@example.com\x00correct-horse-battery"))
	msg := err.Error()
	for _, secret := range []string{cred, cred[:16], "correct-horse-battery", strings.Fields(auths[0] + " x")[1]} {
		if strings.Contains(msg, secret) {
			t.Errorf("error %q carries %q", msg, secret)
		}
	}
	if !strings.Contains(msg, "535") {
		t.Errorf("error %q: want the refusal's code", msg)
	}
}
