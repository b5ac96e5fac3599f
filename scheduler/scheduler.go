package scheduler

import (
	"context"
	"sync"
)

// Scheduler runs named jobs on their schedules. One goroutine (Run) owns
// the job set, a min-heap of next fire times and a single clock timer; the
// methods send it requests, so they are safe from any goroutine, including
// from inside handlers. Before Run starts, the methods act on the job set
// directly, so jobs can be added first and started together.
type Scheduler struct {
	cfg config
	reg *Registry
	eng *engine

	reqs      chan request
	finished  chan finish
	closeReq  chan struct{}
	stopping  chan struct{} // closed when Run stops taking requests
	dead      chan struct{} // closed when Run has returned
	ready     chan struct{} // closed when Run serves requests
	closeOnce sync.Once

	mu     sync.Mutex
	phase  phase
	runErr error
}

type phase int

const (
	phaseIdle phase = iota
	phaseRunning
	phaseStopped
)

// request is one call into the owner goroutine.
type request struct {
	op    func(*engine) error
	reply chan error
}

// New returns a scheduler whose jobs run handlers from reg. Start it with
// Run.
func New(reg *Registry, opts ...Option) *Scheduler {
	cfg := defaultConfig()
	for _, o := range opts {
		o(&cfg)
	}
	s := &Scheduler{
		cfg:      cfg,
		reg:      reg,
		reqs:     make(chan request),
		finished: make(chan finish),
		closeReq: make(chan struct{}),
		stopping: make(chan struct{}),
		dead:     make(chan struct{}),
		ready:    make(chan struct{}),
	}
	s.eng = newEngine(s)
	return s
}

// Run loads persisted jobs (WithStore), then runs jobs until ctx is done
// or Close is called. It blocks. On the way out it cancels the contexts
// of running jobs, waits for them at most the stop timeout, and saves the
// state. It returns nil, ErrStopTimeout when runs outlived the timeout,
// ErrAlreadyRunning on a second call, or ErrStopped after Close.
func (s *Scheduler) Run(ctx context.Context) error {
	s.mu.Lock()
	switch s.phase {
	case phaseRunning:
		s.mu.Unlock()
		return ErrAlreadyRunning
	case phaseStopped:
		s.mu.Unlock()
		return ErrStopped
	}
	s.phase = phaseRunning
	s.eng.start(ctx)
	s.mu.Unlock()
	// Only now, with the timer armed for the jobs it starts with, does Run
	// count as started: a fake clock advanced right after Started must not
	// race the engine reading the time and setting its timer from it.
	close(s.ready)

	err := s.eng.loop(ctx)

	s.mu.Lock()
	s.phase, s.runErr = phaseStopped, err
	s.mu.Unlock()
	close(s.dead)
	return err
}

// Close stops the scheduler and waits for Run to return, which takes at
// most the stop timeout (WithStopTimeout). It returns Run's error. Close on
// a scheduler that never ran only marks it stopped.
func (s *Scheduler) Close() error {
	s.mu.Lock()
	if s.phase == phaseIdle {
		s.phase = phaseStopped
		s.mu.Unlock()
		close(s.stopping)
		close(s.dead)
		return nil
	}
	s.mu.Unlock()
	s.closeOnce.Do(func() { close(s.closeReq) })
	<-s.dead
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.runErr
}

// call runs op on the engine: through the owner goroutine while Run runs,
// directly (under s.mu) before it starts or after it ended. Mutating calls
// after the end fail with ErrStopped.
func (s *Scheduler) call(mutate bool, op func(*engine) error) error {
	s.mu.Lock()
	switch {
	case s.phase == phaseStopped && mutate:
		s.mu.Unlock()
		return ErrStopped
	case s.phase != phaseRunning:
		defer s.mu.Unlock()
		return op(s.eng)
	}
	s.mu.Unlock()
	r := request{op: op, reply: make(chan error, 1)}
	select {
	case s.reqs <- r:
		return <-r.reply
	case <-s.stopping:
		return ErrStopped
	}
}

// Started returns a channel closed once Run has loaded the persisted jobs,
// armed its timer for them and serves requests: a fake clock advanced
// after it fires the jobs that come due.
func (s *Scheduler) Started() <-chan struct{} { return s.ready }
