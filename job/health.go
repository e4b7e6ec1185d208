package job

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strings"
	"time"

	"github.com/residiff/residiff/notifier"
	"github.com/residiff/residiff/notifier/delivery"
	"github.com/residiff/residiff/state"
)

// maxNoticeError bounds the error quoted in a failure notice.
const maxNoticeError = 300

// health records how the run fared in the state and tells the
// destinations once per failure streak: when it begins (the first run
// whose notice goes out) and when it ends. A failed run is recorded on
// the state branch with the state. The dead-man's switch (ping_url) is
// pinged either way.
func (r *runner) health(ctx context.Context, failed []error) {
	now := r.opts.Now().UTC()
	h := &r.st.Health
	if len(failed) > 0 {
		if h.FailingSince.IsZero() {
			h.FailingSince = now
		}
		h.Failures++
		h.LastError = firstLine(errors.Join(failed...).Error(), maxNoticeError)
		if !h.Told {
			last := "none yet"
			if !h.LastSuccess.IsZero() {
				last = h.LastSuccess.Format("2006-01-02 15:04 MST")
			}
			text := fmt.Sprintf("residiff cannot reach the upstream since %s (%d failed run(s)); last good run %s. Error: %s. Changes found meanwhile are sent when it recovers.",
				h.FailingSince.Format("2006-01-02 15:04 MST"), h.Failures, last, h.LastError)
			h.Told = r.notice(ctx, "failing", "residiff: the watch is failing", text)
		}
		r.ping(ctx, "/fail")
		return
	}
	if !h.FailingSince.IsZero() && h.Told {
		text := fmt.Sprintf("residiff reaches the upstream again: it failed %d run(s) since %s; this run caught up.",
			h.Failures, h.FailingSince.Format("2006-01-02 15:04 MST"))
		if !r.notice(ctx, "recovered", "residiff: the watch recovered", text) {
			// Told again on the next good run.
			r.ping(ctx, "")
			return
		}
	}
	r.st.Health = state.Health{LastSuccess: now}
	r.ping(ctx, "")
}

// notice sends text to every destination; it reports whether one took it.
func (r *runner) notice(ctx context.Context, kind, title, text string) bool {
	if r.notifiers == nil {
		return false
	}
	names := make([]string, 0, len(r.notifiers))
	for name := range r.notifiers {
		names = append(names, name)
	}
	sort.Strings(names)
	sent := 0
	for _, name := range names {
		rc, err := r.notifiers[name].Send(ctx, notifier.Batch{Destination: name, Title: title, Heartbeat: text, Notice: kind})
		if err != nil {
			r.logf("warning: %s notice to %s: %v", kind, name, err)
			continue
		}
		sent += rc.Messages
	}
	r.out.Messages += sent
	if sent > 0 {
		r.logf("told %d destination(s) the watch is %s", len(names), kind)
	}
	return sent > 0
}

// ping requests ping_url (with suffix "/fail" for a failed run): a
// missed ping is a warning, never a failure of the run.
func (r *runner) ping(ctx context.Context, suffix string) {
	if r.cfg.PingURL == "" {
		return
	}
	url := strings.TrimSuffix(r.cfg.PingURL, "/") + suffix
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	err := func() error {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		if err != nil {
			return err
		}
		resp, err := delivery.HTTPClient().Do(req)
		if err != nil {
			return err
		}
		defer func() { _ = resp.Body.Close() }() // drained below; a close error changes nothing
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 4096))
		if resp.StatusCode >= 300 {
			return fmt.Errorf("HTTP %d", resp.StatusCode)
		}
		return nil
	}()
	if err != nil {
		r.logf("warning: ping_url: %v", delivery.Scrub(err, r.cfg.PingURL, 0, false))
	}
}

// firstLine is s's first line, at most n bytes.
func firstLine(s string, n int) string {
	s, _, _ = strings.Cut(s, "\n")
	if len(s) > n {
		s = s[:n] + "…"
	}
	return s
}
