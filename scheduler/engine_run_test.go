package scheduler

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"
)

// countingParent is a job context that counts the children registered
// with it (through AfterFunc, as context.WithCancel does) and not yet
// released.
type countingParent struct {
	context.Context // Background: no value, so children ask AfterFunc
	done            chan struct{}
	mu              sync.Mutex
	live            int
}

// Done returns a channel that never closes.
func (p *countingParent) Done() <-chan struct{} { return p.done }

func (p *countingParent) AfterFunc(f func()) func() bool {
	p.mu.Lock()
	p.live++
	p.mu.Unlock()
	return func() bool {
		p.mu.Lock()
		p.live--
		p.mu.Unlock()
		return true
	}
}

func TestRunContextReleasesItsChild(t *testing.T) {
	for _, timeout := range []time.Duration{0, time.Minute} {
		parent := &countingParent{Context: context.Background(), done: make(chan struct{})}
		for range 100 {
			_, cancel := runContext(parent, clockwork.NewFakeClock(), timeout)
			cancel()
		}
		if parent.live != 0 {
			t.Errorf("timeout %v: %d run contexts still registered with the job context after cancel", timeout, parent.live)
		}
	}
}
