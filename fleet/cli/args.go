package cli

import (
	"strings"

	"github.com/spf13/cobra"

	"github.com/drover-iot/drover/fleet"
)

// argWords names the positional arguments in usage messages.
var argWords = map[string]string{
	"DEV":    "a device id",
	"NAME":   "a name",
	"BINARY": "a binary file",
}

// exactArgs requires exactly the named positional arguments and, when some
// are missing or extra, says which, with the command line to type:
// "status needs a device id: fleetctl status DEV".
func exactArgs(names ...string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) == len(names) {
			return nil
		}
		line := cmd.CommandPath() + " " + strings.Join(names, " ")
		sub := strings.TrimPrefix(cmd.CommandPath(), cmd.Root().Name()+" ")
		if len(args) < len(names) {
			return usageErrorf("%s needs %s: %s", sub, argList(names[len(args):]), line)
		}
		return usageErrorf("%s takes %d argument(s), got %d (%s): %s",
			sub, len(names), len(args), strings.Join(args[len(names):], " "), line)
	}
}

// minArgs requires one or more of the named positional argument.
func minArgs(name string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) > 0 {
			return nil
		}
		sub := strings.TrimPrefix(cmd.CommandPath(), cmd.Root().Name()+" ")
		return usageErrorf("%s needs %s: %s %s...", sub, argList([]string{name}), cmd.CommandPath(), name)
	}
}

// argList renders names as "a device id and a name".
func argList(names []string) string {
	words := make([]string, len(names))
	for i, n := range names {
		words[i] = argWords[n]
		if words[i] == "" {
			words[i] = n
		}
	}
	if len(words) == 1 {
		return words[0]
	}
	return strings.Join(words[:len(words)-1], ", ") + " and " + words[len(words)-1]
}

// validDevice checks a device id given on the command line (a usage error).
func validDevice(id string) error {
	if err := fleet.ValidDeviceID(id); err != nil {
		return usageErrorf("%v", err)
	}
	return nil
}
