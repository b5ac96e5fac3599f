package groups

import "errors"

// Sentinel errors of the package. Compare with errors.Is.
var (
	// ErrBadDocument: a group payload is not a group document.
	ErrBadDocument = errors.New("groups: bad group document")
	// ErrTooLarge: a group payload exceeds MaxDocumentSize.
	ErrTooLarge = errors.New("groups: group document too large")
)
