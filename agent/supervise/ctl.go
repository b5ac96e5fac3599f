package supervise

import (
	"log/slog"
	"maps"

	"github.com/drover-iot/drover/agent/journal"
	"github.com/drover-iot/drover/fleet"
)

// Ctl is a unit's handle on its supervisor during one run: its name and
// args, the watchdog heartbeat, a logger, and the process details of exec
// units. Its methods are safe for concurrent use.
type Ctl struct {
	name   string
	source string
	args   map[string]any
	s      *Supervisor
	u      *unit
	l      *loop
	wd     *watchdog
}

func (s *Supervisor) newCtl(u *unit, l *loop) *Ctl {
	return &Ctl{name: u.st.Name, source: Source(u.st.Kind, u.st.Name), args: u.st.Args, s: s, u: u, l: l}
}

// Source returns the journal source of a unit's records: task:<name> for
// a task, svc:<name> for a service (the journal's PrefixTask and
// PrefixService).
func Source(kind, name string) string {
	if kind == fleet.KindService {
		return journal.PrefixService + name
	}
	return journal.PrefixTask + name
}

// unitLog is the logger of u's own records.
func (s *Supervisor) unitLog(u *unit) *slog.Logger {
	return s.base.With("component", Source(u.st.Kind, u.st.Name))
}

// Name returns the unit's name (for a task, possibly name@N).
func (c *Ctl) Name() string { return c.name }

// Args returns a copy of the unit's args as they were when this run
// started.
func (c *Ctl) Args() map[string]any { return maps.Clone(c.args) }

// Beat tells the watchdog the unit is alive. Without a watchdog it does
// nothing.
func (c *Ctl) Beat() { c.wd.beat() }

// Logger returns the supervisor's logger with the unit's journal source
// attached: task:<name> or svc:<name> (see Source).
func (c *Ctl) Logger() *slog.Logger { return c.s.base.With("component", c.source) }

// SetPID records the process id of an exec unit's process (0 when none).
func (c *Ctl) SetPID(pid int) {
	c.update(func() { c.u.st.PID = pid })
}

// SetExit records how an exec unit's process ended: its exit code, or
// the name of the signal that killed it (then code is ignored).
func (c *Ctl) SetExit(code int, signal string) {
	c.update(func() {
		c.u.st.Signal = signal
		c.u.st.ExitCode = nil
		if signal == "" {
			c.u.st.ExitCode = &code
		}
	})
}

// update applies f to the unit's status if this run is still current.
func (c *Ctl) update(f func()) {
	c.s.mu.Lock()
	defer c.s.mu.Unlock()
	if c.u.loop == c.l && c.u.st.State == fleet.UnitRunning {
		f()
		c.s.changedLocked()
	}
}
