package supervise

import (
	"context"
	"errors"
	"time"

	"github.com/drover-iot/drover/fleet"
)

// Causes of a cancelled loop or run, recorded as the stopped unit's reason.
var (
	errStopRequested    = errors.New("stopped on request")
	errDeleted          = errors.New("deleted")
	errDisabled         = errors.New("disabled")
	errRestartRequested = errors.New("restart requested")
)

// runLoop is a unit's one goroutine: it runs the unit's function, and
// after each run either ends or waits out the backoff and runs it again.
func (s *Supervisor) runLoop(u *unit, l *loop) {
	defer s.loopEnded(u, l)
	for first := true; ; first = false {
		c, ctx, ok := s.beginRun(u, l, first)
		if !ok {
			return
		}
		out := callFunc(ctx, u.fn, c)
		c.wd.stop()
		delay, h := s.endRun(u, l, c, ctx, out)
		h.call(s.log)
		if delay < 0 || !s.waitBackoff(l, delay) {
			return
		}
	}
}

// beginRun moves the unit to running and returns the run's Ctl and
// context, or false when the loop was stopped or the burst limit is hit.
func (s *Supervisor) beginRun(u *unit, l *loop, first bool) (*Ctl, context.Context, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	select {
	case <-l.wake:
	default:
	}
	now := s.clock.Now()
	if l.ctx.Err() != nil {
		return nil, nil, false
	}
	if !u.limiter.Allow(now) {
		u.st.Reason = u.limiter.Reason()
		s.unitLog(u).Warn("unit failed", "reason", u.st.Reason)
		s.setStateLocked(u, fleet.UnitFailed, now)
		return nil, nil, false
	}
	ctx, cancel := context.WithCancelCause(l.ctx)
	l.runCancel, l.restart = cancel, false
	u.st.Profile.Starts++
	if !first {
		u.st.Profile.Restarts++
	}
	u.st.Result, u.st.Error, u.st.Stack, u.st.Reason = nil, "", "", ""
	u.st.ExitCode, u.st.Signal, u.st.PID = nil, "", 0
	u.st.StartedAt = &now
	s.setStateLocked(u, fleet.UnitRunning, now)
	c := s.newCtl(u, l)
	if u.watchdog > 0 {
		c.wd = startWatchdog(s.clock, u.watchdog, cancel)
	}
	return c, ctx, true
}

// endRun records how the run ended and decides what comes next: a
// negative delay ends the loop, otherwise the loop runs again after delay.
func (s *Supervisor) endRun(u *unit, l *loop, c *Ctl, ctx context.Context, out outcome) (time.Duration, hooks) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.clock.Now()
	ran := now.Sub(*u.st.StartedAt)
	u.st.Profile.RunTime += ran
	u.st.Profile.LastRunDuration = ran
	runCause := context.Cause(ctx)
	l.runCancel(nil)
	l.runCancel = nil
	u.st.Result = out.result
	switch {
	case l.ctx.Err() != nil:
		return -1, s.endStoppedLocked(u, context.Cause(l.ctx), out, now)
	case l.restart:
		recordUnlessCanceled(u, out)
		return 0, hooksFor(u, nil)
	}
	if errors.Is(runCause, ErrWatchdog) {
		u.st.Profile.WatchdogMisses++
		out.err, out.stack = runCause, ""
	}
	return s.endByItselfLocked(u, out, errors.Is(runCause, ErrWatchdog), ran, now)
}

// endByItselfLocked handles a run that returned, panicked or missed its
// watchdog: done or failed, then backoff when the policy restarts it.
func (s *Supervisor) endByItselfLocked(u *unit, out outcome, watchdog bool, ran time.Duration, now time.Time) (time.Duration, hooks) {
	failed := out.err != nil
	state := fleet.UnitDone
	if failed {
		state = fleet.UnitFailed
		s.recordErrorLocked(u, out)
		s.unitLog(u).Warn("unit failed", "err", out.err)
	}
	if watchdog {
		u.st.Reason = "watchdog: " + out.err.Error()
	}
	s.setStateLocked(u, state, now)
	h := hooksFor(u, out.err)
	if !watchdog && !u.policy.ShouldRestart(failed) {
		return -1, h
	}
	if ran >= u.policy.Window {
		u.attempt = 0 // it ran long enough to count as healthy
	}
	delay := u.policy.Backoff(u.attempt, s.rnd())
	u.attempt++
	next := now.Add(delay)
	if u.st.Reason == "" {
		u.st.Reason = "restart policy " + string(u.policy.Mode)
	}
	s.setStateLocked(u, fleet.UnitBackoff, now)
	u.st.NextStart = &next
	return delay, h
}

func (s *Supervisor) endStoppedLocked(u *unit, cause error, out outcome, now time.Time) hooks {
	recordUnlessCanceled(u, out)
	u.st.Reason = cause.Error()
	s.setStateLocked(u, fleet.UnitStopped, now)
	return hooksFor(u, nil)
}

func (s *Supervisor) recordErrorLocked(u *unit, out outcome) {
	if out.err != nil {
		u.st.Error, u.st.Stack = out.err.Error(), out.stack
	}
}

// recordUnlessCanceled records the error of a run that was ended from
// outside, unless it is just the cancellation echoed back.
func recordUnlessCanceled(u *unit, out outcome) {
	if out.panicked || (out.err != nil && !errors.Is(out.err, context.Canceled)) {
		u.st.Error, u.st.Stack = out.err.Error(), out.stack
	}
}

// waitBackoff waits delay on the clock; false means the loop was stopped.
func (s *Supervisor) waitBackoff(l *loop, delay time.Duration) bool {
	if delay <= 0 {
		return true
	}
	t := s.clock.NewTimer(delay)
	defer t.Stop()
	select {
	case <-t.Chan():
		return true
	case <-l.wake:
		return true
	case <-l.ctx.Done():
		return false
	}
}

// loopEnded unregisters the loop. A unit stopped between runs (pending,
// in backoff, or between a restart request and its new run) becomes
// stopped; one started again while it was stopping starts anew.
func (s *Supervisor) loopEnded(u *unit, l *loop) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.active--
	if u.loop == l {
		u.loop = nil
	}
	switch u.st.State {
	case fleet.UnitPending, fleet.UnitBackoff, fleet.UnitRunning:
		if cause := context.Cause(l.ctx); cause != nil {
			u.st.Reason = cause.Error()
		}
		s.setStateLocked(u, fleet.UnitStopped, s.clock.Now())
	}
	if l.startAgain && !s.closed && s.units[u.st.Name] == u {
		s.startLocked(u, false)
	}
	s.changedLocked()
}
