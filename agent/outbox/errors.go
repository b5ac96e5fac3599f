package outbox

import "errors"

// Sentinel errors of the outbox. Compare with errors.Is.
var (
	// ErrCorrupt reports a record whose bytes do not decode (bad length,
	// version or checksum).
	ErrCorrupt = errors.New("outbox: corrupt record")
	// ErrTooLarge reports a record larger than Options.MaxBytes on its own.
	ErrTooLarge = errors.New("outbox: record larger than the outbox")
	// ErrClosed is returned by operations on a closed outbox.
	ErrClosed = errors.New("outbox: closed")
	// ErrOpen reports that the outbox file could not be opened or created.
	ErrOpen = errors.New("outbox: open")
)
