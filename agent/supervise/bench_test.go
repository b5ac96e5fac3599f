package supervise

import (
	"context"
	"fmt"
	"runtime"
	"testing"
	"time"

	"github.com/drover-iot/drover/fleet"
)

const benchTasks = 10_000

func benchSup(b *testing.B) *Supervisor {
	s := New()
	err := s.Register("block", func(ctx context.Context, _ *Ctl) (any, error) {
		<-ctx.Done()
		return nil, ctx.Err()
	})
	if err != nil {
		b.Fatal(err)
	}
	return s
}

func waitAll(b *testing.B, s *Supervisor, n int, state fleet.UnitState) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	for i := range n {
		if _, err := s.WaitFor(ctx, fmt.Sprintf("t%05d", i), InState(state)); err != nil {
			b.Fatal(err)
		}
	}
}

func addAll(b *testing.B, s *Supervisor, n int) {
	for i := range n {
		if _, err := s.Add(TaskSpec{Name: fmt.Sprintf("t%05d", i), Func: "block"}); err != nil {
			b.Fatal(err)
		}
	}
}

func shutdown(b *testing.B, s *Supervisor) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := s.Shutdown(ctx); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkIdleTaskMemory measures the heap and goroutine stack held by
// each idle supervised task (a task blocked on ctx.Done).
func BenchmarkIdleTaskMemory(b *testing.B) {
	var heap, stack float64
	for b.Loop() {
		s := benchSup(b)
		before := memStats()
		addAll(b, s, benchTasks)
		waitAll(b, s, benchTasks, fleet.UnitRunning)
		after := memStats()
		heap += float64(after.HeapAlloc-before.HeapAlloc) / benchTasks
		stack += float64(after.StackInuse-before.StackInuse) / benchTasks
		shutdown(b, s)
	}
	b.ReportMetric(heap/float64(b.N), "heap-B/task")
	b.ReportMetric(stack/float64(b.N), "stack-B/task")
}

func memStats() runtime.MemStats {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m
}

// BenchmarkStartStop10k measures adding and starting 10,000 tasks until
// all run, then stopping them until all are stopped; one op is the whole
// cycle, and start-ms and stop-ms split it.
func BenchmarkStartStop10k(b *testing.B) {
	var startT, stopT time.Duration
	for b.Loop() {
		s := benchSup(b)
		t0 := time.Now()
		addAll(b, s, benchTasks)
		waitAll(b, s, benchTasks, fleet.UnitRunning)
		t1 := time.Now()
		if _, err := s.Stop("*"); err != nil {
			b.Fatal(err)
		}
		waitAll(b, s, benchTasks, fleet.UnitStopped)
		startT += t1.Sub(t0)
		stopT += time.Since(t1)
		shutdown(b, s)
	}
	b.ReportMetric(float64(startT.Milliseconds())/float64(b.N), "start-ms")
	b.ReportMetric(float64(stopT.Milliseconds())/float64(b.N), "stop-ms")
}
