package restart

import (
	"strconv"
	"time"
)

// Limiter is the burst limit: it allows at most burst starts within any
// window. Its zero value allows nothing; build one with NewLimiter. A
// Limiter is not safe for concurrent use.
type Limiter struct {
	burst  int
	window time.Duration
	starts []time.Time // ring of the last burst start times
	next   int
}

// NewLimiter returns a limiter for the policy's Burst and Window (after
// defaults). A negative Burst gives a limiter that allows every start.
func NewLimiter(p Policy) *Limiter {
	p = p.WithDefaults()
	l := &Limiter{burst: p.Burst, window: p.Window}
	if p.Burst > 0 {
		l.starts = make([]time.Time, 0, p.Burst)
	}
	return l
}

// Allow records a start at now and reports true, or reports false without
// recording it when burst starts already happened within the window
// before now.
func (l *Limiter) Allow(now time.Time) bool {
	if l.burst < 0 {
		return true
	}
	if len(l.starts) < l.burst {
		l.starts = append(l.starts, now)
		return true
	}
	oldest := l.starts[l.next]
	if now.Sub(oldest) < l.window {
		return false
	}
	l.starts[l.next] = now
	l.next = (l.next + 1) % l.burst
	return true
}

// Reset forgets every recorded start (a manual start resets the limit).
func (l *Limiter) Reset() {
	l.starts = l.starts[:0]
	l.next = 0
}

// Reason is the text recorded when the limit is hit, like systemd's
// start-limit-hit.
func (l *Limiter) Reason() string {
	return "start-limit-hit: " + strconv.Itoa(l.burst) + " starts within " + l.window.String()
}
