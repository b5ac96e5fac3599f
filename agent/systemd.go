package agent

import (
	"context"

	"github.com/drover-iot/drover/agent/sdnotify"
)

// The agent speaks sd_notify to systemd (deploy/drover-agent.service is
// Type=notify with WatchdogSec): READY=1 once the services are booted,
// STOPPING=1 when shutdown begins, and WATCHDOG=1 while the agent's own
// loops answer. Outside systemd (no $NOTIFY_SOCKET) all of it is a no-op.

// buildNotifier sets up the sd_notify client on the agent's clock.
func (a *Agent) buildNotifier() {
	a.notify = sdnotify.New(sdnotify.WithClock(a.clock), sdnotify.WithLogger(a.log.With("component", "systemd")))
}

// notifyReady tells systemd that the agent has booted its services.
func (a *Agent) notifyReady() {
	if err := a.notify.Ready(); err != nil {
		a.log.Warn("systemd: READY notification", "err", err)
	}
}

// notifyStopping tells systemd that a clean stop has begun.
func (a *Agent) notifyStopping() {
	if err := a.notify.Stopping(); err != nil {
		a.log.Warn("systemd: STOPPING notification", "err", err)
	}
}

// watchdogPart feeds systemd's watchdog while the agent is responsive.
func (a *Agent) watchdogPart() part {
	return part{"watchdog", func(ctx context.Context) error { return a.notify.Watchdog(ctx, a.responsive) }}
}

// responsive reports whether the goroutines that own the scheduler's and
// the supervisor's state still answer requests. A hung owner blocks this
// call, so no heartbeat is sent and systemd restarts the agent; a broker
// outage does not count as a hang.
func (a *Agent) responsive() bool {
	_ = a.sched.IdleUntil()
	_ = a.sup.Units()
	return true
}
