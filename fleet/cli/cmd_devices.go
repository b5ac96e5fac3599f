package cli

import (
	"cmp"
	"context"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/drover-iot/drover/fleet"
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
	fl.StringVarP(&selector, "selector", "l", "", "only devices whose labels match k=v[,k=v]")
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

func (a *app) listDevices(ctx context.Context, selector string) ([]fleet.Device, error) {
	sel, err := fleet.ParseSelector(selector)
	if err != nil {
		return nil, usageErrorf("%v", err)
	}
	var devs []fleet.Device
	err = a.withClient(ctx, func(ctx context.Context, c *fleet.Client) error {
		devs, err = c.Devices(ctx, fleet.DefaultSettle)
		return err
	})
	devs = fleet.FilterDevices(devs, sel)
	sortNatural(devs, func(d fleet.Device) string { return d.ID })
	return devs, err
}

func (a *app) devicesTable(devs []fleet.Device) *table {
	now := a.opts.Clock.Now()
	t := &table{header: []string{"ID", "STATE", "VERSION", "UPTIME", "LAST SEEN"}}
	for _, d := range devs {
		t.add(d.ID, orDash(string(d.State)), orDash(d.Version()), uptime(now, d), ago(now, d.LastSeen))
	}
	return t
}

// uptime is the device's uptime now: from its last status, else from its
// birth document; "-" when it is not online.
func uptime(now time.Time, d fleet.Device) string {
	switch {
	case d.State != fleet.StateOnline:
		return "-"
	case d.LastSeen != nil && d.UptimeS > 0:
		return duration(time.Duration(d.UptimeS*float64(time.Second)) + now.Sub(*d.LastSeen))
	case d.Info != nil && !d.Info.StartedAt.IsZero():
		return duration(now.Sub(d.Info.StartedAt))
	}
	return "-"
}

// pingRow is one device's line of ping output.
type pingRow struct {
	Device string  `json:"device"`
	OK     bool    `json:"ok"`
	RTTMs  float64 `json:"rtt_ms"`
	Error  string  `json:"error,omitempty"`
}

func (a *app) pingCmd() *cobra.Command {
	var all bool
	cmd := &cobra.Command{
		Use:   "ping DEV...|--all",
		Short: "Measure the round-trip time to devices",
	}
	cmd.Flags().BoolVar(&all, "all", false, "ping every device that has a retained state")
	cmd.RunE = run(func(cmd *cobra.Command, args []string) error {
		if all == (len(args) > 0) {
			return usageErrorf("give device ids or --all, not both or neither")
		}
		return a.withClient(cmd.Context(), func(ctx context.Context, c *fleet.Client) error {
			devs, err := a.pingTargets(ctx, c, args, all)
			if err != nil {
				return err
			}
			return a.printPings(c.FanOut(ctx, devs, fleet.CmdPing, nil))
		})
	})
	return cmd
}

func (a *app) pingTargets(ctx context.Context, c *fleet.Client, args []string, all bool) ([]string, error) {
	if !all {
		for _, id := range args {
			if err := validDevice(id); err != nil {
				return nil, err
			}
		}
		return args, nil
	}
	devs, err := c.Devices(ctx, fleet.DefaultSettle)
	ids := make([]string, len(devs))
	for i, d := range devs {
		ids[i] = d.ID
	}
	return ids, err
}

// printPings prints the results, each error once in its row, and returns
// a summary that classifies as the most serious failure.
func (a *app) printPings(results []fleet.Result) error {
	rows := make([]pingRow, len(results))
	fails := &deviceFailures{total: len(results)}
	for i, r := range results {
		rows[i] = pingRow{Device: r.Device, OK: r.Err == nil, RTTMs: float64(r.RTT.Microseconds()) / 1000}
		if r.Err != nil {
			rows[i].Error = r.Err.Error()
			fails.add(r.Err)
		}
	}
	err := a.out(rows, func() *table {
		t := &table{header: []string{"DEVICE", "RTT", "RESULT"}}
		for _, r := range rows {
			rtt := "-"
			if r.OK {
				rtt = fmt.Sprintf("%.1fms", r.RTTMs)
			}
			t.add(r.Device, rtt, cmp.Or(r.Error, "ok"))
		}
		return t
	})
	if fails.failed > 0 {
		return fails
	}
	return err
}
