package sensors

import "sync"

// inflight counts running reads. Unlike a sync.WaitGroup, a read may start
// while another goroutine waits for idleness (ReadNow racing with Run's
// shutdown): the waiter then also waits for that read, bounded by its own
// timeout.
type inflight struct {
	mu   sync.Mutex
	n    int
	zero chan struct{} // closed while n == 0; replaced when n leaves 0
}

// start counts one more read.
func (f *inflight) start() {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.n == 0 || f.zero == nil {
		f.zero = make(chan struct{})
	}
	f.n++
}

// done counts one read less.
func (f *inflight) done() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.n--
	if f.n == 0 {
		close(f.zero)
	}
}

// idle returns a channel that is closed once no read runs.
func (f *inflight) idle() <-chan struct{} {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.n == 0 {
		c := make(chan struct{})
		close(c)
		return c
	}
	return f.zero
}
