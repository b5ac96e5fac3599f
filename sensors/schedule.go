package sensors

import (
	"fmt"
	"time"

	"github.com/drover-iot/drover/scheduler/schedule"
)

// Schedule gives the instants at which a sensor is read. It is the subset of
// the schedule language's Spec that sampling needs.
type Schedule interface {
	// Next returns the first instant after now at which the sensor is due,
	// given the previous due instant prev (zero before the first read), or
	// the zero time when the schedule has ended.
	Next(prev, now time.Time) time.Time
}

// ScheduleParser turns a schedule's text form into a Schedule.
type ScheduleParser func(text string) (Schedule, error)

// ParseSchedule parses a schedule in the schedule language
// (schedule.Parse): "rate 10hz", "every 30s", "every 5m at :30",
// "cron */5 * * * *", with modifiers such as "until" and "times".
func ParseSchedule(text string) (Schedule, error) {
	spec, err := schedule.Parse(text)
	if err != nil {
		return nil, fmt.Errorf("%w: schedule %q: %w", ErrConfig, text, err)
	}
	return specSchedule{spec}, nil
}

// specSchedule adapts a schedule.Spec. Next returns the zero time when the
// schedule is exhausted ("until"); the sampler then stops reading that
// sensor. The sampler also honours the spec's "times" and "jitter"
// modifiers through the Modifiers interface.
type specSchedule struct{ spec schedule.Spec }

func (s specSchedule) Next(prev, now time.Time) time.Time { return s.spec.Next(prev, now, nil) }

// Times implements Modifiers.
func (s specSchedule) Times() int { return s.spec.Times() }

// Jitter implements Modifiers.
func (s specSchedule) Jitter() time.Duration { return s.spec.Jitter() }

// Until implements Modifiers.
func (s specSchedule) Until() time.Time { return s.spec.Until() }

// Modifiers is implemented by schedules with the scheduler's modifiers;
// the sampler honours them: it stops after Times reads (0: no limit), delays
// each read by a random [0, Jitter) past its due instant without moving the
// grid, and takes no read after Until (zero: no end).
type Modifiers interface {
	Times() int
	Jitter() time.Duration
	Until() time.Time
}

// modifiersOf returns s's modifiers, none when it has no Modifiers.
func modifiersOf(s Schedule) (times int, jitter time.Duration, until time.Time) {
	if m, ok := s.(Modifiers); ok {
		return m.Times(), m.Jitter(), m.Until()
	}
	return 0, 0, time.Time{}
}

// Period is a fixed-rate schedule: due instants are prev+Period, without
// drift; after a late read the missed instants are skipped, never replayed.
type Period time.Duration

// Next implements Schedule.
func (p Period) Next(prev, now time.Time) time.Time {
	d := time.Duration(p)
	if prev.IsZero() {
		return now.Add(d)
	}
	next := prev.Add(d)
	if !next.After(now) {
		missed := now.Sub(next)/d + 1
		next = next.Add(missed * d)
	}
	return next
}
