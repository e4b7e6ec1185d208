package webhook

import (
	"errors"
	"fmt"

	"github.com/residiff/residiff/notifier"
)

// Kind is the webhook: section of the configuration.
func Kind() notifier.Kind {
	return notifier.Kind{Key: "webhook", New: func() notifier.Section { return &Config{} }}
}

// Config is the webhook: section.
type Config struct {
	// URLEnv names the environment variable holding the receiver's URL
	// (required; https, or http to a loopback host).
	URLEnv string `yaml:"url_env"`
	// SecretEnv names the environment variable holding the HMAC key that
	// signs each body; empty: unsigned.
	SecretEnv string `yaml:"secret_env"`
	// Common: min_severity (default medium), max_attempts, digest_above,
	// digest_after_days.
	notifier.Common `yaml:",inline"`
	// Routes send matching changes to other receivers.
	Routes []Route `yaml:"routes"`
}

// Route sends the changes it matches to another receiver.
type Route struct {
	notifier.Match `yaml:",inline"`
	URLEnv         string `yaml:"url_env"`
}

// Fill implements notifier.Section.
func (c *Config) Fill(string) { c.Common.Fill("medium") }

// Validate implements notifier.Section.
func (c *Config) Validate() []error {
	var errs []error
	if c.URLEnv == "" {
		errs = append(errs, errors.New("webhook: url_env is required"))
	}
	errs = append(errs, c.Check("webhook")...)
	for i, rt := range c.Routes {
		where := fmt.Sprintf("webhook.routes[%d]", i)
		if err := rt.CheckRoute(where); err != nil {
			errs = append(errs, err)
		}
		if rt.URLEnv == "" {
			errs = append(errs, fmt.Errorf("%s: a webhook route names its own url_env", where))
		}
	}
	return errs
}

// Secrets implements notifier.Section.
func (c *Config) Secrets() []notifier.Secret {
	out := []notifier.Secret{{Key: "webhook.url_env", Env: c.URLEnv}}
	if c.SecretEnv != "" {
		out = append(out, notifier.Secret{Key: "webhook.secret_env", Env: c.SecretEnv})
	}
	for i, rt := range c.Routes {
		out = append(out, notifier.Secret{Key: fmt.Sprintf("webhook.routes[%d].url_env", i), Env: rt.URLEnv})
	}
	return out
}

// Destination names the destination of a URL variable in the outbox.
func Destination(env string) string { return "webhook:" + env }

// Policy implements notifier.Section.
func (c *Config) Policy() notifier.Policy {
	p := notifier.Policy{MinSeverity: c.MinSeverity, Default: Destination(c.URLEnv)}
	for i, rt := range c.Routes {
		p.Routes = append(p.Routes, notifier.Route{Key: fmt.Sprintf("webhook.routes[%d]", i), Match: rt.Match,
			Destination: Destination(rt.URLEnv)})
	}
	return p
}

// Build implements notifier.Section.
func (c *Config) Build(env notifier.Env) (map[string]notifier.Notifier, error) {
	secret := ""
	if c.SecretEnv != "" {
		var err error
		if secret, err = env.Secret("webhook", c.SecretEnv); err != nil {
			return nil, err
		}
	}
	out := map[string]notifier.Notifier{}
	vars := []string{c.URLEnv}
	for _, rt := range c.Routes {
		vars = append(vars, rt.URLEnv)
	}
	for _, v := range vars {
		url, err := env.WebhookURL("webhook", v)
		if err != nil {
			return nil, err
		}
		out[Destination(v)] = &Webhook{Label: "$" + v, URL: url, Secret: secret, Retry: env.RetryFor(c.MaxAttempts)}
	}
	return out, nil
}
