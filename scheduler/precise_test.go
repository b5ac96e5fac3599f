package scheduler

import (
	"testing"
	"time"

	"github.com/jonboulle/clockwork"
)

const ms = time.Millisecond

func TestPreciseTimerDelay(t *testing.T) {
	sleep := func(time.Duration) {}
	tests := []struct {
		name   string
		p      precise
		until  time.Duration // wake time minus now
		wantIn time.Duration
	}{
		{"off: exact", precise{}, 10 * time.Second, 10 * time.Second},
		{"off: overdue", precise{}, -ms, 0},
		{"far: early by the margin", precise{margin: 2 * ms, sleep: sleep}, 10 * time.Second, 10*time.Second - 2*ms},
		{"far, no sleeper: early by the margin", precise{margin: 2 * ms}, 10 * time.Second, 10*time.Second - 2*ms},
		{"within the margin: at once, then sleep", precise{margin: 2 * ms, sleep: sleep}, ms, 0},
		{"within the margin, no sleeper: exact", precise{margin: 2 * ms}, ms, ms},
		{"at the margin, no sleeper: exact", precise{margin: 2 * ms}, 2 * ms, 2 * ms},
		{"overdue, no sleeper", precise{margin: 2 * ms}, -ms, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.p.timerDelay(t0.Add(tt.until), t0); got != tt.wantIn {
				t.Errorf("timerDelay = %v, want %v", got, tt.wantIn)
			}
		})
	}
}

func TestPreciseAwait(t *testing.T) {
	tests := []struct {
		name      string
		margin    time.Duration
		sleeper   bool
		rest      time.Duration // wake time minus now when the timer fired
		wantDue   bool
		wantSlept time.Duration
	}{
		{"due", 2 * ms, true, 0, true, 0},
		{"overdue", 2 * ms, true, -time.Hour, true, 0},
		{"early: waits the rest", 2 * ms, true, 1500 * time.Microsecond, true, 1500 * time.Microsecond},
		{"early, no sleeper: re-arm", 2 * ms, false, ms, false, 0},
		{"wall clock moved back: re-arm", 2 * ms, true, time.Hour, false, 0},
		{"off, wall clock moved back: re-arm", 0, false, time.Hour, false, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clock := clockwork.NewFakeClockAt(t0)
			p := precise{margin: tt.margin}
			var slept time.Duration
			if tt.sleeper {
				p.sleep = func(d time.Duration) { slept += d; clock.Advance(d) }
			}
			w := t0.Add(tt.rest)
			at, due := p.await(w, t0, clock)
			if due != tt.wantDue || slept != tt.wantSlept {
				t.Fatalf("await = %v, %v after sleeping %v; want due %v, slept %v", at, due, slept, tt.wantDue, tt.wantSlept)
			}
			if due && at.Before(w) {
				t.Errorf("await returned %v, before the wake time %v", at, w)
			}
		})
	}
}

func TestNewPreciseSleepsOnlyOnTheRealClock(t *testing.T) {
	tests := []struct {
		name       string
		clock      clockwork.Clock
		precision  time.Duration
		wantMargin time.Duration
		wantSleep  bool
	}{
		{"real clock", clockwork.NewRealClock(), 2 * ms, 2 * ms, preciseSleep != nil},
		{"fake clock", clockwork.NewFakeClock(), 2 * ms, 2 * ms, false},
		{"off", clockwork.NewRealClock(), 0, 0, false},
		{"negative is off", clockwork.NewRealClock(), -ms, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := defaultConfig()
			WithClock(tt.clock)(&cfg)
			WithPrecision(tt.precision)(&cfg)
			p := newPrecise(&cfg)
			if p.margin != tt.wantMargin || (p.sleep != nil) != tt.wantSleep {
				t.Errorf("newPrecise = margin %v, sleeper %v", p.margin, p.sleep != nil)
			}
		})
	}
}

// TestEngineWakesEarlyAndWaitsTheRest: the timer fires a margin before
// the job is due, the engine waits exactly the rest with the precise
// sleeper (here advancing the fake clock), and the job starts at its due
// time, not before.
func TestEngineWakesEarlyAndWaitsTheRest(t *testing.T) {
	h := newHarness(t, WithPrecision(3*ms))
	slept := make(chan time.Duration, 16)
	h.s.eng.precise.sleep = func(d time.Duration) {
		slept <- d
		h.clock.Advance(d)
	}
	h.register("noop")
	h.add(JobDef{Name: "tick", Spec: "every 10s", Handler: "noop"})
	h.start()
	for i := 1; i <= 3; i++ {
		h.clock.Advance(10*time.Second - 3*ms)
		r := h.report()
		due := t0.Add(sec(10 * i))
		if !r.Nominal.Equal(due) || !r.Started.Equal(due) || r.Lateness != 0 {
			t.Fatalf("run %d: %+v, want started at %v", i, r, due)
		}
		if d := <-slept; d != 3*ms {
			t.Fatalf("run %d: slept %v, want the margin 3ms", i, d)
		}
	}
}

// TestEngineFakeClockRearmsForTheRest: with no precise sleeper (a fake
// clock), the early wake re-arms the timer and nothing runs before the
// due time.
func TestEngineFakeClockRearmsForTheRest(t *testing.T) {
	h := newHarness(t)
	h.register("noop")
	h.add(JobDef{Name: "tick", Spec: "every 10s", Handler: "noop"})
	h.start()
	h.advance(10*time.Second - DefaultPrecision)
	h.noReport()
	h.advance(DefaultPrecision - 1)
	h.noReport()
	h.advance(1)
	if r := h.report(); !r.Started.Equal(t0.Add(sec(10))) || r.Lateness != 0 {
		t.Fatalf("report = %+v", r)
	}
	if st := h.status("tick"); st.Runs != 1 || !st.NextRun.Equal(t0.Add(sec(20))) {
		t.Errorf("status = %+v", st)
	}
}
