package supervise

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/drover-iot/drover/fleet"
)

// TestTenThousandTasks adds, starts and stops 10,000 tasks from many
// goroutines at once; all must end stopped and no goroutine may leak
// (goleak in TestMain).
func TestTenThousandTasks(t *testing.T) {
	const tasks, workers = 10_000, 32
	s, _ := newSup(t)
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	for w := range workers {
		wg.Go(func() {
			for i := w; i < tasks; i += workers {
				name := fmt.Sprintf("t%05d", i)
				if _, err := s.Add(TaskSpec{Name: name, Func: "block"}); err != nil {
					errs <- err
					return
				}
				ops := []func(string) ([]string, error){s.Stop, s.Start, s.Restart, s.Stop}
				for _, op := range ops[:1+i%len(ops)] {
					if _, err := op(name); err != nil {
						errs <- err
						return
					}
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if got, err := s.Stop("t*"); err != nil || len(got) != tasks {
		t.Fatalf("Stop(t*) matched %d, %v", len(got), err)
	}
	for i := range tasks {
		waitState(t, s, fmt.Sprintf("t%05d", i), fleet.UnitStopped)
	}
	if n := len(s.Units()); n != tasks {
		t.Fatalf("%d units, want %d", n, tasks)
	}
}

func TestShutdownTimeout(t *testing.T) {
	s, _ := newSup(t)
	release := make(chan struct{})
	stubborn := func(context.Context, *Ctl) (any, error) { <-release; return nil, nil }
	if err := s.Register("stubborn", stubborn); err != nil {
		t.Fatal(err)
	}
	name := mustAdd(t, s, TaskSpec{Name: "stubborn", Func: "stubborn"})
	mustAdd(t, s, TaskSpec{Name: "polite", Func: "block"})
	waitState(t, s, name, fleet.UnitRunning)
	waitState(t, s, "polite", fleet.UnitRunning)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := s.Shutdown(ctx)
	if !errors.Is(err, ErrShutdownTimeout) || !strings.Contains(err.Error(), "stubborn") {
		t.Fatalf("Shutdown = %v", err)
	}
	waitState(t, s, "polite", fleet.UnitStopped)
	if _, err := s.Add(TaskSpec{Name: "late", Func: "block"}); !errors.Is(err, ErrClosed) {
		t.Fatalf("Add after shutdown = %v", err)
	}
	close(release)
	u := waitState(t, s, name, fleet.UnitStopped)
	if u.Reason != ErrClosed.Error() {
		t.Fatalf("reason %q", u.Reason)
	}
}

func TestOnChangeCoalesced(t *testing.T) {
	var calls atomic.Int64
	seen := make(chan fleet.UnitState, 100)
	var s *Supervisor
	s, _ = newSup(t, WithOnChange(func() {
		calls.Add(1)
		if u, err := s.Unit("t"); err == nil {
			select {
			case seen <- u.State:
			default:
			}
		}
	}))
	mustAdd(t, s, TaskSpec{Name: "t", Func: "ok"})
	for st := range seen {
		if st == fleet.UnitDone {
			break
		}
	}
	if calls.Load() == 0 {
		t.Fatal("on-change never called")
	}
}

func TestCtlProcessDetails(t *testing.T) {
	s, _ := newSup(t)
	proceed := make(chan struct{})
	err := s.Register("proc", func(ctx context.Context, c *Ctl) (any, error) {
		c.SetPID(4242)
		<-proceed
		c.SetExit(0, "SIGKILL")
		return nil, errors.New("killed")
	})
	if err != nil {
		t.Fatal(err)
	}
	name := mustAdd(t, s, TaskSpec{Name: "p", Func: "proc"})
	waitFor(t, s, name, func(u fleet.Unit) bool { return u.PID == 4242 })
	close(proceed)
	u := waitState(t, s, name, fleet.UnitFailed)
	if u.Signal != "SIGKILL" || u.ExitCode != nil || u.Error != "killed" {
		t.Fatalf("process details: %+v", u)
	}
}
