package scheduler

import "errors"

// Sentinel errors of the engine. Compare with errors.Is: the scheduler wraps
// them with the job name or the file that failed.
var (
	// ErrExists is returned by Add when a job of that name already exists.
	ErrExists = errors.New("scheduler: job already exists")
	// ErrNotFound is returned when no job has the given name.
	ErrNotFound = errors.New("scheduler: job not found")
	// ErrStopped is returned by calls made after the scheduler stopped.
	ErrStopped = errors.New("scheduler: stopped")
	// ErrStopTimeout is returned by Run and Close when running jobs did not
	// finish within the stop timeout (see WithStopTimeout).
	ErrStopTimeout = errors.New("scheduler: stop timed out waiting for running jobs")
	// ErrAlreadyRunning is returned by a second call to Run.
	ErrAlreadyRunning = errors.New("scheduler: already running")
	// ErrInvalidJob is returned by Add for a job definition that does not
	// validate (bad name, spec, overlap or catch-up policy).
	ErrInvalidJob = errors.New("scheduler: invalid job")
	// ErrUnknownHandler is returned by Add when the job names a handler that
	// is not registered, and is the reason a restored job is broken.
	ErrUnknownHandler = errors.New("scheduler: unknown handler")
	// ErrNoFutureRun is returned by Add for a job whose spec has no run
	// after now (a past "at", an "until" already passed).
	ErrNoFutureRun = errors.New("scheduler: spec has no future run")
	// ErrBroken is returned by RunNow for a job that cannot run.
	ErrBroken = errors.New("scheduler: job is broken")
	// ErrBusy is returned by RunNow when the job's overlap policy refuses
	// another run while one is running.
	ErrBusy = errors.New("scheduler: job is busy")
	// ErrCancelJob, returned by a handler (possibly wrapped), ends its job:
	// no further runs are scheduled. It is not counted as a failure. It is
	// the counterpart of Python schedule's CancelJob.
	ErrCancelJob = errors.New("scheduler: cancel job")
	// ErrCorrupt is returned by a Store whose document cannot be decoded
	// (truncated, not JSON, or failing validation).
	ErrCorrupt = errors.New("scheduler: corrupt state document")
	// ErrRecovered is returned by FileStore.Load together with a valid State
	// when the main file was unusable and the previous good copy was loaded.
	ErrRecovered = errors.New("scheduler: recovered state from previous copy")
	// ErrVersion is returned when a state document has a version this
	// package does not understand.
	ErrVersion = errors.New("scheduler: unsupported state version")
	// ErrDuplicateHandler is returned by Registry.Register for a name that is
	// already registered.
	ErrDuplicateHandler = errors.New("scheduler: handler already registered")
	// ErrPanic wraps the value of a handler that panicked; the run counts
	// as failed and the error carries the stack.
	ErrPanic = errors.New("scheduler: handler panicked")
)
