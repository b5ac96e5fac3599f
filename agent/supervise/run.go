package supervise

import (
	"context"
	"fmt"
	"log/slog"
	"runtime/debug"
	"sync"
	"time"

	"github.com/jonboulle/clockwork"

	"github.com/drover-iot/drover/fleet"
)

// outcome is how one call of a unit's function ended.
type outcome struct {
	result   any
	err      error
	stack    string
	panicked bool
}

// callFunc calls fn, turning a panic into an error with the stack.
func callFunc(ctx context.Context, fn Func, c *Ctl) (out outcome) {
	defer func() {
		if r := recover(); r != nil {
			out = outcome{err: fmt.Errorf("%w: %v", ErrPanic, r),
				stack: string(debug.Stack()), panicked: true}
		}
	}()
	out.result, out.err = fn(ctx, c)
	return out
}

// hooks are the hook calls due after a run, made outside the lock.
type hooks struct {
	onStop  StopHook
	onError ErrorHook
	snap    fleet.Unit
	err     error
}

func hooksFor(u *unit, err error) hooks {
	if u.onStop == nil && (u.onError == nil || err == nil) {
		return hooks{}
	}
	return hooks{onStop: u.onStop, onError: u.onError, snap: u.snapshot(), err: err}
}

// call runs the hooks, recovering and logging their panics.
func (h hooks) call(log *slog.Logger) {
	if h.err != nil && h.onError != nil {
		safeCall(log, "on-error", h.snap.Name, func() { h.onError(h.snap, h.err) })
	}
	if h.onStop != nil {
		safeCall(log, "on-stop", h.snap.Name, func() { h.onStop(h.snap) })
	}
}

func safeCall(log *slog.Logger, what, unit string, f func()) {
	defer func() {
		if r := recover(); r != nil {
			log.Error("hook panicked", "hook", what, "unit", unit, "panic", r,
				"stack", string(debug.Stack()))
		}
	}()
	f()
}

// watchdog cancels a run that goes longer than interval without a beat.
// It uses one clock timer, re-armed for the remaining time when it fires
// after a recent beat, so Beat only records the time.
type watchdog struct {
	clock    clockwork.Clock
	interval time.Duration
	cancel   context.CancelCauseFunc
	mu       sync.Mutex
	last     time.Time
	timer    clockwork.Timer
	stopped  bool
}

func startWatchdog(clock clockwork.Clock, interval time.Duration, cancel context.CancelCauseFunc) *watchdog {
	w := &watchdog{clock: clock, interval: interval, cancel: cancel, last: clock.Now()}
	w.mu.Lock()
	w.timer = clock.AfterFunc(interval, w.check)
	w.mu.Unlock()
	return w
}

func (w *watchdog) check() {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.stopped {
		return
	}
	idle := w.clock.Since(w.last)
	if idle >= w.interval {
		w.stopped = true
		w.cancel(fmt.Errorf("%w: no heartbeat for %v (interval %v)", ErrWatchdog, idle, w.interval))
		return
	}
	w.timer.Reset(w.interval - idle)
}

func (w *watchdog) beat() {
	if w == nil {
		return
	}
	now := w.clock.Now()
	w.mu.Lock()
	w.last = now
	w.mu.Unlock()
}

func (w *watchdog) stop() {
	if w == nil {
		return
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	w.stopped = true
	w.timer.Stop()
}
