package teams

import (
	"errors"
	"fmt"

	"github.com/residiff/residiff/notifier"
)

// Kind is the teams: section of the configuration.
func Kind() notifier.Kind {
	return notifier.Kind{Key: "teams", New: func() notifier.Section { return &Config{} }}
}

// Config is the teams: section: Adaptive Cards posted to an incoming
// webhook or a Workflows URL.
type Config struct {
	// WebhookURLEnv names the environment variable holding the webhook
	// URL (required).
	WebhookURLEnv string `yaml:"webhook_url_env"`
	// Common: min_severity (default medium), max_attempts, digest_above,
	// digest_after_days.
	notifier.Common `yaml:",inline"`
	// Routes send matching changes to other webhooks.
	Routes []Route `yaml:"routes"`
	// GroupAt is as slack.group_at (default 4; -1 never groups).
	GroupAt int `yaml:"group_at"`
}

// Route sends the changes it matches to another webhook.
type Route struct {
	notifier.Match `yaml:",inline"`
	WebhookURLEnv  string `yaml:"webhook_url_env"`
}

// Fill implements notifier.Section.
func (c *Config) Fill(string) { c.Common.Fill("medium") }

// Validate implements notifier.Section.
func (c *Config) Validate() []error {
	var errs []error
	if c.WebhookURLEnv == "" {
		errs = append(errs, errors.New("teams: webhook_url_env is required"))
	}
	errs = append(errs, c.Check("teams")...)
	for i, rt := range c.Routes {
		where := fmt.Sprintf("teams.routes[%d]", i)
		if err := rt.CheckRoute(where); err != nil {
			errs = append(errs, err)
		}
		if rt.WebhookURLEnv == "" {
			errs = append(errs, fmt.Errorf("%s: a Teams route names its own webhook_url_env", where))
		}
	}
	return errs
}

// Secrets implements notifier.Section.
func (c *Config) Secrets() []notifier.Secret {
	out := []notifier.Secret{{Key: "teams.webhook_url_env", Env: c.WebhookURLEnv}}
	for i, rt := range c.Routes {
		if rt.WebhookURLEnv != "" {
			out = append(out, notifier.Secret{Key: fmt.Sprintf("teams.routes[%d].webhook_url_env", i), Env: rt.WebhookURLEnv})
		}
	}
	return out
}

// Destination names the destination of a webhook variable in the outbox.
func Destination(env string) string { return "teams:" + env }

// Policy implements notifier.Section.
func (c *Config) Policy() notifier.Policy {
	p := notifier.Policy{MinSeverity: c.MinSeverity, Default: Destination(c.WebhookURLEnv)}
	for i, rt := range c.Routes {
		p.Routes = append(p.Routes, notifier.Route{Key: fmt.Sprintf("teams.routes[%d]", i), Match: rt.Match,
			Destination: Destination(rt.WebhookURLEnv)})
	}
	return p
}

// Build implements notifier.Section.
func (c *Config) Build(env notifier.Env) (map[string]notifier.Notifier, error) {
	out := map[string]notifier.Notifier{}
	vars := []string{c.WebhookURLEnv}
	for _, rt := range c.Routes {
		vars = append(vars, rt.WebhookURLEnv)
	}
	for _, v := range vars {
		url, err := env.WebhookURL("teams", v)
		if err != nil {
			return nil, err
		}
		out[Destination(v)] = &Webhook{Label: "$" + v, URL: url, Retry: env.RetryFor(c.MaxAttempts), GroupAt: c.GroupAt}
	}
	return out, nil
}
