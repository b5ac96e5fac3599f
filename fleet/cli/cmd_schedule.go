package cli

import (
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/drover-iot/drover/fleet"
	"github.com/drover-iot/drover/scheduler/schedule"
)

func (a *app) scheduleCmd() *cobra.Command {
	group := &cobra.Command{Use: "schedule", Short: "List and change a device's scheduled jobs", Args: cobra.NoArgs}
	group.AddCommand(a.nameCmd(action{"ls", fleet.CmdScheduleList, "List the scheduled jobs of devices"}, false, a.jobs),
		a.scheduleAddCmd())
	for _, act := range []action{
		{"rm", fleet.CmdScheduleRemove, "Remove a job"},
		{"pause", fleet.CmdSchedulePause, "Pause a job (persisted)"},
		{"resume", fleet.CmdScheduleResume, "Resume a paused job"},
		{"run", fleet.CmdScheduleRun, "Run a job now, outside its schedule"},
	} {
		group.AddCommand(a.nameCmd(act, true, a.jobs))
	}
	return group
}

func (a *app) scheduleAddCmd() *cobra.Command {
	var add fleet.ScheduleAddArgs
	var kv []string
	var f targetFlags
	cmd := &cobra.Command{
		Use:         deviceUse("add", `NAME --spec "every 10s" --handler HANDLER [--arg k=v]...`),
		Annotations: sends(fleet.CmdScheduleAdd),
		Short:       "Add a job that runs a handler registered on the devices",
		Args:        f.deviceArgs("NAME"),
	}
	f.bind(cmd)
	fl := cmd.Flags()
	fl.StringVar(&add.Spec, "spec", "", `schedule, e.g. "every 10s", "every day at 03:00", "cron 0 4 * * 1"`)
	fl.StringVar(&add.Job, "handler", "", "name of a handler registered on the device (log, unit.restart, ...)")
	fl.StringVar(&add.Job, "job", "", "old name of --handler")
	_ = fl.MarkHidden("job") // deprecated; warned about on stderr, not on stdout as cobra would
	fl.StringArrayVar(&kv, "arg", nil, "handler argument k=v (repeatable)")
	cmd.RunE = run(func(cmd *cobra.Command, args []string) error {
		ids, rest := f.split(args, 1)
		add.Name = rest[0]
		if fl.Changed("job") {
			fmt.Fprintln(a.opts.Stderr, "Flag --job is deprecated: use --handler")
		}
		if err := checkScheduleAdd(&add, kv, a.opts.Clock.Now()); err != nil {
			return err
		}
		return a.jobs(cmd, &f, ids, fleet.CmdScheduleAdd, add)
	})
	return cmd
}

// checkScheduleAdd validates the spec locally (it must parse and have a
// run after now) and fills Args from k=v pairs.
func checkScheduleAdd(add *fleet.ScheduleAddArgs, kv []string, now time.Time) error {
	if add.Spec == "" || add.Job == "" {
		return usageErrorf("schedule add needs --spec and --handler")
	}
	spec, err := schedule.Parse(add.Spec)
	if err != nil {
		return usageErrorf("--spec: %v", err)
	}
	if spec.Next(time.Time{}, now, nil).IsZero() {
		return usageErrorf("--spec %q has no future run (is its time, or its until, in the past?)", add.Spec)
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

// jobs sends a schedule.* command and prints the jobs of each result in
// natural order of their names.
func (a *app) jobs(cmd *cobra.Command, f *targetFlags, ids []string, command string, args any) error {
	return fanQuery(a, cmd, f, ids, command, args, view[fleet.JobsResult]{
		prepare: func(r *fleet.JobsResult) { sortNatural(r.Jobs, func(j fleet.Job) string { return j.Name }) },
		table:   func(r fleet.JobsResult) *table { return a.jobsTable(r.Jobs) },
	})
}

func (a *app) jobsTable(jobs []fleet.Job) *table {
	now := a.opts.Clock.Now()
	t := &table{header: []string{"NAME", "SPEC", "HANDLER", "STATE", "LAST RUN", "NEXT RUN", "RUNS", "FAILURES", "LAST ERROR"}}
	for _, j := range jobs {
		t.add(j.Name, j.Spec, j.Handler, jobState(j), ago(now, j.LastRun), at(j.NextRun),
			fmt.Sprint(j.Runs), fmt.Sprint(j.Failures), orDash(firstLine(j.LastError+" "+j.Broken)))
	}
	return t
}
