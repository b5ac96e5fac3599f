package scheduler

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/drover-iot/drover/scheduler/schedule"
)

// newEntry builds an entry for def. A definition that does not validate or
// names an unknown handler gives a broken entry and the reason as error.
func (e *engine) newEntry(def JobDef) (*entry, error) {
	def = def.withDefaults()
	def.Tags = slices.Clone(def.Tags)
	e.seq++
	ent := &entry{def: def, index: -1, seq: e.seq}
	return ent, e.resolve(ent)
}

// resolve parses ent's spec and looks up its handler, marking the entry
// broken with the reason when either fails, and healthy otherwise.
func (e *engine) resolve(ent *entry) error {
	def := ent.def
	err := def.Validate()
	var spec schedule.Spec
	if err == nil {
		spec, err = schedule.Parse(def.Spec)
	}
	if err == nil {
		if h, ok := e.s.reg.Lookup(def.Handler); ok {
			ent.handler = h
		} else {
			err = fmt.Errorf("job %q: %w %q", def.Name, ErrUnknownHandler, def.Handler)
		}
	}
	if err != nil {
		ent.broken = err.Error()
		return err
	}
	ent.broken = ""
	e.setSpec(ent, spec)
	return nil
}

// setSpec gives ent the shared copy of spec and its canonical text.
func (e *engine) setSpec(ent *entry, spec schedule.Spec) {
	old := ent.spec
	ent.spec = e.specs.get(spec)
	ent.def.Spec = ent.spec.text
	e.specs.put(old)
}

// cancelJob is what a run's CancelJob does: a request that ends ent, unless
// the scheduler is already stopping (then the flag alone ends the job when
// the run finishes).
func (s *Scheduler) cancelJob(ent *entry) {
	_ = s.call(true, func(e *engine) error {
		e.end(ent, "cancelled by its handler")
		return nil
	})
}

// add inserts a new, valid job with a known handler and a future run, and
// schedules it. With keepBroken, a job that fails those checks is kept,
// broken with the reason, and the reason is returned.
func (e *engine) add(def JobDef, keepBroken bool) error {
	if _, ok := e.jobs[def.Name]; ok {
		return fmt.Errorf("add job %q: %w", def.Name, ErrExists)
	}
	ent, err := e.newEntry(def)
	var next time.Time
	if err == nil && ent.runnable() {
		if next = ent.spec.Next(time.Time{}, e.now(), e.cfg.rand); next.IsZero() || ent.beyond(next) {
			err = fmt.Errorf("job %q: %w", def.Name, ErrNoFutureRun)
			ent.broken = err.Error()
		}
	}
	if err != nil && !keepBroken {
		return fmt.Errorf("add job: %w", err)
	}
	e.jobs[def.Name] = ent
	if ent.runnable() {
		ent.setNext(next, e.cfg.rand)
		e.heap.schedule(ent)
	}
	e.persist.markDirty(e.now())
	if err != nil {
		return fmt.Errorf("add job: %w", err)
	}
	return nil
}

// scheduleFrom puts ent in the heap at its first slot after now on the
// grid anchored at prev, or ends it when its schedule is exhausted.
func (e *engine) scheduleFrom(ent *entry, prev, now time.Time) {
	next := ent.spec.Next(prev, now, e.cfg.rand)
	if next.IsZero() || ent.beyond(next) {
		e.end(ent, "schedule done")
		return
	}
	ent.setNext(next, e.cfg.rand)
	e.heap.schedule(ent)
}

// lookup returns the named job or ErrNotFound.
func (e *engine) lookup(name string) (*entry, error) {
	ent, ok := e.jobs[name]
	if !ok {
		return nil, fmt.Errorf("job %q: %w", name, ErrNotFound)
	}
	return ent, nil
}

// remove takes the job out and cancels its running runs.
func (e *engine) remove(name string) error {
	ent, err := e.lookup(name)
	if err != nil {
		return err
	}
	ent.pending = nil
	e.end(ent, "removed")
	if ent.cancel != nil {
		ent.cancel()
	}
	return nil
}

// removeTag removes every job carrying tag and returns how many.
func (e *engine) removeTag(tag string) int {
	var names []string
	for name, ent := range e.jobs {
		if ent.def.hasTag(tag) {
			names = append(names, name)
		}
	}
	for _, name := range names {
		_ = e.remove(name)
	}
	return len(names)
}

// setPaused pauses or resumes a job; a resumed job continues at its first
// grid slot after now.
func (e *engine) setPaused(name string, paused bool) error {
	ent, err := e.lookup(name)
	if err != nil {
		return err
	}
	if ent.def.Paused == paused {
		return nil
	}
	ent.def.Paused = paused
	e.heap.unschedule(ent)
	if ent.broken != "" {
		_ = e.resolve(ent)
	}
	if ent.runnable() {
		e.scheduleFrom(ent, ent.lastNominal.time(), e.now())
	}
	e.persist.markDirty(e.now())
	return nil
}

// runNow starts a manual run of the job, subject to its overlap policy.
func (e *engine) runNow(name string) error {
	ent, err := e.lookup(name)
	if err != nil {
		return err
	}
	if ent.broken != "" {
		return fmt.Errorf("run job %q: %w: %s", name, ErrBroken, ent.broken)
	}
	now := e.now()
	if !e.dispatch(ent, Run{Nominal: now, Fire: now, Manual: true}, now) {
		return fmt.Errorf("run job %q: %w", name, ErrBusy)
	}
	return nil
}

// statuses returns the status of the jobs carrying tag ("" for all),
// sorted by name.
func (e *engine) statuses(tag string) []JobStatus {
	out := make([]JobStatus, 0, len(e.jobs))
	for _, ent := range e.jobs {
		if tag == "" || ent.def.hasTag(tag) {
			out = append(out, ent.status())
		}
	}
	slices.SortFunc(out, func(a, b JobStatus) int { return strings.Compare(a.Def.Name, b.Def.Name) })
	return out
}

// status returns the status of the named job.
func (e *engine) status(name string) (JobStatus, bool) {
	ent, ok := e.jobs[name]
	if !ok {
		return JobStatus{}, false
	}
	return ent.status(), true
}
