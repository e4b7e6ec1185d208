// Package email is the email notifier, for auditors and teams who live in
// their inbox: each batch is one message (multipart/alternative: plain
// text and HTML, the same layout and wording — package layout's lines and
// render.Sentence — as the other notifiers) sent over SMTP with STARTTLS
// required, with the retries and secret scrubbing of package delivery.
// SMTP cannot be asked what it accepted: a message whose answer was lost
// may be sent once more.
package email

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"html"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	"net/smtp"
	"net/textproto"
	"os"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/residiff/residiff/differ"
	"github.com/residiff/residiff/internal/short"
	"github.com/residiff/residiff/model"
	"github.com/residiff/residiff/notifier"
	"github.com/residiff/residiff/notifier/delivery"
	"github.com/residiff/residiff/notifier/layout"
	"github.com/residiff/residiff/render"
)

// Sender sends batches to a list of recipients through one SMTP server; it
// implements notifier.Notifier and notifier.Previewer.
type Sender struct {
	// Label names the destination in logs and errors ("email
	// compliance@example.com").
	Label string
	// Host and Port are the SMTP server (submission: port 587).
	Host string
	Port int
	// From and To are the envelope and header addresses.
	From string
	To   []string
	// Username and Password authenticate (PLAIN, only after STARTTLS);
	// an empty Password sends without authentication.
	Username, Password string
	// RootCAs verify the server's certificate; nil means the system's.
	RootCAs *x509.CertPool
	// Retry bounds each message's delivery.
	Retry delivery.Retry
	// GroupAt is as for the other notifiers: 0 means layout.GroupAt,
	// negative never groups.
	GroupAt int
	// Now dates the messages; nil means time.Now.
	Now func() time.Time
}

// CertPool reads a PEM file of CA certificates (a relay with a private CA).
func CertPool(file string) (*x509.CertPool, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("email: tls_ca_file: %w", err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(data) {
		return nil, fmt.Errorf("email: tls_ca_file %s holds no PEM certificate", file)
	}
	return pool, nil
}

// Name implements notifier.Notifier.
func (s *Sender) Name() string { return s.Label }

// Message is one email: its subject, text and HTML bodies, and the change
// ids it carries.
type Message struct {
	Subject string   `json:"subject"`
	Text    string   `json:"text"`
	HTML    string   `json:"html"`
	IDs     []string `json:"ids"`
}

// textStyle is render.Style for plain text: links as "text <url>".
func textStyle() render.Style {
	return render.Style{
		Text: func(s string) string { return s },
		Bold: func(s string) string { return s },
		Code: func(s string) string { return "'" + s + "'" },
		Link: func(text, url string) string {
			if url == "" {
				return text
			}
			return text + " <" + url + ">"
		},
	}
}

// htmlStyle is render.Style for the HTML part.
func htmlStyle() render.Style {
	return render.Style{
		Text: html.EscapeString,
		Bold: func(s string) string { return "<strong>" + s + "</strong>" },
		Code: func(s string) string { return "<code>" + s + "</code>" },
		Link: func(text, url string) string {
			if url == "" {
				return text
			}
			return `<a href="` + html.EscapeString(url) + `">` + text + "</a>"
		},
		Deleted:  func(s string) string { return "<del>" + s + "</del>" },
		Inserted: func(s string) string { return "<ins>" + s + "</ins>" },
	}
}

// markers name a change's direction in plain text and in HTML.
var (
	textMarkers = map[layout.Direction]string{
		layout.Excluded: "[EXCLUDED]", layout.NoLongerListed: "[NO LONGER LISTED]", layout.Changed: "[CHANGED]",
		layout.Moved: "[MOVED]", layout.Renamed: "[RENAMED]", layout.NeedsLook: "[NEEDS A LOOK]", layout.Other: "[NOTE]",
	}
	htmlMarkers = map[layout.Direction]string{
		layout.Excluded: "🔴", layout.NoLongerListed: "🟢", layout.Changed: "🟠",
		layout.Moved: "➡️", layout.Renamed: "🏷️", layout.NeedsLook: "⚠️", layout.Other: "⚪",
	}
)

// writer builds the two bodies side by side.
type writer struct {
	text, html strings.Builder
	inList     bool
}

func (w *writer) heading(text string) {
	w.endList()
	fmt.Fprintf(&w.text, "%s\n%s\n\n", text, strings.Repeat("=", min(len([]rune(text)), 72)))
	fmt.Fprintf(&w.html, "<h2>%s</h2>\n", html.EscapeString(text))
}

func (w *writer) para(text, htm string) {
	w.endList()
	fmt.Fprintf(&w.text, "%s\n\n", text)
	fmt.Fprintf(&w.html, "<p>%s</p>\n", htm)
}

func (w *writer) item(text, htm string) {
	if !w.inList {
		w.inList = true
		w.html.WriteString("<ul>\n")
	}
	fmt.Fprintf(&w.text, "- %s\n", text)
	fmt.Fprintf(&w.html, "<li>%s</li>\n", htm)
}

func (w *writer) endList() {
	if w.inList {
		w.inList = false
		w.html.WriteString("</ul>\n")
		w.text.WriteString("\n")
	}
}

func (w *writer) change(c differ.Change) {
	d := layout.DirectionOf(c)
	text, htm := textMarkers[d]+" "+render.Sentence(c, textStyle()), htmlMarkers[d]+" "+render.Sentence(c, htmlStyle())
	for _, f := range inFull(c, render.Sentence(c, textStyle())) {
		text += "\n  in full, " + f.label + ": “" + f.text + "”"
		htm += "<br><small>in full, " + html.EscapeString(f.label) + ": “" + html.EscapeString(f.text) + "”</small>"
	}
	w.item(text, htm)
}

// ClipAt is the length past which a change's reason is clipped in the
// change's sentence (the differ's summary clips it there, the evidence
// quote a little later); an email shows such a reason in full below it.
const ClipAt = 200

// fullText is a text of a change shown whole.
type fullText struct{ label, text string }

// inFull lists the reasons of c longer than ClipAt that its sentence
// clipped, whole: a changed reason field before and now, or else the
// sentence of the page that states the change now (its evidence), where
// an exclusion's reason is written. The chat messages clip them; an email
// has room.
func inFull(c differ.Change, sentence string) []fullText {
	var out []fullText
	long := func(s string) bool {
		s = strings.TrimSpace(s)
		return utf8.RuneCountInString(s) > ClipAt && !strings.Contains(sentence, s)
	}
	for _, f := range c.Fields {
		if f.Field != "reason" {
			continue
		}
		if long(f.Before) {
			out = append(out, fullText{"reason before", strings.TrimSpace(f.Before)})
		}
		if long(f.After) {
			out = append(out, fullText{"reason now", strings.TrimSpace(f.After)})
		}
		return out
	}
	if e := c.Evidence; e != nil && e.New != nil && long(e.New.Text) {
		out = append(out, fullText{fmt.Sprintf("L%d", e.New.Line), strings.TrimSpace(e.New.Text)})
	}
	return out
}

// Subject says what a message's changes are: the scope (or the pages)
// they concern, how many of the most severe kind and its services, then
// the other kinds — "EU Data Boundary: 2 newly excluded — Microsoft Entra
// ID, Azure RBAC; 1 renamed" — in at most MaxSubject characters: services
// that do not fit are counted ("and 3 more") and kinds that do not fit
// left to "…", never cut inside a name.
func Subject(items []model.Item) string {
	var scopes, pages []string
	seenScope, seenPage := map[string]bool{}, map[string]bool{}
	counts := map[differ.Kind]int{}
	for _, it := range items {
		if s := it.Change.Scope; s != "" && !seenScope[s] {
			seenScope[s] = true
			scopes = append(scopes, s)
		}
		if !seenPage[it.Page] {
			seenPage[it.Page] = true
			pages = append(pages, it.Page)
		}
		counts[it.Change.Kind]++
	}
	about := scopes
	if len(about) == 0 || len(about) > 2 {
		about = pages
	}
	if len(about) > 2 {
		about = []string{fmt.Sprintf("%d pages", len(about))}
	}
	var kinds []string
	var first differ.Kind
	for _, k := range layout.KindsByImportance {
		if n := counts[k]; n > 0 {
			if first == "" {
				first = k
			}
			kinds = append(kinds, fmt.Sprintf("%d %s", n, strings.ReplaceAll(string(k), "_", " ")))
		}
	}
	if len(kinds) == 0 { // kinds layout does not rank
		kinds = []string{fmt.Sprintf("%d change(s)", len(items))}
	}
	subject := clipWords(strings.Join(about, ", ")+": "+kinds[0], MaxSubject)
	var services []string
	seen := map[string]bool{}
	for _, it := range items {
		if first != "" && it.Change.Kind == first && it.Change.Service != "" && !seen[it.Change.Service] {
			seen[it.Change.Service] = true
			services = append(services, it.Change.Service)
		}
	}
	fits := func(s string) bool { return utf8.RuneCountInString(s) <= MaxSubject }
	// The services of the most severe kind are listed whole while they
	// fit, the rest counted; then the other kinds while they fit.
	for shown := len(services); shown > 0; shown-- {
		s := subject + " — " + strings.Join(services[:shown], ", ")
		if shown < len(services) {
			s += fmt.Sprintf(" and %d more", len(services)-shown)
		}
		if fits(s) {
			subject = s
			break
		}
	}
	for i, k := range kinds[1:] {
		sep := "; "
		if i > 0 {
			sep = ", "
		}
		if !fits(subject + sep + k + ", …") {
			if fits(subject + sep + "…") {
				subject += sep + "…"
			}
			break
		}
		subject += sep + k
	}
	return subject
}

// MaxSubject is the longest subject residiff writes (RFC 5322 advises 78
// characters a line; mail clients show about this much).
const MaxSubject = 120

// clipWords shortens s to at most n characters at a word boundary, ending
// in "…".
func clipWords(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	cut := string(r[:n-1])
	if i := strings.LastIndexAny(cut, " ,"); i > n/2 {
		cut = cut[:i]
	}
	return strings.TrimRight(cut, " ,—") + "…"
}

func (w *writer) revision(it model.Item) {
	page := it.Page
	if it.Region != "" {
		page += " (" + it.Region + ")"
	}
	date := it.Date.UTC().Format("2006-01-02")
	w.endList()
	fmt.Fprintf(&w.text, "%s · %s · %s\n", page, textStyle().Link(short.Hash(it.Commit), it.URL), date)
	fmt.Fprintf(&w.html, "<h3>%s · %s · %s</h3>\n", html.EscapeString(page), htmlStyle().Link(short.Hash(it.Commit), it.URL), date)
}

func (w *writer) footer(items []model.Item, reportURL string) {
	links := layout.Footer(items, reportURL)
	if len(links) == 0 {
		return
	}
	var t, h []string
	for _, l := range links {
		t = append(t, textStyle().Link(l.Text, l.URL))
		h = append(h, htmlStyle().Link(html.EscapeString(l.Text), l.URL))
	}
	w.endList()
	fmt.Fprintf(&w.text, "-- \n%s\n", strings.Join(t, " · "))
	fmt.Fprintf(&w.html, "<hr><p><small>%s</small></p>\n", strings.Join(h, " · "))
}

func (w *writer) message(subject string, ids []string) Message {
	w.endList()
	page := "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>" + html.EscapeString(subject) + "</title></head><body>\n" + w.html.String() + "</body></html>\n"
	return Message{Subject: subject, Text: w.text.String(), HTML: page, IDs: ids}
}

// Compose lays a batch out as one email.
func Compose(b notifier.Batch, groupAt int) Message {
	var w writer
	switch {
	case b.Heartbeat != "":
		w.para(b.Heartbeat, html.EscapeString(b.Heartbeat))
		subject := "residiff: still watching"
		if b.Notice != "" && b.Title != "" {
			subject = b.Title // a failure, recovery or test notice
		}
		return w.message(subject, nil)
	case b.Summary || b.Digest:
		intro := layout.SummaryIntro
		if b.Digest {
			intro = layout.DigestIntro
		}
		w.heading(b.Title)
		line := fmt.Sprintf(intro, len(b.Items), layout.Pages(b.Items))
		w.para(line, html.EscapeString(line))
		for _, pc := range layout.Counts(b.Items) {
			w.item(pc.Page+": "+strings.Join(pc.Counts, ", "), "<strong>"+html.EscapeString(pc.Page)+"</strong>: "+html.EscapeString(strings.Join(pc.Counts, ", ")))
		}
		w.para("Most severe changes:", "<strong>Most severe changes</strong>")
		for i, it := range layout.MostSevere(b.Items) {
			if i == 50 {
				break
			}
			w.change(it.Change)
		}
		w.footer(b.Items, b.ReportURL)
		return w.message(Subject(b.Items), idsOf(b.Items))
	}
	w.heading(b.Title)
	for _, l := range layout.Lines(b.Items, groupAt) {
		switch {
		case l.Revision:
			w.revision(l.Item)
		case len(l.Group) > 0:
			d := layout.DirectionOf(l.Item.Change)
			w.item(textMarkers[d]+" "+layout.GroupSentence(l.Group, textStyle(), len(l.Group)),
				htmlMarkers[d]+" "+layout.GroupSentence(l.Group, htmlStyle(), len(l.Group)))
		default:
			w.change(l.Item.Change)
		}
	}
	w.footer(b.Items, b.ReportURL)
	return w.message(Subject(b.Items), idsOf(b.Items))
}

func idsOf(items []model.Item) []string {
	ids := make([]string, len(items))
	for i, it := range items {
		ids[i] = it.Change.ID
	}
	return ids
}

// Encode renders m as an RFC 5322 message: multipart/alternative, both
// parts UTF-8 and quoted-printable, a subject encoded for non-ASCII, and a
// Message-ID made from the change ids (the same changes, the same id).
func (s *Sender) Encode(m Message, date time.Time) ([]byte, error) {
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for _, part := range []struct{ kind, content string }{{"text/plain", m.Text}, {"text/html", m.HTML}} {
		h := textproto.MIMEHeader{}
		h.Set("Content-Type", part.kind+"; charset=utf-8")
		h.Set("Content-Transfer-Encoding", "quoted-printable")
		pw, err := mw.CreatePart(h)
		if err != nil {
			return nil, err
		}
		qp := quotedprintable.NewWriter(pw)
		if _, err := qp.Write([]byte(part.content)); err != nil {
			return nil, err
		}
		if err := qp.Close(); err != nil {
			return nil, err
		}
	}
	if err := mw.Close(); err != nil {
		return nil, err
	}
	var out bytes.Buffer
	headers := []struct{ k, v string }{
		{"From", s.From},
		{"To", strings.Join(s.To, ", ")},
		{"Subject", mime.QEncoding.Encode("utf-8", m.Subject)},
		{"Date", date.Format(time.RFC1123Z)},
		{"Message-ID", MessageID(m, s.From)},
		{"MIME-Version", "1.0"},
		{"Content-Type", "multipart/alternative; boundary=" + mw.Boundary()},
		{"Auto-Submitted", "auto-generated"},
	}
	for _, h := range headers {
		if strings.ContainsAny(h.v, "\r\n") {
			return nil, fmt.Errorf("email: header %s holds a line break", h.k)
		}
		fmt.Fprintf(&out, "%s: %s\r\n", h.k, h.v)
	}
	out.WriteString("\r\n")
	out.Write(bytes.ReplaceAll(bytes.ReplaceAll(body.Bytes(), []byte("\r\n"), []byte("\n")), []byte("\n"), []byte("\r\n")))
	return out.Bytes(), nil
}

// MessageID is the Message-ID of m sent from from: derived from its change
// ids alone (a message without changes, a heartbeat, from its subject and
// text), so the same changes always carry the same id and a mail system
// can drop a second copy.
func MessageID(m Message, from string) string {
	key := "ids\x00" + strings.Join(m.IDs, ",")
	if len(m.IDs) == 0 {
		key = "text\x00" + m.Subject + "\x00" + m.Text
	}
	sum := sha256.Sum256([]byte(key))
	return "<" + hex.EncodeToString(sum[:12]) + ".residiff@" + domainOf(from) + ">"
}

func domainOf(addr string) string {
	if i := strings.LastIndex(addr, "@"); i >= 0 {
		return strings.Trim(addr[i+1:], "> ")
	}
	return "localhost"
}

func (s *Sender) groupAt() int {
	switch {
	case s.GroupAt == 0:
		return layout.GroupAt
	case s.GroupAt < 0:
		return 0
	}
	return s.GroupAt
}

// Send implements notifier.Notifier: one email per batch, reported through
// b.Delivered once the server accepted it. An exchange that failed after
// the message's final "." was written is never retried: the relay may
// have queued the message, so its outcome is unknown; it is reported
// through b.Uncertain (the message's Message-ID is derived from its
// change ids, so a mail system that sees it twice can drop the copy).
func (s *Sender) Send(ctx context.Context, b notifier.Batch) (notifier.Receipt, error) {
	var rc notifier.Receipt
	m := Compose(b, s.groupAt())
	now := time.Now
	if s.Now != nil {
		now = s.Now
	}
	data, err := s.Encode(m, now())
	if err != nil {
		return rc, err
	}
	var unknown error
	err = delivery.Send(ctx, "email "+s.Label, func(ctx context.Context) error {
		err := s.deliver(ctx, data)
		var ue *unknownOutcome
		if errors.As(err, &ue) {
			unknown = ue.err
			return nil
		}
		return err
	}, s.Retry)
	if err != nil {
		return rc, err
	}
	if unknown != nil {
		why := fmt.Sprintf("email %s: the relay answered nothing after the message's end (%v): it may or may not have been delivered; not sent again (Message-ID %s)", s.Label, unknown, MessageID(m, s.From))
		if b.Uncertain == nil {
			return rc, errors.New(why)
		}
		rc.Messages, rc.IDs = 1, m.IDs
		if len(m.IDs) > 0 {
			if err := b.Uncertain(m.IDs, why); err != nil {
				return rc, err
			}
		}
		return rc, nil
	}
	rc.Messages, rc.IDs = 1, m.IDs
	if b.Delivered != nil && len(m.IDs) > 0 {
		if err := b.Delivered(m.IDs); err != nil {
			return rc, err
		}
	}
	return rc, nil
}

// unknownOutcome is an exchange that failed after the message's final "."
// was written; err is scrubbed.
type unknownOutcome struct{ err error }

func (u *unknownOutcome) Error() string { return u.err.Error() }

// deliver runs one SMTP exchange: STARTTLS (required), PLAIN
// authentication when a password is set, the envelope, the data.
func (s *Sender) deliver(ctx context.Context, data []byte) error {
	addr := net.JoinHostPort(s.Host, strconv.Itoa(s.Port))
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return s.scrub(err)
	}
	deadline := time.Now().Add(60 * time.Second)
	if dl, ok := ctx.Deadline(); ok && dl.Before(deadline) {
		deadline = dl
	}
	_ = conn.SetDeadline(deadline) // a failure shows as the exchange's error
	c, err := smtp.NewClient(conn, s.Host)
	if err != nil {
		_ = conn.Close()
		return s.scrub(err)
	}
	defer func() { _ = c.Close() }() // after Quit, or on an error already reported
	if err := c.Hello("residiff"); err != nil {
		return s.scrub(err)
	}
	if ok, _ := c.Extension("STARTTLS"); !ok {
		return delivery.Scrub(errors.New("the server does not offer STARTTLS; residiff sends no mail in the clear"), s.Password, 0, false)
	}
	if err := c.StartTLS(&tls.Config{ServerName: s.Host, RootCAs: s.RootCAs, MinVersion: tls.VersionTLS12}); err != nil {
		return delivery.Scrub(fmt.Errorf("starttls: %w", err), s.Password, 0, false)
	}
	if s.Password != "" {
		if err := c.Auth(smtp.PlainAuth("", s.user(), s.Password, s.Host)); err != nil {
			return s.authError(err)
		}
	}
	if err := c.Mail(s.From); err != nil {
		return s.scrub(err)
	}
	for _, to := range s.To {
		if err := c.Rcpt(to); err != nil {
			return s.scrub(err)
		}
	}
	w, err := c.Data()
	if err != nil {
		return s.scrub(err)
	}
	if _, err := w.Write(data); err != nil {
		_ = w.Close()
		return s.scrub(err)
	}
	if err := w.Close(); err != nil {
		var te *textproto.Error
		if errors.As(err, &te) {
			return s.scrub(err) // the relay answered: it did not take the message
		}
		return &unknownOutcome{err: s.scrub(err)}
	}
	// The relay accepted the message: a failed QUIT changes nothing.
	_ = c.Quit()
	return nil
}

func (s *Sender) user() string {
	if s.Username != "" {
		return s.Username
	}
	return s.From
}

// authError reports a failed authentication by its code only: the text a
// server sends after AUTH may echo the credential (base64 of the user and
// password), which residiff must never print.
func (s *Sender) authError(err error) error {
	var te *textproto.Error
	if errors.As(err, &te) {
		retry := te.Code >= 400 && te.Code < 500
		return delivery.Scrub(fmt.Errorf("authentication as %s refused with code %d (the server's text is not shown: it may echo the credential)", s.user(), te.Code), s.Password, 0, retry)
	}
	return delivery.Scrub(errors.New("authentication failed before the server answered (the connection's error is not shown)"), s.Password, 0, true)
}

// scrub classifies an SMTP error (4xx and network errors may succeed
// later, 5xx will not) and removes the password, in every form PLAIN
// sends it, from it.
func (s *Sender) scrub(err error) error {
	if err == nil {
		return nil
	}
	retry := true
	var te *textproto.Error
	if errors.As(err, &te) {
		retry = te.Code >= 400 && te.Code < 500
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		retry = false
	}
	err = delivery.Scrub(err, s.Password, 0, retry)
	if s.Password != "" {
		plain := base64.StdEncoding.EncodeToString([]byte("\x00" + s.user() + "\x00" + s.Password))
		err = delivery.Scrub(err, plain, 0, retry)
	}
	return err
}

// Preview implements notifier.Previewer.
func (s *Sender) Preview(b notifier.Batch) []notifier.Preview {
	m := Compose(b, s.groupAt())
	return []notifier.Preview{{Destination: b.Destination, Changes: m.IDs, Message: m}}
}
