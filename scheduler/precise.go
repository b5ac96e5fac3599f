package scheduler

import (
	"reflect"
	"runtime"
	"time"

	"github.com/jonboulle/clockwork"
)

// DefaultPrecision is the default margin of WithPrecision: the engine's
// timer is armed this long before a job is due and the rest is waited
// precisely. It exceeds the 1 ms granularity of the Go runtime's timers
// on Linux (the netpoller sleeps in whole milliseconds), so the timer
// fires before the due time rather than up to 1 ms after it.
const DefaultPrecision = 2 * time.Millisecond

// realClockType is the type of clockwork's real clock: only on it does
// the engine wait precisely, since a fake clock's time does not pass by
// itself.
var realClockType = reflect.TypeOf(clockwork.NewRealClock())

// precise is the engine's wake-up policy. The single clock timer is armed
// margin before the wake time; when it fires early, the engine waits the
// rest with sleep, a blocking wait on the monotonic clock that does not
// spin. sleep is nil when no precise wait is possible (a clock other than
// the real one, or an OS without clock_nanosleep): the timer is then
// re-armed for the rest. margin zero disables the policy.
type precise struct {
	margin time.Duration
	sleep  func(time.Duration)
}

// newPrecise returns the policy for cfg.
func newPrecise(cfg *config) precise {
	if cfg.precision <= 0 {
		return precise{}
	}
	p := precise{margin: cfg.precision}
	if reflect.TypeOf(cfg.clock) == realClockType {
		p.sleep = preciseSleep
	}
	return p
}

// timerDelay is what to set the clock timer to for a wake at w, at now:
// margin early; within the margin, at once when the rest can be waited
// precisely, else exactly at w.
func (p precise) timerDelay(w, now time.Time) time.Duration {
	d := w.Sub(now)
	switch {
	case d > p.margin:
		return d - p.margin
	case p.sleep != nil:
		return 0
	default:
		return max(d, 0)
	}
}

// await is called when the timer fired at now for a wake at w. It waits
// the rest precisely when it is within the margin and returns the time to
// act at (read from clock after the wait), or false when the wake is not
// due and the timer must be re-armed: no precise wait is possible, or the
// wall clock moved back while the timer ran.
func (p precise) await(w, now time.Time, clock clockwork.Clock) (time.Time, bool) {
	rest := w.Sub(now)
	if rest <= 0 {
		return now, true
	}
	if p.sleep == nil || rest > p.margin {
		return now, false
	}
	// The runs the previous wake started wait in this P's run queue; yield
	// so they start now rather than behind the blocking system call, which
	// keeps the P until the runtime's monitor takes it back.
	runtime.Gosched()
	p.sleep(rest)
	return clock.Now().Round(0), true
}
