package atomicfile

import "errors"

// ErrEmptyPath is returned when Write is given an empty path.
var ErrEmptyPath = errors.New("atomicfile: empty path")
