package cli

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"strings"

	"github.com/spf13/cobra"

	"github.com/drover-iot/drover/fleet"
	"github.com/drover-iot/drover/fleet/exporter"
)

func (a *app) exporterCmd() *cobra.Command {
	var listen string
	opts := exporter.Options{}
	cmd := &cobra.Command{
		Use:   "exporter",
		Short: "Serve the whole fleet's metrics to Prometheus, through the broker",
		Long: "exporter subscribes to every device's state, info, status, telemetry and metrics topics\n" +
			"and serves one /metrics with each device's families labelled device, plus\n" +
			"drover_device_up, drover_device_info and drover_device_last_seen_timestamp_seconds.",
		Args: cobra.NoArgs,
		RunE: run(func(cmd *cobra.Command, _ []string) error {
			opts.Topics = fleet.Topics{Prefix: a.s.Prefix}
			opts.Logger = slog.New(slog.NewTextHandler(a.opts.Stderr, nil)).With("component", "exporter")
			return a.runExporter(cmd.Context(), listen, opts)
		}),
	}
	cmd.Flags().StringVar(&listen, "listen", exporter.DefaultListen, "address of the /metrics endpoint")
	cmd.Flags().StringSliceVar(&opts.DeviceLabels, "device-labels", nil, "device labels to add to every series (e.g. site,role)")
	cmd.Flags().DurationVar(&opts.Stale, "stale", exporter.DefaultStale, "drop the series of a device down or silent this long")
	return cmd
}

// runExporter listens, dials the broker and serves until ctx ends.
func (a *app) runExporter(ctx context.Context, listen string, opts exporter.Options) error {
	e, err := exporter.New(opts)
	if err != nil {
		return usageErrorf("%v", err)
	}
	ln, err := net.Listen("tcp", listen)
	if err != nil {
		return fmt.Errorf("exporter: listen: %w", err)
	}
	c, err := a.dial(ctx)
	if err != nil {
		return errors.Join(err, ln.Close())
	}
	defer c.Close()
	opts.Logger.Info("exporter started", "listen", ln.Addr().String(), "brokers", strings.Join(a.s.Brokers, " "))
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	served := make(chan error, 1)
	go func() { served <- e.Serve(ctx, ln) }()
	err = e.Run(ctx, c)
	cancel()
	return errors.Join(err, <-served)
}
