package supervise

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"
	"go.uber.org/goleak"

	"github.com/drover-iot/drover/fleet"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// deadlock is only a safety net against a hung test, never a pass/fail
// timing threshold.
const deadlock = 30 * time.Second

var errBoom = errors.New("boom")

// newSup returns a supervisor on a fake clock with the test functions
// registered, shut down when the test ends.
func newSup(t *testing.T, opts ...Option) (*Supervisor, *clockwork.FakeClock) {
	t.Helper()
	clock := clockwork.NewFakeClockAt(time.Date(2026, 11, 21, 10, 0, 0, 0, time.UTC))
	opts = append([]Option{WithClock(clock), WithRand(func() float64 { return 0.5 })}, opts...)
	s := New(opts...)
	funcs := map[string]Func{
		"block": func(ctx context.Context, _ *Ctl) (any, error) {
			<-ctx.Done()
			return nil, ctx.Err()
		},
		"ok":    func(_ context.Context, c *Ctl) (any, error) { return c.Args()["v"], nil },
		"fail":  func(context.Context, *Ctl) (any, error) { return nil, errBoom },
		"panic": func(context.Context, *Ctl) (any, error) { panic("kaboom") },
	}
	for name, fn := range funcs {
		if err := s.Register(name, fn); err != nil {
			t.Fatal(err)
		}
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), deadlock)
		defer cancel()
		if err := s.Shutdown(ctx); err != nil {
			t.Errorf("Shutdown: %v", err)
		}
	})
	return s, clock
}

func ctxT(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), deadlock)
	t.Cleanup(cancel)
	return ctx
}

// waitFor waits until the unit satisfies cond and returns its status.
func waitFor(t *testing.T, s *Supervisor, name string, cond func(fleet.Unit) bool) fleet.Unit {
	t.Helper()
	u, err := s.WaitFor(ctxT(t), name, cond)
	if err != nil {
		t.Fatalf("waiting for %s: %v (status %+v)", name, err, u)
	}
	return u
}

func waitState(t *testing.T, s *Supervisor, name string, states ...fleet.UnitState) fleet.Unit {
	t.Helper()
	return waitFor(t, s, name, InState(states...))
}

func mustAdd(t *testing.T, s *Supervisor, spec TaskSpec) string {
	t.Helper()
	name, err := s.Add(spec)
	if err != nil {
		t.Fatalf("Add(%+v): %v", spec, err)
	}
	return name
}

// gate is a task function the test steps by hand: each value sent on
// its channel ends one run (nil: success).
type gate struct {
	runs chan *Ctl
	end  chan error
}

func newGate() *gate { return &gate{runs: make(chan *Ctl, 16), end: make(chan error)} }

func (g *gate) fn(ctx context.Context, c *Ctl) (any, error) {
	g.runs <- c
	select {
	case err := <-g.end:
		return "ended", err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}
