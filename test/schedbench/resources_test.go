package schedbench

import (
	"flag"
	"fmt"
	"runtime"
	"runtime/debug"
	"syscall"
	"testing"
	"time"
)

var idleWindow = flag.Duration("idle", 5*time.Second, "idle window over which CPU time is measured (use 60s for the table)")

// idleJobs and idlePeriod: 10k jobs, each due in hours.
const (
	idleJobs   = 10_000
	idlePeriod = 3 * time.Hour
)

// heapInUse returns the live heap after a full collection.
func heapInUse() uint64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// cpuTime returns the process's user plus system CPU time.
func cpuTime(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// starters start either scheduler with a workload and a no-op job body.
var starters = []struct {
	name  string
	start func(b *testing.B, w workload) func()
}{
	{"drover", func(b *testing.B, w workload) func() {
		return startDroverShared(b, w)
	}},
	{"gocron", func(b *testing.B, w workload) func() {
		return startGocron(b, w, func(int) {})
	}},
}

func BenchmarkBytesPerJob(b *testing.B) {
	for _, s := range starters {
		for _, n := range []int{1_000, 10_000, 100_000} {
			b.Run(fmt.Sprintf("sched=%s/jobs=%d", s.name, n), func(b *testing.B) {
				for range b.N {
					before := heapInUse()
					stop := s.start(b, workload{n: n, period: idlePeriod, start: time.Now().Add(time.Hour)})
					after := heapInUse()
					stop()
					b.ReportMetric(float64(after-before)/float64(n), "bytes/job")
					b.ReportMetric(0, "ns/op")
				}
			})
		}
	}
}

func BenchmarkIdleCPU(b *testing.B) {
	for _, s := range starters {
		b.Run(fmt.Sprintf("sched=%s/jobs=%d", s.name, idleJobs), func(b *testing.B) {
			for range b.N {
				stop := s.start(b, workload{n: idleJobs, period: idlePeriod, start: time.Now().Add(time.Hour)})
				debug.FreeOSMemory() // collect and scavenge the setup's garbage first
				before := cpuTime(b)
				<-time.After(*idleWindow)
				used := cpuTime(b) - before
				stop()
				b.ReportMetric(float64(used)/1e6, "cpu-ms")
				b.ReportMetric(100*float64(used)/float64(*idleWindow), "cpu-%")
				b.ReportMetric(0, "ns/op")
			}
		})
	}
}
