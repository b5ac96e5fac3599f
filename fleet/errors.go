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
	// ErrBadLevel reports a level name that ParseLevel does not know.
	ErrBadLevel = errors.New("fleet: unknown level")
	// ErrBadSelector means a label selector does not follow the Kubernetes
	// label-selector syntax (k=v, k!=v, k in (a,b), k notin (a,b), k, !k).
	ErrBadSelector = errors.New("fleet: bad selector")
	// ErrBadPayload means a device's state, info, status or telemetry
	// message could not be read.
	ErrBadPayload = errors.New("fleet: malformed payload")
	// ErrBadKey means a trusted key given to NewKeyring cannot be used.
	ErrBadKey = errors.New("fleet: bad trusted key")
)
