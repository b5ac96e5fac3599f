package scheduler

import (
	"context"
	"math/rand/v2"
	"sync/atomic"
	"time"
)

// entry is the engine's record of one job.
//
// It is kept small (no time.Time, a shared Spec) because a device may hold
// many thousands of jobs: see docs/PERFORMANCE.md, "Scheduler".
type entry struct {
	def     JobDef
	spec    *sharedSpec // nil while broken
	handler Handler
	broken  string // why the job cannot run; "" when it can

	index int    // position in the heap, -1 when not scheduled
	seq   uint64 // insertion order, breaks ties in the heap

	nominal     wall   // next grid slot
	fire        wall   // nominal plus jitter: the heap key
	lastNominal wall   // last slot that came due
	fired       uint64 // slots that came due, for "times N"

	lastRun      wall
	lastDuration time.Duration
	lastErr      string
	lateness     time.Duration
	runs, skips  uint64
	failures     uint64

	running int
	pending *Run // the queued run (OverlapQueue)
	removed bool

	ctx    context.Context // parent of the job's runs; cancelled on Remove
	cancel context.CancelFunc
	ended  atomic.Bool // set by Run.CancelJob
}

// wall is a wall-clock instant in Unix nanoseconds, 0 for the zero time:
// 8 bytes where a time.Time takes 24.
type wall int64

func wallOf(t time.Time) wall {
	if t.IsZero() {
		return 0
	}
	return wall(t.UnixNano())
}

func (w wall) time() time.Time {
	if w == 0 {
		return time.Time{}
	}
	return time.Unix(0, int64(w)).UTC()
}

// setNext makes nominal the next slot and draws its fire time.
func (ent *entry) setNext(nominal time.Time, r *rand.Rand) {
	ent.nominal = wallOf(nominal)
	ent.fire = ent.nominal
	if j := ent.spec.Jitter(); j > 0 && !nominal.IsZero() {
		ent.fire += wall(r.Int64N(int64(j)))
	}
}

// exhausted reports whether the slot that just came due was the last one.
func (ent *entry) exhausted() bool {
	t := ent.spec.Times()
	return ent.spec.OneShot() || (t > 0 && ent.fired >= uint64(t))
}

// beyond reports whether t is past the spec's until limit.
func (ent *entry) beyond(t time.Time) bool {
	u := ent.spec.Until()
	return !u.IsZero() && t.After(u)
}

// runnable reports whether the job may be put in the heap.
func (ent *entry) runnable() bool {
	return ent.broken == "" && !ent.def.Paused && !ent.removed
}

// jobContext returns the job's context, created under base on first use.
func (ent *entry) jobContext(base context.Context) context.Context {
	if ent.ctx == nil {
		ent.ctx, ent.cancel = context.WithCancel(base)
	}
	return ent.ctx
}

// release cancels the job's context once it is removed and idle.
func (ent *entry) release() {
	if ent.removed && ent.running == 0 && ent.cancel != nil {
		ent.cancel()
	}
}

// status renders the entry as a JobStatus.
func (ent *entry) status() JobStatus {
	st := JobStatus{
		Def: ent.def, Spec: ent.def.Spec,
		LastRun: ent.lastRun.time(), LastDuration: ent.lastDuration, LastError: ent.lastErr,
		Lateness: ent.lateness, Runs: ent.runs, Skips: ent.skips, Failures: ent.failures,
		Running: ent.running, Paused: ent.def.Paused, Broken: ent.broken,
	}
	if ent.pending != nil {
		st.Pending = 1
	}
	if ent.index >= 0 {
		st.NextRun, st.NextNominal = ent.fire.time(), ent.nominal.time()
	}
	return st
}
