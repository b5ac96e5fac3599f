package scheduler

import (
	"io"
	"log/slog"
	"math/rand/v2"
	"time"

	"github.com/jonboulle/clockwork"
)

// Defaults of the options.
const (
	// DefaultStopTimeout bounds how long Run and Close wait for running
	// jobs after a stop.
	DefaultStopTimeout = 10 * time.Second
	// DefaultSaveInterval is the longest a state change waits before it is
	// saved; changes within it are coalesced into one save.
	DefaultSaveInterval = time.Second
)

// Option configures a Scheduler.
type Option func(*config)

type config struct {
	clock        clockwork.Clock
	logger       *slog.Logger
	store        Store
	observer     func(RunReport)
	stopTimeout  time.Duration
	saveInterval time.Duration
	rand         *rand.Rand
	precision    time.Duration
	keep         func(JobDef) bool
}

func defaultConfig() config {
	return config{
		clock:        clockwork.NewRealClock(),
		logger:       slog.New(slog.NewTextHandler(io.Discard, nil)),
		stopTimeout:  DefaultStopTimeout,
		saveInterval: DefaultSaveInterval,
		rand:         rand.New(rand.NewPCG(rand.Uint64(), rand.Uint64())),
		precision:    DefaultPrecision,
	}
}

// WithClock sets the clock used for all timing. Default: the real clock.
func WithClock(c clockwork.Clock) Option {
	return func(cfg *config) { cfg.clock = c }
}

// WithLogger sets the logger. Default: a logger that discards everything.
func WithLogger(l *slog.Logger) Option {
	return func(cfg *config) { cfg.logger = l }
}

// WithStore persists the jobs: Run loads them at start and saves changes,
// coalesced (see WithSaveInterval), and once more when it stops.
// Default: no persistence.
func WithStore(s Store) Option {
	return func(cfg *config) { cfg.store = s }
}

// WithObserver sets a function called after each run and for each skipped
// run, for metrics. It runs outside the scheduler's goroutine and may be
// called concurrently. Default: none.
func WithObserver(f func(RunReport)) Option {
	return func(cfg *config) { cfg.observer = f }
}

// WithStopTimeout bounds how long a stop waits for running jobs before Run
// returns ErrStopTimeout. Default: DefaultStopTimeout (10 * time.Second).
func WithStopTimeout(d time.Duration) Option {
	return func(cfg *config) { cfg.stopTimeout = d }
}

// WithSaveInterval sets the longest delay between a change and its save.
// Default: DefaultSaveInterval (1 * time.Second).
func WithSaveInterval(d time.Duration) Option {
	return func(cfg *config) { cfg.saveInterval = d }
}

// WithRand sets the random source for jitter and random intervals; it is
// used only by the scheduler's goroutine. Default: a randomly seeded PCG.
func WithRand(r *rand.Rand) Option {
	return func(cfg *config) { cfg.rand = r }
}

// WithPrecision sets the margin by which the scheduler wakes before a job
// is due to wait the rest precisely: on Linux with the real clock, a
// blocking clock_nanosleep on the monotonic clock (no spinning), which
// takes lateness below the Go runtime's 1 ms timer granularity at the cost
// of one extra system call per wake. The wait never ends before the due
// time, and requests made meanwhile are served right after it, so a
// request can wait up to d. With a fake clock or on other systems the
// timer is re-armed for the rest instead. Zero or less disables it.
// Default: DefaultPrecision (2 * time.Millisecond).
func WithPrecision(d time.Duration) Option {
	return func(cfg *config) { cfg.precision = d }
}

// WithRestoreFilter sets which saved jobs Run restores: a saved job for
// which keep returns false is dropped (and logged) instead of restored, so
// a program can drop the jobs it defined itself in an earlier run and no
// longer defines. Jobs added before Run are unaffected: their saved
// history and timing are merged whatever keep says. Default: keep all.
func WithRestoreFilter(keep func(JobDef) bool) Option {
	return func(cfg *config) { cfg.keep = keep }
}
