package client

import "errors"

// Sentinel errors of the operator's client. Compare with errors.Is.
var (
	// ErrTimeout means no final reply arrived before the deadline.
	ErrTimeout = errors.New("fleet: timed out")
	// ErrUnreachable means the broker could not be reached.
	ErrUnreachable = errors.New("fleet: broker unreachable")
	// ErrClosed means the client was closed.
	ErrClosed = errors.New("fleet: client closed")
)
