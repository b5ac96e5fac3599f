package cli

import (
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/drover-iot/drover/fleet"
	"github.com/drover-iot/drover/fleet/statustext"
)

func (a *app) statusCmd() *cobra.Command {
	var debug bool
	cmd := &cobra.Command{
		Use:         "status DEV [--debug]",
		Annotations: sends(fleet.CmdStatus),
		Short:       "Show the tasks, services, jobs and sensors of a device",
		Args:        exactArgs("DEV"),
	}
	cmd.Flags().BoolVar(&debug, "debug", false, "show args, restarts, errors with stacks and schedules")
	cmd.RunE = run(func(cmd *cobra.Command, args []string) error {
		var snap fleet.StatusResult
		if err := a.call(cmd.Context(), args[0], fleet.CmdStatus, nil, &snap); err != nil {
			return err
		}
		if a.s.Output != OutputTable {
			return a.out(snap, nil)
		}
		return statustext.RenderText(a.opts.Stdout, snap, statustext.TextOptions{Debug: debug, Now: a.opts.Clock.Now()})
	})
	return cmd
}

func jobState(j fleet.Job) string {
	switch {
	case j.Broken != "":
		return "broken"
	case j.Paused:
		return "paused"
	case j.Running > 0:
		return "running"
	}
	return "scheduled"
}

func at(t *time.Time) string {
	if t == nil {
		return "-"
	}
	return t.Local().Format(time.DateTime)
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	line, _, _ := strings.Cut(s, "\n")
	return line
}

func (a *app) infoCmd() *cobra.Command {
	return &cobra.Command{
		Use:         "info DEV",
		Annotations: sends(fleet.CmdInfo),
		Short:       "Show a device's birth document (version, platform, labels, capabilities)",
		Args:        exactArgs("DEV"),
		RunE: run(func(cmd *cobra.Command, args []string) error {
			return query(a, cmd, args[0], fleet.CmdInfo, nil, infoTable)
		}),
	}
}

func infoTable(i fleet.InfoDoc) *table {
	t := &table{header: []string{"FIELD", "VALUE"}}
	t.add("id", i.ID)
	t.add("version", i.Version+" ("+orDash(i.Commit)+")")
	t.add("go", i.Go)
	t.add("platform", i.OS+"/"+i.Arch)
	t.add("started", i.StartedAt.Local().Format(time.DateTime))
	t.add("boot id", orDash(i.BootID))
	labels := make([]string, 0, len(i.Labels))
	for k, v := range i.Labels {
		labels = append(labels, k+"="+v)
	}
	sort.Strings(labels)
	t.add("labels", orDash(strings.Join(labels, ",")))
	t.add("capabilities", orDash(strings.Join(i.Capabilities, ",")))
	t.add("ota keys", orDash(strings.Join(i.OTAKeys, ",")))
	return t
}

func (a *app) sensorsCmd() *cobra.Command {
	var sensor string
	cmd := &cobra.Command{
		Use:         "sensors DEV [--sensor NAME]",
		Annotations: sends(fleet.CmdSensorsRead),
		Short:       "Read a device's sensors now",
		Args:        exactArgs("DEV"),
	}
	cmd.Flags().StringVar(&sensor, "sensor", "", "read only this sensor")
	cmd.RunE = run(func(cmd *cobra.Command, args []string) error {
		return query(a, cmd, args[0], fleet.CmdSensorsRead, fleet.SensorsArgs{Sensor: sensor}, sensorsTable)
	})
	return cmd
}

func sensorsTable(res fleet.SensorsResult) *table {
	t := &table{header: []string{"SENSOR", "METRIC", "LABELS", "VALUE", "UNIT", "TIME"}}
	for _, r := range res.Readings {
		t.add(r.Sensor, r.Metric, orDash(statustext.LabelText(r.Labels)), strconv.FormatFloat(r.Value, 'f', -1, 64), orDash(r.Unit),
			r.Time.Local().Format(time.TimeOnly))
	}
	return t
}

func (a *app) configCmd() *cobra.Command {
	return &cobra.Command{
		Use:         "config DEV",
		Annotations: sends(fleet.CmdConfigGet),
		Short:       "Show a device's effective configuration (secrets redacted)",
		Args:        exactArgs("DEV"),
		RunE: run(func(cmd *cobra.Command, args []string) error {
			var res fleet.ConfigResult
			if err := a.call(cmd.Context(), args[0], fleet.CmdConfigGet, nil, &res); err != nil {
				return err
			}
			if a.s.Output == OutputTable {
				return emit(a.opts.Stdout, OutputYAML, res.Config, nil)
			}
			return a.out(res, nil)
		}),
	}
}

// agentCmd groups commands that act on the agent process itself.
func (a *app) agentCmd() *cobra.Command {
	group := &cobra.Command{Use: "agent", Short: "Act on a device's agent process"}
	group.AddCommand(&cobra.Command{
		Use:         "restart DEV",
		Annotations: sends(fleet.CmdAgentRestart),
		Short:       "Stop the agent cleanly and start it again (same binary, re-exec)",
		Args:        exactArgs("DEV"),
		RunE: run(func(cmd *cobra.Command, args []string) error {
			var res fleet.AckResult
			if err := a.call(cmd.Context(), args[0], fleet.CmdAgentRestart, nil, &res); err != nil {
				return err
			}
			return a.out(res, func() *table {
				t := &table{header: []string{"DEVICE", "RESULT"}}
				t.add(args[0], orDash(res.Message))
				return t
			})
		}),
	})
	return group
}
