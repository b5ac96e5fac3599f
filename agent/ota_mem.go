package agent

import (
	"runtime/debug"
	"runtime/metrics"
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
