package cli

import (
	"github.com/spf13/cobra"

	"github.com/drover-iot/drover/fleet"
	"github.com/drover-iot/drover/fleet/top"
)

func (a *app) topCmd() *cobra.Command {
	var opts top.Options
	cmd := &cobra.Command{
		Use:   "top [--selector k=v] [--ascii] [--once]",
		Short: "Watch the fleet live in the terminal: devices, then one device's units, jobs, sensors and journal",
		Args:  cobra.NoArgs,
	}
	fl := cmd.Flags()
	fl.StringVarP(&opts.Selector, "selector", "l", "", "show only devices whose labels match a label selector such as role=pump,site in (a,b) (/ changes it)")
	fl.BoolVar(&opts.ASCII, "ascii", false, "plain ASCII without colours (the default when TERM=dumb)")
	fl.BoolVar(&opts.Once, "once", false, "print one frame once the retained state is in, and exit")
	cmd.RunE = run(func(cmd *cobra.Command, _ []string) error {
		if _, err := fleet.ParseSelector(opts.Selector); err != nil {
			return usageErrorf("--selector: %v", err)
		}
		c, err := a.dial(cmd.Context())
		if err != nil {
			return err
		}
		defer c.Close()
		opts.Client, opts.In, opts.Out = c, a.opts.Stdin, a.terminal
		opts.Clock, opts.Timeout = a.opts.Clock, a.s.Timeout
		opts.ASCII = opts.ASCII || a.opts.Getenv("TERM") == "dumb"
		return top.Run(cmd.Context(), opts)
	})
	return cmd
}
