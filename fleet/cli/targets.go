package cli

import (
	"context"
	"strings"

	"github.com/spf13/cobra"

	"github.com/drover-iot/drover/fleet"
	"github.com/drover-iot/drover/fleet/client"
)

// targetFlags choose the devices of a device command: ids given as
// arguments, a label selector (-l) or every device (--all).
type targetFlags struct {
	selector string
	all      bool
	parallel int
}

// target is one device a command considers.
type target struct {
	id    string
	state fleet.DeviceState // retained state; "" for ids given as arguments
	skip  bool              // not online: listed, not asked
}

func (f *targetFlags) bind(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.StringVarP(&f.selector, "selector", "l", "", "devices whose labels match a selector (k=v, k!=v, k in (a,b), k notin (a,b), k, !k; comma = and)")
	fl.BoolVar(&f.all, "all", false, "every device")
	fl.IntVar(&f.parallel, "parallel", client.DefaultConcurrency, "requests in flight at once")
}

// bySelection reports whether the devices come from -l or --all.
func (f *targetFlags) bySelection() bool { return f.selector != "" || f.all }

// deviceArgs checks the positional arguments of a command that takes
// devices followed by the named arguments: DEV... NAME, or only NAME with
// -l or --all.
func (f *targetFlags) deviceArgs(names ...string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		switch {
		case f.selector != "" && f.all:
			return usageErrorf("give -l or --all, not both")
		case f.parallel < 1:
			return usageErrorf("--parallel %d: want 1 or more", f.parallel)
		case f.bySelection() && len(args) != len(names):
			return exactArgs(names...)(cmd, args)
		case !f.bySelection() && len(args) < len(names)+1:
			return exactArgs(append([]string{"DEV"}, names...)...)(cmd, args)
		}
		if _, err := fleet.ParseSelector(f.selector); err != nil {
			return usageErrorf("%v", err)
		}
		return validDevices(args[:len(args)-len(names)])
	}
}

// split returns the device ids and the other arguments.
func (f *targetFlags) split(args []string, names int) (ids, rest []string) {
	return args[:len(args)-names], args[len(args)-names:]
}

// deviceUse renders a Use line: "status DEV...|-l SELECTOR|--all [flags]".
func deviceUse(verb, rest string) string {
	return strings.TrimSpace(verb + " DEV...|-l SELECTOR|--all " + rest)
}

// resolve lists the targets: the ids as given, or the devices with
// retained state that the selector matches, naturally sorted, those
// neither online nor updating marked skipped. ErrNoDevices when the selector matches none.
func (f *targetFlags) resolve(ctx context.Context, c *client.Client, ids []string) ([]target, error) {
	if !f.bySelection() {
		out := make([]target, len(ids))
		for i, id := range ids {
			out[i] = target{id: id}
		}
		return out, nil
	}
	sel, _ := fleet.ParseSelector(f.selector) // checked in deviceArgs
	devs, err := c.DevicesWith(ctx, client.DefaultSettle, readsFor(sel))
	if err != nil {
		return nil, err
	}
	devs = client.FilterDevices(devs, sel)
	if len(devs) == 0 {
		return nil, noDevicesError{f.selector}
	}
	sortNatural(devs, func(d client.Device) string { return d.ID })
	out := make([]target, len(devs))
	for i, d := range devs {
		out[i] = target{id: d.ID, state: d.State, skip: d.State != fleet.StateOnline && d.State != fleet.StateUpdating}
	}
	return out, nil
}

// readsFor is what a listing of the devices sel matches must read besides
// their state: the birth documents for their labels, when sel has
// requirements. Never the status snapshots.
func readsFor(sel fleet.Selector) client.Reads {
	return client.Reads{Info: !sel.Empty()}
}
