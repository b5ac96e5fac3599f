package schedule

import (
	"math/rand/v2"
	"testing"
	"time"
)

func TestIntervalNext(t *testing.T) {
	runNextTable(t, []nextCase{
		{"every first run", "every 10s", "", "2026-05-01T10:00:00.5Z", "2026-05-01T10:00:10.5Z"},
		{"every on time", "every 10s", "2026-05-01T10:00:00Z", "2026-05-01T10:00:00Z", "2026-05-01T10:00:10Z"},
		{"every late skips to one slot", "every 10s", "2026-05-01T10:00:00Z", "2026-05-01T10:00:35Z", "2026-05-01T10:00:40Z"},
		{"every clock jump forward", "every 10s", "2026-05-01T10:00:00Z", "2026-05-02T10:00:01Z", "2026-05-02T10:00:10Z"},
		{"every clock went back", "every 10s", "2026-05-01T10:00:00Z", "2026-05-01T09:59:35Z", "2026-05-01T09:59:40Z"},
		{"every days", "every 2d", "2026-05-01T10:00:00Z", "2026-05-01T10:00:00Z", "2026-05-03T10:00:00Z"},
		{"every 2 weeks", "every 2 weeks", "2026-05-01T10:00:00Z", "2026-05-01T10:00:00Z", "2026-05-15T10:00:00Z"},
		{"aligned first", "every 2h at :30 UTC", "", "2026-05-01T09:00:00Z", "2026-05-01T10:30:00Z"},
		{"aligned after midnight", "every 2h at :30 UTC", "", "2026-05-01T00:10:00Z", "2026-05-01T00:30:00Z"},
		{"aligned on slot", "every 2h at :30 UTC", "", "2026-05-01T10:30:00Z", "2026-05-01T12:30:00Z"},
		{"aligned zone", "every 2h at :30 Europe/Berlin", "", "2026-03-01T09:00:00+01:00", "2026-03-01T10:30:00+01:00"},
		{"aligned across DST keeps spacing", "every 2h at :30 Europe/Berlin", "", "2026-03-29T00:40:00+01:00", "2026-03-29T03:30:00+02:00"},
		{"aligned with prev", "every 2h at :30 Europe/Berlin", "2026-03-29T03:30:00+02:00", "2026-03-29T03:30:00+02:00", "2026-03-29T05:30:00+02:00"},
		{"aligned seconds", "every 1m at :00:15 UTC", "", "2026-05-01T10:00:20Z", "2026-05-01T10:01:15Z"},
		{"in first", "in 30s", "", "2026-05-01T10:00:00Z", "2026-05-01T10:00:30Z"},
		{"in done", "in 30s", "2026-05-01T10:00:30Z", "2026-05-01T10:00:30Z", ""},
		{"at future", "at 2026-12-01T10:00:00Z", "", "2026-05-01T10:00:00Z", "2026-12-01T10:00:00Z"},
		{"at past", "at 2026-12-01T10:00:00Z", "", "2026-12-01T10:00:00Z", ""},
		{"at done", "at 2026-12-01T10:00:00Z", "2026-12-01T10:00:00Z", "2026-11-01T10:00:00Z", ""},
		{"until allows equal", "every 1h until 2026-05-01T12:00:00Z", "2026-05-01T11:00:00Z", "2026-05-01T11:00:00Z", "2026-05-01T12:00:00Z"},
		{"until passed", "every 1h until 2026-05-01T12:00:00Z", "2026-05-01T12:00:00Z", "2026-05-01T12:00:00Z", ""},
		{"rate first slot", "rate 10hz", "", "2026-05-01T10:00:00.05Z", "2026-05-01T10:00:00.1Z"},
		{"rate late one slot", "rate 10hz", "2026-05-01T10:00:00.1Z", "2026-05-01T10:00:03.55Z", "2026-05-01T10:00:03.6Z"},
		{"rate slow", "rate 0.5hz", "", "2026-05-01T10:00:01Z", "2026-05-01T10:00:02Z"},
		{"rate per", "rate 1/300ms", "", "2026-05-01T10:00:00Z", "2026-05-01T10:00:00.3Z"},
	})
}

// TestRateNoDrift runs rates whose period is not a whole number of
// nanoseconds for an hour of slots: the last slot is exactly one hour after
// the first. Adding a rounded period would be off by microseconds.
func TestRateNoDrift(t *testing.T) {
	cases := []struct {
		spec  string
		slots int
	}{
		{"rate 10hz", 36000},
		{"rate 3hz", 3 * 3600},
		{"rate 7hz", 7 * 3600},
		{"rate 0.3hz", 1080},
		{"rate 100hz", 360000},
	}
	start := time.Date(2026, 5, 1, 10, 0, 0, 123, time.UTC)
	for _, tc := range cases {
		t.Run(tc.spec, func(t *testing.T) {
			s := MustParse(tc.spec)
			anchor := s.Next(time.Time{}, start, nil)
			next := anchor
			for i := 0; i < tc.slots; i++ {
				next = s.Next(next, next, nil)
			}
			if want := anchor.Add(time.Hour); !next.Equal(want) {
				t.Fatalf("after %d slots: %v, want %v (drift %v)", tc.slots, next, want, next.Sub(want))
			}
		})
	}
}

// TestWithPeriod changes the period of running specs.
func TestWithPeriod(t *testing.T) {
	cases := []struct {
		spec string
		d    time.Duration
		want string
	}{
		{"rate 10hz", 50 * time.Millisecond, "rate 20hz"},
		{"rate 10hz", 300 * time.Millisecond, "rate 1/300ms"},
		{"every 10s jitter 1s", time.Minute, "every 1m jitter 1s"},
		{"every 2h at :30 UTC", time.Hour, "every 1h at :30 UTC"},
		{"every 2h at :30 UTC", 20 * time.Minute, "every 20m at :10 UTC"},
		{"every day at 03:00 UTC", time.Hour, "every day at 03:00 UTC"},
		{"rate 10hz", 0, "rate 10hz"},
	}
	for _, tc := range cases {
		s := MustParse(tc.spec).WithPeriod(tc.d)
		if s.String() != tc.want {
			t.Errorf("%q.WithPeriod(%v) = %q, want %q", tc.spec, tc.d, s, tc.want)
		}
		if back := MustParse(s.String()); back != s {
			t.Errorf("%q does not parse back to itself", s)
		}
	}
	s := MustParse("rate 10hz").WithPeriod(50 * time.Millisecond)
	now := time.Date(2026, 5, 1, 10, 0, 0, 10_000_000, time.UTC)
	if got, want := s.Next(time.Time{}, now, nil), now.Add(40*time.Millisecond); !got.Equal(want) || s.Period() != 50*time.Millisecond {
		t.Fatalf("after WithPeriod: next %v (want %v), period %v", got, want, s.Period())
	}
}

// TestBetween draws `between 5m and 10m` intervals: all within the bounds,
// spread over them, and the same for the same seed.
func TestBetween(t *testing.T) {
	s := MustParse("between 5m and 10m")
	now := time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC)
	r := rand.New(rand.NewPCG(1, 2))
	lo, hi := time.Duration(1<<62), time.Duration(0)
	for i := 0; i < 1000; i++ {
		d := s.Next(time.Time{}, now, r).Sub(now)
		if d < 5*time.Minute || d > 10*time.Minute {
			t.Fatalf("interval %v outside [5m,10m]", d)
		}
		lo, hi = min(lo, d), max(hi, d)
	}
	if lo > 6*time.Minute || hi < 9*time.Minute {
		t.Fatalf("intervals not spread: min %v max %v", lo, hi)
	}
	a := s.Next(time.Time{}, now, rand.New(rand.NewPCG(7, 7)))
	b := s.Next(time.Time{}, now, rand.New(rand.NewPCG(7, 7)))
	if !a.Equal(b) {
		t.Fatalf("same seed gave %v and %v", a, b)
	}
	if exact := MustParse("between 1m and 1m").Next(time.Time{}, now, nil); !exact.Equal(now.Add(time.Minute)) {
		t.Fatalf("between 1m and 1m = %v", exact)
	}
}
