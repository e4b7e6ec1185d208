// Package notifiers is the registry of notifier kinds: one line per kind.
// The configuration reads a section for each (its key: slack:, teams:,
// …) and the job builds, routes and retries destinations only through
// the notifier.Section interface.
package notifiers

import (
	"github.com/residiff/residiff/notifier"
	"github.com/residiff/residiff/notifier/email"
	"github.com/residiff/residiff/notifier/slack"
	"github.com/residiff/residiff/notifier/teams"
	"github.com/residiff/residiff/notifier/webhook"
)

// Kinds lists every notifier kind, in the order their sections are read.
func Kinds() []notifier.Kind {
	return []notifier.Kind{
		slack.Kind(),
		teams.Kind(),
		email.Kind(),
		webhook.Kind(),
	}
}
