package supervise

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/drover-iot/drover/agent/supervise/restart"
	"github.com/drover-iot/drover/fleet"
)

func TestRestartModes(t *testing.T) {
	tests := []struct {
		mode    restart.Mode
		fn      string
		want    fleet.UnitState
		restart bool
	}{
		{restart.No, "ok", fleet.UnitDone, false},
		{restart.No, "fail", fleet.UnitFailed, false},
		{restart.OnFailure, "ok", fleet.UnitDone, false},
		{restart.OnFailure, "fail", fleet.UnitBackoff, true},
		{restart.OnFailure, "panic", fleet.UnitBackoff, true},
		{restart.Always, "ok", fleet.UnitBackoff, true},
		{restart.Always, "fail", fleet.UnitBackoff, true},
	}
	for _, tt := range tests {
		t.Run(string(tt.mode)+"/"+tt.fn, func(t *testing.T) {
			s, clock := newSup(t)
			name := mustAdd(t, s, TaskSpec{Name: "t", Func: tt.fn, Restart: restart.Policy{Mode: tt.mode}})
			u := waitState(t, s, name, tt.want)
			if got := u.NextStart != nil; got != tt.restart {
				t.Fatalf("next start %v, want restart %v", u.NextStart, tt.restart)
			}
			if !tt.restart {
				return
			}
			if want := clock.Now().Add(restart.DefaultInitial); !u.NextStart.Equal(want) {
				t.Fatalf("next start %v, want %v", u.NextStart, want)
			}
			if err := clock.BlockUntilContext(ctxT(t), 1); err != nil {
				t.Fatal(err)
			}
			clock.Advance(restart.DefaultInitial)
			waitFor(t, s, name, func(u fleet.Unit) bool { return u.Profile.Starts == 2 })
		})
	}
}

func TestBackoffTiming(t *testing.T) {
	s, clock := newSup(t)
	g := newGate()
	if err := s.Register("gate", g.fn); err != nil {
		t.Fatal(err)
	}
	p := restart.Policy{Mode: restart.OnFailure, Initial: time.Second, Max: 3 * time.Second, Burst: -1}
	name := mustAdd(t, s, TaskSpec{Name: "g", Func: "gate", Restart: p})
	for i, delay := range []time.Duration{time.Second, 2 * time.Second, 3 * time.Second, 3 * time.Second} {
		<-g.runs
		g.end <- errBoom
		u := waitState(t, s, name, fleet.UnitBackoff)
		if want := clock.Now().Add(delay); !u.NextStart.Equal(want) || u.Error != "boom" {
			t.Fatalf("failure %d: next start %v error %q, want %v", i, u.NextStart, u.Error, want)
		}
		if err := clock.BlockUntilContext(ctxT(t), 1); err != nil {
			t.Fatal(err)
		}
		clock.Advance(delay - time.Millisecond)
		if u, _ := s.Unit(name); u.State != fleet.UnitBackoff {
			t.Fatalf("failure %d: restarted before its delay: %s", i, u.State)
		}
		clock.Advance(time.Millisecond)
		waitFor(t, s, name, func(u fleet.Unit) bool { return u.Profile.Restarts == uint64(i+1) })
	}
	<-g.runs
}

func TestBurstLimit(t *testing.T) {
	s, clock := newSup(t)
	p := restart.Policy{Mode: restart.Always, Initial: time.Second, Burst: 3, Window: time.Minute, Jitter: -1}
	name := mustAdd(t, s, TaskSpec{Name: "crashy", Func: "fail", Restart: p})
	u := crashLoop(t, s, clock, name)
	if u.Profile.Starts != 3 || u.Reason != "start-limit-hit: 3 starts within 1m0s" || u.Error != "boom" {
		t.Fatalf("after crash loop: %+v", u)
	}
	if _, err := s.Start(name); err != nil {
		t.Fatal(err)
	}
	u = waitFor(t, s, name, func(u fleet.Unit) bool { return u.Profile.Starts == 4 })
	if u.State == fleet.UnitFailed && strings.HasPrefix(u.Reason, "start-limit-hit") {
		t.Fatalf("manual start did not reset the limit: %+v", u)
	}
	u = crashLoop(t, s, clock, name)
	if u.Profile.Starts != 6 {
		t.Fatalf("second crash loop: %d starts, want 6", u.Profile.Starts)
	}
}

// crashLoop advances the clock through each backoff until the unit fails.
func crashLoop(t *testing.T, s *Supervisor, clock interface {
	BlockUntilContext(context.Context, int) error
	Advance(time.Duration)
	Now() time.Time
}, name string) fleet.Unit {
	t.Helper()
	for {
		u := waitState(t, s, name, fleet.UnitBackoff, fleet.UnitFailed)
		if u.State == fleet.UnitFailed {
			return u
		}
		if err := clock.BlockUntilContext(ctxT(t), 1); err != nil {
			t.Fatal(err)
		}
		clock.Advance(u.NextStart.Sub(clock.Now()))
		waitFor(t, s, name, func(v fleet.Unit) bool { return v.Profile.Starts > u.Profile.Starts || v.State == fleet.UnitFailed })
	}
}

func TestWatchdog(t *testing.T) {
	s, clock := newSup(t)
	beat := make(chan chan struct{})
	err := s.Register("beater", func(ctx context.Context, c *Ctl) (any, error) {
		for {
			select {
			case ack := <-beat:
				c.Beat()
				close(ack)
			case <-ctx.Done():
				return nil, ctx.Err()
			}
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	name := mustAdd(t, s, TaskSpec{Name: "w", Func: "beater", Watchdog: 5 * time.Second})
	waitState(t, s, name, fleet.UnitRunning)
	step := func(d time.Duration) {
		if err := clock.BlockUntilContext(ctxT(t), 1); err != nil {
			t.Fatal(err)
		}
		clock.Advance(d)
	}
	step(3 * time.Second)
	ack := make(chan struct{})
	beat <- ack
	<-ack
	step(2 * time.Second) // fires at 5s, sees the beat of 3s ago, re-arms for 3s
	step(2 * time.Second)
	if u, _ := s.Unit(name); u.State != fleet.UnitRunning || u.Profile.WatchdogMisses != 0 {
		t.Fatalf("restarted despite heartbeat: %+v", u)
	}
	step(time.Second) // 5s after the beat
	u := waitState(t, s, name, fleet.UnitBackoff)
	if u.Profile.WatchdogMisses != 1 || !strings.HasPrefix(u.Reason, "watchdog: supervise: watchdog timeout") {
		t.Fatalf("after miss: %+v", u)
	}
	step(restart.DefaultInitial)
	u = waitFor(t, s, name, func(u fleet.Unit) bool { return u.Profile.Restarts == 1 })
	if u.State != fleet.UnitRunning {
		t.Fatalf("not running after watchdog restart: %+v", u)
	}
}
