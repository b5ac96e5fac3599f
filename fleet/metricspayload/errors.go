package metricspayload

import "errors"

// Sentinel errors of the metricspayload package.
var (
	// ErrPayload wraps every reason a payload is refused.
	ErrPayload = errors.New("metricspayload: bad payload")
	// ErrTooLarge reports a payload over one of the Limits.
	ErrTooLarge = errors.New("metricspayload: payload too large")
)
