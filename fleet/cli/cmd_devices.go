package cli

import (
	"context"
	"time"

	"github.com/spf13/cobra"

	"github.com/drover-iot/drover/fleet"
	"github.com/drover-iot/drover/fleet/client"
)

func (a *app) devicesCmd() *cobra.Command {
	var selector string
	var forget []string
	var force bool
	cmd := &cobra.Command{
		Use:   "devices [--selector k=v] | devices --forget DEV[,DEV...] [--force]",
		Short: "List devices from their retained state, info and status; or forget old ones",
		Args:  cobra.NoArgs,
	}
	fl := cmd.Flags()
	fl.StringVarP(&selector, "selector", "l", "", "only devices whose labels match a label selector (k=v, k!=v, k in (a,b), !k; comma = and)")
	fl.StringSliceVar(&forget, "forget", nil, "clear the retained state, info and status of these offline or lost devices")
	fl.BoolVar(&force, "force", false, "with --forget: forget devices that are online too")
	cmd.RunE = run(func(cmd *cobra.Command, _ []string) error {
		switch {
		case len(forget) > 0 && selector != "":
			return usageErrorf("give --forget or --selector, not both")
		case force && len(forget) == 0:
			return usageErrorf("--force goes with --forget")
		case len(forget) > 0:
			return a.forget(cmd.Context(), forget, force)
		}
		devs, err := a.listDevices(cmd.Context(), selector)
		if err != nil {
			return err
		}
		return a.out(devs, func() *table { return a.devicesTable(devs) })
	})
	return cmd
}

func (a *app) listDevices(ctx context.Context, selector string) ([]client.Device, error) {
	sel, err := fleet.ParseSelector(selector)
	if err != nil {
		return nil, usageErrorf("%v", err)
	}
	var devs []client.Device
	err = a.withClient(ctx, func(ctx context.Context, c *client.Client) error {
		devs, err = c.Devices(ctx, client.DefaultSettle)
		return err
	})
	devs = client.FilterDevices(devs, sel)
	sortNatural(devs, func(d client.Device) string { return d.ID })
	return devs, err
}

func (a *app) devicesTable(devs []client.Device) *table {
	now := a.opts.Clock.Now()
	t := &table{header: []string{"ID", "STATE", "VERSION", "UPTIME", "LAST SEEN", "SYNC"}}
	for _, d := range devs {
		t.add(d.ID, orDash(string(d.State)), orDash(d.Version()), uptime(now, d), ago(now, d.LastSeen), orDash(string(d.Sync)))
	}
	return t
}

// uptime is the device's uptime now, or "-" when it is not online.
func uptime(now time.Time, d client.Device) string {
	if up, ok := d.UptimeAt(now); ok {
		return duration(up)
	}
	return "-"
}
