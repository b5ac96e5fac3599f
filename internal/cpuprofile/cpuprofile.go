// Package cpuprofile lets a Drover command write a CPU profile of its run
// when the environment asks for one (DROVER_CPUPROFILE=FILE), for the
// measurements in docs/PERFORMANCE.md. It costs nothing when unset.
package cpuprofile

import (
	"fmt"
	"io"
	"os"
	"runtime/pprof"
)

// EnvVar names the file to write the profile to.
const EnvVar = "DROVER_CPUPROFILE"

// Start starts a CPU profile to path, when path is not empty, and returns
// what stops it and closes the file. A profile that cannot start is
// reported on errw and the command runs on without it.
func Start(path string, errw io.Writer) (stop func()) {
	if path == "" {
		return func() {}
	}
	f, err := os.Create(path)
	if err == nil {
		if err = pprof.StartCPUProfile(f); err != nil {
			f.Close()
		}
	}
	if err != nil {
		fmt.Fprintln(errw, "cpu profile:", err)
		return func() {}
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}
}
