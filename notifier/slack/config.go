package slack

import (
	"errors"
	"fmt"

	"github.com/residiff/residiff/notifier"
)

// Kind is the slack: section of the configuration.
func Kind() notifier.Kind {
	return notifier.Kind{Key: "slack", New: func() notifier.Section { return &Config{} }}
}

// Config is the slack: section: an incoming webhook, or a bot token
// posting to channels (changes threaded under a run header).
type Config struct {
	// WebhookURLEnv names the environment variable holding an incoming
	// webhook URL. Either this or TokenEnv.
	WebhookURLEnv string `yaml:"webhook_url_env"`
	// TokenEnv names the environment variable holding a bot token
	// (chat.postMessage; changes are threaded under a run summary).
	TokenEnv string `yaml:"token_env"`
	// Channel is the default channel (required with TokenEnv).
	Channel string `yaml:"channel"`
	// Common: min_severity (default medium), max_attempts, digest_above,
	// digest_after_days.
	notifier.Common `yaml:",inline"`
	// Routes send changes of a region or scope to other channels.
	Routes []Route `yaml:"routes"`
	// APIURL overrides the Slack API base URL (for a Slack-compatible
	// gateway or a test server); default: Slack's own.
	APIURL string `yaml:"api_url"`
	// GroupAt: this many changes of one revision that say the same thing
	// of different services (a list moved to another page) make one line
	// naming them (default 4; -1 never groups).
	GroupAt int `yaml:"group_at"`
}

// Route sends the changes it matches to another channel (with a token) or
// another webhook.
type Route struct {
	notifier.Match `yaml:",inline"`
	Channel        string `yaml:"channel"`
	WebhookURLEnv  string `yaml:"webhook_url_env"`
}

// Fill implements notifier.Section.
func (c *Config) Fill(string) { c.Common.Fill("medium") }

// Validate implements notifier.Section.
func (c *Config) Validate() []error {
	var errs []error
	if (c.WebhookURLEnv == "") == (c.TokenEnv == "") {
		errs = append(errs, errors.New("slack: set exactly one of webhook_url_env and token_env"))
	}
	if c.TokenEnv != "" && c.Channel == "" {
		errs = append(errs, errors.New("slack: token_env needs channel"))
	}
	errs = append(errs, c.Check("slack")...)
	for i, rt := range c.Routes {
		where := fmt.Sprintf("slack.routes[%d]", i)
		if err := rt.CheckRoute(where); err != nil {
			errs = append(errs, err)
		}
		if c.TokenEnv != "" && (rt.Channel == "" || rt.WebhookURLEnv != "") {
			errs = append(errs, fmt.Errorf("%s: with token_env, a route names a channel", where))
		}
		if c.WebhookURLEnv != "" && rt.WebhookURLEnv == "" {
			errs = append(errs, fmt.Errorf("%s: with webhook_url_env, a route names its own webhook_url_env", where))
		}
	}
	return errs
}

// Secrets implements notifier.Section.
func (c *Config) Secrets() []notifier.Secret {
	var out []notifier.Secret
	if c.WebhookURLEnv != "" {
		out = append(out, notifier.Secret{Key: "slack.webhook_url_env", Env: c.WebhookURLEnv})
	}
	if c.TokenEnv != "" {
		out = append(out, notifier.Secret{Key: "slack.token_env", Env: c.TokenEnv})
	}
	for i, rt := range c.Routes {
		if rt.WebhookURLEnv != "" {
			out = append(out, notifier.Secret{Key: fmt.Sprintf("slack.routes[%d].webhook_url_env", i), Env: rt.WebhookURLEnv})
		}
	}
	return out
}

// destination names a channel (token) or a webhook variable.
func (c *Config) destination(channel, webhookEnv string) string {
	if c.TokenEnv != "" {
		return channel
	}
	return webhookEnv
}

// Policy implements notifier.Section.
func (c *Config) Policy() notifier.Policy {
	p := notifier.Policy{MinSeverity: c.MinSeverity, Default: c.destination(c.Channel, c.WebhookURLEnv)}
	for i, rt := range c.Routes {
		p.Routes = append(p.Routes, notifier.Route{Key: fmt.Sprintf("slack.routes[%d]", i), Match: rt.Match,
			Destination: c.destination(rt.Channel, rt.WebhookURLEnv)})
	}
	return p
}

// Destinations lists every destination the section routes to, the
// default first.
func (c *Config) Destinations() []string {
	seen := map[string]bool{}
	var out []string
	p := c.Policy()
	add := func(d string) {
		if d != "" && !seen[d] {
			seen[d] = true
			out = append(out, d)
		}
	}
	add(p.Default)
	for _, rt := range p.Routes {
		add(rt.Destination)
	}
	return out
}

// Build implements notifier.Section.
func (c *Config) Build(env notifier.Env) (map[string]notifier.Notifier, error) {
	out := map[string]notifier.Notifier{}
	retry := env.RetryFor(c.MaxAttempts)
	if c.TokenEnv != "" {
		token, err := env.Secret("slack", c.TokenEnv)
		if err != nil {
			return nil, err
		}
		for _, ch := range c.Destinations() {
			d := NewBotDestination(ch, token, c.APIURL, retry)
			d.Warn = env.Warn
			d.GroupAt = c.GroupAt
			out[ch] = d
		}
		return out, nil
	}
	for _, v := range c.Destinations() {
		url, err := env.WebhookURL("slack", v)
		if err != nil {
			return nil, err
		}
		d := NewWebhook("webhook $"+v, url, retry)
		d.GroupAt = c.GroupAt
		out[v] = d
	}
	return out, nil
}
