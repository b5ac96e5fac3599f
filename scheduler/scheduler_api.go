package scheduler

import (
	"fmt"
	"time"

	"github.com/drover-iot/drover/scheduler/schedule"
)

// Add adds a job. The definition must validate, its handler must be
// registered, its spec must have a run after now (ErrNoFutureRun), and a
// job of the same name must not exist (ErrExists).
func (s *Scheduler) Add(def JobDef) error {
	return s.call(true, func(e *engine) error { return e.add(def, false) })
}

// Define adds a job as Add does, except that a definition that does not
// validate, names an unknown handler or has no future run is kept, broken
// with the reason (like a restored job), so that status shows it; the
// reason is returned too. A job of the same name must not exist
// (ErrExists, and nothing is added). It is how a program adds the jobs of
// its configuration.
func (s *Scheduler) Define(def JobDef) error {
	return s.call(true, func(e *engine) error { return e.add(def, true) })
}

// Remove removes the job and cancels the contexts of its running runs.
func (s *Scheduler) Remove(name string) error {
	return s.call(true, func(e *engine) error { return e.remove(name) })
}

// RemoveTag removes every job carrying tag and returns how many it removed.
func (s *Scheduler) RemoveTag(tag string) (int, error) {
	var n int
	err := s.call(true, func(e *engine) error { n = e.removeTag(tag); return nil })
	return n, err
}

// Pause stops the job from firing until Resume; runs in flight go on.
func (s *Scheduler) Pause(name string) error {
	return s.call(true, func(e *engine) error { return e.setPaused(name, true) })
}

// Resume lets a paused job fire again, from its next slot after now.
func (s *Scheduler) Resume(name string) error {
	return s.call(true, func(e *engine) error { return e.setPaused(name, false) })
}

// RunNow starts a manual run of the job now, paused or not, subject to its
// overlap policy (ErrBusy when the policy refuses it). Its schedule is
// unchanged. It fails with ErrStopped unless Run is running.
func (s *Scheduler) RunNow(name string) error {
	s.mu.Lock()
	running := s.phase == phaseRunning
	s.mu.Unlock()
	if !running {
		return fmt.Errorf("run %q now: %w", name, ErrStopped)
	}
	return s.call(true, func(e *engine) error { return e.runNow(name) })
}

// Reschedule gives the job a new schedule. When only the period changes
// (for example "rate 10hz" to "rate 20hz"), the grid keeps its anchor at
// the last slot, so the job neither drifts nor bursts.
func (s *Scheduler) Reschedule(name string, spec schedule.Spec) error {
	return s.call(true, func(e *engine) error { return e.reschedule(name, spec) })
}

// Jobs returns the status of every job, sorted by name.
func (s *Scheduler) Jobs() []JobStatus {
	var out []JobStatus
	_ = s.call(false, func(e *engine) error { out = e.statuses(""); return nil })
	return out
}

// Tagged returns the status of the jobs carrying tag, sorted by name.
func (s *Scheduler) Tagged(tag string) []JobStatus {
	var out []JobStatus
	_ = s.call(false, func(e *engine) error { out = e.statuses(tag); return nil })
	return out
}

// Job returns the status of the named job.
func (s *Scheduler) Job(name string) (JobStatus, bool) {
	var st JobStatus
	var ok bool
	_ = s.call(false, func(e *engine) error { st, ok = e.status(name); return nil })
	return st, ok
}

// IdleUntil returns when the next job is due, for a device that sleeps
// between jobs; zero when no job is scheduled (micropython-aioschedule's
// idle_seconds).
func (s *Scheduler) IdleUntil() time.Time {
	var t time.Time
	_ = s.call(false, func(e *engine) error {
		if top := e.heap.peek(); top != nil {
			t = top.fire.time()
		}
		return nil
	})
	return t
}
