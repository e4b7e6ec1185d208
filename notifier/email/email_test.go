package email

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"io"
	"math/big"
	"mime"
	"mime/multipart"
	"net"
	"net/mail"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
	"github.com/residiff/residiff/differ"
	"github.com/residiff/residiff/history"
	goldenfile "github.com/residiff/residiff/internal/golden"
	"github.com/residiff/residiff/model"
	"github.com/residiff/residiff/notifier"
	"github.com/residiff/residiff/notifier/delivery"
	"github.com/residiff/residiff/pipeline"
	"github.com/residiff/residiff/source/entra"
)

const (
	user     = "residiff@example.com"
	password = "correct-horse-battery"
)

// server is an SMTP server on loopback (go-smtp: the real protocol, with
// STARTTLS and PLAIN authentication) that keeps what it receives and can
// refuse recipients with scripted codes.
type server struct {
	addr    string
	pool    *x509.CertPool
	mu      sync.Mutex
	got     [][]byte
	rcpt    []int // scripted RCPT answers, then accept
	authErr int
}

type session struct{ s *server }

func (ss *session) AuthMechanisms() []string { return []string{sasl.Plain} }
func (ss *session) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, u, p string) error {
		if u != user || p != password {
			ss.s.mu.Lock()
			ss.s.authErr++
			ss.s.mu.Unlock()
			return &smtp.SMTPError{Code: 535, EnhancedCode: smtp.EnhancedCode{5, 7, 8}, Message: "authentication failed"}
		}
		return nil
	}), nil
}
func (ss *session) Mail(string, *smtp.MailOptions) error { return nil }
func (ss *session) Rcpt(string, *smtp.RcptOptions) error {
	ss.s.mu.Lock()
	defer ss.s.mu.Unlock()
	if len(ss.s.rcpt) > 0 {
		code := ss.s.rcpt[0]
		ss.s.rcpt = ss.s.rcpt[1:]
		return &smtp.SMTPError{Code: code, Message: "scripted"}
	}
	return nil
}
func (ss *session) Data(r io.Reader) error {
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	ss.s.mu.Lock()
	ss.s.got = append(ss.s.got, data)
	ss.s.mu.Unlock()
	return nil
}
func (ss *session) Reset()        {}
func (ss *session) Logout() error { return nil }

func newServer(t *testing.T, starttls bool) *server {
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
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	s := &server{pool: x509.NewCertPool()}
	s.pool.AddCert(cert)
	srv := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return &session{s: s}, nil }))
	srv.Domain = "127.0.0.1"
	if starttls {
		srv.TLSConfig = &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}}
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s.addr = l.Addr().String()
	go func() { _ = srv.Serve(l) }()
	t.Cleanup(func() { _ = srv.Close() })
	return s
}

func (s *server) sender(t *testing.T) *Sender {
	host, port, _ := net.SplitHostPort(s.addr)
	p, _ := strconv.Atoi(port)
	return &Sender{Label: "compliance@example.com", Host: host, Port: p, From: user, To: []string{"compliance@example.com", "audit@example.com"},
		Username: user, Password: password, RootCAs: s.pool,
		Retry: delivery.Retry{MaxAttempts: 3, Sleep: func(context.Context, time.Duration) error { return nil }},
		Now:   func() time.Time { return time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC) }}
}

func fixtureItems(t *testing.T) []model.Item {
	t.Helper()
	ctx := context.Background()
	repo, err := history.Open(ctx, "../../fixtures/upstream.git")
	if err != nil {
		t.Fatal(err)
	}
	defer repo.Close()
	res, err := pipeline.Build(ctx, repo, pipeline.Options{Profile: entra.Profile(), WebURL: "https://github.com/MicrosoftDocs/entra-docs"})
	if err != nil {
		t.Fatal(err)
	}
	var out []model.Item
	for _, it := range model.ItemsOf("entra-docs", res.Changelog) {
		if it.Change.Severity >= differ.Medium {
			out = append(out, it)
		}
	}
	return out
}

// parts reads a received message: its headers and its text and HTML parts.
func parts(t *testing.T, raw []byte) (*mail.Message, string, string) {
	t.Helper()
	m, err := mail.ReadMessage(strings.NewReader(string(raw)))
	if err != nil {
		t.Fatal(err)
	}
	mt, params, err := mime.ParseMediaType(m.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/alternative" {
		t.Fatalf("content type %q (%v)", m.Header.Get("Content-Type"), err)
	}
	mr := multipart.NewReader(m.Body, params["boundary"])
	var text, html string
	for {
		p, err := mr.NextPart() // decodes quoted-printable
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(p)
		switch ct, _, _ := mime.ParseMediaType(p.Header.Get("Content-Type")); ct {
		case "text/plain":
			text = string(body)
		case "text/html":
			html = string(body)
		}
	}
	return m, text, html
}

// TestSendFixture: the changes of the 2024 restructure, sent over SMTP
// with STARTTLS and authentication, arrive as one multipart message whose
// text and HTML say the same (golden files, read by hand), with every
// change delivered.
func TestSendFixture(t *testing.T) {
	srv := newServer(t, true)
	s := srv.sender(t)
	items := fixtureItems(t)
	var rev []model.Item
	for _, it := range items {
		if it.Commit[:7] == "1995d1f" {
			rev = append(rev, it)
		}
	}
	if len(rev) == 0 {
		t.Fatal("no changes in the 2024 restructure")
	}
	var delivered []string
	rc, err := s.Send(context.Background(), notifier.Batch{Destination: "email:compliance@example.com", Title: "Residency changes: data-storage-eu", Items: rev,
		ReportURL: "https://compliance.example/residency/report.html", Delivered: func(ids []string) error { delivered = append(delivered, ids...); return nil }})
	if err != nil {
		t.Fatal(err)
	}
	if rc.Messages != 1 || len(delivered) != len(rev) || len(srv.got) != 1 {
		t.Fatalf("receipt %+v, %d delivered of %d, %d received", rc, len(delivered), len(rev), len(srv.got))
	}
	m, text, html := parts(t, srv.got[0])
	subject, _ := new(mime.WordDecoder).DecodeHeader(m.Header.Get("Subject"))
	if subject != "Residency changes: data-storage-eu: "+strconv.Itoa(len(rev))+" change(s)" || m.Header.Get("Message-Id") == "" || m.Header.Get("To") != "compliance@example.com, audit@example.com" {
		t.Errorf("headers: subject %q, message-id %q, to %q", subject, m.Header.Get("Message-Id"), m.Header.Get("To"))
	}
	goldenfile.Check(t, "testdata/restructure.txt", []byte(text))
	goldenfile.Check(t, "testdata/restructure.html", []byte(html))
	for _, want := range []string{"services are ", "[MOVED]", "commit 1995d1f <https://github.com/MicrosoftDocs/entra-docs/commit/", "report <https://compliance.example/residency/report.html>"} {
		if !strings.Contains(text, want) {
			t.Errorf("text part lacks %q", want)
		}
	}
	if !strings.Contains(html, `<a href="https://compliance.example/residency/report.html">report</a>`) {
		t.Error("HTML part lacks the report link")
	}
}

// TestRefusals: no STARTTLS means no mail (never in the clear); a wrong
// password is not retried and never printed; a 4xx is retried.
func TestRefusals(t *testing.T) {
	items := fixtureItems(t)[:2]
	batch := notifier.Batch{Destination: "email:x", Title: "t", Items: items}

	plain := newServer(t, false)
	if _, err := plain.sender(t).Send(context.Background(), batch); err == nil || !strings.Contains(err.Error(), "STARTTLS") || len(plain.got) != 0 {
		t.Errorf("a server without STARTTLS: %v, %d received", err, len(plain.got))
	}

	srv := newServer(t, true)
	s := srv.sender(t)
	s.Password = "wrong-password-123"
	_, err := s.Send(context.Background(), batch)
	if err == nil || strings.Contains(err.Error(), "wrong-password-123") || srv.authErr != 1 {
		t.Errorf("a wrong password: %v after %d attempt(s); want one, and the password never shown", err, srv.authErr)
	}

	srv.rcpt = []int{451}
	s.Password = password
	if _, err := s.Send(context.Background(), batch); err != nil || len(srv.got) != 1 {
		t.Errorf("a 451 then success: %v, %d received", err, len(srv.got))
	}
	srv.rcpt = []int{550}
	if _, err := s.Send(context.Background(), batch); err == nil || !strings.Contains(err.Error(), "1 attempt") {
		t.Errorf("a 550: %v; want no retry", err)
	}
}
