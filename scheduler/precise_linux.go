//go:build linux

package scheduler

import (
	"errors"
	"time"

	"golang.org/x/sys/unix"
)

// preciseSleep is the engine's precise wait on Linux: sleepMonotonic.
var preciseSleep = sleepMonotonic

// sleepMonotonic blocks the calling thread for d on CLOCK_MONOTONIC with
// clock_nanosleep and an absolute deadline, so an interrupted sleep
// (EINTR) resumes without drift. It does not spin: the kernel wakes the
// thread with its high-resolution timer, typically within tens of
// microseconds (the thread's timer slack is set to 1 ns, from the default
// 50 µs), while the Go runtime hands the thread's P to other goroutines.
// Should the monotonic clock not be readable, it falls back to time.Sleep,
// which is as correct and only less precise.
func sleepMonotonic(d time.Duration) {
	var ts unix.Timespec
	if err := unix.ClockGettime(unix.CLOCK_MONOTONIC, &ts); err != nil {
		time.Sleep(d)
		return
	}
	deadline := unix.NsecToTimespec(ts.Nano() + int64(d))
	_ = unix.Prctl(unix.PR_SET_TIMERSLACK, 1, 0, 0, 0)
	for {
		err := unix.ClockNanosleep(unix.CLOCK_MONOTONIC, unix.TIMER_ABSTIME, &deadline, nil)
		if !errors.Is(err, unix.EINTR) {
			return
		}
	}
}
