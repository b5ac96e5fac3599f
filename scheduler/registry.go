package scheduler

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"sync"
)

// Handler is the code a job runs. ctx is cancelled when the run times out,
// when the job is removed or when the scheduler stops; run describes this
// run. Returning an error wrapping ErrCancelJob ends the job.
type Handler func(ctx context.Context, run Run) error

// Registry maps handler names to Go functions. Jobs name their handler, so
// a job definition read from disk or received over the network can only
// select code compiled into the program, never supply it. A Registry is
// safe for concurrent use.
type Registry struct {
	mu       sync.RWMutex
	handlers map[string]Handler
}

// NewRegistry returns an empty registry.
func NewRegistry() *Registry {
	return &Registry{handlers: make(map[string]Handler)}
}

// Register adds h under name. It fails with ErrDuplicateHandler when the
// name is taken and with ErrInvalidJob for an empty name or a nil handler.
func (r *Registry) Register(name string, h Handler) error {
	if name == "" || h == nil {
		return fmt.Errorf("register handler %q: %w: empty name or nil handler", name, ErrInvalidJob)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, ok := r.handlers[name]; ok {
		return fmt.Errorf("register handler %q: %w", name, ErrDuplicateHandler)
	}
	r.handlers[name] = h
	return nil
}

// MustRegister is Register that panics on error, for registration at
// program start.
func (r *Registry) MustRegister(name string, h Handler) {
	if err := r.Register(name, h); err != nil {
		panic(err)
	}
}

// Lookup returns the handler registered under name.
func (r *Registry) Lookup(name string) (Handler, bool) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	h, ok := r.handlers[name]
	return h, ok
}

// Names returns the registered handler names, sorted.
func (r *Registry) Names() []string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return slices.Sorted(maps.Keys(r.handlers))
}
