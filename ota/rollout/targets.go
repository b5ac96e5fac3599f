package rollout

import (
	"context"
	"slices"
	"time"
)

// Target is a device the rollout's selector matches now.
type Target struct {
	ID string
	// Online is the device's retained state: an offline device is not
	// pushed (the push would only time out); it stays pending until it is
	// back.
	Online bool
}

// track reads the devices the selector matches: it notes which are
// offline and, in a continuous rollout, adds the new ones as pending (in
// id order). When they cannot be read, every device counts as online and
// the list stays as it is.
func (r *Rollout) track(ctx context.Context) {
	targets, err := r.driver.Targets(ctx, r.rec.Plan.Selector)
	if err != nil {
		r.opts.Logger.Warn("rollout: list devices", "err", err)
		r.offline = nil
		return
	}
	r.offline = map[string]bool{}
	var added []string
	for _, t := range targets {
		if !t.Online {
			r.offline[t.ID] = true
		}
		if r.rec.Plan.Continuous && r.rec.Devices[t.ID] == nil {
			added = append(added, t.ID)
		}
	}
	slices.Sort(added)
	for _, id := range added {
		r.rec.Plan.Devices = append(r.rec.Plan.Devices, id)
		r.rec.Devices[id] = &Device{State: Pending}
	}
	if len(added) > 0 {
		r.opts.Logger.Info("rollout: devices joined", "n", len(added))
	}
}

// rateWindow is the window of Plan.MaxPerMinute.
const rateWindow = time.Minute

// budget returns how many more devices may be told to start at now: the
// plan's MaxPerMinute less the pushes of the last minute (-1: no limit).
// Pushes made after now only make the count larger, so a budget taken at
// the start of a step and spent during it never lets any minute hold more
// than MaxPerMinute pushes.
func (r *Rollout) budget(now time.Time) int {
	if r.rec.Plan.MaxPerMinute == 0 {
		return -1
	}
	n := 0
	for _, d := range r.rec.Devices {
		if !d.PushedAt.IsZero() && d.PushedAt.After(now.Add(-rateWindow)) {
			n++
		}
	}
	return max(r.rec.Plan.MaxPerMinute-n, 0)
}
