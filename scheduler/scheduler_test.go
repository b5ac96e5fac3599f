package scheduler

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// t0 is the fake clock's start: a Monday, on a 10 s grid.
var t0 = time.Date(2026, 1, 5, 10, 0, 0, 0, time.UTC)

// guard bounds every wait in tests so a bug fails instead of hanging. It
// is a safety net, never a synchronisation.
const guard = 10 * time.Second

// harness runs a Scheduler on a fake clock and collects observer reports.
type harness struct {
	t       *testing.T
	clock   *clockwork.FakeClock
	reg     *Registry
	s       *Scheduler
	reports chan RunReport
	cancel  context.CancelFunc
	done    chan error
}

func newHarness(t *testing.T, opts ...Option) *harness {
	t.Helper()
	h := &harness{
		t:       t,
		clock:   clockwork.NewFakeClockAt(t0),
		reg:     NewRegistry(),
		reports: make(chan RunReport, 1024),
	}
	base := []Option{
		WithClock(h.clock),
		WithObserver(func(r RunReport) { h.reports <- r }),
	}
	h.s = New(h.reg, append(base, opts...)...)
	return h
}

// start runs the scheduler; the test's cleanup stops it.
func (h *harness) start() {
	ctx, cancel := context.WithCancel(context.Background())
	h.cancel, h.done = cancel, make(chan error, 1)
	go func() { h.done <- h.s.Run(ctx) }()
	h.t.Cleanup(func() { _ = h.stop() })
	// A call returns only once Run serves requests.
	h.waitRunning()
}

// waitRunning returns once Run is serving requests.
func (h *harness) waitRunning() {
	select {
	case <-h.s.Started():
	case <-time.After(guard):
		h.t.Fatal("scheduler did not start")
	}
}

// stop cancels Run and returns its error (once).
func (h *harness) stop() error {
	if h.cancel == nil {
		return nil
	}
	h.cancel()
	h.cancel = nil
	select {
	case err := <-h.done:
		return err
	case <-time.After(guard):
		h.t.Fatal("Run did not return")
		return nil
	}
}

// report waits for the next observer report.
func (h *harness) report() RunReport {
	h.t.Helper()
	select {
	case r := <-h.reports:
		return r
	case <-time.After(guard):
		h.t.Fatal("no run report")
		return RunReport{}
	}
}

// noReport asserts that no report is waiting right now. The engine has
// settled when a call returns, so pending reports would already be queued
// or running; the status call flushes the owner first.
func (h *harness) noReport() {
	h.t.Helper()
	h.s.Jobs()
	select {
	case r := <-h.reports:
		h.t.Fatalf("unexpected report %+v", r)
	default:
	}
}

// register adds a handler that signals each run on the returned channel.
func (h *harness) register(name string) chan Run {
	ch := make(chan Run, 1024)
	h.reg.MustRegister(name, func(_ context.Context, r Run) error {
		ch <- r
		return nil
	})
	return ch
}

// add adds a job and fails the test on error.
func (h *harness) add(def JobDef) {
	h.t.Helper()
	if err := h.s.Add(def); err != nil {
		h.t.Fatalf("Add(%+v): %v", def, err)
	}
}

// status returns a job's status, failing when it does not exist.
func (h *harness) status(name string) JobStatus {
	h.t.Helper()
	st, ok := h.s.Job(name)
	if !ok {
		h.t.Fatalf("job %q not found", name)
	}
	return st
}

// gate is a handler that blocks each run until released, and tells when
// a run started.
type gate struct {
	started chan Run
	release chan struct{}
	mu      sync.Mutex
}

func newGate() *gate {
	return &gate{started: make(chan Run, 64), release: make(chan struct{}, 64)}
}

func (g *gate) handler(ctx context.Context, r Run) error {
	g.started <- r
	select {
	case <-g.release:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (g *gate) waitStarted(t *testing.T) Run {
	t.Helper()
	select {
	case r := <-g.started:
		return r
	case <-time.After(guard):
		t.Fatal("run did not start")
		return Run{}
	}
}

func TestAddBeforeRunAndErrors(t *testing.T) {
	h := newHarness(t)
	h.register("noop")
	h.add(JobDef{Name: "a", Spec: "every 10s", Handler: "noop"})
	tests := []struct {
		name string
		def  JobDef
		want error
	}{
		{"duplicate", JobDef{Name: "a", Spec: "every 10s", Handler: "noop"}, ErrExists},
		{"unknown handler", JobDef{Name: "b", Spec: "every 10s", Handler: "nope"}, ErrUnknownHandler},
		{"bad spec", JobDef{Name: "c", Spec: "every ten", Handler: "noop"}, ErrInvalidJob},
		{"bad name", JobDef{Name: "a/b", Spec: "every 10s", Handler: "noop"}, ErrInvalidJob},
		{"bad overlap", JobDef{Name: "d", Spec: "every 10s", Handler: "noop", Overlap: "maybe"}, ErrInvalidJob},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := h.s.Add(tt.def); !errors.Is(err, tt.want) {
				t.Errorf("Add = %v, want %v", err, tt.want)
			}
		})
	}
	if got := h.s.IdleUntil(); !got.Equal(t0.Add(10 * time.Second)) {
		t.Errorf("IdleUntil before Run = %v", got)
	}
	h.start()
	h.advance(10 * time.Second)
	if r := h.report(); r.Job != "a" || !r.Nominal.Equal(t0.Add(10*time.Second)) {
		t.Errorf("report = %+v", r)
	}
}

// advance moves the fake clock, then makes a call so the owner goroutine
// has handled any expiry and re-armed its timer before the test goes on.
func (h *harness) advance(d time.Duration) {
	h.clock.Advance(d)
	h.s.IdleUntil()
}
