package scheduler

import (
	"context"
	"sync"
	"time"

	"github.com/jonboulle/clockwork"
)

// engine is the state owned by the Run goroutine: the job set, the heap of
// next fire times and the single timer. Only that goroutine touches it
// while Run runs (before and after, Scheduler.call serialises access).
type engine struct {
	s    *Scheduler
	cfg  *config
	jobs map[string]*entry
	heap entryHeap
	seq  uint64

	timer    clockwork.Timer
	armed    time.Time      // when the timer is set to fire; zero when stopped
	inflight int            // run goroutines not yet finished
	workers  sync.WaitGroup // run goroutines and skip reports
	deferred []func()       // goroutine starts, run by settle
	stopping bool

	base       context.Context // parent of every run's context
	cancelBase context.CancelFunc
	persist    persister
	specs      specTable
	precise    precise
}

func newEngine(s *Scheduler) *engine {
	e := &engine{s: s, cfg: &s.cfg, jobs: make(map[string]*entry), specs: make(specTable)}
	e.persist.init(e)
	e.precise = newPrecise(e.cfg)
	return e
}

// now is the clock's time without its monotonic reading, so that it
// compares with persisted and computed times by the wall clock.
func (e *engine) now() time.Time { return e.cfg.clock.Now().Round(0) }

// start prepares the engine for the loop and settles it, so the timer is
// armed before Run reports it started; called with s.mu held.
func (e *engine) start(ctx context.Context) {
	e.base, e.cancelBase = context.WithCancel(context.WithoutCancel(ctx))
	e.persist.restore(ctx)
	e.timer = e.cfg.clock.NewTimer(time.Hour)
	e.timer.Stop()
	e.persist.startSaver()
	e.settle()
}

// loop is the owner goroutine: it waits for the timer, a request, a
// finished run or the stop signal. After each event it settles: re-arms
// the one timer, then starts the goroutines the event asked for, so no
// handler or report can observe an unarmed timer.
func (e *engine) loop(ctx context.Context) error {
	for {
		select {
		case <-ctx.Done():
			return e.stop()
		case <-e.s.closeReq:
			return e.stop()
		case r := <-e.s.reqs:
			e.pollTimer()
			err := r.op(e)
			e.settle()
			r.reply <- err
		case m := <-e.s.finished:
			e.complete(m)
			e.settle()
		case <-e.timer.Chan():
			e.wake()
			e.settle()
		}
	}
}

// pollTimer handles a timer expiry that is already waiting, so a request
// sees every job that came due before it was sent.
func (e *engine) pollTimer() {
	select {
	case <-e.timer.Chan():
		e.wake()
	default:
	}
}

// wake handles the timer firing: it waits precisely for the rest when the
// timer was armed early (see precise), then fires what is due. When the
// wake is not due yet, settle re-arms the timer for it.
func (e *engine) wake() {
	w := e.armed
	e.armed = time.Time{}
	if now, due := e.precise.await(w, e.now(), e.cfg.clock); due {
		e.tick(now)
	}
}

// settle re-arms the timer and then starts the deferred goroutines.
func (e *engine) settle() {
	e.arm()
	for i, f := range e.deferred {
		f()
		e.deferred[i] = nil
	}
	e.deferred = e.deferred[:0]
}

// wakeAt is when the engine must next wake: the earliest fire time or the
// pending save, zero when neither.
func (e *engine) wakeAt() time.Time {
	w := e.persist.saveAt
	if top := e.heap.peek(); top != nil && (w.IsZero() || top.fire.time().Before(w)) {
		w = top.fire.time()
	}
	return w
}

// arm sets the timer for wakeAt (early by the precision margin), touching
// it only when that changed.
func (e *engine) arm() {
	w := e.wakeAt()
	if w.Equal(e.armed) {
		return
	}
	e.armed = w
	if w.IsZero() {
		e.timer.Stop()
		return
	}
	e.timer.Reset(e.precise.timerDelay(w, e.now()))
}

// tick fires every job that is due at now and saves if a save is due.
func (e *engine) tick(now time.Time) {
	for top := e.heap.peek(); top != nil && top.fire <= wallOf(now); top = e.heap.peek() {
		e.heap.unschedule(top)
		e.fire(top, now)
	}
	e.persist.maybeSave(now)
}

// stop ends the loop: it takes no more requests, cancels running jobs,
// waits for them and the observers within the stop timeout, and saves the
// final state.
func (e *engine) stop() error {
	e.stopping = true
	close(e.s.stopping)
	e.timer.Stop()
	e.cancelBase()
	ctx, cancel := clockwork.WithTimeout(context.Background(), e.cfg.clock, e.cfg.stopTimeout)
	defer cancel()
	err := e.drain(ctx)
	if perr := e.persist.stop(ctx); err == nil {
		err = perr
	}
	if err != nil {
		e.cfg.logger.Warn("scheduler stop", "err", err, "running", e.inflight)
	}
	return err
}

// drain completes the runs in flight and waits for their goroutines and
// the skip reports to end, until
// ctx ends.
func (e *engine) drain(ctx context.Context) error {
	for e.inflight > 0 {
		select {
		case m := <-e.s.finished:
			e.complete(m)
		case <-ctx.Done():
			return ErrStopTimeout
		}
	}
	idle := make(chan struct{})
	go func() {
		e.workers.Wait()
		close(idle)
	}()
	select {
	case <-idle:
		return nil
	case <-ctx.Done():
		return ErrStopTimeout
	}
}
