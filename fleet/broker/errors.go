package broker

import "errors"

// Sentinel errors of the broker package.
var (
	// ErrStart means the broker could not start (typically the address is in use).
	ErrStart = errors.New("broker: start")
	// ErrNotStarted means Addr or Close was called before Start.
	ErrNotStarted = errors.New("broker: not started")
	// ErrCloseTimeout means the broker did not stop within Options.CloseTimeout.
	ErrCloseTimeout = errors.New("broker: close timed out")
)
