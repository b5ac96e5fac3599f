package exporter

import "errors"

// Sentinel errors of the exporter package.
var (
	// ErrBadMessage wraps every reason a device's message was ignored.
	ErrBadMessage = errors.New("exporter: bad message")
	// ErrStopTimeout is returned by Serve when the HTTP server did not shut
	// down within its stop timeout.
	ErrStopTimeout = errors.New("exporter: stop timed out")
)
