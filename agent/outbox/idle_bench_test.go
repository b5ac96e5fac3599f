package outbox

import (
	"context"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// cpuTime is the CPU time of this process so far, every thread included.
func cpuTime(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkIdleReading measures the outbox's cost per telemetry reading on
// an agent whose readings are far apart: the zero-config agent reads its
// system sensors every 10 s with sync_interval 1 s. Each reading is
// appended through a running Run, waits until it is ready to send, is
// acknowledged, and the outbox then idles for 10 intervals. The interval
// is scaled down to 10 ms (the ratio is kept) so that a run takes seconds.
// It reports the process's CPU time per reading (getrusage: Run's
// goroutine, its timers and the runtime's wake-ups included), write
// transactions and bytes written per reading.
func BenchmarkIdleReading(b *testing.B) {
	const interval = 10 * time.Millisecond
	o, err := Open(filepath.Join(b.TempDir(), "outbox.db"), Options{SyncInterval: interval})
	if err != nil {
		b.Fatal(err)
	}
	ready := make(chan struct{}, 1)
	o.SetNotify(func() {
		select {
		case ready <- struct{}{}:
		default:
		}
	})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- o.Run(ctx) }()
	rec := Record{Topic: "drover/pi/telemetry", QoS: 1, Class: ClassTelemetry}
	time.Sleep(10 * interval) // idle before the first reading, as between readings
	cpu, written, writes := cpuTime(b), wchar(b), o.Stats().Writes
	b.ResetTimer()
	for range b.N {
		if err := o.AppendSeq(rec, reading); err != nil {
			b.Fatal(err)
		}
		r, ok := o.Front()
		for ; !ok; r, ok = o.Front() {
			<-ready
		}
		if err := o.Ack(r.ID); err != nil {
			b.Fatal(err)
		}
		time.Sleep(10 * interval) // the idle time between readings, not a synchronisation
	}
	b.StopTimer()
	n := float64(b.N)
	b.ReportMetric(float64(cpuTime(b)-cpu)/float64(time.Microsecond)/n, "cpu-µs/reading")
	b.ReportMetric(float64(o.Stats().Writes-writes)/n, "writes/reading")
	b.ReportMetric(float64(wchar(b)-written)/n, "written-B/reading")
	cancel()
	<-done
	if err := o.Close(); err != nil {
		b.Fatal(err)
	}
}
