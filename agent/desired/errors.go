package desired

import "errors"

// Sentinel errors of the package. Compare with errors.Is.
var (
	// ErrState: the applied-state file could not be written.
	ErrState = errors.New("desired: applied state")
	// ErrApply: the scheduler or supervisor refused part of a change.
	ErrApply = errors.New("desired: apply")
)
