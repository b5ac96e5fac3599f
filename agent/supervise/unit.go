package supervise

import (
	"context"
	"maps"
	"slices"
	"time"

	"github.com/drover-iot/drover/agent/supervise/restart"
	"github.com/drover-iot/drover/fleet"
)

// unit is one task or service. All fields are guarded by Supervisor.mu.
type unit struct {
	st       fleet.Unit
	fn       Func
	policy   restart.Policy
	limiter  *restart.Limiter
	attempt  int // restarts since the last healthy run, for backoff
	watchdog time.Duration
	onStop   StopHook
	onError  ErrorHook
	loop     *loop // non-nil while a run loop is alive
}

// loop is one life of a unit's run-loop goroutine, from a start request
// to the end of the last run. Fields are guarded by Supervisor.mu.
type loop struct {
	// ctx is the stop scope: cancelled by Stop, Delete, Disable and
	// Shutdown, it ends the loop. Its cause says why.
	ctx    context.Context
	cancel context.CancelCauseFunc
	// runCancel ends the current run only (restart request, watchdog);
	// nil while in backoff.
	runCancel context.CancelCauseFunc
	restart   bool          // the current run is ended by a restart request
	wake      chan struct{} // ends a backoff wait early
	// startAgain asks for a new loop once this stopping one has ended.
	startAgain bool
}

// snapshot copies the unit's status; maps and slices are copied so the
// caller may keep and modify them.
func (u *unit) snapshot() fleet.Unit {
	st := u.st
	st.Args = maps.Clone(st.Args)
	st.Requires = slices.Clone(st.Requires)
	return st
}

// setStateLocked moves the unit to state at now.
func (s *Supervisor) setStateLocked(u *unit, state fleet.UnitState, now time.Time) {
	u.st.State, u.st.Since = state, now
	if state != fleet.UnitBackoff {
		u.st.NextStart = nil
	}
	s.changedLocked()
}

// startLocked starts the unit's run loop, or ends its backoff early when
// the loop is alive. A manual start resets the burst limit and backoff.
func (s *Supervisor) startLocked(u *unit, manual bool) {
	if manual {
		u.limiter.Reset()
		u.attempt = 0
	}
	if l := u.loop; l != nil {
		if l.ctx.Err() != nil {
			l.startAgain = true // stopping: start again once it has ended
			return
		}
		if u.st.State != fleet.UnitBackoff {
			return
		}
		select {
		case l.wake <- struct{}{}:
		default:
		}
		return
	}
	ctx, cancel := context.WithCancelCause(context.Background())
	l := &loop{ctx: ctx, cancel: cancel, wake: make(chan struct{}, 1)}
	u.loop = l
	s.active++
	s.setStateLocked(u, fleet.UnitPending, s.clock.Now())
	go s.runLoop(u, l)
}

// stopLocked cancels the unit's loop, if any, with cause.
func stopLocked(u *unit, cause error) {
	if u.loop != nil {
		u.loop.startAgain = false
		u.loop.cancel(cause)
	}
}

// restartLocked ends the current run so the loop starts a new one at
// once, or starts the unit when it is not running.
func (s *Supervisor) restartLocked(u *unit) {
	l := u.loop
	if l == nil || l.runCancel == nil || l.ctx.Err() != nil {
		s.startLocked(u, true)
		return
	}
	u.limiter.Reset()
	u.attempt = 0
	l.restart = true
	l.runCancel(errRestartRequested)
}
