package restart

import "errors"

// Sentinel errors of restart policies.
var (
	// ErrBadMode means the mode is not no, on-failure or always.
	ErrBadMode = errors.New("restart: bad mode")
	// ErrBadPolicy means a backoff or burst setting is out of range.
	ErrBadPolicy = errors.New("restart: bad policy")
)
