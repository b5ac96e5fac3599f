//go:build !linux

package scheduler

import "time"

// preciseSleep is nil where clock_nanosleep is not used: the engine then
// re-arms its timer for the rest of a wait, with the runtime's precision.
var preciseSleep func(time.Duration)
