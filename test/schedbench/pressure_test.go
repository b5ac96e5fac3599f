package schedbench

import (
	"os"
	"strconv"
	"strings"
	"testing"
	"time"
)

// cpuPressure returns the kernel's cumulative "some" CPU pressure stall
// time (/proc/pressure/cpu: time in which at least one runnable task of
// the machine waited for a CPU), and false where PSI is not available.
// Its growth over a window shows how much other load competed for the
// CPUs, so a noisy run can be told from a slow scheduler.
func cpuPressure() (time.Duration, bool) {
	b, err := os.ReadFile("/proc/pressure/cpu")
	if err != nil {
		return 0, false
	}
	for _, line := range strings.Split(string(b), "\n") {
		if !strings.HasPrefix(line, "some ") {
			continue
		}
		for _, f := range strings.Fields(line) {
			if v, ok := strings.CutPrefix(f, "total="); ok {
				us, err := strconv.ParseInt(v, 10, 64)
				return time.Duration(us) * time.Microsecond, err == nil
			}
		}
	}
	return 0, false
}

// pressureMeter reports the CPU pressure stall time over a window as a
// percentage of the window ("psi-%"); nothing where PSI is unavailable.
type pressureMeter struct {
	start time.Duration
	ok    bool
}

func startPressure() pressureMeter {
	v, ok := cpuPressure()
	return pressureMeter{start: v, ok: ok}
}

func (p pressureMeter) report(b *testing.B, window time.Duration) {
	end, ok := cpuPressure()
	if p.ok && ok {
		b.ReportMetric(100*float64(end-p.start)/float64(window), "psi-%")
	}
}
