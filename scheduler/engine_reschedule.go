package scheduler

import (
	"fmt"
	"time"

	"github.com/drover-iot/drover/scheduler/schedule"
)

// reschedule gives a job a new spec. When only the period of an interval
// or rate changes, the grid keeps its anchor (the last slot, or for a job
// that has not fired yet, the slot before its next one); any other change
// starts the new schedule afresh from now.
func (e *engine) reschedule(name string, spec schedule.Spec) error {
	ent, err := e.lookup(name)
	if err != nil {
		return err
	}
	if spec.IsZero() {
		return fmt.Errorf("reschedule job %q: %w: empty spec", name, ErrInvalidJob)
	}
	anchor := time.Time{}
	if ent.spec != nil && samePeriodic(ent.spec.Spec, spec) {
		anchor = ent.lastNominal.time()
		if anchor.IsZero() && ent.nominal != 0 {
			anchor = ent.nominal.time().Add(-ent.spec.Period())
		}
	} else {
		ent.fired = 0
	}
	e.setSpec(ent, spec)
	e.heap.unschedule(ent)
	if ent.broken != "" {
		_ = e.resolve(ent)
	}
	if ent.runnable() {
		e.scheduleFrom(ent, anchor, e.now())
	}
	e.persist.markDirty(e.now())
	return nil
}

// samePeriodic reports whether b differs from a at most in its period.
func samePeriodic(a, b schedule.Spec) bool {
	if a.Period() == 0 || b.Period() == 0 {
		return false
	}
	return a.WithPeriod(b.Period()) == b
}
