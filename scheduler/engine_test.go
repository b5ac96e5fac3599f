package scheduler

import (
	"context"
	"errors"
	"testing"
	"time"
)

func sec(n int) time.Duration { return time.Duration(n) * time.Second }

func TestFiresOnGridWithoutLateness(t *testing.T) {
	h := newHarness(t)
	h.register("noop")
	h.add(JobDef{Name: "tick", Spec: "every 10s", Handler: "noop"})
	h.start()
	for i := 1; i <= 3; i++ {
		h.advance(sec(10))
		r := h.report()
		if want := t0.Add(sec(10 * i)); !r.Nominal.Equal(want) || r.Lateness != 0 || r.Err != nil {
			t.Fatalf("run %d: %+v, want nominal %v, no lateness", i, r, want)
		}
	}
	st := h.status("tick")
	if st.Runs != 3 || !st.NextRun.Equal(t0.Add(sec(40))) || !st.LastRun.Equal(t0.Add(sec(30))) {
		t.Errorf("status = %+v", st)
	}
}

func TestClockJumpForwardRunsOnce(t *testing.T) {
	h := newHarness(t)
	h.register("noop")
	h.add(JobDef{Name: "tick", Spec: "every 10s", Handler: "noop"})
	h.start()
	h.advance(time.Hour + sec(5))
	r := h.report()
	if !r.Nominal.Equal(t0.Add(sec(10))) || r.Lateness != time.Hour-sec(5) {
		t.Errorf("report = %+v", r)
	}
	h.noReport()
	if st := h.status("tick"); st.Runs != 1 || !st.NextNominal.Equal(t0.Add(time.Hour+sec(10))) {
		t.Errorf("after jump: runs %d next %v", st.Runs, st.NextNominal)
	}
}

func TestOverlapPolicies(t *testing.T) {
	tests := []struct {
		overlap      Overlap
		max          int
		wantStarted  int // runs started while the first still runs
		wantSkips    uint64
		wantPending  int
		wantAfterAll uint64 // runs once everything is released
	}{
		{OverlapSkip, 0, 1, 3, 0, 1},
		{OverlapQueue, 0, 1, 2, 1, 2},
		{OverlapConcurrent, 2, 2, 2, 0, 2},
		{OverlapConcurrent, 0, 4, 0, 0, 4},
	}
	for _, tt := range tests {
		t.Run(string(tt.overlap), func(t *testing.T) {
			h := newHarness(t)
			g := newGate()
			h.reg.MustRegister("slow", g.handler)
			h.add(JobDef{Name: "j", Spec: "every 10s", Handler: "slow", Overlap: tt.overlap, MaxConcurrent: tt.max})
			h.start()
			for range 4 {
				h.advance(sec(10))
			}
			for range tt.wantStarted {
				g.waitStarted(t)
			}
			for range tt.wantSkips {
				if r := h.report(); !r.Skipped {
					t.Fatalf("want a skip report, got %+v", r)
				}
			}
			st := h.status("j")
			if st.Running != tt.wantStarted || st.Skips != tt.wantSkips || st.Pending != tt.wantPending {
				t.Fatalf("status running %d skips %d pending %d", st.Running, st.Skips, st.Pending)
			}
			for range tt.wantAfterAll {
				g.release <- struct{}{}
			}
			for range tt.wantAfterAll {
				if r := h.report(); r.Skipped || r.Err != nil {
					t.Fatalf("want a run report, got %+v", r)
				}
			}
			if st := h.status("j"); st.Runs != tt.wantAfterAll || st.Running != 0 {
				t.Errorf("after release: %+v", st)
			}
		})
	}
}

func TestRunTimeout(t *testing.T) {
	h := newHarness(t)
	g := newGate()
	h.reg.MustRegister("slow", g.handler)
	h.add(JobDef{Name: "j", Spec: "every 1m", Handler: "slow", Timeout: Duration(sec(5))})
	h.start()
	h.advance(time.Minute)
	g.waitStarted(t)
	h.advance(sec(5))
	r := h.report()
	if !errors.Is(r.Err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want deadline exceeded", r.Err)
	}
	if st := h.status("j"); st.Failures != 1 || st.LastError == "" {
		t.Errorf("status = %+v", st)
	}
}

func TestCancelFromHandler(t *testing.T) {
	tests := []struct {
		name string
		h    Handler
	}{
		{"return ErrCancelJob", func(context.Context, Run) error { return ErrCancelJob }},
		{"wrapped ErrCancelJob", func(context.Context, Run) error { return errors.Join(errors.New("done"), ErrCancelJob) }},
		{"run.CancelJob", func(_ context.Context, r Run) error { r.CancelJob(); return nil }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			h.reg.MustRegister("h", tt.h)
			h.add(JobDef{Name: "j", Spec: "every 10s", Handler: "h"})
			h.start()
			h.advance(sec(10))
			h.report()
			if _, ok := h.s.Job("j"); ok {
				t.Fatal("job still exists after cancelling itself")
			}
			h.advance(sec(10))
			h.noReport()
			if !h.s.IdleUntil().IsZero() {
				t.Error("IdleUntil not zero with no jobs")
			}
		})
	}
}

func TestSchedulesThatEnd(t *testing.T) {
	tests := []struct {
		spec     string
		advances int
		wantRuns int
	}{
		{"every 10s times 3", 6, 3},
		{"every 10s until 2026-01-05T10:00:25Z", 6, 2},
		{"in 30s", 6, 1},
		{"at 2026-01-05T10:00:20Z", 6, 1},
	}
	for _, tt := range tests {
		t.Run(tt.spec, func(t *testing.T) {
			h := newHarness(t)
			h.register("noop")
			h.add(JobDef{Name: "j", Spec: tt.spec, Handler: "noop"})
			h.start()
			for range tt.advances {
				h.advance(sec(10))
			}
			for range tt.wantRuns {
				h.report()
			}
			h.noReport()
			if _, ok := h.s.Job("j"); ok {
				t.Error("job still exists after its schedule ended")
			}
		})
	}
}

func TestHandlerPanicIsAFailure(t *testing.T) {
	h := newHarness(t)
	h.reg.MustRegister("boom", func(context.Context, Run) error { panic("kaput") })
	h.add(JobDef{Name: "j", Spec: "every 10s", Handler: "boom"})
	h.start()
	h.advance(sec(10))
	if r := h.report(); !errors.Is(r.Err, ErrPanic) {
		t.Fatalf("err = %v, want ErrPanic", r.Err)
	}
	if st := h.status("j"); st.Failures != 1 || !st.NextRun.Equal(t0.Add(sec(20))) {
		t.Errorf("status = %+v", st)
	}
}

func TestRemoveCancelsRunningRun(t *testing.T) {
	h := newHarness(t)
	g := newGate()
	h.reg.MustRegister("slow", g.handler)
	h.add(JobDef{Name: "j", Spec: "every 10s", Handler: "slow", Tags: []string{"x"}})
	h.start()
	h.advance(sec(10))
	g.waitStarted(t)
	if n, err := h.s.RemoveTag("x"); n != 1 || err != nil {
		t.Fatalf("RemoveTag = %d, %v", n, err)
	}
	if r := h.report(); !errors.Is(r.Err, context.Canceled) {
		t.Errorf("err = %v, want canceled", r.Err)
	}
	if err := h.s.Remove("j"); !errors.Is(err, ErrNotFound) {
		t.Errorf("second Remove = %v, want ErrNotFound", err)
	}
}
