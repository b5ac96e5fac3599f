package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/drover-iot/drover/fleet"
)

// action is one verb of a command group and the protocol command it sends.
type action struct {
	verb, cmd, short string
}

func (a *app) taskCmd() *cobra.Command {
	return a.unitGroup("task", "Act on a device's tasks", fleet.CmdTaskList, []action{
		{"start", fleet.CmdTaskStart, "Start tasks (NAME may use * wildcards)"},
		{"stop", fleet.CmdTaskStop, "Stop tasks (NAME may use * wildcards)"},
		{"restart", fleet.CmdTaskRestart, "Restart tasks (NAME may use * wildcards)"},
	})
}

func (a *app) serviceCmd() *cobra.Command {
	return a.unitGroup("service", "Act on a device's services", fleet.CmdServiceList, []action{
		{"enable", fleet.CmdServiceEnable, "Enable and start a service (persisted on the device)"},
		{"disable", fleet.CmdServiceDisable, "Stop and disable a service (persisted on the device)"},
		{"restart", fleet.CmdServiceRestart, "Restart services (NAME may use * wildcards)"},
	})
}

// unitGroup builds "<noun> ls DEV" and "<noun> <verb> DEV NAME".
func (a *app) unitGroup(noun, short, listCmd string, actions []action) *cobra.Command {
	group := &cobra.Command{Use: noun, Short: short, Args: cobra.NoArgs}
	group.AddCommand(a.nameCmd(action{"ls", listCmd, "List the " + noun + "s of devices"}, false, a.units))
	for _, act := range actions {
		group.AddCommand(a.nameCmd(act, true, a.units))
	}
	return group
}

// nameCmd builds "<verb> DEV...|-l SEL|--all [NAME]": a command that sends
// act.cmd, with NameArgs when withName, and prints through send.
func (a *app) nameCmd(act action, withName bool, send func(*cobra.Command, *targetFlags, []string, string, any) error) *cobra.Command {
	var f targetFlags
	names, rest := []string(nil), ""
	if withName {
		names, rest = []string{"NAME"}, "NAME"
	}
	cmd := &cobra.Command{
		Use:         deviceUse(act.verb, rest),
		Short:       act.short,
		Annotations: sends(act.cmd),
		Args:        f.deviceArgs(names...),
		RunE: run(func(cmd *cobra.Command, args []string) error {
			ids, more := f.split(args, len(names))
			var req any
			if withName {
				req = fleet.NameArgs{Name: more[0]}
			}
			return send(cmd, &f, ids, act.cmd, req)
		}),
	}
	if act.verb == "ls" {
		cmd.Aliases = []string{"list"}
	}
	f.bind(cmd)
	return cmd
}

// units sends a task.* or service.* command and prints the units of each
// result in natural order of their names.
func (a *app) units(cmd *cobra.Command, f *targetFlags, ids []string, command string, args any) error {
	return fanQuery(a, cmd, f, ids, command, args, view[fleet.UnitsResult]{
		prepare: func(r *fleet.UnitsResult) { sortNatural(r.Units, func(u fleet.Unit) string { return u.Name }) },
		table:   func(r fleet.UnitsResult) *table { return a.unitsTable(r.Units) },
	})
}

func (a *app) unitsTable(units []fleet.Unit) *table {
	now := a.opts.Clock.Now()
	t := &table{header: []string{"NAME", "TYPE", "STATE", "ENABLED", "SINCE", "RESTARTS", "ERROR"}}
	for _, u := range units {
		enabled := "-"
		if u.Enabled != nil {
			enabled = fmt.Sprint(*u.Enabled)
		}
		t.add(u.Name, orDash(u.Type), string(u.State), enabled, ago(now, &u.Since),
			fmt.Sprint(u.Profile.Restarts), orDash(firstLine(u.Error)))
	}
	return t
}
