package scheduler

import "time"

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

	sched *Scheduler
	ent   *entry
}

// CancelJob ends the job this run belongs to: no further runs are
// scheduled and the job is removed, as when the handler returns
// ErrCancelJob. The current run continues until its handler returns.
// It is safe to call from any goroutine, any number of times.
func (r Run) CancelJob() {
	if r.ent != nil && r.ent.ended.CompareAndSwap(false, true) {
		r.sched.cancelJob(r.ent)
	}
}
