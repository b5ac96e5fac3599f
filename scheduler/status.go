package scheduler

import "time"

// JobStatus is a snapshot of one job, as returned by Jobs, Job and Tagged.
type JobStatus struct {
	// Def is the job's definition.
	Def JobDef
	// Spec is the canonical text of the job's schedule.
	Spec string
	// NextRun is when the job will next fire (jitter included); zero when
	// paused, broken or not scheduled.
	NextRun time.Time
	// NextNominal is the grid slot of the next run.
	NextNominal time.Time
	// LastRun is when the last run started; zero before the first run.
	LastRun time.Time
	// LastDuration is how long the last finished run took.
	LastDuration time.Duration
	// LastError is the error of the last finished run, "" when it succeeded.
	LastError string
	// Lateness is how late the last run started after its nominal time.
	Lateness time.Duration
	// Runs, Skips and Failures count finished runs, due runs dropped by the
	// overlap policy, and runs that returned an error.
	Runs, Skips, Failures uint64
	// Running is the number of runs in flight; Pending is 1 when a queued
	// run waits (OverlapQueue).
	Running, Pending int
	// Paused is set while the job is paused.
	Paused bool
	// Broken, when not empty, says why the job cannot run.
	Broken string
}

// RunReport is what the observer (WithObserver) receives after each run
// and for each skipped run.
type RunReport struct {
	// Job is the job's name.
	Job string
	// Nominal is the run's grid slot; Fire is when it was due (with jitter).
	Nominal, Fire time.Time
	// Started is when the run started (for a skip, when it was dropped).
	Started time.Time
	// Duration is how long the handler ran; zero for a skip.
	Duration time.Duration
	// Lateness is Started minus Nominal.
	Lateness time.Duration
	// Err is the handler's error, nil on success.
	Err error
	// Skipped is set when the overlap policy dropped the run.
	Skipped bool
	// Manual is set for runs started by RunNow.
	Manual bool
}
