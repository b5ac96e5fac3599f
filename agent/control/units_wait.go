package control

import (
	"context"
	"slices"
	"time"

	"github.com/jonboulle/clockwork"

	"github.com/drover-iot/drover/fleet"
)

// DefaultActionWait bounds how long task.* and service.* commands wait for
// their units to reflect the action before replying; a request's exp, when
// sooner, bounds it too.
const DefaultActionWait = 3 * time.Second

// settledFunc returns, given a unit's status before the action, the
// condition its status meets once the action has taken effect.
type settledFunc func(before fleet.Unit) func(fleet.Unit) bool

// execType is the Type of a service that runs a process.
const execType = "exec"

// isStarted holds once a start took effect: running (for an exec service,
// with its process's PID recorded), or failed or in backoff, or done after
// a new start (a short task).
func isStarted(before fleet.Unit) func(fleet.Unit) bool {
	return func(u fleet.Unit) bool {
		switch u.State {
		case fleet.UnitRunning:
			return u.Type != execType || u.PID != 0
		case fleet.UnitFailed, fleet.UnitBackoff:
			return true
		case fleet.UnitDone:
			return u.Profile.Starts > before.Profile.Starts
		}
		return false
	}
}

// isRestarted holds once a new start happened (Profile.Starts increased)
// and it took effect.
func isRestarted(before fleet.Unit) func(fleet.Unit) bool {
	started := isStarted(before)
	return func(u fleet.Unit) bool {
		return u.Profile.Starts > before.Profile.Starts && (started(u) || u.State == fleet.UnitDone)
	}
}

// isStopped holds once the unit has ended: stopped, failed or done.
func isStopped(fleet.Unit) func(fleet.Unit) bool {
	return func(u fleet.Unit) bool {
		return u.State == fleet.UnitStopped || u.State == fleet.UnitFailed || u.State == fleet.UnitDone
	}
}

// unitsByName returns the units of kind named in names, keyed by name.
func unitsByName(all []fleet.Unit, kind string, names []string) map[string]fleet.Unit {
	out := make(map[string]fleet.Unit, len(names))
	for _, u := range all {
		if u.Kind == kind && slices.Contains(names, u.Name) {
			out[u.Name] = u
		}
	}
	return out
}

// waitSettled waits, at most DefaultActionWait or until req's exp, for
// each unit in before to meet its settled condition. A unit that does not
// settle in time is reported as it is then.
func (d *Dispatcher) waitSettled(ctx context.Context, req fleet.Request, before map[string]fleet.Unit, settled settledFunc) {
	ctx, cancel := clockwork.WithTimeout(ctx, d.clock, d.actionWait)
	defer cancel()
	if req.Exp != nil {
		var cancelExp context.CancelFunc
		ctx, cancelExp = clockwork.WithDeadline(ctx, d.clock, *req.Exp)
		defer cancelExp()
	}
	for name, u := range before {
		if _, err := d.deps.Units.WaitFor(ctx, name, settled(u)); err != nil {
			d.log.Debug("unit did not settle before the reply", "cmd", req.Cmd, "unit", name, "err", err)
		}
	}
}
