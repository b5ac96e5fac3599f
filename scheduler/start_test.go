package scheduler

import (
	"context"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"
)

// timerSet reports whether clock has at least one timer waiting right now,
// without waiting for one: BlockUntilContext answers from its fast path
// before it looks at the (already cancelled) context.
func timerSet(clock *clockwork.FakeClock) bool {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	return clock.BlockUntilContext(ctx, 1) == nil
}

// TestStartedMeansTimerArmed checks that Started is closed only once the
// engine's timer is armed for the jobs it starts with, so that a fake
// clock advanced right after Started fires them. Closing it earlier let
// an Advance land between the engine reading the time and setting its
// timer, which then fired a whole advance late ("run did not start").
func TestStartedMeansTimerArmed(t *testing.T) {
	tests := []struct {
		name  string
		setup func(t *testing.T) *harness
	}{
		{"added before Run", func(t *testing.T) *harness {
			h := newHarness(t)
			h.register("noop")
			h.add(JobDef{Name: "j", Spec: "every 1m", Handler: "noop"})
			return h
		}},
		{"restored from the store", func(t *testing.T) *harness {
			st := State{Version: StateVersion, Jobs: []JobRecord{
				{Def: JobDef{Name: "j", Spec: "every 1m", Handler: "noop"}, NextNominal: t0.Add(time.Minute)},
			}}
			h, _ := restartWith(t, st, t0)
			h.register("noop")
			return h
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := tt.setup(t)
			h.start() // returns as soon as Started is closed
			if !timerSet(h.clock) {
				t.Fatal("Started closed before the engine armed its timer")
			}
			h.advance(time.Minute)
			if r := h.report(); r.Job != "j" || !r.Nominal.Equal(t0.Add(time.Minute)) {
				t.Errorf("report = %+v, want j at %v", r, t0.Add(time.Minute))
			}
		})
	}
}
