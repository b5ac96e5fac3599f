package schedbench

import (
	"flag"
	"fmt"
	"testing"
	"time"

	"github.com/drover-iot/drover/scheduler"
)

var latenessWindow = flag.Duration("window", 5*time.Second, "how long lateness is sampled per case")

// firingRate is the total firings per second in every lateness case: the
// period grows with the job count (1k jobs every 1s, 100k every 100s).
const firingRate = 1000

// latenessCase sets up n jobs starting shortly after setup and samples
// lateness for the window.
func latenessCase(n int) (workload, time.Duration) {
	period := time.Duration(n/firingRate) * time.Second
	setup := 2*time.Second + time.Duration(n)*20*time.Microsecond
	return workload{n: n, period: period, start: time.Now().Add(setup)}, setup
}

// latenessScheds start a scheduler whose jobs record their lateness:
// Drover as configured by default (precision margin DefaultPrecision),
// Drover with the precise wait off (WithPrecision(0)), and gocron.
var latenessScheds = []struct {
	name  string
	start func(b *testing.B, w workload, rec *recorder) func()
}{
	{"drover", func(b *testing.B, w workload, rec *recorder) func() {
		return startDrover(b, w, droverRecorder(rec))
	}},
	{"drover-plain", func(b *testing.B, w workload, rec *recorder) func() {
		return startDrover(b, w, droverRecorder(rec), scheduler.WithPrecision(0))
	}},
	{"gocron", func(b *testing.B, w workload, rec *recorder) func() {
		return startGocron(b, w, func(i int) {
			now := time.Now()
			rec.add(now, gridLateness(now, w.phase(i), w.period))
		})
	}},
}

// droverRecorder is a Drover job body recording handler start minus due time.
func droverRecorder(rec *recorder) func(int, scheduler.Run) {
	return func(_ int, run scheduler.Run) {
		now := time.Now()
		rec.add(now, now.Sub(run.Fire))
	}
}

// BenchmarkLateness reports lateness p50/p99/max and the process CPU time
// used during the sampled window (cpu-% of one core) at 1000 firings/s,
// and the machine's CPU pressure over the window (psi-%), which tells a
// run disturbed by other load.
func BenchmarkLateness(b *testing.B) {
	for _, n := range []int{1_000, 10_000, 100_000} {
		for _, s := range latenessScheds {
			b.Run(fmt.Sprintf("sched=%s/jobs=%d", s.name, n), func(b *testing.B) {
				for range b.N {
					w, _ := latenessCase(n)
					rec := newRecorder(w.start.Add(500*time.Millisecond), *latenessWindow, firingRate*int(*latenessWindow/time.Second)*2+1000)
					stop := s.start(b, w, rec)
					waitUntil(rec.from)
					before, psi := cpuTime(b), startPressure()
					waitUntil(rec.to)
					used := cpuTime(b) - before
					psi.report(b, *latenessWindow)
					stop()
					rec.report(b)
					b.ReportMetric(100*float64(used)/float64(*latenessWindow), "cpu-%")
				}
			})
		}
	}
}

// gridLateness is how far now is past the closest earlier slot of the
// grid phase + k*period (negative when just before a slot).
func gridLateness(now, phase time.Time, period time.Duration) time.Duration {
	d := now.Sub(phase) % period
	if d < 0 {
		d += period
	}
	if d > period/2 {
		d -= period
	}
	return d
}

// waitUntil blocks until t on the real clock: the benchmark's window.
func waitUntil(t time.Time) {
	<-time.After(time.Until(t))
}
