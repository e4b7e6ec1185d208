package cli

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/residiff/residiff/config"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// flagError adds "did you mean" to an unknown flag: the nearest flag the
// command has, as cobra already does for commands.
func flagError(cmd *cobra.Command, err error) error {
	name, ok := strings.CutPrefix(err.Error(), "unknown flag: --")
	if !ok {
		return err
	}
	var names []string
	cmd.Flags().VisitAll(func(f *pflag.Flag) { names = append(names, f.Name) })
	cmd.InheritedFlags().VisitAll(func(f *pflag.Flag) { names = append(names, f.Name) })
	if near := config.Nearest(name, names); near != "" {
		return fmt.Errorf("%w (did you mean --%s?)", err, near)
	}
	return err
}

// shells are the shells completion writes scripts for.
var shells = []string{"bash", "zsh", "fish", "powershell"}

// strictCompletion makes `completion SHELL` an error, exit 2, for a shell
// it has no script for (cobra's own prints its help and exits 0).
func strictCompletion(root *cobra.Command) {
	root.InitDefaultCompletionCmd()
	for _, c := range root.Commands() {
		if c.Name() != "completion" {
			continue
		}
		c.Args = cobra.ArbitraryArgs
		c.RunE = func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return fmt.Errorf("completion: name a shell: %s", strings.Join(shells, ", "))
			}
			msg := fmt.Sprintf("completion %q: no completion for this shell (want %s)", args[0], strings.Join(shells, ", "))
			if near := config.Nearest(args[0], shells); near != "" {
				msg += fmt.Sprintf(" (did you mean %q?)", near)
			}
			return errors.New(msg)
		}
	}
}

// checkChoice checks that v is one of choices, naming them all (and the
// nearest) when it is not.
func checkChoice(flag, v string, choices []string) error {
	if slices.Contains(choices, v) {
		return nil
	}
	msg := fmt.Sprintf("%s %q: want one of %s", flag, v, strings.Join(choices, ", "))
	if near := config.Nearest(v, choices); near != "" {
		msg += fmt.Sprintf(" (did you mean %q?)", near)
	}
	return errors.New(msg)
}
