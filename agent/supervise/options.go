package supervise

import (
	"log/slog"
	"math/rand/v2"

	"github.com/jonboulle/clockwork"
)

// Option configures a Supervisor.
type Option func(*Supervisor)

// WithClock sets the clock used for timestamps, backoff and watchdog
// timers; nil keeps the default. Default: the real clock.
func WithClock(c clockwork.Clock) Option {
	return func(s *Supervisor) {
		if c != nil {
			s.clock = c
		}
	}
}

// WithLogger sets the logger; nil keeps the default. Default: a logger
// that discards.
func WithLogger(l *slog.Logger) Option {
	return func(s *Supervisor) {
		if l != nil {
			s.base = l
			s.log = l.With("component", "supervise")
		}
	}
}

// WithRand sets the source of backoff jitter, returning values in [0,1).
// It must be safe for concurrent use. Default: math/rand/v2.Float64.
func WithRand(f func() float64) Option {
	return func(s *Supervisor) { s.rnd = f }
}

// WithStateDir sets the directory where services' enabled flags are
// persisted (file supervise.json). Default: none, nothing persisted.
func WithStateDir(dir string) Option {
	return func(s *Supervisor) { s.stateDir = dir }
}

// WithOnChange sets a function called after units change state. Calls are
// coalesced: it runs in its own goroutine, never concurrently with
// itself, and a burst of changes gives one call. Default: none.
func WithOnChange(f func()) Option {
	return func(s *Supervisor) { s.notify.fn = f }
}

func defaults(s *Supervisor) {
	s.clock = clockwork.NewRealClock()
	s.log = slog.New(slog.DiscardHandler)
	s.base = s.log
	s.rnd = rand.Float64
}
