//go:build linux

package scheduler

import (
	"testing"
	"time"
)

// TestPreciseSleepNeverReturnsEarly asserts that the clock_nanosleep wait
// lasts at least what was asked, on the monotonic clock (an upper bound
// would be a timing threshold, which belongs in the benchmark).
func TestPreciseSleepNeverReturnsEarly(t *testing.T) {
	for _, d := range []time.Duration{0, time.Microsecond, 100 * time.Microsecond, 2 * time.Millisecond} {
		t.Run(d.String(), func(t *testing.T) {
			start := time.Now()
			preciseSleep(d)
			if got := time.Since(start); got < d {
				t.Errorf("preciseSleep(%v) returned after %v", d, got)
			}
		})
	}
}
