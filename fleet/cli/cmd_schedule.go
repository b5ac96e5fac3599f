package cli

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/drover-iot/drover/agent/status"
	"github.com/drover-iot/drover/fleet"
	"github.com/drover-iot/drover/scheduler"
)

func (a *app) scheduleCmd() *cobra.Command {
	group := &cobra.Command{Use: "schedule", Short: "List and change a device's scheduled jobs", Args: cobra.NoArgs}
	group.AddCommand(&cobra.Command{
		Use:     "ls DEV",
		Aliases: []string{"list"},
		Short:   "List the scheduled jobs of a device",
		Args:    cobra.ExactArgs(1),
		RunE: run(func(cmd *cobra.Command, args []string) error {
			return a.jobs(cmd, args[0], fleet.CmdScheduleList, nil)
		}),
	}, a.scheduleAddCmd())
	for _, act := range []action{
		{"rm", fleet.CmdScheduleRemove, "Remove a job"},
		{"pause", fleet.CmdSchedulePause, "Pause a job (persisted)"},
		{"resume", fleet.CmdScheduleResume, "Resume a paused job"},
		{"run", fleet.CmdScheduleRun, "Run a job now, outside its schedule"},
	} {
		group.AddCommand(&cobra.Command{
			Use:   act.verb + " DEV NAME",
			Short: act.short,
			Args:  cobra.ExactArgs(2),
			RunE: run(func(cmd *cobra.Command, args []string) error {
				return a.jobs(cmd, args[0], act.cmd, fleet.NameArgs{Name: args[1]})
			}),
		})
	}
	return group
}

func (a *app) scheduleAddCmd() *cobra.Command {
	var add fleet.ScheduleAddArgs
	var kv []string
	cmd := &cobra.Command{
		Use:   `add DEV NAME --spec "every 10s" --job HANDLER [--arg k=v]...`,
		Short: "Add a job that runs a handler registered on the device",
		Args:  cobra.ExactArgs(2),
	}
	cmd.Flags().StringVar(&add.Spec, "spec", "", `schedule, e.g. "every 10s", "every day at 03:00", "cron 0 4 * * 1"`)
	cmd.Flags().StringVar(&add.Job, "job", "", "name of a handler registered on the device")
	cmd.Flags().StringArrayVar(&kv, "arg", nil, "handler argument k=v (repeatable)")
	cmd.RunE = run(func(cmd *cobra.Command, args []string) error {
		add.Name = args[1]
		if err := checkScheduleAdd(&add, kv); err != nil {
			return err
		}
		return a.jobs(cmd, args[0], fleet.CmdScheduleAdd, add)
	})
	return cmd
}

// checkScheduleAdd validates the spec locally and fills Args from k=v pairs.
func checkScheduleAdd(add *fleet.ScheduleAddArgs, kv []string) error {
	if add.Spec == "" || add.Job == "" {
		return usageErrorf("schedule add needs --spec and --job")
	}
	if _, err := scheduler.Parse(add.Spec); err != nil {
		return usageErrorf("--spec: %v", err)
	}
	for _, pair := range kv {
		k, v, ok := strings.Cut(pair, "=")
		if !ok || k == "" {
			return usageErrorf("--arg %q is not k=v", pair)
		}
		if add.Args == nil {
			add.Args = map[string]any{}
		}
		add.Args[k] = v
	}
	return nil
}

func (a *app) jobs(cmd *cobra.Command, dev, command string, args any) error {
	return query(a, cmd, dev, command, args, func(r fleet.JobsResult) *table { return a.jobsTable(r.Jobs) })
}

func (a *app) jobsTable(jobs []status.Job) *table {
	now := a.opts.Clock.Now()
	t := &table{header: []string{"NAME", "SPEC", "HANDLER", "STATE", "LAST RUN", "NEXT RUN", "RUNS", "FAILURES", "LAST ERROR"}}
	for _, j := range jobs {
		t.add(j.Name, j.Spec, j.Handler, jobState(j), ago(now, j.LastRun), at(j.NextRun),
			fmt.Sprint(j.Runs), fmt.Sprint(j.Failures), orDash(firstLine(j.LastError+" "+j.Broken)))
	}
	return t
}
