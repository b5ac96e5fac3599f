// Package sdnotify tells systemd about the agent's life through the
// sd_notify protocol: READY=1 once booted, STOPPING=1 on shutdown, a free
// STATUS= line, and WATCHDOG=1 heartbeats while the agent is healthy. Under
// no systemd (no $NOTIFY_SOCKET) every call does nothing and returns nil.
package sdnotify

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"

	"github.com/coreos/go-systemd/v22/daemon"
	"github.com/jonboulle/clockwork"
)

// Messages of the sd_notify protocol sent by the Notifier.
const (
	MsgReady    = "READY=1"
	MsgStopping = "STOPPING=1"
	MsgWatchdog = "WATCHDOG=1"
)

// Notifier sends sd_notify messages to $NOTIFY_SOCKET. It is safe for
// concurrent use. The zero value is not usable; call New.
type Notifier struct {
	clock  clockwork.Clock
	logger *slog.Logger
}

// Option configures a Notifier.
type Option func(*Notifier)

// WithClock sets the clock that times watchdog heartbeats; nil keeps the
// default. Default: the real clock.
func WithClock(c clockwork.Clock) Option {
	return func(n *Notifier) {
		if c != nil {
			n.clock = c
		}
	}
}

// WithLogger sets the logger for failed heartbeats; nil keeps the default.
// Default: discard.
func WithLogger(l *slog.Logger) Option {
	return func(n *Notifier) {
		if l != nil {
			n.logger = l
		}
	}
}

// New returns a Notifier. It reads $NOTIFY_SOCKET at each send, so it can
// be created before the environment is final.
func New(opts ...Option) *Notifier {
	n := &Notifier{
		clock:  clockwork.NewRealClock(),
		logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
	}
	for _, o := range opts {
		o(n)
	}
	n.logger = n.logger.With("component", "sdnotify")
	return n
}

// Ready tells systemd that start-up is complete (Type=notify units).
func (n *Notifier) Ready() error {
	return n.send(MsgReady)
}

// Stopping tells systemd that the agent has begun to shut down.
func (n *Notifier) Stopping() error {
	return n.send(MsgStopping)
}

// Status sets the one-line status shown by `systemctl status`; newlines in
// text are replaced by spaces.
func (n *Notifier) Status(text string) error {
	return n.send("STATUS=" + strings.NewReplacer("\n", " ", "\r", " ").Replace(text))
}

// send delivers one message; no socket is not an error.
func (n *Notifier) send(msg string) error {
	if _, err := daemon.SdNotify(false, msg); err != nil {
		return fmt.Errorf("sdnotify: send %q: %w", msg, err)
	}
	return nil
}

// Watchdog sends WATCHDOG=1 every half of $WATCHDOG_USEC for as long as
// healthy returns true, and blocks until ctx is done. When systemd asked
// for no watchdog (or for another process), it returns nil at once. A
// failed send is logged and retried at the next beat; an unhealthy beat is
// skipped, so systemd restarts an agent that stays unhealthy.
func (n *Notifier) Watchdog(ctx context.Context, healthy func() bool) error {
	interval, err := daemon.SdWatchdogEnabled(false)
	if err != nil {
		return fmt.Errorf("sdnotify: %w: %w", ErrBadWatchdogEnv, err)
	}
	if interval <= 0 {
		return nil
	}
	ticker := n.clock.NewTicker(interval / 2)
	defer ticker.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-ticker.Chan():
			n.beat(healthy)
		}
	}
}

func (n *Notifier) beat(healthy func() bool) {
	if !healthy() {
		n.logger.Warn("unhealthy, watchdog heartbeat skipped")
		return
	}
	if err := n.send(MsgWatchdog); err != nil {
		n.logger.Warn("watchdog heartbeat failed", "err", err)
	}
}
