package jobspec

import "errors"

// Sentinel errors of the package. Compare with errors.Is.
var (
	// ErrInvalid is wrapped by *Problems: a document has one or more problems.
	ErrInvalid = errors.New("config: invalid configuration")
)
