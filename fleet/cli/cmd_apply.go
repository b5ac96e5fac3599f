package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/drover-iot/drover/fleet/client"
	"github.com/drover-iot/drover/fleet/groups"
)

// invalidFileError is a fleet file that does not parse or check: exit 2,
// with the file's own problems as the message.
type invalidFileError struct{ err error }

func (e invalidFileError) Error() string   { return e.err.Error() }
func (e invalidFileError) Unwrap() []error { return []error{e.err, ErrUsage} }

// readFleetFile parses and checks the groups of path, as the devices will.
func readFleetFile(path string) ([]groups.Group, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, usageErrorf("-f: %v", err)
	}
	gs, err := groups.ParseFile(data, path)
	if err != nil {
		return nil, invalidFileError{err}
	}
	return gs, nil
}

func (a *app) applyCmd() *cobra.Command {
	var file string
	var wait bool
	cmd := &cobra.Command{
		Use:   "apply -f FILE [--wait]",
		Short: "Publish the groups of a fleet file (checked first; prints the plan)",
		Long: "Checks every group of FILE as the devices will (a bad file exits 2, naming file, line and\n" +
			"problem, and publishes nothing), prints the plan (per group: devices matched, changes), then\n" +
			"publishes each changed group retained on <prefix>/groups/<name>, signed with --signing-key.\n" +
			"Devices that match converge by themselves, also those offline now or added later.\n" +
			"--wait waits (within --timeout) until every online device that a group matches reports it in_sync.",
		Args: cobra.NoArgs,
	}
	cmd.Flags().StringVarP(&file, "file", "f", "", "fleet file (YAML with a groups: list)")
	cmd.Flags().BoolVar(&wait, "wait", false, "wait until the matching online devices are in_sync")
	_ = cmd.MarkFlagRequired("file")
	cmd.RunE = run(func(cmd *cobra.Command, _ []string) error {
		local, err := readFleetFile(file)
		if err != nil {
			return err
		}
		return a.apply(cmd.Context(), local, wait)
	})
	return cmd
}

// apply prints the plan, publishes the changed groups and, with wait,
// waits for the devices.
func (a *app) apply(ctx context.Context, local []groups.Group, wait bool) error {
	signer, err := a.signer()
	if err != nil {
		return err
	}
	return a.withClient(ctx, func(ctx context.Context, c *client.Client) error {
		retained, devs, err := a.fleetState(ctx, c)
		if err != nil {
			return err
		}
		signerID := ""
		if signer != nil {
			signerID = signer.ID()
		}
		rows := plan(local, retained, devs, a.opts.Clock.Now(), signerID)
		if err := a.out(rows, func() *table { return planTable(rows) }); err != nil {
			return err
		}
		for i, g := range local {
			if rows[i].Action == planUnchanged {
				continue
			}
			payload, err := groups.Encode(g, signer)
			if err != nil {
				return err
			}
			if err := c.PublishRetained(ctx, c.Topics().Group(g.Name), payload); err != nil {
				return err
			}
		}
		if !wait {
			return nil
		}
		return a.waitInSync(ctx, c, local, devs)
	})
}

// fleetState reads the retained groups and devices.
func (a *app) fleetState(ctx context.Context, c *client.Client) (map[string]retainedGroup, []client.Device, error) {
	devs, raw, err := c.Fleet(ctx, client.DefaultSettle, client.Reads{Info: true, Groups: true})
	if err != nil {
		return nil, nil, err
	}
	retained := map[string]retainedGroup{}
	for name, payload := range raw {
		if g, env, err := groups.Decode(payload); err == nil {
			r := retainedGroup{Group: g}
			if env.Sig != nil {
				r.SigKey = env.Sig.Key
			}
			retained[name] = r
		}
	}
	sortNatural(devs, func(d client.Device) string { return d.ID })
	return retained, devs, nil
}

func planTable(rows []planRow) *table {
	t := &table{header: []string{"GROUP", "ACTION", "GENERATION", "DEVICES", "CHANGES"}}
	for _, r := range rows {
		t.add(r.Group, r.Action, fmt.Sprint(r.Generation), fmt.Sprint(r.Devices), orDash(strings.Join(r.Changes, ", ")))
	}
	return t
}

func (a *app) diffCmd() *cobra.Command {
	var file string
	cmd := &cobra.Command{
		Use:   "diff -f FILE",
		Short: "Show, per device, how it differs from the groups of a fleet file (publishes nothing)",
		Args:  cobra.NoArgs,
	}
	cmd.Flags().StringVarP(&file, "file", "f", "", "fleet file (YAML with a groups: list)")
	_ = cmd.MarkFlagRequired("file")
	cmd.RunE = run(func(cmd *cobra.Command, _ []string) error {
		local, err := readFleetFile(file)
		if err != nil {
			return err
		}
		var devs []client.Device
		err = a.withClient(cmd.Context(), func(ctx context.Context, c *client.Client) error {
			devs, _, err = c.Fleet(ctx, client.DefaultSettle, client.Reads{Info: true, Reported: true})
			return err
		})
		if err != nil {
			return err
		}
		sortNatural(devs, func(d client.Device) string { return d.ID })
		rows := drift(local, devs)
		return a.out(rows, func() *table { return driftTable(rows) })
	})
	return cmd
}

func driftTable(rows []driftRow) *table {
	t := &table{header: []string{"DEVICE", "STATE", "GROUP", "DRIFT", "WANT", "HAVE", "REASON"}}
	for _, r := range rows {
		t.add(r.Device, orDash(r.State), r.Group, r.Drift, r.Want, orDash(r.Have), orDash(r.Reason))
	}
	return t
}

// errNotInSync: apply --wait ended with devices failed or not in sync.
var errNotInSync = errors.New("not every device is in sync")
