// Package slacktest runs a Slack Web API stand-in on loopback for tests:
// a channel that keeps what chat.postMessage posted (top-level messages
// and thread replies, with their blocks) and answers
// conversations.history and conversations.replies from it, and that can
// drop the connection of one post after recording it — the fault that
// makes a bot's delivery outcome unknown.
package slacktest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

// ChannelID is the id the stand-in answers for any channel name.
const ChannelID = "C0RESIDENCY"

// Drop modes: the first post whose blocks hold Options.DropBlocks is
// answered by closing the connection, after recording it or before.
const (
	DropNone   = ""
	DropRecord = "record" // Slack recorded it; the answer is lost
	DropLose   = "lose"   // lost before Slack recorded it
)

// Options choose the stand-in's fault.
type Options struct {
	// Drop is DropNone, DropRecord or DropLose.
	Drop string
	// DropBlocks is a substring of the blocks of the post to drop
	// ("residiff-change" for the first post carrying changes); empty:
	// the first thread reply.
	DropBlocks string
}

// Message is a message of the channel as Slack returns it.
type Message struct {
	TS       string          `json:"ts"`
	ThreadTS string          `json:"thread_ts,omitempty"`
	Text     string          `json:"text"`
	Blocks   json.RawMessage `json:"blocks,omitempty"`
	Replies  int             `json:"reply_count,omitempty"`
	Type     string          `json:"type"`
}

// Server is a running stand-in. Its URL plus "/api/" is the API base
// (slack.api_url).
type Server struct {
	*httptest.Server
	opts       Options
	mu         sync.Mutex
	dropped    bool
	seq        int
	top        []*Message            // the channel's top-level messages
	threads    map[string][]*Message // replies by their thread's ts
	reads      int
	unreadable bool
}

// Start runs a stand-in until the test ends.
func Start(t testing.TB, opts Options) *Server {
	t.Helper()
	s := &Server{opts: opts, threads: map[string][]*Message{}}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.Close)
	return s
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	w.Header().Set("Content-Type", "application/json")
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case strings.HasSuffix(r.URL.Path, "chat.postMessage"):
		thread, blocks := r.Form.Get("thread_ts"), r.Form.Get("blocks")
		drop := s.opts.Drop != DropNone && !s.dropped
		if s.opts.DropBlocks != "" {
			drop = drop && strings.Contains(blocks, s.opts.DropBlocks)
		} else {
			drop = drop && thread != ""
		}
		if drop {
			s.dropped = true
			if s.opts.Drop == DropRecord {
				s.record(thread, r.Form.Get("text"), blocks)
			}
			if conn, _, err := w.(http.Hijacker).Hijack(); err == nil {
				_ = conn.Close()
			}
			return
		}
		m := s.record(thread, r.Form.Get("text"), blocks)
		_, _ = fmt.Fprintf(w, `{"ok":true,"channel":%q,"ts":%q}`, ChannelID, m.TS)
	case strings.HasSuffix(r.URL.Path, "conversations.replies") && s.unreadable:
		_, _ = fmt.Fprint(w, `{"ok":false,"error":"missing_scope"}`)
	case strings.HasSuffix(r.URL.Path, "conversations.replies"):
		s.reads++
		ts := r.Form.Get("ts")
		msgs := []*Message{}
		for _, m := range s.top {
			if m.TS == ts {
				msgs = append(msgs, m)
			}
		}
		if len(msgs) == 0 { // a thread the stand-in never saw the head of
			msgs = append(msgs, &Message{Type: "message", TS: ts, Text: "header"})
		}
		msgs = append(msgs, s.threads[ts]...)
		data, _ := json.Marshal(msgs)
		_, _ = fmt.Fprintf(w, `{"ok":true,"has_more":false,"messages":%s}`, data)
	case strings.HasSuffix(r.URL.Path, "conversations.history"):
		s.reads++
		msgs := make([]*Message, 0, len(s.top))
		for i := len(s.top) - 1; i >= 0; i-- { // newest first, as Slack
			msgs = append(msgs, s.top[i])
		}
		data, _ := json.Marshal(msgs)
		_, _ = fmt.Fprintf(w, `{"ok":true,"has_more":false,"messages":%s}`, data)
	default:
		_, _ = fmt.Fprint(w, `{"ok":false,"error":"unknown_method"}`)
	}
}

// record keeps a post; s.mu is held.
func (s *Server) record(thread, text, blocks string) *Message {
	s.seq++
	m := &Message{Type: "message", TS: fmt.Sprintf("1700000100.%06d", s.seq), ThreadTS: thread, Text: text}
	if blocks != "" {
		m.Blocks = json.RawMessage(blocks)
	}
	if thread == "" {
		s.top = append(s.top, m)
		return m
	}
	s.threads[thread] = append(s.threads[thread], m)
	for _, h := range s.top {
		if h.TS == thread {
			h.Replies++
		}
	}
	return m
}

// Posts returns every message the channel holds (top-level and
// replies), in the order they were recorded.
func (s *Server) Posts() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Message
	for _, m := range s.top {
		out = append(out, *m)
	}
	for _, msgs := range s.threads {
		for _, m := range msgs {
			out = append(out, *m)
		}
	}
	return out
}

// Replies returns the replies of every thread.
func (s *Server) Replies() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Message
	for _, msgs := range s.threads {
		for _, m := range msgs {
			out = append(out, *m)
		}
	}
	return out
}

// Dropped says whether the stand-in dropped a post's connection.
func (s *Server) Dropped() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.dropped
}

// Reads counts the history and replies reads answered.
func (s *Server) Reads() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.reads
}

// SetUnreadable makes conversations.replies answer an error (a token
// without the history scope).
func (s *Server) SetUnreadable(v bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.unreadable = v
}
