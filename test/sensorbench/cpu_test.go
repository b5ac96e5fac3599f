package sensorbench

import (
	"context"
	"flag"
	"fmt"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"

	"github.com/drover-iot/drover/sensors"
	"github.com/drover-iot/drover/sensors/simulated"
)

var cpuRun = flag.Duration("cpu-run", 0, "run 20 simulated sensors at 10 Hz for this long and report CPU time")

// TestSamplerCPU measures the agent-side CPU of sampling: 20 simulated
// sensors at 10 Hz on the real clock, for -cpu-run, via getrusage.
func TestSamplerCPU(t *testing.T) {
	if *cpuRun <= 0 {
		t.Skip("set -cpu-run (e.g. -cpu-run 60s) to measure")
	}
	clock := clockwork.NewRealClock()
	var items []sensors.Scheduled
	for i := range 20 {
		s, err := simulated.New(fmt.Sprintf("sim%02d", i), simulated.Config{Noise: 0.1, Seed: uint64(i + 1)}, clock)
		if err != nil {
			t.Fatal(err)
		}
		items = append(items, sensors.Scheduled{Sensor: s, Schedule: sensors.Period(100 * time.Millisecond), Timeout: time.Second})
	}
	var readings atomic.Int64
	sampler := sensors.NewSampler(items, func(b []sensors.Reading) { readings.Add(int64(len(b))) }, sensors.SamplerOptions{Clock: clock})
	ctx, cancel := context.WithTimeout(context.Background(), *cpuRun)
	defer cancel()
	before := rusage(t)
	wall := time.Now()
	if err := sampler.Run(ctx); err != nil {
		t.Fatal(err)
	}
	cpu := rusage(t) - before
	elapsed := time.Since(wall)
	t.Logf("20 sensors at 10 Hz for %s: %d readings, CPU %.3f s (%.2f%% of one core), %.1f µs CPU per reading",
		elapsed.Round(time.Millisecond), readings.Load(), cpu.Seconds(),
		100*cpu.Seconds()/elapsed.Seconds(), float64(cpu.Microseconds())/float64(readings.Load()))
}

// rusage returns the user+system CPU time of this process.
func rusage(t *testing.T) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		t.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
