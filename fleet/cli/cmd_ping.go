package cli

import (
	"cmp"
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/drover-iot/drover/fleet"
	"github.com/drover-iot/drover/fleet/client"
)

// pingRow is one device's line of ping output.
type pingRow struct {
	Device string `json:"device"`
	// State is the retained state, for devices listed by --all.
	State string  `json:"state,omitempty"`
	OK    bool    `json:"ok"`
	RTTMs float64 `json:"rtt_ms"`
	// Skipped: not pinged, because its retained state is not online.
	Skipped bool   `json:"skipped,omitempty"`
	Error   string `json:"error,omitempty"`
}

// pingTarget is one device ping considers.
type pingTarget struct {
	id    string
	state fleet.DeviceState // retained state; "" for ids given as arguments
	ping  bool              // send it a ping
	// expected: it should answer, so a failure fails the command (ids given
	// as arguments, and devices whose retained state is online).
	expected bool
}

func (a *app) pingCmd() *cobra.Command {
	var all, includeOffline bool
	var selector string
	cmd := &cobra.Command{
		Use:         "ping DEV...|-l SELECTOR|--all [--include-offline]",
		Annotations: sends(fleet.CmdPing),
		Short:       "Measure the round-trip time to devices",
	}
	cmd.Flags().BoolVar(&all, "all", false, "ping every device whose retained state is online; list the others")
	cmd.Flags().BoolVar(&includeOffline, "include-offline", false, "with --all or -l: ping devices that are not online too")
	cmd.Flags().StringVarP(&selector, "selector", "l", "", "devices whose labels match a selector (k=v, k!=v, k in (a,b), k notin (a,b), k, !k)")
	cmd.RunE = run(func(cmd *cobra.Command, args []string) error {
		sel, err := fleet.ParseSelector(selector)
		switch {
		case err != nil:
			return usageErrorf("%v", err)
		case all && selector != "":
			return usageErrorf("give -l or --all, not both")
		}
		all = all || selector != ""
		switch {
		case all == (len(args) > 0):
			return usageErrorf("give device ids or --all, not both or neither")
		case includeOffline && !all:
			return usageErrorf("--include-offline goes with --all or -l")
		}
		if err := validDevices(args); err != nil {
			return err
		}
		return a.withClient(cmd.Context(), func(ctx context.Context, c *client.Client) error {
			if !all {
				return a.printPings(a.pingIDs(ctx, c, args))
			}
			targets, err := allTargets(ctx, c, sel, includeOffline)
			if err != nil {
				return err
			}
			return a.printPings(targets, pingAll(ctx, c, targets))
		})
	})
	return cmd
}

func validDevices(ids []string) error {
	for _, id := range ids {
		if err := validDevice(id); err != nil {
			return err
		}
	}
	return nil
}

// pingIDs pings devices named on the command line; one without retained
// state fails after UnknownAfter with ErrUnknownDevice.
func (a *app) pingIDs(ctx context.Context, c *client.Client, ids []string) ([]pingTarget, []client.Result) {
	targets := make([]pingTarget, len(ids))
	for i, id := range ids {
		targets[i] = pingTarget{id: id, ping: true, expected: true}
	}
	return targets, c.FanOutFunc(ctx, ids, func(ctx context.Context, dev string) (fleet.Reply, error) {
		return a.ask(ctx, c, dev, fleet.CmdPing, nil)
	})
}

// allTargets lists every device with retained state that sel matches,
// naturally sorted; only the online ones are pinged unless includeOffline.
func allTargets(ctx context.Context, c *client.Client, sel fleet.Selector, includeOffline bool) ([]pingTarget, error) {
	devs, err := c.DevicesWith(ctx, client.DefaultSettle, readsFor(sel))
	if err != nil {
		return nil, err
	}
	devs = client.FilterDevices(devs, sel)
	sortNatural(devs, func(d client.Device) string { return d.ID })
	targets := make([]pingTarget, len(devs))
	for i, d := range devs {
		online := d.State == fleet.StateOnline
		targets[i] = pingTarget{id: d.ID, state: d.State, ping: online || includeOffline, expected: online}
	}
	return targets, nil
}

// pingAll pings the targets to ping; the listing already showed they are
// known, so no unknown-device check. Results are in the order of targets,
// with a zero Result for those not pinged.
func pingAll(ctx context.Context, c *client.Client, targets []pingTarget) []client.Result {
	var ids []string
	var at []int
	for i, t := range targets {
		if t.ping {
			ids, at = append(ids, t.id), append(at, i)
		}
	}
	results := make([]client.Result, len(targets))
	for j, r := range c.FanOut(ctx, ids, fleet.CmdPing, nil) {
		results[at[j]] = r
	}
	return results
}

// printPings prints one row per target, each error once in its row, and
// returns a summary that classifies as the most serious failure of a device
// expected to answer.
func (a *app) printPings(targets []pingTarget, results []client.Result) error {
	rows := make([]pingRow, len(targets))
	fails := &deviceFailures{}
	for i, t := range targets {
		rows[i] = pingRow{Device: t.id, State: string(t.state), Skipped: !t.ping}
		if t.expected {
			fails.total++
		}
		if !t.ping {
			continue
		}
		r := results[i]
		rows[i].OK, rows[i].RTTMs = r.Err == nil, float64(r.RTT.Microseconds())/1000
		if r.Err == nil {
			continue
		}
		rows[i].Error = r.Err.Error()
		if t.expected {
			fails.add(r.Err)
		}
	}
	err := a.out(rows, func() *table { return pingTable(rows) })
	if fails.failed > 0 {
		return fails
	}
	return err
}

func pingTable(rows []pingRow) *table {
	t := &table{header: []string{"DEVICE", "RTT", "RESULT"}}
	for _, r := range rows {
		rtt, result := "-", cmp.Or(r.Error, "ok")
		switch {
		case r.Skipped:
			result = cmp.Or(r.State, "no state")
		case r.OK:
			rtt = fmt.Sprintf("%.1fms", r.RTTMs)
		case r.State != "" && r.State != string(fleet.StateOnline):
			result = r.State + ": " + r.Error
		}
		t.add(r.Device, rtt, result)
	}
	return t
}
