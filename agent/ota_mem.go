package agent

import (
	"runtime/debug"
	"runtime/metrics"
	"sync"
)

// updateMemoryBudget is how much the Go runtime's memory may grow while an
// update runs: half a chunk window (8 x 64 KiB). Chunks are garbage as soon as
// they are written, but paho allocates each one twice (packet and
// payload), so with the usual GOGC the heap grows by several windows
// before a collection.
const updateMemoryBudget = 256 << 10

// memorySamples are the runtime metrics whose difference is the memory
// the Go runtime holds from the OS (mapped and not released).
var memorySamples = []string{"/memory/classes/total:bytes", "/memory/classes/heap/released:bytes"}

// runtimeMemory is the memory the Go runtime holds now, in bytes.
func runtimeMemory() uint64 {
	s := make([]metrics.Sample, len(memorySamples))
	for i, name := range memorySamples {
		s[i].Name = name
	}
	metrics.Read(s)
	total, released := s[0].Value.Uint64(), s[1].Value.Uint64()
	if released > total {
		return 0
	}
	return total - released
}

// limitMemory holds the Go runtime to its present memory plus budget until
// restore is called: the GC runs by the soft memory limit alone (GOGC off),
// and the scavenger returns freed pages to the OS to stay under it. An
// update's peak RSS thus grows by about the budget, at the cost of more
// GC work (capped by the runtime at half the CPU) while it runs.
func limitMemory(budget int64) (restore func()) {
	limit := int64(runtimeMemory()) + budget
	prevLimit := debug.SetMemoryLimit(limit)
	prevGC := debug.SetGCPercent(-1)
	return func() {
		debug.SetGCPercent(prevGC)
		debug.SetMemoryLimit(prevLimit)
	}
}

// memGuard holds the update-time memory limit while at least one update
// runs: the first acquire sets it, the last release restores the settings
// from before the first, exactly once, whatever the overlap of the
// updates (two ota.apply requests, an Apply during a resumed download).
type memGuard struct {
	budget  int64
	mu      sync.Mutex
	n       int
	restore func()
}

// acquire marks one more update under way; release undoes it.
func (g *memGuard) acquire() (release func()) {
	g.mu.Lock()
	if g.n == 0 {
		g.restore = limitMemory(g.budget)
	}
	g.n++
	g.mu.Unlock()
	var once sync.Once
	return func() { once.Do(g.release) }
}

func (g *memGuard) release() {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.n--; g.n == 0 {
		g.restore()
		g.restore = nil
	}
}
