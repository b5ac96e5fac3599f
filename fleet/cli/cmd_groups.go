package cli

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/drover-iot/drover/fleet"
	"github.com/drover-iot/drover/fleet/client"
	"github.com/drover-iot/drover/fleet/groups"
)

// groupRow is one retained group in `fleetctl get groups`.
type groupRow struct {
	Name       string   `json:"name"`
	Generation uint64   `json:"generation"`
	Hash       string   `json:"hash"`
	Selector   string   `json:"selector"`
	Jobs       []string `json:"jobs"`
	Services   []string `json:"services,omitempty"`
	Signed     bool     `json:"signed"`
	Devices    int      `json:"devices"`
	InSync     int      `json:"in_sync"`
	Error      string   `json:"error,omitempty"`
}

func (a *app) getCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "get", Short: "List fleet objects (groups)"}
	cmd.AddCommand(&cobra.Command{
		Use:   "groups",
		Short: "List the retained groups, the devices each matches and how many are in sync",
		Args:  cobra.NoArgs,
		RunE: run(func(cmd *cobra.Command, _ []string) error {
			var rows []groupRow
			err := a.withClient(cmd.Context(), func(ctx context.Context, c *client.Client) error {
				var err error
				rows, err = a.groupRows(ctx, c)
				return err
			})
			if err != nil {
				return err
			}
			return a.out(rows, func() *table { return groupsTable(rows) })
		}),
	})
	return cmd
}

func (a *app) groupRows(ctx context.Context, c *client.Client) ([]groupRow, error) {
	devs, raw, err := c.Fleet(ctx, client.DefaultSettle, client.Reads{Info: true, Reported: true, Groups: true})
	if err != nil {
		return nil, err
	}
	rows := []groupRow{}
	for _, name := range slices.Sorted(maps.Keys(raw)) {
		g, env, err := groups.Decode(raw[name])
		if err == nil && g.Deleted {
			continue
		}
		row := groupRow{Name: name, Generation: g.Generation, Hash: g.Hash(), Selector: g.Selector, Signed: env.Sig != nil,
			Jobs: []string{}}
		if err != nil {
			row.Error = err.Error()
		}
		for _, j := range g.Jobs {
			row.Jobs = append(row.Jobs, j.Name)
		}
		for _, s := range slices.Sorted(maps.Keys(g.Services)) {
			row.Services = append(row.Services, fmt.Sprintf("%s=%v", s, *g.Services[s].Enabled))
		}
		row.Devices, row.InSync = groupDevices(g, devs)
		rows = append(rows, row)
	}
	return rows, nil
}

// groupDevices counts the devices g matches and those in sync with it.
func groupDevices(g groups.Group, devs []client.Device) (matched, inSync int) {
	matches := g.Matcher()
	for _, d := range devs {
		if d.Info == nil || !matches(d.Labels()) {
			continue
		}
		matched++
		if d.Reported != nil {
			r := d.Reported.Groups[g.Name]
			if r.Generation == g.Generation && r.State == fleet.SyncInSync {
				inSync++
			}
		}
	}
	return matched, inSync
}

func groupsTable(rows []groupRow) *table {
	t := &table{header: []string{"NAME", "GENERATION", "SELECTOR", "JOBS", "SERVICES", "SIGNED", "DEVICES", "IN SYNC"}}
	for _, r := range rows {
		t.add(r.Name, fmt.Sprint(r.Generation), orDash(r.Selector), orDash(strings.Join(r.Jobs, ",")),
			orDash(strings.Join(r.Services, ",")), yesNo(r.Signed), fmt.Sprint(r.Devices), fmt.Sprint(r.InSync))
	}
	return t
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

func (a *app) deleteCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "delete", Short: "Delete fleet objects (a group)"}
	cmd.AddCommand(&cobra.Command{
		Use:   "group NAME",
		Short: "Delete a group: a signed tombstone replaces its document and the devices drop its jobs",
		Args:  cobra.ExactArgs(1),
		RunE: run(func(cmd *cobra.Command, args []string) error {
			if err := groups.CheckName(args[0]); err != nil {
				return usageErrorf("%v", err)
			}
			signer, err := a.signer()
			if err != nil {
				return err
			}
			return a.withClient(cmd.Context(), func(ctx context.Context, c *client.Client) error {
				return a.deleteGroup(ctx, c, args[0], signer)
			})
		}),
	})
	return cmd
}

// deleteGroup publishes the signed tombstone of group name, retained, at
// the generation after its current one.
func (a *app) deleteGroup(ctx context.Context, c *client.Client, name string, signer fleet.Signer) error {
	raw, err := c.Groups(ctx, client.DefaultSettle)
	if err != nil {
		return err
	}
	old, _, err := groups.Decode(raw[name])
	if _, ok := raw[name]; !ok || (err == nil && old.Deleted) {
		return fmt.Errorf("%w: no group named %q on the broker", ErrUnknownGroup, name)
	}
	gen := max(uint64(a.opts.Clock.Now().UnixMilli()), old.Generation+1)
	payload, err := groups.Encode(groups.Tombstone(name, gen), signer)
	if err != nil {
		return err
	}
	if err := c.PublishRetained(ctx, c.Topics().Group(name), payload); err != nil {
		return err
	}
	fmt.Fprintf(a.opts.Stdout, "group %s deleted (generation %d)\n", name, gen)
	return nil
}
