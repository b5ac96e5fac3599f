package sensors

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Schedule gives the instants at which a sensor is read. It is the subset of
// the scheduler's Spec that sampling needs.
type Schedule interface {
	// Next returns the first instant after now at which the sensor is due,
	// given the previous due instant prev (zero before the first read).
	Next(prev, now time.Time) time.Time
}

// ScheduleParser turns a schedule's text form into a Schedule.
type ScheduleParser func(text string) (Schedule, error)

// ParseSchedule parses the periodic forms of the scheduler's text syntax
// that suit sampling: "every <duration>" (for example "every 30s") and
// "rate <n>hz" (for example "rate 10hz", "rate 0.5hz").
func ParseSchedule(text string) (Schedule, error) {
	word, arg, _ := strings.Cut(strings.TrimSpace(text), " ")
	arg = strings.TrimSpace(arg)
	switch word {
	case "every":
		d, err := time.ParseDuration(arg)
		if err != nil || d <= 0 {
			return nil, fmt.Errorf("%w: schedule %q: want a positive duration after every", ErrConfig, text)
		}
		return Period(d), nil
	case "rate":
		hz, err := strconv.ParseFloat(strings.TrimSuffix(strings.ToLower(arg), "hz"), 64)
		if err != nil || !strings.HasSuffix(strings.ToLower(arg), "hz") || hz <= 0 || hz > 1e6 {
			return nil, fmt.Errorf("%w: schedule %q: want rate <n>hz with 0 < n <= 1e6", ErrConfig, text)
		}
		return Period(time.Duration(float64(time.Second) / hz)), nil
	}
	return nil, fmt.Errorf("%w: schedule %q: want \"every <duration>\" or \"rate <n>hz\"", ErrConfig, text)
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
