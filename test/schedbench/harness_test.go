package schedbench

import (
	"context"
	"fmt"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/drover-iot/drover/scheduler"
	"github.com/go-co-op/gocron/v2"
)

// workload is N interval jobs of one period whose first runs are spread
// evenly over the period, starting at start.
type workload struct {
	n      int
	period time.Duration
	start  time.Time
}

// phase is the first fire time of job i.
func (w workload) phase(i int) time.Time {
	return w.start.Add(time.Duration(int64(w.period) * int64(i) / int64(w.n)))
}

// recorder keeps the lateness of firings inside a window, lock-free.
type recorder struct {
	from, to time.Time
	next     atomic.Int64
	vals     []time.Duration
}

func newRecorder(from time.Time, window time.Duration, capacity int) *recorder {
	return &recorder{from: from, to: from.Add(window), vals: make([]time.Duration, capacity)}
}

func (r *recorder) add(now time.Time, late time.Duration) {
	if now.Before(r.from) || now.After(r.to) {
		return
	}
	if i := r.next.Add(1) - 1; i < int64(len(r.vals)) {
		r.vals[i] = late
	}
}

// report puts p50, p99 and max lateness (ms) and the sample count on b.
func (r *recorder) report(b *testing.B) {
	n := min(int(r.next.Load()), len(r.vals))
	if n == 0 {
		b.Fatal("no firings recorded")
	}
	v := slices.Clone(r.vals[:n])
	slices.Sort(v)
	ms := func(d time.Duration) float64 { return float64(d) / 1e6 }
	b.ReportMetric(ms(v[n/2]), "p50-ms")
	b.ReportMetric(ms(v[n*99/100]), "p99-ms")
	b.ReportMetric(ms(v[n-1]), "max-ms")
	b.ReportMetric(float64(n), "firings")
	b.ReportMetric(0, "ns/op")
}

// memStore hands the scheduler a prepared State, so Drover's jobs start at
// exactly the same phases as gocron's (WithStartDateTime); it saves nothing.
type memStore struct{ st scheduler.State }

func (m memStore) Load(context.Context) (scheduler.State, error) { return m.st, nil }
func (m memStore) Save(context.Context, scheduler.State) error   { return nil }

// startDrover runs Drover's scheduler with the workload's jobs, each
// calling fn(i, run), and opts. It returns a stop function.
func startDrover(b *testing.B, w workload, fn func(i int, run scheduler.Run), opts ...scheduler.Option) func() {
	reg := scheduler.NewRegistry()
	spec := fmt.Sprintf("every %s", w.period)
	st := scheduler.State{Version: scheduler.StateVersion}
	for i := range w.n {
		h := fmt.Sprint("h", i)
		reg.MustRegister(h, func(_ context.Context, run scheduler.Run) error { fn(i, run); return nil })
		next := w.phase(i)
		st.Jobs = append(st.Jobs, scheduler.JobRecord{
			Def:         scheduler.JobDef{Name: fmt.Sprint("job", i), Spec: spec, Handler: h},
			LastNominal: next.Add(-w.period), NextNominal: next,
		})
	}
	opts = append([]scheduler.Option{scheduler.WithStore(memStore{st}), scheduler.WithSaveInterval(24 * time.Hour)}, opts...)
	s := scheduler.New(reg, opts...)
	return run(b, s)
}

// startDroverShared adds the workload's jobs through Add, all naming one
// shared no-op handler, as a device's configuration would.
func startDroverShared(b *testing.B, w workload) func() {
	reg := scheduler.NewRegistry()
	reg.MustRegister("noop", func(context.Context, scheduler.Run) error { return nil })
	s := scheduler.New(reg)
	spec := fmt.Sprintf("every %s", w.period)
	for i := range w.n {
		if err := s.Add(scheduler.JobDef{Name: fmt.Sprint("job", i), Spec: spec, Handler: "noop"}); err != nil {
			b.Fatal(err)
		}
	}
	return run(b, s)
}

// run starts s, waits until it serves, and returns its stop function.
func run(b *testing.B, s *scheduler.Scheduler) func() {
	done := make(chan error, 1)
	go func() { done <- s.Run(context.Background()) }()
	<-s.Started()
	s.IdleUntil() // a round trip through the owner goroutine
	return func() {
		if err := s.Close(); err != nil {
			b.Error(err)
		}
		<-done
	}
}

// startGocron runs gocron with the workload's jobs, each calling fn(i).
func startGocron(b *testing.B, w workload, fn func(i int)) func() {
	s, err := gocron.NewScheduler()
	if err != nil {
		b.Fatal(err)
	}
	for i := range w.n {
		_, err := s.NewJob(
			gocron.DurationJob(w.period),
			gocron.NewTask(func() { fn(i) }),
			gocron.WithStartAt(gocron.WithStartDateTimePast(w.phase(i))),
		)
		if err != nil {
			b.Fatal(err)
		}
	}
	s.Start()
	return func() {
		if err := s.Shutdown(); err != nil {
			b.Error(err)
		}
	}
}
