package fleet

import "errors"

// Sentinel errors of the fleet package. Compare with errors.Is.
var (
	// ErrInvalidDeviceID means a device id does not match the protocol's rule.
	ErrInvalidDeviceID = errors.New("fleet: invalid device id")
	// ErrInvalidClientID means a controller client id (the request's "from")
	// cannot be used as a topic level.
	ErrInvalidClientID = errors.New("fleet: invalid client id")
	// ErrBadTopic means a topic is not one of the protocol's topics.
	ErrBadTopic = errors.New("fleet: not a protocol topic")
	// ErrBadReply means a reply payload is not a valid v1 reply.
	ErrBadReply = errors.New("fleet: malformed reply")
	// ErrTimeout means no final reply arrived before the deadline.
	ErrTimeout = errors.New("fleet: timed out")
	// ErrUnreachable means the broker could not be reached.
	ErrUnreachable = errors.New("fleet: broker unreachable")
	// ErrClosed means the client was closed.
	ErrClosed = errors.New("fleet: client closed")
	// ErrBadSelector means a label selector is not of the form k=v[,k=v].
	ErrBadSelector = errors.New("fleet: bad selector")
)
