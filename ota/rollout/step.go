package rollout

import (
	"context"
	"fmt"
	"strings"

	"github.com/drover-iot/drover/ota/state"
)

// Run steps the rollout every Poll until it is done (nil), paused
// (ErrPaused), aborted (ErrAborted) or ctx ends.
func (r *Rollout) Run(ctx context.Context) error {
	ticker := r.opts.Clock.NewTicker(r.opts.Poll)
	defer ticker.Stop()
	for {
		if err := r.Step(ctx); err != nil {
			return err
		}
		switch r.rec.Phase {
		case Done:
			return nil
		case Paused:
			return fmt.Errorf("%w: %s", ErrPaused, r.rec.Reason)
		case Aborted:
			return fmt.Errorf("%w: %s", ErrAborted, r.rec.Reason)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-ticker.Chan():
		}
	}
}

// Step applies a control request, reads the status of pushed devices and
// which devices are offline (adding new ones to a continuous rollout),
// stops past the failure threshold, pushes the devices of the current stage
// within the rate limit and advances to the next stage once every reached
// device has finished.
// The record is saved at the end.
func (r *Rollout) Step(ctx context.Context) error {
	if err := r.applyControl(); err != nil {
		return err
	}
	if r.rec.Phase != Running {
		return nil
	}
	r.refresh(ctx)
	r.track(ctx)
	if r.overThreshold() {
		r.stop()
	} else {
		r.advance(ctx)
	}
	if r.opts.OnStep != nil {
		r.opts.OnStep(r.rec)
	}
	return r.save()
}

// refresh reads the status of every pushed device.
func (r *Rollout) refresh(ctx context.Context) {
	now := r.opts.Clock.Now()
	for _, id := range r.rec.Plan.Devices {
		d := r.rec.Devices[id]
		if d.State != Pushed {
			continue
		}
		st, err := r.driver.Status(ctx, id)
		switch {
		case err == nil && st.Build >= r.rec.Plan.Build && st.OTA != state.Trial:
			d.State, d.Reason = Succeeded, ""
		case err == nil && st.OTA == state.Failed && strings.HasPrefix(st.Reason, SkipReason+":"):
			d.State, d.Reason = Skipped, st.Reason
		case err == nil && (st.OTA == state.Failed || st.OTA == state.RolledBack):
			d.State, d.Reason = Failed, fmt.Sprintf("%s: %s", st.OTA, st.Reason)
		case now.Sub(d.PushedAt) > r.rec.Plan.StageTimeout:
			d.State, d.Reason = Failed, "timed out"
		}
	}
}

// overThreshold reports whether failures among reached devices pass the
// plan's percentage (skipped devices are not counted).
func (r *Rollout) overThreshold() bool {
	reached, failed := 0, 0
	for _, d := range r.rec.Devices {
		if d.State != Pending && d.State != Skipped {
			reached++
		}
		if d.State == Failed {
			failed++
		}
	}
	return reached > 0 && float64(failed)*100/float64(reached) > r.rec.Plan.MaxFailures
}

func (r *Rollout) stop() {
	r.rec.Phase, r.rec.Reason = Paused, "failures passed the threshold"
	if r.rec.Plan.AbortOnFailure {
		r.rec.Phase = Aborted
	}
	r.opts.Logger.Warn("rollout stopped", "phase", r.rec.Phase, "stage", r.rec.Stage)
}

// advance pushes the current stage's devices and moves to the next stage
// when all reached devices of this one have finished and none waits for
// the rate limit. A continuous rollout is never done.
func (r *Rollout) advance(ctx context.Context) {
	sizes := r.rec.Plan.stageSizes()
	for r.rec.Stage < len(sizes) {
		if r.push(ctx, sizes[r.rec.Stage]) || !r.finished(sizes[r.rec.Stage]) {
			return
		}
		r.rec.Stage++
	}
	r.push(ctx, len(r.rec.Plan.Devices)) // late devices, once every stage is through
	if r.allFinished() && !r.rec.Plan.Continuous {
		r.rec.Phase, r.rec.Reason = Done, ""
	}
}

// push sends the update to the pending devices among the first n, within
// the rate limit's budget, and reports whether an online device had to
// wait for the budget. An offline or unreachable device stays pending and
// is tried again at a later step.
func (r *Rollout) push(ctx context.Context, n int) (deferred bool) {
	left := r.budget(r.opts.Clock.Now())
	for _, id := range r.rec.Plan.Devices[:n] {
		d := r.rec.Devices[id]
		switch {
		case d.State != Pending:
			continue
		case r.offline[id]:
			d.Reason = "offline"
			continue
		case left == 0:
			d.Reason, deferred = "waiting for the rate limit", true
			continue
		}
		at := r.opts.Clock.Now()
		if err := r.driver.Push(ctx, id, r.rec.Plan.Artifact); err != nil {
			d.Reason = "not reached: " + err.Error()
			continue
		}
		d.State, d.Reason, d.PushedAt = Pushed, "", at
		left--
	}
	return deferred
}

// finished reports whether no device among the first n is still pushed
// (unreached devices do not hold a stage back).
func (r *Rollout) finished(n int) bool {
	for _, id := range r.rec.Plan.Devices[:n] {
		if r.rec.Devices[id].State == Pushed {
			return false
		}
	}
	return true
}

func (r *Rollout) allFinished() bool {
	for _, d := range r.rec.Devices {
		if d.State == Pending || d.State == Pushed {
			return false
		}
	}
	return true
}

// Counts returns how many devices are in each state.
func (rec Record) Counts() map[DeviceState]int {
	c := map[DeviceState]int{}
	for _, d := range rec.Devices {
		c[d.State]++
	}
	return c
}
