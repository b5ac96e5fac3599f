package cli

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/drover-iot/drover/fleet"
	"github.com/drover-iot/drover/fleet/client"
	"github.com/drover-iot/drover/ota/rollout"
)

// rolloutFlags are the flags of ota rollout.
type rolloutFlags struct {
	artifact, selector, waves string
	canary, maxPerMinute      int
	maxFailures               float64
	abort, continuous         bool
	poll, stageTimeout        time.Duration
}

func (a *app) otaRolloutCmd() *cobra.Command {
	var f rolloutFlags
	cmd := &cobra.Command{
		Use:   "rollout --artifact A --canary N --waves 10,50,100 --max-failures P [--selector k=v] [--max-per-minute N] [--continuous]",
		Short: "Drive a staged rollout (canary, then waves); pause, resume, abort, status",
		Long: "rollout pushes the artifact to a canary set, then to waves of cumulative percentages,\n" +
			"advancing when every reached device succeeded and pausing (or aborting) past --max-failures\n" +
			"percent. Its state is kept in " + a.rolloutDir() + ", so running the same command again\n" +
			"continues it; pause/resume/abort act on a running rollout from another terminal.\n" +
			"--max-per-minute N tells at most N devices to start within any minute. --continuous keeps the\n" +
			"rollout open until paused or aborted: offline devices are updated when they come back, devices\n" +
			"that join the selector later are added. Run it where it outlives your terminal (see docs/ota.md).",
		Args: cobra.NoArgs,
	}
	fl := cmd.Flags()
	fl.StringVar(&f.artifact, "artifact", defaultArtifact, "artifact to roll out")
	fl.StringVar(&f.selector, "selector", "", "devices whose labels match a label selector (k=v, k!=v, k in (a,b), !k; comma = and) (default: all)")
	fl.StringVar(&f.waves, "waves", "10,50,100", "cumulative percentages of the devices, ending at 100")
	fl.IntVar(&f.canary, "canary", 1, "devices updated first")
	fl.Float64Var(&f.maxFailures, "max-failures", 10, "percent of failed devices (among those reached) that stops the rollout")
	fl.BoolVar(&f.abort, "abort-on-failure", false, "abort instead of pausing past --max-failures")
	fl.DurationVar(&f.poll, "poll", 5*time.Second, "interval between two checks of the devices")
	fl.DurationVar(&f.stageTimeout, "stage-timeout", 30*time.Minute, "a device not done this long after its push failed")
	fl.IntVar(&f.maxPerMinute, "max-per-minute", 0, "devices told to start within any minute, at most (0: no limit)")
	fl.BoolVar(&f.continuous, "continuous", false, "keep running: devices that come back or join the selector later get the update")
	cmd.RunE = run(func(cmd *cobra.Command, _ []string) error { return a.rollout(cmd.Context(), f) })
	cmd.AddCommand(a.rolloutRequestCmd("pause", rollout.Paused), a.rolloutRequestCmd("abort", rollout.Aborted),
		a.rolloutResumeCmd(&f), a.rolloutStatusCmd())
	return cmd
}

// rolloutDir is where rollout state files live: $XDG_STATE_HOME/drover/rollouts
// (default ~/.local/state/drover/rollouts), read through Options.Getenv.
func (a *app) rolloutDir() string {
	if d := a.opts.Getenv("XDG_STATE_HOME"); d != "" {
		return filepath.Join(d, "drover", "rollouts")
	}
	if home := a.opts.Getenv("HOME"); home != "" {
		return filepath.Join(home, ".local", "state", "drover", "rollouts")
	}
	return filepath.Join(os.TempDir(), "drover-rollouts")
}

func (a *app) rolloutPath(artifact string) string {
	return filepath.Join(a.rolloutDir(), a.s.Prefix+"-"+artifact+".json")
}

// rollout starts the plan, or continues the rollout already persisted.
func (a *app) rollout(ctx context.Context, f rolloutFlags) error {
	c, err := a.dial(ctx)
	if err != nil {
		return err
	}
	defer c.Close()
	path := a.rolloutPath(f.artifact)
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	var plan *rollout.Plan
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		if plan, err = a.plan(ctx, c, f); err != nil {
			return err
		}
	}
	r, err := rollout.Open(path, plan, clientDriver{c: c, timeout: a.s.Timeout},
		rollout.Options{Poll: f.poll, Clock: a.opts.Clock, OnStep: a.stepPrinter()})
	if err != nil {
		return err
	}
	err = r.Run(ctx)
	if ctx.Err() != nil && errors.Is(err, ctx.Err()) {
		fmt.Fprintf(a.opts.Stdout, "stopped; the same command continues the rollout (state in %s)\n", path)
		return nil
	}
	if errors.Is(err, rollout.ErrPaused) {
		return fmt.Errorf("%w (%s); continue with: fleetctl ota rollout resume --artifact %s", err, r.Record().Reason, f.artifact)
	}
	return err
}

// plan builds the rollout plan: the target build from the retained
// manifest or index and the devices from the retained births.
func (a *app) plan(ctx context.Context, c *client.Client, f rolloutFlags) (*rollout.Plan, error) {
	waves, err := parseWaves(f.waves)
	if err != nil {
		return nil, err
	}
	arts, err := a.retainedArtifacts(ctx, f.artifact)
	if err != nil {
		return nil, err
	}
	art, ok := arts[f.artifact]
	if !ok || art.build() == 0 {
		return nil, fmt.Errorf("no retained manifest for artifact %q: publish it first", f.artifact)
	}
	sel, err := fleet.ParseSelector(f.selector)
	if err != nil {
		return nil, usageErrorf("%v", err)
	}
	all, err := c.Devices(ctx, 0)
	if err != nil {
		return nil, err
	}
	var devs []string
	for _, d := range client.FilterDevices(all, sel) {
		devs = append(devs, d.ID)
	}
	return &rollout.Plan{Artifact: f.artifact, Build: art.build(), Devices: devs, Canary: f.canary, Waves: waves,
		MaxFailures: f.maxFailures, AbortOnFailure: f.abort, StageTimeout: f.stageTimeout,
		Selector: sel.String(), MaxPerMinute: f.maxPerMinute, Continuous: f.continuous}, nil
}

func parseWaves(s string) ([]int, error) {
	var out []int
	for _, p := range strings.Split(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(p))
		if err != nil {
			return nil, usageErrorf("--waves %q: %v", s, err)
		}
		out = append(out, n)
	}
	return out, nil
}

// stepPrinter returns the OnStep that prints the rollout's progress when
// it changed since the last step.
func (a *app) stepPrinter() func(rollout.Record) {
	last := ""
	return func(rec rollout.Record) {
		if line := stepLine(rec); line != last {
			fmt.Fprintln(a.opts.Stdout, line)
			last = line
		}
	}
}

// stepLine is the progress line of a rollout.
func stepLine(rec rollout.Record) string {
	n := rec.Counts()
	total := len(rec.Plan.Devices)
	phase := string(rec.Phase)
	if rec.Plan.Continuous && rec.Phase == rollout.Running {
		phase += " (continuous)"
	}
	line := fmt.Sprintf("%s stage %d/%d: %d/%d succeeded, %d failed, %d in progress, %d pending",
		phase, rec.Stage, len(rec.Plan.Waves)+1, n[rollout.Succeeded], total, n[rollout.Failed],
		n[rollout.Pushed], n[rollout.Pending])
	if n[rollout.Skipped] > 0 {
		line += fmt.Sprintf(", %d skipped (no build for their platform)", n[rollout.Skipped])
	}
	if rec.Reason != "" {
		line += " (" + rec.Reason + ")"
	}
	return line
}

func (a *app) rolloutRequestCmd(name string, phase rollout.Phase) *cobra.Command {
	var artifact, reason string
	cmd := &cobra.Command{
		Use:   name + " [--artifact A]",
		Short: strings.ToUpper(name[:1]) + name[1:] + " a rollout (applied by the running fleetctl at its next step)",
		Args:  cobra.NoArgs,
	}
	cmd.Flags().StringVar(&artifact, "artifact", defaultArtifact, "the rollout's artifact")
	cmd.Flags().StringVar(&reason, "reason", "by the operator", "why")
	cmd.RunE = run(func(*cobra.Command, []string) error {
		return rollout.Request(a.rolloutPath(artifact), phase, reason)
	})
	return cmd
}

func (a *app) rolloutResumeCmd(f *rolloutFlags) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "resume [--artifact A]",
		Short: "Resume a paused rollout and drive it in this process",
		Args:  cobra.NoArgs,
	}
	cmd.Flags().StringVar(&f.artifact, "artifact", defaultArtifact, "the rollout's artifact")
	cmd.Flags().DurationVar(&f.poll, "poll", 5*time.Second, "interval between two checks of the devices")
	cmd.RunE = run(func(cmd *cobra.Command, _ []string) error {
		path := a.rolloutPath(f.artifact)
		if _, err := os.Stat(path); err != nil {
			return fmt.Errorf("no rollout of %q: %w", f.artifact, err)
		}
		if err := rollout.Request(path, rollout.Running, "resumed by the operator"); err != nil {
			return err
		}
		return a.rollout(cmd.Context(), *f)
	})
	return cmd
}

func (a *app) rolloutStatusCmd() *cobra.Command {
	var artifact string
	cmd := &cobra.Command{
		Use:   "status [--artifact A]",
		Short: "Show a rollout's phase, stage and devices",
		Args:  cobra.NoArgs,
	}
	cmd.Flags().StringVar(&artifact, "artifact", defaultArtifact, "the rollout's artifact")
	cmd.RunE = run(func(*cobra.Command, []string) error {
		r, err := rollout.Open(a.rolloutPath(artifact), nil, nil, rollout.Options{})
		if err != nil {
			return fmt.Errorf("no rollout of %q: %w", artifact, err)
		}
		rec := r.Record()
		return a.out(rec, func() *table { return rolloutTable(rec) })
	})
	return cmd
}

func rolloutTable(rec rollout.Record) *table {
	t := &table{header: []string{"DEVICE", "STATE", "PUSHED", "REASON"}}
	t.add("(rollout)", string(rec.Phase), fmt.Sprintf("stage %d/%d", rec.Stage, len(rec.Plan.Waves)+1), orDash(rec.Reason))
	for _, d := range slices.Sorted(maps.Keys(rec.Devices)) {
		s := rec.Devices[d]
		pushed := "-"
		if !s.PushedAt.IsZero() {
			pushed = s.PushedAt.Local().Format(time.DateTime)
		}
		t.add(d, string(s.State), pushed, orDash(firstLine(s.Reason)))
	}
	return t
}
