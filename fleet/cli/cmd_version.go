package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/drover-iot/drover/internal/version"
)

// versionLine is what `fleetctl version` and `fleetctl --version` print.
func versionLine() string {
	return fmt.Sprintf("fleetctl %s (commit %s, %s)", version.Version, version.Commit, version.GoVersion())
}

func (a *app) versionCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print fleetctl's version, commit and Go version",
		Args:  cobra.NoArgs,
		// No broker settings are needed: skip the root's config resolution.
		PersistentPreRunE: func(*cobra.Command, []string) error { return nil },
		RunE: run(func(*cobra.Command, []string) error {
			_, err := fmt.Fprintln(a.opts.Stdout, versionLine())
			return err
		}),
	}
}
