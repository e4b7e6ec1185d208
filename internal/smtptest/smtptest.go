// Package smtptest runs an SMTP server on loopback for tests: the real
// protocol (github.com/emersion/go-smtp) with STARTTLS under a fresh
// self-signed certificate and PLAIN authentication, keeping every message
// it accepts and answering recipients with scripted codes when told to.
package smtptest

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"io"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// Server is a running test server.
type Server struct {
	// Host and Port are where it listens (127.0.0.1).
	Host string
	Port int
	// Pool trusts its certificate; CAFile is the same as a PEM file.
	Pool   *x509.CertPool
	CAFile string
	// User and Password are the credentials it accepts.
	User, Password string

	mu       sync.Mutex
	drops    int // messages still to be dropped after their final "."
	dropped  int
	got      [][]byte
	rcpt     []int
	authFail int
}

// Options choose what the server offers.
type Options struct {
	// NoSTARTTLS makes a server that offers no STARTTLS.
	NoSTARTTLS bool
	// DropAfterData makes the server keep the first DropAfterData
	// messages and then close the connection instead of answering their
	// final ".": the client cannot know the message was queued.
	DropAfterData int
}

// Start runs a server until the test ends.
func Start(t testing.TB, opts Options) *Server {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "127.0.0.1"},
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
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
	s := &Server{Pool: x509.NewCertPool(), User: "residiff@example.com", Password: "correct-horse-battery", drops: opts.DropAfterData}
	s.Pool.AddCert(cert)
	s.CAFile = filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(s.CAFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o644); err != nil {
		t.Fatal(err)
	}
	srv := smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) { return &session{s: s, conn: c}, nil }))
	srv.Domain = "127.0.0.1"
	if !opts.NoSTARTTLS {
		srv.TLSConfig = &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}}
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	host, port, _ := net.SplitHostPort(l.Addr().String())
	s.Host = host
	s.Port, _ = strconv.Atoi(port)
	go func() { _ = srv.Serve(l) }()
	t.Cleanup(func() { _ = srv.Close() })
	return s
}

// Received returns the messages accepted so far.
func (s *Server) Received() [][]byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([][]byte(nil), s.got...)
}

// AuthFailures counts refused authentications.
func (s *Server) AuthFailures() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.authFail
}

// RefuseRecipients answers the next RCPT commands with codes, in order.
func (s *Server) RefuseRecipients(codes ...int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rcpt = append(s.rcpt, codes...)
}

type session struct {
	s    *Server
	conn *smtp.Conn
}

func (ss *session) AuthMechanisms() []string { return []string{sasl.Plain} }

func (ss *session) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, user, password string) error {
		if user != ss.s.User || password != ss.s.Password {
			ss.s.mu.Lock()
			ss.s.authFail++
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
	drop := ss.s.drops > 0
	if drop {
		ss.s.drops--
		ss.s.dropped++
	}
	ss.s.mu.Unlock()
	if drop {
		// Queued, and the answer is lost: the connection closes before
		// the server's reply to the final ".".
		_ = ss.conn.Conn().Close()
	}
	return nil
}

// Dropped counts the messages kept whose answer was dropped.
func (s *Server) Dropped() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.dropped
}

func (ss *session) Reset() {}

func (ss *session) Logout() error { return nil }
