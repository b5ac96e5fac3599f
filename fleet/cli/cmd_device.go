package cli

import (
	"io"
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
	var f targetFlags
	cmd := &cobra.Command{
		Use:         deviceUse("status", "[--debug]"),
		Annotations: sends(fleet.CmdStatus),
		Short:       "Show the tasks, services, jobs and sensors of devices",
		Args:        f.deviceArgs(),
	}
	f.bind(cmd)
	cmd.Flags().BoolVar(&debug, "debug", false, "show args, restarts, errors with stacks and schedules")
	cmd.RunE = run(func(cmd *cobra.Command, args []string) error {
		return fanQuery(a, cmd, &f, args, fleet.CmdStatus, nil, view[fleet.StatusResult]{
			block: func(w io.Writer, snap fleet.StatusResult) error {
				return statustext.RenderText(w, snap, statustext.TextOptions{Debug: debug, Now: a.opts.Clock.Now()})
			},
		})
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
	var f targetFlags
	cmd := &cobra.Command{
		Use:         deviceUse("info", ""),
		Annotations: sends(fleet.CmdInfo),
		Short:       "Show devices' birth documents (version, platform, labels, capabilities)",
		Args:        f.deviceArgs(),
		RunE: run(func(cmd *cobra.Command, args []string) error {
			return fanQuery(a, cmd, &f, args, fleet.CmdInfo, nil, view[fleet.InfoDoc]{table: infoTable})
		}),
	}
	f.bind(cmd)
	return cmd
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
	var f targetFlags
	cmd := &cobra.Command{
		Use:         deviceUse("sensors", "[--sensor NAME]"),
		Annotations: sends(fleet.CmdSensorsRead),
		Short:       "Read devices' sensors now",
		Args:        f.deviceArgs(),
	}
	f.bind(cmd)
	cmd.Flags().StringVar(&sensor, "sensor", "", "read only this sensor")
	cmd.RunE = run(func(cmd *cobra.Command, args []string) error {
		return fanQuery(a, cmd, &f, args, fleet.CmdSensorsRead, fleet.SensorsArgs{Sensor: sensor},
			view[fleet.SensorsResult]{table: sensorsTable})
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
	var f targetFlags
	cmd := &cobra.Command{
		Use:         deviceUse("config", ""),
		Annotations: sends(fleet.CmdConfigGet),
		Short:       "Show devices' effective configuration (secrets redacted)",
		Args:        f.deviceArgs(),
		RunE: run(func(cmd *cobra.Command, args []string) error {
			return fanQuery(a, cmd, &f, args, fleet.CmdConfigGet, nil, view[fleet.ConfigResult]{
				block: func(w io.Writer, res fleet.ConfigResult) error { return emit(w, OutputYAML, res.Config, nil) },
			})
		}),
	}
	f.bind(cmd)
	return cmd
}

// agentCmd groups commands that act on the agent process itself.
func (a *app) agentCmd() *cobra.Command {
	group := &cobra.Command{Use: "agent", Short: "Act on devices' agent processes"}
	var f targetFlags
	restart := &cobra.Command{
		Use:         deviceUse("restart", ""),
		Annotations: sends(fleet.CmdAgentRestart),
		Short:       "Stop the agent cleanly and start it again (same binary, re-exec)",
		Args:        f.deviceArgs(),
		RunE: run(func(cmd *cobra.Command, args []string) error {
			return fanQuery(a, cmd, &f, args, fleet.CmdAgentRestart, nil, view[fleet.AckResult]{many: true, table: func(res fleet.AckResult) *table {
				t := &table{header: []string{"RESULT"}}
				t.add(orDash(res.Message))
				return t
			}})
		}),
	}
	f.bind(restart)
	group.AddCommand(restart)
	return group
}
