package metrics

import "errors"

// Sentinel errors of the metrics package.
var (
	// ErrListen reports that the metrics address could not be listened on.
	ErrListen = errors.New("metrics: listen")
	// ErrStopTimeout is returned by Serve when the HTTP server did not shut
	// down within its stop timeout.
	ErrStopTimeout = errors.New("metrics: stop timed out")
)
