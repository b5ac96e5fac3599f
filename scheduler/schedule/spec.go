// Package schedule is the schedule language: it lexes and parses schedule
// specs, and computes their next run times, across DST changes. It imports
// no other Drover package, so configuration, sensors and fleetctl can check
// and use specs without the engine (package scheduler), which runs jobs on
// them.
//
// A spec has one text form, used in YAML, on the command line and over MQTT
// (see docs/schedules.md), and a fluent Go API that builds the same values:
//
//	every 10s                      schedule.Every(10 * time.Second)
//	every 2h at :30                schedule.Every(2 * time.Hour).AtMinute(30)
//	every day at 03:00             schedule.Daily().At(3, 0)
//	every monday,friday at 04:10 Europe/Berlin
//	cron 0 4 * * mon,fri           schedule.Cron("0 4 * * mon,fri")
//	rate 10hz                      schedule.Rate(10)
//	in 30s                         schedule.After(30 * time.Second)
//	at 2026-12-01T10:00:00Z        schedule.On(t)
//	between 5m and 10m             schedule.Between(5*time.Minute, 10*time.Minute)
//
// followed by the modifiers `jitter 5s`, `until <RFC3339>` and `times 3`.
package schedule

import (
	"math/rand/v2"
	"strings"
	"time"
)

// kind is the form of a spec's base.
type kind uint8

const (
	kindNone     kind = iota
	kindEvery         // every <duration> [at :MM[:SS]]
	kindRate          // rate <hz>
	kindIn            // in <duration>
	kindAt            // at <RFC3339>
	kindBetween       // between <duration> and <duration>
	kindCalendar      // every day|<weekdays> at HH:MM[,HH:MM...]
	kindCron          // cron <fields>
)

// Spec is a parsed, validated schedule; a value type, safe to copy and
// comparable with == (or Equal). The zero Spec is "no schedule".
type Spec struct {
	kind      kind
	period    time.Duration // every, in, between (lower bound)
	upper     time.Duration // between (upper bound)
	offset    time.Duration // every ... at :MM[:SS], when hasOffset
	hasOffset bool
	rate      ratio     // rate: period in ns as an exact fraction
	at        time.Time // at, in UTC
	cal       calendar  // calendar and cron day and time sets
	cron      string    // cron fields as written, lower case, single spaces
	zone      string    // IANA zone name; "" is time.Local
	loc       *time.Location
	jitter    time.Duration
	until     time.Time // in UTC; zero when none
	times     int
}

// Next returns the next nominal run time strictly after now. prev is the
// previous nominal run time (zero for a job that has not been scheduled
// yet). It returns the zero time when the schedule is exhausted (one-shot
// done, `until` passed). r supplies randomness for `between` (nil uses the
// global source); Next never applies jitter.
//
// Interval specs (`every`) lie on the grid prev + k*period, so a late run or
// a clock jump forward yields one next slot, never a burst; if the clock went
// back (now before prev) the first grid point after now is returned. Rate
// specs lie on a fixed grid counted from the Unix epoch. Calendar and cron
// specs depend on now only.
func (s Spec) Next(prev, now time.Time, r *rand.Rand) time.Time {
	var t time.Time
	switch s.kind {
	case kindEvery:
		t = s.nextEvery(prev, now)
	case kindRate:
		t = s.rate.next(now)
	case kindIn:
		if prev.IsZero() {
			t = now.Add(s.period)
		}
	case kindAt:
		if prev.IsZero() && s.at.After(now) {
			t = s.at
		}
	case kindBetween:
		t = now.Add(s.randomInterval(r))
	case kindCalendar, kindCron:
		t = s.cal.next(now, s.location())
	}
	if !s.until.IsZero() && t.After(s.until) {
		return time.Time{}
	}
	return t
}

// location is the spec's zone, time.Local when none was named.
func (s Spec) location() *time.Location {
	if s.loc == nil {
		return time.Local
	}
	return s.loc
}

// Jitter returns the jitter modifier, 0 when none; the engine adds a random
// [0,jitter) to each fire time.
func (s Spec) Jitter() time.Duration { return s.jitter }

// Times returns the `times` modifier, 0 for unlimited; the engine counts runs.
func (s Spec) Times() int { return s.times }

// Until returns the `until` modifier, the zero time when none.
func (s Spec) Until() time.Time { return s.until }

// Zone returns the IANA zone name of a calendar, cron or aligned interval
// spec, "" when it uses time.Local.
func (s Spec) Zone() string { return s.zone }

// IsZero reports whether s is the zero Spec (no schedule).
func (s Spec) IsZero() bool { return s.kind == kindNone }

// OneShot reports whether s runs at most once (`in`, `at`).
func (s Spec) OneShot() bool { return s.kind == kindIn || s.kind == kindAt }

// Equal reports whether s and o are the same schedule; it is s == o.
func (s Spec) Equal(o Spec) bool { return s == o }

// Period returns the fixed period of an `every` or `rate` spec (a rate's
// period rounded to the nanosecond) and 0 for the other forms.
func (s Spec) Period() time.Duration {
	switch s.kind {
	case kindEvery:
		return s.period
	case kindRate:
		return s.rate.duration()
	}
	return 0
}

// WithPeriod returns s with a new period d, for changing a rate while a job
// runs: the grid semantics stay, only the spacing changes. An aligned
// interval keeps its offset modulo d. For other forms, or d <= 0, it
// returns s unchanged.
func (s Spec) WithPeriod(d time.Duration) Spec {
	if d <= 0 {
		return s
	}
	switch s.kind {
	case kindEvery:
		s.period, s.offset = d, s.offset%d
	case kindRate:
		s.rate = newRatio(uint64(d), 1)
	}
	return s
}

// String returns the canonical text of s; Parse(s.String()) == s. The zero
// Spec gives "".
func (s Spec) String() string {
	if s.kind == kindNone {
		return ""
	}
	var b strings.Builder
	s.writeBase(&b)
	s.writeModifiers(&b)
	return b.String()
}

// MarshalText returns String(), so JSON and YAML store the text form.
func (s Spec) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText parses text with Parse; empty text gives the zero Spec.
func (s *Spec) UnmarshalText(text []byte) error {
	if strings.TrimSpace(string(text)) == "" {
		*s = Spec{}
		return nil
	}
	p, err := Parse(string(text))
	if err != nil {
		return err
	}
	*s = p
	return nil
}
