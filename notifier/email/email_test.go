package email

import (
	"context"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/mail"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/residiff/residiff/differ"
	"github.com/residiff/residiff/internal/fixtureitems"

	goldenfile "github.com/residiff/residiff/internal/golden"
	"github.com/residiff/residiff/internal/linkcheck"
	"github.com/residiff/residiff/internal/smtptest"
	"github.com/residiff/residiff/model"
	"github.com/residiff/residiff/notifier"
	"github.com/residiff/residiff/notifier/delivery"
)

func sender(srv *smtptest.Server) *Sender {
	return &Sender{Label: "compliance@example.com", Host: srv.Host, Port: srv.Port, From: srv.User, To: []string{"compliance@example.com", "audit@example.com"},
		Username: srv.User, Password: srv.Password, RootCAs: srv.Pool,
		Retry: delivery.Retry{MaxAttempts: 3, Sleep: func(context.Context, time.Duration) error { return nil }},
		Now:   func() time.Time { return time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC) }}
}

func fixtureItems(t *testing.T) []model.Item { return fixtureitems.Items(t) }

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
	srv := smtptest.Start(t, smtptest.Options{})
	s := sender(srv)
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
	got := srv.Received()
	if rc.Messages != 1 || len(delivered) != len(rev) || len(got) != 1 {
		t.Fatalf("receipt %+v, %d delivered of %d, %d received", rc, len(delivered), len(rev), len(got))
	}
	m, text, html := parts(t, got[0])
	subject, _ := new(mime.WordDecoder).DecodeHeader(m.Header.Get("Subject"))
	if subject != "EU Data Residency, EU Data Boundary: 1 newly excluded — Microsoft Entra ID; 7 newly compliant, 23 delegated, …" || m.Header.Get("Message-Id") == "" || m.Header.Get("To") != "compliance@example.com, audit@example.com" {
		t.Errorf("headers: subject %q, message-id %q, to %q", subject, m.Header.Get("Message-Id"), m.Header.Get("To"))
	}
	var links []string
	for _, m := range regexp.MustCompile(`<([^<>\s]+)>`).FindAllStringSubmatch(text, -1) {
		links = append(links, m[1])
	}
	linkcheck.Check(t, "email text", links, 10)
	links = nil
	for _, m := range regexp.MustCompile(`href="([^"]+)"`).FindAllStringSubmatch(html, -1) {
		links = append(links, m[1])
	}
	linkcheck.Check(t, "email HTML", links, 10)
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

	plain := smtptest.Start(t, smtptest.Options{NoSTARTTLS: true})
	if _, err := sender(plain).Send(context.Background(), batch); err == nil || !strings.Contains(err.Error(), "STARTTLS") || len(plain.Received()) != 0 {
		t.Errorf("a server without STARTTLS: %v, %d received", err, len(plain.Received()))
	}

	srv := smtptest.Start(t, smtptest.Options{})
	s := sender(srv)
	s.Password = "wrong-password-123"
	_, err := s.Send(context.Background(), batch)
	if err == nil || strings.Contains(err.Error(), "wrong-password-123") || srv.AuthFailures() != 1 {
		t.Errorf("a wrong password: %v after %d attempt(s); want one, and the password never shown", err, srv.AuthFailures())
	}

	srv.RefuseRecipients(451)
	s.Password = srv.Password
	if _, err := s.Send(context.Background(), batch); err != nil || len(srv.Received()) != 1 {
		t.Errorf("a 451 then success: %v, %d received", err, len(srv.Received()))
	}
	srv.RefuseRecipients(550)
	if _, err := s.Send(context.Background(), batch); err == nil || !strings.Contains(err.Error(), "1 attempt") {
		t.Errorf("a 550: %v; want no retry", err)
	}
}

// TestSubject: a subject says what happened — the scope, the most severe
// kind first with its services, then the other kinds — and is clipped
// between names, never inside one.
func TestSubject(t *testing.T) {
	it := func(kind differ.Kind, service, scope, page string) model.Item {
		return model.Item{Page: page, Change: differ.Change{Kind: kind, Service: service, Scope: scope}}
	}
	eu := "EU Data Boundary"
	var many []model.Item
	for i := range 30 {
		many = append(many, it(differ.NewlyExcluded, fmt.Sprintf("Azure Service Number %d", i), eu, "data-storage-eu"))
	}
	for _, tt := range []struct {
		name  string
		items []model.Item
		want  string
	}{
		{"two excluded", []model.Item{it(differ.NewlyExcluded, "Microsoft Entra ID", eu, "data-storage-eu"), it(differ.NewlyExcluded, "Azure RBAC", eu, "data-storage-eu")},
			"EU Data Boundary: 2 newly excluded — Microsoft Entra ID, Azure RBAC"},
		{"most severe first", []model.Item{it(differ.Renamed, "Azure AD", eu, "data-storage-eu"), it(differ.NewlyExcluded, "Azure RBAC", eu, "data-storage-eu")},
			"EU Data Boundary: 1 newly excluded — Azure RBAC; 1 renamed"},
		{"no scope: the page", []model.Item{it(differ.PageMoved, "", "", "data-storage-japan")},
			"data-storage-japan: 1 page moved"},
		{"many services counted", many,
			"EU Data Boundary: 30 newly excluded — Azure Service Number 0, Azure Service Number 1, Azure Service Number 2 and 27 more"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := Subject(tt.items)
			if got != tt.want {
				t.Errorf("Subject = %q\nwant      %q", got, tt.want)
			}
			if n := utf8.RuneCountInString(got); n > MaxSubject {
				t.Errorf("%d characters, limit %d", n, MaxSubject)
			}
		})
	}
}
