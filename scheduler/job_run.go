package scheduler

import (
	"sync/atomic"
	"time"
)

// Run describes one run of a job, as its handler sees it.
type Run struct {
	// Job is the job's name.
	Job string
	// Args are the job's arguments. They are shared between runs: do not
	// modify them.
	Args map[string]any
	// Nominal is the slot on the job's schedule grid this run belongs to
	// (for a manual run, the time RunNow was called).
	Nominal time.Time
	// Fire is when the run was due: Nominal plus the spec's jitter.
	Fire time.Time
	// Started is when the scheduler started the run.
	Started time.Time
	// Manual is set for runs started by RunNow.
	Manual bool

	ender *jobEnder
}

// CancelJob ends the job this run belongs to: no further runs are
// scheduled and the job is removed, as when the handler returns
// ErrCancelJob. The current run continues until its handler returns.
// It is safe to call from any goroutine, any number of times.
func (r Run) CancelJob() {
	if r.ender != nil {
		r.ender.end()
	}
}

// jobEnder lets a handler end its job without blocking on the scheduler.
type jobEnder struct {
	ended  atomic.Bool
	notify func()
}

// end flags the job as ended and tells the scheduler, once.
func (j *jobEnder) end() {
	if j.ended.CompareAndSwap(false, true) && j.notify != nil {
		j.notify()
	}
}
