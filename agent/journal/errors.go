package journal

import "errors"

// Sentinel errors. Compare with errors.Is; the journal wraps them with
// detail about what failed.
var (
	// ErrBadOptions reports an invalid Options value (sizes out of range).
	ErrBadOptions = errors.New("journal: invalid options")
	// ErrBadRecord reports a JSON record that cannot be decoded.
	ErrBadRecord = errors.New("journal: malformed record")
	// ErrDisk reports a failure to open, write or rotate the on-disk copy.
	ErrDisk = errors.New("journal: disk copy")
	// ErrCloseTimeout reports that Close gave up waiting for the disk copy
	// to be flushed within Options.CloseTimeout.
	ErrCloseTimeout = errors.New("journal: close timed out")
)
