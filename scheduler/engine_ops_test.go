package scheduler

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/drover-iot/drover/scheduler/schedule"
)

func TestReschedule(t *testing.T) {
	tests := []struct {
		name     string
		from, to string
		wantNext time.Duration // after t0, once the first run at +10s happened
	}{
		{"period change keeps anchor", "every 10s", "every 25s", sec(35)},
		{"shorter period keeps anchor", "every 10s", "every 3s", sec(13)},
		{"other form starts afresh", "every 10s", "in 1m", sec(70)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			h.register("noop")
			h.add(JobDef{Name: "j", Spec: tt.from, Handler: "noop"})
			h.start()
			h.advance(sec(10))
			h.report()
			if err := h.s.Reschedule("j", schedule.MustParse(tt.to)); err != nil {
				t.Fatal(err)
			}
			st := h.status("j")
			if want := t0.Add(tt.wantNext); !st.NextNominal.Equal(want) || st.Spec != schedule.MustParse(tt.to).String() {
				t.Errorf("next %v spec %q, want %v %q", st.NextNominal, st.Spec, want, tt.to)
			}
		})
	}
}

func TestRateChangeWhileRunning(t *testing.T) {
	h := newHarness(t)
	h.register("noop")
	h.add(JobDef{Name: "r", Spec: "rate 1hz", Handler: "noop"})
	h.start()
	for i := 1; i <= 3; i++ {
		h.advance(sec(1))
		h.report()
	}
	if err := h.s.Reschedule("r", schedule.MustParse("rate 1hz").WithPeriod(500*time.Millisecond)); err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= 4; i++ {
		h.advance(500 * time.Millisecond)
		r := h.report()
		want := t0.Add(sec(3) + time.Duration(i)*500*time.Millisecond)
		if !r.Nominal.Equal(want) || r.Lateness != 0 {
			t.Fatalf("run %d after change: %+v, want nominal %v", i, r, want)
		}
	}
}

func TestPauseResume(t *testing.T) {
	h := newHarness(t)
	h.register("noop")
	h.add(JobDef{Name: "j", Spec: "every 10s", Handler: "noop"})
	h.start()
	h.advance(sec(10))
	h.report()
	if err := h.s.Pause("j"); err != nil {
		t.Fatal(err)
	}
	if st := h.status("j"); !st.Paused || !st.NextRun.IsZero() || !h.s.IdleUntil().IsZero() {
		t.Fatalf("paused status = %+v", st)
	}
	h.advance(sec(35))
	h.noReport()
	if err := h.s.Resume("j"); err != nil {
		t.Fatal(err)
	}
	if st := h.status("j"); !st.NextNominal.Equal(t0.Add(sec(50))) {
		t.Errorf("resumed next = %v, want the grid slot +50s", st.NextNominal)
	}
	if err := h.s.Pause("nope"); !errors.Is(err, ErrNotFound) {
		t.Errorf("Pause(nope) = %v", err)
	}
}

func TestRunNow(t *testing.T) {
	h := newHarness(t)
	g := newGate()
	h.reg.MustRegister("slow", g.handler)
	h.add(JobDef{Name: "j", Spec: "every 1h", Handler: "slow", Paused: true})
	if err := h.s.RunNow("j"); !errors.Is(err, ErrStopped) {
		t.Errorf("RunNow before Run = %v, want ErrStopped", err)
	}
	h.start()
	if err := h.s.RunNow("j"); err != nil {
		t.Fatal(err)
	}
	if r := g.waitStarted(t); !r.Manual || !r.Nominal.Equal(t0) {
		t.Errorf("manual run = %+v", r)
	}
	if err := h.s.RunNow("j"); !errors.Is(err, ErrBusy) {
		t.Errorf("RunNow while running = %v, want ErrBusy", err)
	}
	g.release <- struct{}{}
	if r := h.report(); !r.Manual {
		t.Errorf("report = %+v", r)
	}
}

func TestIdleUntil(t *testing.T) {
	tests := []struct {
		name  string
		specs []string
		want  time.Time
	}{
		{"no jobs", nil, time.Time{}},
		{"one job", []string{"every 1m"}, t0.Add(time.Minute)},
		{"earliest of several", []string{"every 1h", "in 30s", "every 5m"}, t0.Add(sec(30))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			h.register("noop")
			for i, s := range tt.specs {
				h.add(JobDef{Name: fmt.Sprint("j", i), Spec: s, Handler: "noop"})
			}
			h.start()
			if got := h.s.IdleUntil(); !got.Equal(tt.want) {
				t.Errorf("IdleUntil = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestJitterMovesFireNotGrid(t *testing.T) {
	h := newHarness(t, WithRand(rand.New(rand.NewPCG(1, 2))))
	h.register("noop")
	h.add(JobDef{Name: "j", Spec: "every 1m jitter 10s", Handler: "noop"})
	h.start()
	sawJitter := false
	for i := 1; i <= 5; i++ {
		st := h.status("j")
		want := t0.Add(time.Duration(i) * time.Minute)
		d := st.NextRun.Sub(st.NextNominal)
		if !st.NextNominal.Equal(want) || d < 0 || d >= sec(10) {
			t.Fatalf("slot %d: nominal %v fire %v", i, st.NextNominal, st.NextRun)
		}
		sawJitter = sawJitter || d > 0
		h.advance(st.NextRun.Sub(h.clock.Now()))
		if r := h.report(); !r.Nominal.Equal(want) || r.Lateness != d {
			t.Fatalf("slot %d report %+v", i, r)
		}
	}
	if !sawJitter {
		t.Error("no fire time was jittered")
	}
}

func TestStopTimeout(t *testing.T) {
	h := newHarness(t, WithStopTimeout(sec(3)))
	release := make(chan struct{})
	started := make(chan struct{})
	h.reg.MustRegister("stubborn", func(context.Context, Run) error {
		close(started)
		<-release // ignores its context
		return nil
	})
	h.add(JobDef{Name: "j", Spec: "in 1m", Handler: "stubborn"})
	h.start()
	h.advance(time.Minute)
	<-started
	errc := make(chan error, 1)
	go func() { errc <- h.s.Close() }()
	ctx, cancel := context.WithTimeout(context.Background(), guard)
	defer cancel()
	if err := h.clock.BlockUntilContext(ctx, 1); err != nil {
		t.Fatal("stop deadline timer never set")
	}
	h.clock.Advance(sec(3))
	if err := <-errc; !errors.Is(err, ErrStopTimeout) {
		t.Errorf("Close = %v, want ErrStopTimeout", err)
	}
	close(release)
	h.report()
	if err := h.s.Add(JobDef{Name: "k", Spec: "every 1s", Handler: "stubborn"}); !errors.Is(err, ErrStopped) {
		t.Errorf("Add after stop = %v, want ErrStopped", err)
	}
}

func TestConcurrentCallers(t *testing.T) {
	h := newHarness(t)
	h.register("noop")
	h.start()
	var wg sync.WaitGroup
	for w := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 50 {
				name := fmt.Sprintf("w%d-%d", w, i)
				_ = h.s.Add(JobDef{Name: name, Spec: "every 1s", Handler: "noop", Tags: []string{"t"}})
				_ = h.s.Jobs()
				_, _ = h.s.Job(name)
				if i%2 == 0 {
					_ = h.s.Remove(name)
				}
			}
		}()
	}
	wg.Wait()
	if n := len(h.s.Jobs()); n != 16*25 {
		t.Fatalf("jobs = %d, want %d", n, 16*25)
	}
	h.advance(sec(1))
	for range 16 * 25 {
		h.report()
	}
	if n, _ := h.s.RemoveTag("t"); n != 16*25 || len(h.s.Jobs()) != 0 {
		t.Errorf("RemoveTag = %d, left %d", n, len(h.s.Jobs()))
	}
}
