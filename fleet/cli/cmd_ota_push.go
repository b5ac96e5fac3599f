package cli

import (
	"context"
	"encoding/json"
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
	var all bool
	var wait time.Duration
	cmd := &cobra.Command{
		Use:         "push DEV...|-l SELECTOR|--all --artifact A",
		Annotations: sends(fleet.CmdOTAApply, fleet.CmdOTAStatus),
		Short:       "Ask devices to apply an artifact now (ota.apply), showing their progress",
	}
	cmd.Flags().StringVar(&artifact, "artifact", defaultArtifact, "artifact to apply")
	cmd.Flags().BoolVar(&all, "all", false, "every device")
	cmd.Flags().StringVarP(&selector, "selector", "l", "", "devices whose labels match a label selector (k=v, k!=v, k in (a,b), !k; comma = and)")
	cmd.Flags().DurationVar(&wait, "wait", defaultOTAWait, "how long to wait for the devices")
	cmd.RunE = run(func(cmd *cobra.Command, args []string) error {
		c, err := a.dial(cmd.Context())
		if err != nil {
			return err
		}
		defer c.Close()
		devs, err := a.targets(cmd.Context(), c, args, selector, all)
		if err != nil {
			return err
		}
		ctx, cancel := context.WithTimeout(cmd.Context(), wait)
		defer cancel()
		return a.push(ctx, c, devs, artifact)
	})
	return cmd
}

// targets are the named devices, or those the selector (every device
// with all) matches.
func (a *app) targets(ctx context.Context, c *client.Client, names []string, selector string, all bool) ([]string, error) {
	if n := btoi(len(names) > 0) + btoi(selector != "") + btoi(all); n != 1 {
		return nil, usageErrorf("name devices, or give -l/--selector or --all: one of them")
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
		return nil, noDevicesError{selector}
	}
	return names, nil
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
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
		var rec fleet.OTAStatus
		// A failure is shown once, from the final reply (with its code).
		if json.Unmarshal(p.Progress, &rec) == nil && rec.State != string(state.Failed) {
			view.update(dev, rec)
		}
	})
	if err != nil {
		view.update(dev, fleet.OTAStatus{State: string(state.Failed), Reason: err.Error()})
		return err
	}
	var rec fleet.OTAStatus
	if err := r.Decode(&rec); err != nil {
		return err
	}
	view.update(dev, rec)
	return nil
}

func (a *app) otaStatusCmd() *cobra.Command {
	var f targetFlags
	cmd := &cobra.Command{
		Use:         "status [DEV...|-l SELECTOR|--all]",
		Annotations: sends(fleet.CmdOTAStatus),
		Short:       "Show the OTA state of devices (default: every device, those not online listed as skipped)",
		Args: func(cmd *cobra.Command, args []string) error {
			f.all = f.all || len(args) == 0 && f.selector == "" // the default: every device
			return f.deviceArgs()(cmd, args)
		},
		RunE: run(func(cmd *cobra.Command, args []string) error {
			return fanQuery(a, cmd, &f, args, fleet.CmdOTAStatus, nil, view[fleet.OTAStatus]{many: true, table: func(r fleet.OTAStatus) *table { return otaRow(r, a.opts.Clock.Now()) }})
		}),
	}
	f.bind(cmd)
	return cmd
}

// otaRow is one device's OTA state as a table row.
func otaRow(r fleet.OTAStatus, now time.Time) *table {
	t := &table{header: []string{"STATE", "ARTIFACT", "VERSION", "FROM", "PROGRESS", "REASON"}}
	t.add(r.State, orDash(r.Artifact), versionBuild(r.Version, r.Build),
		versionBuild(r.FromVersion, r.FromBuild), progressText(r, now), orDash(firstLine(r.Reason)))
	return t
}

func versionBuild(v string, b uint64) string {
	if v == "" && b == 0 {
		return "-"
	}
	return fmt.Sprintf("%s (%d)", v, b)
}

// progressText is the download's progress, or the time left of a trial.
func progressText(r fleet.OTAStatus, now time.Time) string {
	if r.State == string(state.Trial) && !r.TrialUntil.IsZero() {
		return fmt.Sprintf("trial, %s left", max(r.TrialUntil.Sub(now), 0).Round(time.Second))
	}
	if r.Progress == nil || r.Progress.Total == 0 {
		return "-"
	}
	return fmt.Sprintf("%d/%d chunks", r.Progress.Done, r.Progress.Total)
}

// percent is the download progress of r.
func percent(r fleet.OTAStatus) int {
	if r.Progress == nil || r.Progress.Total == 0 {
		return 0
	}
	return r.Progress.Done * 100 / r.Progress.Total
}

// stateLine is one device's progress as text: "downloading  42%" or the reason.
func stateLine(r fleet.OTAStatus) string {
	switch {
	case r.State == string(state.Downloading):
		return fmt.Sprintf("downloading %3d%%", percent(r))
	case r.Reason != "":
		return r.State + ": " + firstLine(r.Reason)
	}
	return strings.TrimSpace(r.State + " " + r.Version)
}
