package top

import "errors"

// Sentinel errors of package top. Compare with errors.Is.
var (
	// ErrWatch means the fleet watch ended with an error.
	ErrWatch = errors.New("top: watching the fleet failed")
)
