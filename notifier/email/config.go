package email

import (
	"crypto/x509"
	"errors"
	"fmt"
	"net/mail"
	"os"
	"path/filepath"
	"strings"

	"github.com/residiff/residiff/notifier"
)

// Kind is the email: section of the configuration.
func Kind() notifier.Kind {
	return notifier.Kind{Key: "email", New: func() notifier.Section { return &Config{} }}
}

// Config is the email: section: delivery over SMTP, STARTTLS required.
type Config struct {
	// Host and Port are the SMTP server (Port default 587, submission).
	Host string `yaml:"host"`
	Port int    `yaml:"port"`
	// From is the sender; To the default recipients.
	From string   `yaml:"from"`
	To   []string `yaml:"to"`
	// Username (default: From) and PasswordEnv, the environment variable
	// holding the password, authenticate; no password_env: no
	// authentication.
	Username    string `yaml:"username"`
	PasswordEnv string `yaml:"password_env"`
	// TLSCAFile is a PEM file of CA certificates for a relay with a
	// private CA; default: the system's.
	TLSCAFile string `yaml:"tls_ca_file"`
	// Common: min_severity (default high: mail is for what a person must
	// act on), max_attempts (an exchange that failed after the message's
	// final "." is never retried), digest_above, digest_after_days.
	notifier.Common `yaml:",inline"`
	// Routes send matching changes to other recipients.
	Routes []Route `yaml:"routes"`
	// GroupAt is as slack.group_at (default 4; -1 never groups).
	GroupAt int `yaml:"group_at"`
}

// Route sends the changes it matches to other recipients.
type Route struct {
	notifier.Match `yaml:",inline"`
	To             []string `yaml:"to"`
}

// Fill implements notifier.Section.
func (c *Config) Fill(dir string) {
	c.Common.Fill("high")
	if c.Port == 0 {
		c.Port = 587
	}
	if c.TLSCAFile != "" && !filepath.IsAbs(c.TLSCAFile) {
		if rest, ok := strings.CutPrefix(c.TLSCAFile, "~/"); ok {
			if home, err := os.UserHomeDir(); err == nil {
				c.TLSCAFile = filepath.Join(home, rest)
				return
			}
		}
		c.TLSCAFile = filepath.Join(dir, c.TLSCAFile)
	}
}

// Validate implements notifier.Section.
func (c *Config) Validate() []error {
	var errs []error
	if c.Host == "" || c.From == "" || len(c.To) == 0 {
		errs = append(errs, errors.New("email: host, from and to are required"))
	}
	if c.Port < 1 || c.Port > 65535 {
		errs = append(errs, fmt.Errorf("email.port %d: want 1 to 65535", c.Port))
	}
	for _, a := range append([]string{c.From}, c.To...) {
		if _, err := mail.ParseAddress(a); err != nil && a != "" {
			errs = append(errs, fmt.Errorf("email: address %q: %v", a, err))
		}
	}
	errs = append(errs, c.Check("email")...)
	for i, rt := range c.Routes {
		where := fmt.Sprintf("email.routes[%d]", i)
		if err := rt.CheckRoute(where); err != nil {
			errs = append(errs, err)
		}
		if len(rt.To) == 0 {
			errs = append(errs, fmt.Errorf("%s: an email route names its own to", where))
		}
		for _, a := range rt.To {
			if _, err := mail.ParseAddress(a); err != nil {
				errs = append(errs, fmt.Errorf("%s: address %q: %v", where, a, err))
			}
		}
	}
	return errs
}

// Secrets implements notifier.Section.
func (c *Config) Secrets() []notifier.Secret {
	if c.PasswordEnv == "" {
		return nil
	}
	return []notifier.Secret{{Key: "email.password_env", Env: c.PasswordEnv}}
}

// Destination names the destination of a recipient list in the outbox.
func Destination(to []string) string { return "email:" + strings.Join(to, ",") }

// Policy implements notifier.Section.
func (c *Config) Policy() notifier.Policy {
	p := notifier.Policy{MinSeverity: c.MinSeverity, Default: Destination(c.To)}
	for i, rt := range c.Routes {
		p.Routes = append(p.Routes, notifier.Route{Key: fmt.Sprintf("email.routes[%d]", i), Match: rt.Match,
			Destination: Destination(rt.To)})
	}
	return p
}

// Build implements notifier.Section.
func (c *Config) Build(env notifier.Env) (map[string]notifier.Notifier, error) {
	password := ""
	if c.PasswordEnv != "" {
		var err error
		if password, err = env.Secret("email", c.PasswordEnv); err != nil {
			return nil, err
		}
	}
	var pool *x509.CertPool
	if c.TLSCAFile != "" {
		var err error
		if pool, err = CertPool(c.TLSCAFile); err != nil {
			return nil, err
		}
	}
	lists := [][]string{c.To}
	for _, rt := range c.Routes {
		lists = append(lists, rt.To)
	}
	out := map[string]notifier.Notifier{}
	for _, to := range lists {
		out[Destination(to)] = &Sender{Label: strings.Join(to, ", "), Host: c.Host, Port: c.Port, From: c.From, To: to,
			Username: c.Username, Password: password, RootCAs: pool, Retry: env.RetryFor(c.MaxAttempts), GroupAt: c.GroupAt, Now: env.Now}
	}
	return out, nil
}
