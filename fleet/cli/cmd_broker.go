package cli

import (
	"fmt"
	"log/slog"

	"github.com/spf13/cobra"

	"github.com/drover-iot/drover/fleet/broker"
)

func (a *app) brokerCmd() *cobra.Command {
	var listen string
	var verbose bool
	cmd := &cobra.Command{
		Use:   "broker [--listen ADDR]",
		Short: "Run the embedded MQTT broker (development; allows every client)",
		Args:  cobra.NoArgs,
	}
	cmd.Flags().StringVar(&listen, "listen", broker.DefaultListen, "TCP address to listen on")
	cmd.Flags().BoolVarP(&verbose, "verbose", "v", false, "log client connections")
	cmd.RunE = run(func(cmd *cobra.Command, _ []string) error {
		opts := broker.Options{Listen: listen}
		if verbose {
			opts.Logger = slog.New(slog.NewTextHandler(a.opts.Stderr, nil))
		}
		b := broker.New(opts)
		if err := b.Start(); err != nil {
			return err
		}
		fmt.Fprintf(a.opts.Stdout, "broker listening on %s (Ctrl-C to stop)\n", b.URL())
		<-cmd.Context().Done()
		return b.Close()
	})
	return cmd
}
