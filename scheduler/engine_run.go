package scheduler

import (
	"context"
	"errors"
	"fmt"
	"runtime/debug"
	"sync"
	"time"

	"github.com/jonboulle/clockwork"
)

// finish is what a run goroutine sends the owner when its handler returns.
type finish struct {
	ent *entry
	run Run
	err error
	dur time.Duration
}

// fire handles a slot of ent coming due at now: it starts (or queues, or
// skips) a run and schedules the next slot, or ends the job.
func (e *engine) fire(ent *entry, now time.Time) {
	ent.lastNominal = ent.nominal
	ent.fired++
	e.dispatch(ent, Run{Nominal: ent.nominal.time(), Fire: ent.fire.time()}, now)
	e.advance(ent, now)
	e.persist.markDirty(now)
}

// advance schedules ent's next slot after now, or ends the job when its
// schedule is exhausted.
func (e *engine) advance(ent *entry, now time.Time) {
	if ent.removed {
		return
	}
	if ent.exhausted() {
		e.end(ent, "schedule done")
		return
	}
	next := ent.spec.Next(ent.lastNominal.time(), now, e.cfg.rand)
	if next.IsZero() || ent.beyond(next) {
		e.end(ent, "schedule done")
		return
	}
	ent.setNext(next, e.cfg.rand)
	e.heap.schedule(ent)
}

// dispatch applies ent's overlap policy to run: it starts it, queues it or
// skips it. It reports whether the run was started or queued.
func (e *engine) dispatch(ent *entry, run Run, now time.Time) bool {
	switch {
	case ent.running == 0:
	case ent.def.Overlap == OverlapConcurrent && ent.running < ent.def.MaxConcurrent:
	case ent.def.Overlap == OverlapQueue && ent.pending == nil:
		ent.pending = &run
		return true
	default:
		ent.skips++
		e.observeSkip(ent, run, now)
		return false
	}
	e.launch(ent, run, now)
	return true
}

// launch starts run of ent in its own goroutine.
func (e *engine) launch(ent *entry, run Run, now time.Time) {
	run.Job, run.Args, run.Started, run.sched, run.ent = ent.def.Name, ent.def.Args, now, e.s, ent
	ent.running++
	e.inflight++
	ent.lastRun, ent.lateness = wallOf(now), now.Sub(run.Nominal)
	ctx, cancel := runContext(ent.jobContext(e.base), e.cfg.clock, time.Duration(ent.def.Timeout))
	h := ent.handler
	e.workers.Add(1)
	e.deferred = append(e.deferred, func() { go e.s.execute(ctx, cancel, h, ent, run, &e.workers) })
}

// runContext returns the context of one run, a child of the job context
// parent, ended by timeout t when t > 0. The one cancel func releases it.
func runContext(parent context.Context, clock clockwork.Clock, t time.Duration) (context.Context, context.CancelFunc) {
	if t > 0 {
		return clockwork.WithTimeout(parent, clock, t)
	}
	return context.WithCancel(parent)
}

// execute runs the handler, reports to the owner, then to the observer.
// It must not read ent, which belongs to the owner.
func (s *Scheduler) execute(ctx context.Context, cancel context.CancelFunc, h Handler, ent *entry, run Run, wg *sync.WaitGroup) {
	defer wg.Done()
	err := safeCall(ctx, h, run)
	cancel()
	dur := s.cfg.clock.Since(run.Started)
	select {
	case s.finished <- finish{ent: ent, run: run, err: err, dur: dur}:
	case <-s.dead:
	}
	if s.cfg.observer != nil {
		s.cfg.observer(RunReport{
			Job: run.Job, Nominal: run.Nominal, Fire: run.Fire, Started: run.Started,
			Duration: dur, Lateness: run.Started.Sub(run.Nominal), Err: err, Manual: run.Manual,
		})
	}
}

// safeCall calls h, turning a panic into an error wrapping ErrPanic.
func safeCall(ctx context.Context, h Handler, run Run) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("job %q: %w: %v\n%s", run.Job, ErrPanic, r, debug.Stack())
		}
	}()
	return h(ctx, run)
}

// complete records a finished run and starts the queued one, if any.
func (e *engine) complete(m finish) {
	ent := m.ent
	ent.running--
	e.inflight--
	ent.runs++
	ent.lastDuration, ent.lastErr = m.dur, ""
	cancelled := errors.Is(m.err, ErrCancelJob)
	if m.err != nil && !cancelled {
		ent.failures++
		ent.lastErr = m.err.Error()
	}
	if cancelled || ent.ended.Load() {
		e.end(ent, "cancelled by its handler")
	}
	if p := ent.pending; p != nil && (ent.removed || e.stopping) {
		ent.pending = nil
	} else if p != nil {
		ent.pending = nil
		e.launch(ent, *p, e.now())
	}
	ent.release()
	e.persist.markDirty(e.now())
}

// end removes ent from the job set without cancelling its running runs.
func (e *engine) end(ent *entry, reason string) {
	if ent.removed {
		return
	}
	e.heap.unschedule(ent)
	delete(e.jobs, ent.def.Name)
	ent.removed = true
	e.specs.put(ent.spec)
	ent.release()
	e.persist.markDirty(e.now())
	e.cfg.logger.Info("job ended", "job", ent.def.Name, "reason", reason)
}

// observeSkip reports a skipped run to the observer, off the owner
// goroutine.
func (e *engine) observeSkip(ent *entry, run Run, now time.Time) {
	obs := e.cfg.observer
	if obs == nil {
		return
	}
	r := RunReport{
		Job: ent.def.Name, Nominal: run.Nominal, Fire: run.Fire, Started: now,
		Lateness: now.Sub(run.Nominal), Skipped: true, Manual: run.Manual,
	}
	e.workers.Add(1)
	e.deferred = append(e.deferred, func() {
		go func() {
			defer e.workers.Done()
			obs(r)
		}()
	})
}
