package agent

import "errors"

// Sentinel errors of the agent.
var (
	// ErrConfig reports a configuration the agent cannot run with (for
	// example an invalid device id). cmd/agent exits 2 on it.
	ErrConfig = errors.New("agent: invalid configuration")
	// ErrRegister reports a task or handler registration that failed.
	ErrRegister = errors.New("agent: register")
	// ErrStopTimeout is returned when a part did not stop within its bound.
	ErrStopTimeout = errors.New("agent: stop timed out")
	// ErrDataDirLocked is returned by Run when another agent holds the
	// data dir's lock (<data_dir>/agent.lock). cmd/agent exits 2 on it.
	ErrDataDirLocked = errors.New("agent: data dir in use by another agent")
	// ErrJobArgs is the failure of a built-in job handler whose args are
	// missing or of the wrong type.
	ErrJobArgs = errors.New("agent: job args")
	// ErrRestart is returned by Run after agent.restart: the caller
	// re-executes the binary (see Reexec).
	ErrRestart = errors.New("agent: restart requested")
	// ErrTrial is returned by Run, before it starts anything, when an OTA
	// candidate waits for its trial: the caller calls SuperviseTrial.
	ErrTrial = errors.New("agent: an OTA trial is due")
	// ErrGroupJob refuses to remove a job a group manages: the group
	// would not give it back until its next change.
	ErrGroupJob = errors.New("agent: job of a group")
)
