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
	group.AddCommand(&cobra.Command{
		Use:         "ls DEV",
		Aliases:     []string{"list"},
		Annotations: sends(listCmd),
		Short:       "List the " + noun + "s of a device",
		Args:        exactArgs("DEV"),
		RunE: run(func(cmd *cobra.Command, args []string) error {
			return a.units(cmd, args[0], listCmd, nil)
		}),
	})
	for _, act := range actions {
		group.AddCommand(&cobra.Command{
			Use:         act.verb + " DEV NAME",
			Short:       act.short,
			Annotations: sends(act.cmd),
			Args:        exactArgs("DEV", "NAME"),
			RunE: run(func(cmd *cobra.Command, args []string) error {
				return a.units(cmd, args[0], act.cmd, fleet.NameArgs{Name: args[1]})
			}),
		})
	}
	return group
}

// units sends a task.* or service.* command and prints the units of its
// result in natural order of their names.
func (a *app) units(cmd *cobra.Command, dev, command string, args any) error {
	var r fleet.UnitsResult
	if err := a.call(cmd.Context(), dev, command, args, &r); err != nil {
		return err
	}
	sortNatural(r.Units, func(u fleet.Unit) string { return u.Name })
	return a.out(r, func() *table { return a.unitsTable(r.Units) })
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
