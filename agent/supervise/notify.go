package supervise

import (
	"context"
	"fmt"
	"log/slog"
	"sync"

	"github.com/drover-iot/drover/fleet"
)

// changedLocked wakes everyone waiting for a change and schedules the
// change hook. The caller holds s.mu.
func (s *Supervisor) changedLocked() {
	close(s.changed)
	s.changed = make(chan struct{})
	s.notify.poke()
}

// WaitFor blocks until the unit named name satisfies cond, and returns
// its status then. It fails when the unit does not exist (or is deleted
// while waiting) or ctx ends.
func (s *Supervisor) WaitFor(ctx context.Context, name string, cond func(fleet.Unit) bool) (fleet.Unit, error) {
	for {
		s.mu.Lock()
		u, ok := s.units[name]
		var st fleet.Unit
		if ok {
			st = u.snapshot()
		}
		ch := s.changed
		s.mu.Unlock()
		if !ok {
			return st, fmt.Errorf("%w: no unit named %q", ErrNotFound, name)
		}
		if cond(st) {
			return st, nil
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return st, fmt.Errorf("supervise: waiting for %q (state %s): %w", name, st.State, ctx.Err())
		}
	}
}

// InState returns a condition for WaitFor that holds in any of states.
func InState(states ...fleet.UnitState) func(fleet.Unit) bool {
	return func(u fleet.Unit) bool {
		for _, st := range states {
			if u.State == st {
				return true
			}
		}
		return false
	}
}

// notifier calls fn after changes, coalesced: at most one goroutine runs
// fn at a time, and changes made while it runs give one more call.
type notifier struct {
	fn   func()
	log  *slog.Logger
	mu   sync.Mutex
	busy chan struct{} // non-nil while a goroutine runs; closed when it ends
	more bool
}

func (n *notifier) poke() {
	if n.fn == nil {
		return
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.busy != nil {
		n.more = true
		return
	}
	n.busy = make(chan struct{})
	go n.run(n.busy)
}

func (n *notifier) run(done chan struct{}) {
	defer close(done)
	for {
		safeCall(n.log, "on-change", "", n.fn)
		n.mu.Lock()
		if !n.more {
			n.busy = nil
			n.mu.Unlock()
			return
		}
		n.more = false
		n.mu.Unlock()
	}
}

// idle returns a channel closed once no notification goroutine runs.
func (n *notifier) idle() <-chan struct{} {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.busy == nil {
		ch := make(chan struct{})
		close(ch)
		return ch
	}
	return n.busy
}
