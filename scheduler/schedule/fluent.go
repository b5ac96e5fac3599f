package schedule

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Builder builds a Spec in Go. It composes the canonical text form and
// parses it, so a built Spec always equals Parse of its text, and it is
// validated by the same rules. Builders are values: each method returns a
// changed copy. Errors surface in Spec.
//
//	spec, err := schedule.Weekly(time.Monday, time.Friday).At(4, 10).In(berlin).Jitter(time.Minute).Spec()
type Builder struct {
	base   string   // "every 2h", "every day", "cron 0 4 * * *", ...
	offset string   // ":30" of an aligned interval
	clocks []string // "03:00", ... of a calendar spec
	zone   string
	mods   modifiers
	err    error
}

// modifiers are the builder's jitter, until and times.
type modifiers struct {
	jitter time.Duration
	until  time.Time
	times  int
}

// Every repeats at a fixed interval d: `every <d>`.
func Every(d time.Duration) Builder { return Builder{base: "every " + formatDuration(d)} }

// Daily runs every day at the times given with At: `every day at ...`.
// Without At it runs at midnight.
func Daily() Builder { return Builder{base: "every day"} }

// Weekly runs on the given weekdays at the times given with At:
// `every monday,friday at ...`.
func Weekly(days ...time.Weekday) Builder {
	var set uint8
	for _, d := range days {
		set |= 1 << (d % 7)
	}
	if set == 0 {
		return Builder{err: fmt.Errorf("%w: Weekly needs at least one weekday", ErrBadSpec)}
	}
	return Builder{base: "every " + formatDays(set)}
}

// Cron runs on a cron expression of 5 or 6 fields, optionally followed by
// an IANA zone: `cron <expr>`.
func Cron(expr string) Builder {
	s, err := Parse("cron " + expr)
	if err == nil && (s.jitter != 0 || s.times != 0 || !s.until.IsZero()) {
		err = fmt.Errorf("%w: cron expression %q has modifiers; use the Builder methods", ErrBadSpec, expr)
	}
	return Builder{base: s.String(), err: err}
}

// Rate runs hz times per second on a fixed grid: `rate <hz>hz`.
func Rate(hz float64) Builder {
	return Builder{base: "rate " + strconv.FormatFloat(hz, 'f', -1, 64) + "hz"}
}

// RatePer runs n times per d on a fixed grid: `rate <n>/<d>`.
func RatePer(n int, d time.Duration) Builder {
	return Builder{base: fmt.Sprintf("rate %d/%s", n, formatDuration(d))}
}

// After runs once, d after it is first scheduled: `in <d>`.
func After(d time.Duration) Builder { return Builder{base: "in " + formatDuration(d)} }

// On runs once at t: `at <RFC3339>`.
func On(t time.Time) Builder { return Builder{base: "at " + t.UTC().Format(time.RFC3339Nano)} }

// Between repeats after a random interval in [lo, hi]: `between <lo> and <hi>`.
func Between(lo, hi time.Duration) Builder {
	return Builder{base: "between " + formatDuration(lo) + " and " + formatDuration(hi)}
}

// AtMinute aligns an interval to minute m of the grid that starts at local
// midnight: Every(2*time.Hour).AtMinute(30) is `every 2h at :30`.
func (b Builder) AtMinute(m int) Builder { return b.Offset(time.Duration(m) * time.Minute) }

// Offset aligns an interval to local midnight plus d (whole seconds):
// `every 1h at :MM:SS`.
func (b Builder) Offset(d time.Duration) Builder {
	b.offset = formatOffset(d)
	return b
}

// At adds a time of day to a Daily or Weekly spec; call it again for more.
func (b Builder) At(hour, minute int) Builder { return b.AtClock(hour, minute, 0) }

// AtClock adds a time of day with seconds to a Daily or Weekly spec.
func (b Builder) AtClock(hour, minute, second int) Builder {
	clock := fmt.Sprintf("%02d:%02d", hour, minute)
	if second != 0 {
		clock += fmt.Sprintf(":%02d", second)
	}
	b.clocks = append(b.clocks[:len(b.clocks):len(b.clocks)], clock)
	return b
}

// In sets the time zone of a calendar, cron or aligned interval spec; it
// must be an IANA zone (time.LoadLocation). Default: time.Local.
func (b Builder) In(loc *time.Location) Builder {
	b.zone = ""
	if loc != nil && loc != time.Local {
		b.zone = loc.String()
	}
	return b
}

// Jitter adds a random delay in [0, d) to each run (the engine applies it).
func (b Builder) Jitter(d time.Duration) Builder { b.mods.jitter = d; return b }

// Until ends the schedule after t.
func (b Builder) Until(t time.Time) Builder { b.mods.until = t; return b }

// Times ends the schedule after n runs.
func (b Builder) Times(n int) Builder { b.mods.times = n; return b }

// Text returns the spec text the builder composes.
func (b Builder) Text() string {
	var sb strings.Builder
	sb.WriteString(b.base)
	if b.offset != "" {
		sb.WriteString(" at " + b.offset)
	}
	if len(b.clocks) > 0 {
		sb.WriteString(" at " + strings.Join(b.clocks, ","))
	}
	if b.zone != "" {
		sb.WriteString(" " + b.zone)
	}
	b.mods.write(&sb)
	return sb.String()
}

// write appends the modifiers that are set in text form; zero or negative
// values are written too, so that Spec reports them.
func (m modifiers) write(sb *strings.Builder) {
	if m.jitter != 0 {
		sb.WriteString(" jitter " + formatDuration(m.jitter))
	}
	if !m.until.IsZero() {
		sb.WriteString(" until " + m.until.UTC().Format(time.RFC3339Nano))
	}
	if m.times != 0 {
		sb.WriteString(" times " + strconv.Itoa(m.times))
	}
}

// Spec validates the built schedule and returns it. Errors match ErrBadSpec.
func (b Builder) Spec() (Spec, error) {
	if b.err != nil {
		return Spec{}, b.err
	}
	return Parse(b.Text())
}

// MustSpec is Spec that panics on error, for schedules fixed in code.
func (b Builder) MustSpec() Spec {
	s, err := b.Spec()
	if err != nil {
		panic(err)
	}
	return s
}
