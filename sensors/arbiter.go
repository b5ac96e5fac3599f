package sensors

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/jonboulle/clockwork"
)

// DefaultHoldTimeout is how long a sensor may hold a shared bus.
const DefaultHoldTimeout = 2 * time.Second

// ArbiterOptions configure an Arbiter.
type ArbiterOptions struct {
	// Clock drives the hold timeout. Default: real clock.
	Clock clockwork.Clock
	// HoldTimeout is how long one holder may keep the bus before it is
	// taken back and given to the next waiter. Default: DefaultHoldTimeout.
	HoldTimeout time.Duration
	// OnAcquire runs after the bus is granted and before the holder uses it
	// (power a bus up, select a multiplexer channel). An error releases the
	// bus and fails the acquisition. Default: none.
	OnAcquire func(ctx context.Context) error
	// OnRelease runs when a holder releases the bus or is timed out, before
	// the next waiter gets it. Default: none.
	OnRelease func()
	// Logger receives hold-timeout warnings. Default: discard.
	Logger *slog.Logger
}

// ArbiterStats counts an Arbiter's activity.
type ArbiterStats struct {
	Acquires     uint64 `json:"acquires"`
	HoldTimeouts uint64 `json:"hold_timeouts"`
	Waiting      int    `json:"waiting"`
}

// Arbiter lets the sensors of one shared bus take turns, first come first
// served, like tasko's ManagedResource. A holder that keeps the bus longer
// than the hold timeout loses it to the next waiter.
type Arbiter struct {
	name string
	opts ArbiterOptions

	mu    sync.Mutex
	held  *lease
	queue []chan *lease
	stats ArbiterStats
}

// lease is one grant of the bus.
type lease struct {
	timer   clockwork.Timer
	expired chan struct{} // closed when the hold timeout took the bus back
	ending  bool
}

// NewArbiter returns an Arbiter for the bus called name.
func NewArbiter(name string, opts ArbiterOptions) *Arbiter {
	if opts.Clock == nil {
		opts.Clock = clockwork.NewRealClock()
	}
	if opts.HoldTimeout <= 0 {
		opts.HoldTimeout = DefaultHoldTimeout
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	return &Arbiter{name: name, opts: opts}
}

// Name returns the bus name.
func (a *Arbiter) Name() string { return a.name }

// Stats returns the arbiter's counters.
func (a *Arbiter) Stats() ArbiterStats {
	a.mu.Lock()
	defer a.mu.Unlock()
	s := a.stats
	s.Waiting = len(a.queue)
	return s
}

// Acquire waits for the bus, in arrival order, until ctx ends. The returned
// release gives the bus to the next waiter; calling it more than once, or
// after the hold timeout took the bus back, does nothing.
func (a *Arbiter) Acquire(ctx context.Context) (release func(), err error) {
	l, err := a.acquire(ctx)
	if err != nil {
		return nil, err
	}
	return func() { a.release(l) }, nil
}

// Do runs fn while holding the bus. If fn holds the bus past the hold
// timeout, Do returns ErrHoldTimeout at once, the bus goes to the next
// waiter, fn's context is cancelled and its eventual result is discarded.
func (a *Arbiter) Do(ctx context.Context, fn func(ctx context.Context) error) error {
	l, err := a.acquire(ctx)
	if err != nil {
		return err
	}
	fctx, cancel := context.WithCancel(ctx)
	defer cancel()
	done := make(chan error, 1)
	go func() {
		err := fn(fctx)
		a.release(l)
		done <- err
	}()
	select {
	case err := <-done:
		return err
	case <-l.expired:
		return fmt.Errorf("%w: bus %s held over %s", ErrHoldTimeout, a.name, a.opts.HoldTimeout)
	}
}

func (a *Arbiter) acquire(ctx context.Context) (*lease, error) {
	a.mu.Lock()
	if a.held == nil && len(a.queue) == 0 {
		l := a.grantLocked()
		a.mu.Unlock()
		return a.runHook(ctx, l)
	}
	ready := make(chan *lease, 1)
	a.queue = append(a.queue, ready)
	a.mu.Unlock()
	select {
	case l := <-ready:
		return a.runHook(ctx, l)
	case <-ctx.Done():
		a.abandon(ready)
		return nil, fmt.Errorf("waiting for bus %s: %w", a.name, ctx.Err())
	}
}

// abandon leaves the queue; if the bus was granted meanwhile, it is passed on.
func (a *Arbiter) abandon(ready chan *lease) {
	a.mu.Lock()
	for i, q := range a.queue {
		if q == ready {
			a.queue = append(a.queue[:i], a.queue[i+1:]...)
			a.mu.Unlock()
			return
		}
	}
	a.mu.Unlock()
	a.release(<-ready)
}

func (a *Arbiter) runHook(ctx context.Context, l *lease) (*lease, error) {
	if a.opts.OnAcquire == nil {
		return l, nil
	}
	if err := a.opts.OnAcquire(ctx); err != nil {
		a.release(l)
		return nil, fmt.Errorf("%w: bus %s: %w", ErrHook, a.name, err)
	}
	return l, nil
}

// grantLocked makes a new lease the holder and arms its hold timer.
func (a *Arbiter) grantLocked() *lease {
	l := &lease{expired: make(chan struct{})}
	l.timer = a.opts.Clock.AfterFunc(a.opts.HoldTimeout, func() { a.expire(l) })
	a.held = l
	a.stats.Acquires++
	return l
}

func (a *Arbiter) release(l *lease) {
	if !a.end(l) {
		return
	}
	l.timer.Stop()
	a.handoff()
}

func (a *Arbiter) expire(l *lease) {
	if !a.end(l) {
		return
	}
	a.mu.Lock()
	a.stats.HoldTimeouts++
	a.mu.Unlock()
	close(l.expired)
	a.opts.Logger.Warn("sensor held the bus too long; bus taken back",
		"bus", a.name, "hold_timeout", a.opts.HoldTimeout)
	a.handoff()
}

// end marks l as ending; it reports false if l no longer holds the bus.
func (a *Arbiter) end(l *lease) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.held != l || l.ending {
		return false
	}
	l.ending = true
	return true
}

// handoff runs the release hook and gives the bus to the first waiter.
func (a *Arbiter) handoff() {
	if a.opts.OnRelease != nil {
		a.opts.OnRelease()
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	a.held = nil
	if len(a.queue) > 0 {
		next := a.queue[0]
		a.queue = a.queue[1:]
		next <- a.grantLocked()
	}
}
