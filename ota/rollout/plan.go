// Package rollout drives a staged OTA rollout from the controller: a
// canary set, then waves by cumulative percentage, advancing when every
// reached device of a stage has succeeded and pausing (or aborting) when
// failures pass a threshold. Its state is persisted in a file, so a
// restarted fleetctl continues where it stopped, and pause/resume/abort
// can be requested from another process through a control file. A rate
// limit bounds the devices told to start within any minute, and a
// continuous rollout stays open for devices that come back or join its
// selector later.
package rollout

import (
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/drover-iot/drover/ota/state"
)

// Plan is what a rollout does.
type Plan struct {
	Artifact string `json:"artifact"`
	// Build is the target build: a device reporting it (committed) succeeded.
	Build uint64 `json:"build"`
	// Devices are the device ids, in rollout order.
	Devices []string `json:"devices"`
	// Canary is the number of devices updated first.
	Canary int `json:"canary"`
	// Waves are cumulative percentages of Devices, ending at 100.
	Waves []int `json:"waves"`
	// MaxFailures is the percentage of failed devices among those reached
	// above which the rollout stops.
	MaxFailures float64 `json:"max_failures"`
	// AbortOnFailure aborts instead of pausing past the threshold.
	AbortOnFailure bool `json:"abort_on_failure,omitempty"`
	// StageTimeout counts a device that has not finished this long after
	// its push as failed. Default: 30m.
	StageTimeout time.Duration `json:"stage_timeout_ns,omitempty"`
	// Selector is the label selector the devices were chosen by (empty:
	// every device); a continuous rollout adds the devices it matches later.
	Selector string `json:"selector,omitempty"`
	// MaxPerMinute is the most devices told to start within any minute
	// (AWS IoT Jobs' maximumPerMinute); the others wait their turn.
	// Default: 0, no limit.
	MaxPerMinute int `json:"max_per_minute,omitempty"`
	// Continuous keeps the rollout open once every device has finished:
	// devices that join the selector later are added and updated, and the
	// rollout never ends as done (pause or abort ends it).
	Continuous bool `json:"continuous,omitempty"`
}

// Validate reports every problem of the plan.
func (p *Plan) Validate() error {
	var errs []string
	if p.Artifact == "" {
		errs = append(errs, "artifact is required")
	}
	if len(p.Devices) == 0 && !p.Continuous {
		errs = append(errs, "no devices")
	}
	if p.Canary < 0 || (p.Canary > len(p.Devices) && !p.Continuous) {
		errs = append(errs, fmt.Sprintf("canary %d out of 0..%d", p.Canary, len(p.Devices)))
	}
	if !slices.IsSorted(p.Waves) || len(p.Waves) == 0 || p.Waves[0] <= 0 || p.Waves[len(p.Waves)-1] != 100 {
		errs = append(errs, fmt.Sprintf("waves %v must rise to 100", p.Waves))
	}
	if p.MaxFailures < 0 || p.MaxFailures > 100 {
		errs = append(errs, fmt.Sprintf("max failures %v%% out of 0..100", p.MaxFailures))
	}
	if p.MaxPerMinute < 0 {
		errs = append(errs, fmt.Sprintf("max per minute %d is negative", p.MaxPerMinute))
	}
	if len(errs) > 0 {
		return fmt.Errorf("%w: %v", ErrBadPlan, errs)
	}
	return nil
}

// stageSizes returns how many devices are reached by the end of each stage:
// the canary (when there is one), then each wave. A continuous rollout's
// device list grows, and its stages with it.
func (p *Plan) stageSizes() []int {
	var sizes []int
	total := len(p.Devices)
	if p.Canary > 0 {
		sizes = append(sizes, min(p.Canary, total))
	}
	for _, pct := range p.Waves {
		n := int(math.Ceil(float64(pct) * float64(total) / 100))
		sizes = append(sizes, min(max(n, p.Canary), total))
	}
	return sizes
}

// DeviceState is where one device is in the rollout.
type DeviceState string

// Device states (stable strings, persisted).
const (
	Pending   DeviceState = "pending"
	Pushed    DeviceState = "pushed"
	Succeeded DeviceState = "succeeded"
	Failed    DeviceState = "failed"
	// Skipped is a device the artifact has no build for: its refusal's
	// reason is SkipReason. It finishes the device and is no failure.
	Skipped DeviceState = "skipped"
)

// SkipReason is the reason code of a refusal that skips a device: the
// multi-platform artifact has no build for its platform
// (manifest.ReasonNoBuild; OTA reasons read "<code>: <detail>").
const SkipReason = "no_build"

// DeviceStatus is what the driver reads from a device.
type DeviceStatus struct {
	// Build is the running build.
	Build uint64
	// OTA is the device's OTA state and its reason.
	OTA    state.State
	Reason string
}
