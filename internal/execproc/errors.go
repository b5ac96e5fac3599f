package execproc

import (
	"errors"
	"fmt"
)

// Sentinel errors of the package. Compare with errors.Is.
var (
	// ErrNoPath is returned when a Cmd has an empty Path.
	ErrNoPath = errors.New("execproc: empty command path")
	// ErrStopped is wrapped by an *ExitError whose process was stopped
	// because the context of Run was cancelled.
	ErrStopped = errors.New("execproc: stopped")
	// ErrKillTimeout is returned when a process has not ended within
	// StopTimeout after SIGKILL (for example stuck in uninterruptible sleep).
	// A goroutine keeps waiting for it so that it is reaped eventually.
	ErrKillTimeout = errors.New("execproc: process did not die after SIGKILL")
	// ErrOutputLimit is returned by Output, with the first limit bytes, when
	// the command wrote more than limit bytes to stdout.
	ErrOutputLimit = errors.New("execproc: output limit exceeded")
)

// ExitError reports a process that exited with a non-zero code or was
// killed by a signal. The supervisor records ExitStatus in the unit status.
type ExitError struct {
	Exit
	// Stderr holds the tail of the standard error, set by Output only.
	Stderr string
}

// ExitStatus returns the exit code (-1 when killed by a signal) and the
// signal name ("" when the process exited by itself).
func (e *ExitError) ExitStatus() (code int, signal string) {
	return e.Code, e.Signal
}

// Error describes how the process ended.
func (e *ExitError) Error() string {
	msg := fmt.Sprintf("exit status %d", e.Code)
	if e.Signal != "" {
		msg = "killed by signal " + e.Signal
	}
	if e.Stopped {
		msg += " (stopped)"
	}
	if e.Stderr != "" {
		msg += ": " + e.Stderr
	}
	return msg
}

// Unwrap returns ErrStopped when the process was stopped through the
// context, so errors.Is(err, ErrStopped) tells a requested stop from a crash.
func (e *ExitError) Unwrap() error {
	if e.Stopped {
		return ErrStopped
	}
	return nil
}
