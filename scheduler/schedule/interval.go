package schedule

import (
	"math/rand/v2"
	"time"
)

// parseEvery reads what follows "every".
func (l *lexer) parseEvery() (Spec, error) {
	if l.peekCalendar() {
		return l.parseCalendar()
	}
	d, err := l.readDuration()
	if err != nil {
		return Spec{}, err
	}
	s := Spec{kind: kindEvery, period: d}
	if !l.peekWord("at") {
		return s, nil
	}
	l.next()
	if err := l.readOffset(&s); err != nil {
		return Spec{}, err
	}
	return s, l.readZone(&s)
}

// nextEvery is Next for `every`: the first point after now of the grid
// through prev (or, for a first run, now+period, or the grid aligned to the
// zone's local midnight plus the offset).
func (s Spec) nextEvery(prev, now time.Time) time.Time {
	if prev.IsZero() {
		if !s.hasOffset {
			return now.Add(s.period)
		}
		prev = localMidnight(now, s.location()).Add(s.offset)
	}
	return gridAfter(prev, now, s.period)
}

// gridAfter returns the first instant anchor + k*p (k any integer) strictly
// after now.
func gridAfter(anchor, now time.Time, p time.Duration) time.Time {
	d := now.Sub(anchor)
	k := d / p
	if d < 0 && d%p != 0 {
		k--
	}
	return anchor.Add((k + 1) * p)
}

// randomInterval draws the `between` interval, uniform in [period, upper].
func (s Spec) randomInterval(r *rand.Rand) time.Duration {
	n := int64(s.upper-s.period) + 1
	if r == nil {
		return s.period + time.Duration(rand.Int64N(n))
	}
	return s.period + time.Duration(r.Int64N(n))
}
