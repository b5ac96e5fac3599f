// Package oneproc puts the process on one processor (GOMAXPROCS=1) unless
// the GOMAXPROCS variable names a number, as early as a Go program can:
// in a package initialised before most others (packages are initialised
// in import-path order once their imports are), so that the runtime has
// little to hand back from the processor it removes. The device daemon
// imports it for that effect alone.
//
// The agent waits on timers and sockets and its work runs in child
// processes; with one processor the Go scheduler starts no spinning
// threads to look for work at each wake-up: 1,000 agents on one 2-core
// machine used 79 instead of 112 ms of CPU each to come online (see
// docs/PERFORMANCE.md).
package oneproc

import (
	"os"
	"runtime"
	"strconv"
)

func init() { runtime.GOMAXPROCS(Procs(os.Getenv)) }

// Procs is the number of processors to use: 1 unless getenv("GOMAXPROCS")
// is a positive number.
func Procs(getenv func(string) string) int {
	if n, err := strconv.Atoi(getenv("GOMAXPROCS")); err == nil && n > 0 {
		return n
	}
	return 1
}
