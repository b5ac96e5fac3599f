package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"github.com/drover-iot/drover/fleet"
	"github.com/drover-iot/drover/fleet/client"
	"github.com/drover-iot/drover/ota/state"
)

// defaultOTAWait bounds an ota push: download, selftest and swap.
const defaultOTAWait = 15 * time.Minute

func (a *app) otaPushCmd() *cobra.Command {
	var artifact, selector string
	var wait time.Duration
	cmd := &cobra.Command{
		Use:         "push DEV...|--selector k=v --artifact A",
		Annotations: sends(fleet.CmdOTAApply, fleet.CmdOTAStatus),
		Short:       "Ask devices to apply an artifact now (ota.apply), showing their progress",
	}
	cmd.Flags().StringVar(&artifact, "artifact", defaultArtifact, "artifact to apply")
	cmd.Flags().StringVar(&selector, "selector", "", "devices whose labels match k=v[,k=v]")
	cmd.Flags().DurationVar(&wait, "wait", defaultOTAWait, "how long to wait for the devices")
	cmd.RunE = run(func(cmd *cobra.Command, args []string) error {
		c, err := a.dial(cmd.Context())
		if err != nil {
			return err
		}
		defer c.Close()
		devs, err := a.targets(cmd.Context(), c, args, selector)
		if err != nil {
			return err
		}
		ctx, cancel := context.WithTimeout(cmd.Context(), wait)
		defer cancel()
		return a.push(ctx, c, devs, artifact)
	})
	return cmd
}

// targets are the named devices, or those the selector matches.
func (a *app) targets(ctx context.Context, c *client.Client, names []string, selector string) ([]string, error) {
	if (len(names) == 0) == (selector == "") {
		return nil, usageErrorf("name devices or give --selector, not both")
	}
	for _, d := range names {
		if err := fleet.ValidDeviceID(d); err != nil {
			return nil, usageErrorf("%v", err)
		}
	}
	if len(names) > 0 {
		return names, nil
	}
	sel, err := fleet.ParseSelector(selector)
	if err != nil {
		return nil, usageErrorf("%v", err)
	}
	devs, err := c.Devices(ctx, 0)
	if err != nil {
		return nil, err
	}
	for _, d := range client.FilterDevices(devs, sel) {
		names = append(names, d.ID)
	}
	if len(names) == 0 {
		return nil, fmt.Errorf("no device matches %q", selector)
	}
	return names, nil
}

// push sends ota.apply to every device at once and shows their progress;
// a refusal's reason is printed once, on the device's line.
func (a *app) push(ctx context.Context, c *client.Client, devs []string, artifact string) error {
	view := a.newProgressView(devs)
	var wg sync.WaitGroup
	errs := make([]error, len(devs))
	for i, dev := range devs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = a.pushOne(ctx, c, dev, artifact, view)
		}()
	}
	wg.Wait()
	view.close()
	failed := 0
	for _, err := range errs {
		if err != nil {
			failed++ // its reason is on the device's progress line already
		}
	}
	if failed > 0 {
		return fmt.Errorf("%w: %d of %d", errDeviceFailures, failed, len(devs))
	}
	return nil
}

func (a *app) pushOne(ctx context.Context, c *client.Client, dev, artifact string, view progressView) error {
	r, err := c.RequestProgress(ctx, dev, fleet.CmdOTAApply, fleet.OTAApplyArgs{Artifact: artifact}, func(p fleet.Reply) {
		var rec state.Record
		// A failure is shown once, from the final reply (with its code).
		if json.Unmarshal(p.Progress, &rec) == nil && rec.State != state.Failed {
			view.update(dev, rec)
		}
	})
	if err != nil {
		view.update(dev, state.Record{State: state.Failed, Reason: err.Error()})
		return err
	}
	var rec state.Record
	if err := r.Decode(&rec); err != nil {
		return err
	}
	view.update(dev, rec)
	return nil
}

func (a *app) otaStatusCmd() *cobra.Command {
	return &cobra.Command{
		Use:         "status [DEV]",
		Annotations: sends(fleet.CmdOTAStatus),
		Short:       "Show the OTA state of a device, or of every online device",
		Args:        cobra.MaximumNArgs(1),
		RunE: run(func(cmd *cobra.Command, args []string) error {
			return a.withClient(cmd.Context(), func(ctx context.Context, c *client.Client) error {
				devs := args
				if len(devs) == 0 {
					var err error
					if devs, err = onlineDevices(ctx, c); err != nil {
						return err
					}
				}
				rows := map[string]state.Record{}
				var errs []error
				for _, res := range c.FanOut(ctx, devs, fleet.CmdOTAStatus, nil) {
					var rec state.Record
					if err := res.Reply.Decode(&rec); res.Err != nil || err != nil {
						errs = append(errs, fmt.Errorf("%s: %w", res.Device, errors.Join(res.Err, err)))
						continue
					}
					rows[res.Device] = rec
				}
				if err := a.out(rows, func() *table { return otaTable(devs, rows, a.opts.Clock.Now()) }); err != nil {
					return err
				}
				return errors.Join(errs...)
			})
		}),
	}
}

func onlineDevices(ctx context.Context, c *client.Client) ([]string, error) {
	all, err := c.Devices(ctx, 0)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, d := range all {
		if d.State == fleet.StateOnline || d.State == fleet.StateUpdating {
			out = append(out, d.ID)
		}
	}
	return out, nil
}

func otaTable(devs []string, rows map[string]state.Record, now time.Time) *table {
	t := &table{header: []string{"DEVICE", "STATE", "ARTIFACT", "VERSION", "FROM", "PROGRESS", "REASON"}}
	for _, d := range devs {
		r, ok := rows[d]
		if !ok {
			continue
		}
		t.add(d, string(r.State), orDash(r.Artifact), versionBuild(r.Version, r.Build),
			versionBuild(r.FromVersion, r.FromBuild), progressText(r, now), orDash(firstLine(r.Reason)))
	}
	return t
}

func versionBuild(v string, b uint64) string {
	if v == "" && b == 0 {
		return "-"
	}
	return fmt.Sprintf("%s (%d)", v, b)
}

// progressText is the download's progress, or the time left of a trial.
func progressText(r state.Record, now time.Time) string {
	if r.State == state.Trial && !r.TrialUntil.IsZero() {
		return fmt.Sprintf("trial, %s left", max(r.TrialUntil.Sub(now), 0).Round(time.Second))
	}
	if r.Progress == nil || r.Progress.Total == 0 {
		return "-"
	}
	return fmt.Sprintf("%d/%d chunks", r.Progress.Done, r.Progress.Total)
}

// percent is the download progress of r.
func percent(r state.Record) int {
	if r.Progress == nil || r.Progress.Total == 0 {
		return 0
	}
	return r.Progress.Done * 100 / r.Progress.Total
}

// stateLine is one device's progress as text: "downloading  42%" or the reason.
func stateLine(r state.Record) string {
	switch {
	case r.State == state.Downloading:
		return fmt.Sprintf("downloading %3d%%", percent(r))
	case r.Reason != "":
		return string(r.State) + ": " + firstLine(r.Reason)
	}
	return strings.TrimSpace(string(r.State) + " " + r.Version)
}
