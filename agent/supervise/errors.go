package supervise

import "errors"

// Sentinel errors of the supervisor. Compare with errors.Is.
var (
	// ErrNotFound means no unit matched the given name or pattern.
	ErrNotFound = errors.New("supervise: not found")
	// ErrExists means a unit with that name already exists.
	ErrExists = errors.New("supervise: already exists")
	// ErrUnknownFunc means a task names a function that is not registered.
	ErrUnknownFunc = errors.New("supervise: unknown task function")
	// ErrUnknownKind means a service names a kind that is not registered.
	ErrUnknownKind = errors.New("supervise: unknown service kind")
	// ErrShutdownTimeout means units did not end within the shutdown bound.
	ErrShutdownTimeout = errors.New("supervise: shutdown timed out")
	// ErrCycle means services require each other in a cycle.
	ErrCycle = errors.New("supervise: dependency cycle")
	// ErrUnknownDependency means a service requires a service that does not exist.
	ErrUnknownDependency = errors.New("supervise: unknown dependency")
	// ErrBadName means a unit or function name is empty or malformed.
	ErrBadName = errors.New("supervise: bad name")
	// ErrNotService means the named unit is a task where a service was expected.
	ErrNotService = errors.New("supervise: not a service")
	// ErrClosed means the supervisor has been shut down.
	ErrClosed = errors.New("supervise: supervisor is shut down")
	// ErrPanic wraps the value of a panic recovered from a task.
	ErrPanic = errors.New("supervise: task panicked")
	// ErrWatchdog means a unit missed its heartbeat and was restarted.
	ErrWatchdog = errors.New("supervise: watchdog timeout")
	// ErrBadState means the persisted state file is damaged or of an
	// unknown version.
	ErrBadState = errors.New("supervise: bad state file")
)
