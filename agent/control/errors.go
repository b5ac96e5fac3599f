package control

import "errors"

// Sentinel errors of the dispatcher. A dependency may wrap ErrNotFound,
// ErrConflict or ErrBadArgs to choose the reply's error code.
var (
	// ErrNotFound maps to the not_found error code.
	ErrNotFound = errors.New("control: not found")
	// ErrConflict maps to the conflict error code.
	ErrConflict = errors.New("control: conflict")
	// ErrBadArgs maps to the bad_request error code.
	ErrBadArgs = errors.New("control: bad arguments")
	// ErrUnavailable maps to the unavailable error code.
	ErrUnavailable = errors.New("control: unavailable")
	// ErrConfig reports a dispatcher built without what it needs.
	ErrConfig = errors.New("control: invalid setup")
	// ErrStopTimeout is returned when in-flight commands or follow leases
	// did not end within the stop timeout.
	ErrStopTimeout = errors.New("control: stop timed out")
)
