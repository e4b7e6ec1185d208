package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/residiff/residiff/config"
	"github.com/residiff/residiff/differ"
	"github.com/residiff/residiff/model"
	"github.com/residiff/residiff/notifier"
	"github.com/residiff/residiff/notifier/delivery"
	"github.com/residiff/residiff/outbox"
	"github.com/spf13/cobra"
)

// errNotifyFailed: notify test could not deliver to every destination.
var errNotifyFailed = errors.New("test message not delivered")

// newNotifyCmd is `residiff notify test`.
func newNotifyCmd(s Env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "notify test [--destination NAME] [--config residiff.yaml]",
		Short: "Send a test message to the configured destinations",
		Args:  cobra.NoArgs,
	}
	var path, destination string
	test := &cobra.Command{
		Use:   "test",
		Short: "Send one clearly marked test message to each destination and report each result",
		Long: `test builds every destination of the configuration's notifier sections
(with their secrets), sends each one short message marked as a test (not a
residency change; nothing is recorded in the state) and prints one line per
destination: ok, or the error. With --destination only that one (a
channel, a webhook's variable, teams:VAR, email:addresses, webhook:VAR). It
exits 2 when a destination failed.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runNotifyTest(cmd.Context(), s, path, destination)
		},
	}
	test.Flags().StringVar(&path, "config", "", "configuration file (default: residiff.yaml when present)")
	test.Flags().StringVar(&destination, "destination", "", "send only to this destination")
	cmd.AddCommand(test)
	return cmd
}

func runNotifyTest(ctx context.Context, s Env, path, only string) error {
	cfg, err := loadConfig(path, s.Err)
	if err != nil {
		return err
	}
	if !cfg.Notifies() {
		return errors.New("notify test: the configuration has no notifier section (slack, teams, email, webhook)")
	}
	retry := delivery.DefaultRetry()
	retry.MaxAttempts = 2
	env := notifier.Env{Getenv: s.Getenv, Retry: retry, FixedAttempts: true, Now: s.Now, Warn: func(string) {}}
	dests := map[string]notifier.Notifier{}
	for _, n := range cfg.Notifiers {
		built, err := n.Section.Build(env)
		if err != nil {
			return err
		}
		for name, d := range built {
			dests[name] = d
		}
	}
	names := make([]string, 0, len(dests))
	for name := range dests {
		if only == "" || name == only {
			names = append(names, name)
		}
	}
	if len(names) == 0 {
		all := make([]string, 0, len(dests))
		for name := range dests {
			all = append(all, name)
		}
		sort.Strings(all)
		return fmt.Errorf("notify test: no destination %q (the configuration has %s)", only, strings.Join(all, ", "))
	}
	sort.Strings(names)
	text := fmt.Sprintf("residiff test message, sent %s by `residiff notify test`: this destination is configured and reachable. It is not a residency change.",
		s.Now().UTC().Format("2006-01-02 15:04 MST"))
	var out bytes.Buffer
	failed := 0
	for _, name := range names {
		_, err := dests[name].Send(ctx, notifier.Batch{Destination: name, Title: "residiff: test message", Heartbeat: text, Notice: "test"})
		if err != nil {
			failed++
			fmt.Fprintf(&out, "error: %s: %s\n", name, oneLine(err.Error()))
			continue
		}
		fmt.Fprintf(&out, "ok: %s: test message delivered\n", name)
	}
	if _, err := s.Out.Write(out.Bytes()); err != nil {
		return err
	}
	if failed > 0 {
		return fmt.Errorf("notify test: %w to %d of %d destination(s)", errNotifyFailed, failed, len(names))
	}
	return nil
}

// addRoutesCmd adds `residiff config routes test` to the config command.
func addRoutesCmd(configCmd *cobra.Command, s Env) {
	routes := &cobra.Command{
		Use:   "routes test --scope SCOPE --page PAGE [--region REGION] [--severity high]",
		Short: "Show which destinations a change would reach",
		Args:  cobra.NoArgs,
	}
	var path string
	var probe model.Item
	var severity string
	test := &cobra.Command{
		Use:   "test",
		Short: "Print which destinations a change of a scope, page and region would reach",
		Long: `test routes one made-up change through every notifier section of the
configuration as run would (severity floor, routes in order, the default
destination when no route matches) and prints, per section, the
destinations it reaches and why. Nothing is sent.`,
		Example: `  residiff config routes test --scope "EU Data Boundary" --page data-storage-eu
  residiff config routes test --region Japan --page data-storage-japan --severity medium`,
		Args: cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			sev, err := differ.ParseSeverity(severity)
			if err != nil {
				return fmt.Errorf("--severity: %w", err)
			}
			probe.Change.Severity = sev
			cfg, err := loadConfig(path, s.Err)
			if err != nil {
				return err
			}
			return printRoutes(s, cfg, probe)
		},
	}
	f := test.Flags()
	f.StringVar(&path, "config", "", "configuration file (default: residiff.yaml when present)")
	f.StringVar(&probe.Change.Scope, "scope", "", "the change's scope (EU Data Boundary, …)")
	f.StringVar(&probe.Page, "page", "", "the change's page (lineage name, as routes' page globs match it)")
	f.StringVar(&probe.Region, "region", "", "the page's region")
	f.StringVar(&probe.Repository, "repository", "", "the configured repository (name) the change is of")
	f.StringVar(&severity, "severity", "high", "the change's severity: low, medium or high")
	routes.AddCommand(test)
	configCmd.AddCommand(routes)
}

// printRoutes prints where probe goes, section by section.
func printRoutes(s Env, cfg *config.Config, probe model.Item) error {
	var out bytes.Buffer
	if !cfg.Notifies() {
		fmt.Fprintln(&out, "no notifier section: run prints the report on standard output")
	}
	reached := 0
	for _, n := range cfg.Notifiers {
		np := n.Section.Policy()
		p := outbox.PolicyOf(np, cfg.FirstRun)
		if probe.Change.Severity < p.MinSeverity {
			fmt.Fprintf(&out, "%s: none (a %s change is below min_severity %s)\n", n.Key, probe.Change.Severity, np.MinSeverity)
			continue
		}
		var why []string
		for i, rt := range p.Routes {
			if rt.Matches(probe) {
				why = append(why, fmt.Sprintf("%s (%s)", rt.Destination, np.Routes[i].Key))
			}
		}
		if len(why) == 0 {
			why = []string{p.Default + " (default: no route matches)"}
		}
		reached += len(why)
		fmt.Fprintf(&out, "%s: %s\n", n.Key, strings.Join(why, ", "))
	}
	if cfg.Notifies() && reached == 0 {
		fmt.Fprintln(&out, "the change reaches no destination")
	}
	_, err := s.Out.Write(out.Bytes())
	return err
}
