package sensors

import (
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/jonboulle/clockwork"
)

// Defaults of SamplerOptions.
const (
	DefaultBackoffBase = time.Second
	DefaultBackoffMax  = 5 * time.Minute
	DefaultStopTimeout = 5 * time.Second
)

// SamplerOptions configure a Sampler.
type SamplerOptions struct {
	// Clock drives schedules, timeouts and reading times. Default: real clock.
	Clock clockwork.Clock
	// Logger receives read errors. Default: discard.
	Logger *slog.Logger
	// BackoffBase is the delay after the first failed read; it doubles on
	// each further failure. Default: DefaultBackoffBase.
	BackoffBase time.Duration
	// BackoffMax caps the backoff. Default: DefaultBackoffMax.
	BackoffMax time.Duration
	// StopTimeout bounds how long Run waits for reads still running when its
	// context ends. Default: DefaultStopTimeout.
	StopTimeout time.Duration
	// Rand draws the jitter of schedules with a "jitter" modifier.
	// Default: randomly seeded.
	Rand *rand.Rand
}

func (o SamplerOptions) withDefaults() SamplerOptions {
	if o.Clock == nil {
		o.Clock = clockwork.NewRealClock()
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.BackoffBase <= 0 {
		o.BackoffBase = DefaultBackoffBase
	}
	if o.BackoffMax <= 0 {
		o.BackoffMax = DefaultBackoffMax
	}
	if o.StopTimeout <= 0 {
		o.StopTimeout = DefaultStopTimeout
	}
	if o.Rand == nil {
		o.Rand = rand.New(rand.NewPCG(rand.Uint64(), rand.Uint64()))
	}
	return o
}

// DeliverFunc receives the readings of one read of one sensor. It is called
// from that sensor's sampling goroutine and must not block for long.
type DeliverFunc func(batch []Reading)

// Sampler reads each sensor on its own schedule, in its own goroutine, so a
// failing or hanging sensor never delays the others. Each read is bounded by
// the sensor's timeout; failures are counted, logged and retried with
// exponential backoff.
type Sampler struct {
	opts    SamplerOptions
	deliver DeliverFunc
	slots   []*slot
	byName  map[string]*slot
	reads   inflight // reads in flight, including abandoned ones

	randMu sync.Mutex // guards opts.Rand
}

// NewSampler returns a Sampler over items that hands every successful
// batch to deliver (which may be nil).
func NewSampler(items []Scheduled, deliver DeliverFunc, opts SamplerOptions) *Sampler {
	s := &Sampler{opts: opts.withDefaults(), deliver: deliver, byName: map[string]*slot{}}
	for _, it := range items {
		if it.Timeout <= 0 {
			it.Timeout = DefaultTimeout
		}
		sl := &slot{item: it, busy: make(chan struct{}, 1)}
		sl.status.Name = it.Sensor.Name()
		sl.status.Driver = it.Driver
		sl.status.Schedule = it.ScheduleText
		s.slots = append(s.slots, sl)
		s.byName[sl.status.Name] = sl
	}
	return s
}

// Run samples until ctx ends, then waits up to StopTimeout for reads still
// running. It returns nil, or ErrStopTimeout if some read did not end.
func (s *Sampler) Run(ctx context.Context) error {
	var loops sync.WaitGroup
	for _, sl := range s.slots {
		loops.Go(func() { s.loop(ctx, sl) })
	}
	loops.Wait()
	return s.waitReads()
}

// waitReads waits for in-flight reads, bounded by StopTimeout.
func (s *Sampler) waitReads() error {
	select {
	case <-s.reads.idle():
		return nil
	case <-s.opts.Clock.After(s.opts.StopTimeout):
		return fmt.Errorf("%w: sensor reads still running after %s", ErrStopTimeout, s.opts.StopTimeout)
	}
}

// loop reads one sensor at once and then on its schedule until ctx ends,
// the schedule ends, or it took its "times" reads.
func (s *Sampler) loop(ctx context.Context, sl *slot) {
	times, jitter, until := modifiersOf(sl.item.Schedule)
	due := s.opts.Clock.Now()
	if !until.IsZero() && due.After(until) {
		return // ended before it began
	}
	for n := 1; ; n++ {
		if !s.waitUntil(ctx, sl, due.Add(s.jitter(jitter))) {
			return
		}
		s.sample(ctx, sl)
		now := s.opts.Clock.Now()
		next := sl.item.Schedule.Next(due, now)
		if next.IsZero() || (times > 0 && n >= times) {
			sl.setNext(time.Time{})
			return // the schedule has ended
		}
		if n := sl.failStreak(); n > 0 {
			if retry := now.Add(s.backoff(n)); retry.After(next) {
				next = retry
			}
		}
		sl.setNext(next)
		due = next
	}
}

// waitUntil blocks until t or the end of ctx; it reports whether t came.
func (s *Sampler) waitUntil(ctx context.Context, sl *slot, t time.Time) bool {
	d := t.Sub(s.opts.Clock.Now())
	if d <= 0 {
		return ctx.Err() == nil
	}
	timer := s.opts.Clock.NewTimer(d)
	sl.setParked(true)
	came := false
	select {
	case <-ctx.Done():
	case <-timer.Chan():
		came = true
	}
	timer.Stop()
	sl.setParked(false) // after Stop: tests count armed timers
	return came
}

// jitter draws a delay in [0, limit); 0 when limit is not positive.
func (s *Sampler) jitter(limit time.Duration) time.Duration {
	if limit <= 0 {
		return 0
	}
	s.randMu.Lock()
	defer s.randMu.Unlock()
	return time.Duration(s.opts.Rand.Int64N(int64(limit)))
}

// backoff is the delay after n consecutive failures (n >= 1).
func (s *Sampler) backoff(n int) time.Duration {
	d := s.opts.BackoffBase
	for i := 1; i < n && d < s.opts.BackoffMax; i++ {
		d *= 2
	}
	return min(d, s.opts.BackoffMax)
}

// sample takes one read of sl, records it and delivers the readings.
func (s *Sampler) sample(ctx context.Context, sl *slot) {
	start := s.opts.Clock.Now()
	batch, err := s.read(ctx, sl, false)
	sl.record(batch, err, start, s.opts.Clock.Since(start))
	if len(batch) > 0 && s.deliver != nil {
		s.deliver(batch)
	}
	if err != nil && ctx.Err() == nil {
		s.opts.Logger.Warn("sensor read failed", "sensor", sl.status.Name,
			"error", err, "consecutive_failures", sl.failStreak())
	}
}

// read runs one Read in its own goroutine, bounded by the sensor's timeout.
// A read that overruns is abandoned: its result is discarded and the next
// read of that sensor fails with ErrBusy until it returns. With wait, a
// read finding another one running waits for it, within the timeout.
func (s *Sampler) read(ctx context.Context, sl *slot, wait bool) ([]Reading, error) {
	rctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	timer := s.opts.Clock.AfterFunc(sl.item.Timeout, func() { cancel(ErrReadTimeout) })
	defer timer.Stop()
	if err := acquire(rctx, sl.busy, wait); err != nil {
		return nil, err
	}
	type result struct {
		batch []Reading
		err   error
	}
	done := make(chan result, 1)
	s.reads.start()
	go func() {
		defer s.reads.done()
		b, err := safeRead(rctx, sl.item.Sensor)
		<-sl.busy // before done: the next read must find the sensor free
		done <- result{b, err}
	}()
	select {
	case r := <-done:
		return r.batch, r.err
	case <-rctx.Done():
		return nil, fmt.Errorf("sensor %s: %w", sl.status.Name, context.Cause(rctx))
	}
}

// acquire takes the busy token of a sensor; with wait, until ctx ends.
func acquire(ctx context.Context, busy chan struct{}, wait bool) error {
	select {
	case busy <- struct{}{}:
		return nil
	default:
	}
	if !wait {
		return ErrBusy
	}
	select {
	case busy <- struct{}{}:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("%w: %w", ErrBusy, context.Cause(ctx))
	}
}

// safeRead calls s.Read, turning a panic of the driver into an error.
func safeRead(ctx context.Context, s Sensor) (batch []Reading, err error) {
	defer func() {
		if p := recover(); p != nil {
			batch, err = nil, fmt.Errorf("%w: sensor %s: %v", ErrPanic, s.Name(), p)
		}
	}()
	return s.Read(ctx)
}
