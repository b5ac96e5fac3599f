package sensors

import (
	"maps"
	"slices"
	"sync"
)

// Buses is the set of shared-bus arbiters of a device, one per bus name
// (for example "i2c:1" or "spi:0.0"). It is safe for concurrent use.
type Buses struct {
	defaults ArbiterOptions

	mu   sync.Mutex
	byID map[string]*Arbiter
}

// NewBuses returns an empty set whose arbiters use defaults unless
// configured otherwise with Configure.
func NewBuses(defaults ArbiterOptions) *Buses {
	return &Buses{defaults: defaults, byID: map[string]*Arbiter{}}
}

// Configure sets the options of bus name, replacing its arbiter. Configure
// buses before building the sensors that use them.
func (b *Buses) Configure(name string, opts ArbiterOptions) *Arbiter {
	if opts.Clock == nil {
		opts.Clock = b.defaults.Clock
	}
	if opts.Logger == nil {
		opts.Logger = b.defaults.Logger
	}
	a := NewArbiter(name, opts)
	b.mu.Lock()
	defer b.mu.Unlock()
	b.byID[name] = a
	return a
}

// Get returns the arbiter of bus name, creating it with the defaults.
func (b *Buses) Get(name string) *Arbiter {
	b.mu.Lock()
	defer b.mu.Unlock()
	a, ok := b.byID[name]
	if !ok {
		a = NewArbiter(name, b.defaults)
		b.byID[name] = a
	}
	return a
}

// Names lists the buses in use, sorted.
func (b *Buses) Names() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return slices.Sorted(maps.Keys(b.byID))
}
