package scheduler

import (
	"context"
	"testing"
	"time"
)

// TestRealClockNeverFiresEarly runs jobs on the real clock with a margin
// much larger than the runtime's timer granularity, so most wakes take the
// precise wait, while requests keep arriving. It asserts correctness only:
// every run starts, none before its due time, and every request is served.
func TestRealClockNeverFiresEarly(t *testing.T) {
	tests := []struct {
		name      string
		precision time.Duration
	}{
		{"precise", 20 * time.Millisecond},
		{"default", DefaultPrecision},
		{"off", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			reg := NewRegistry()
			type start struct {
				run Run
				at  time.Time
			}
			starts := make(chan start, 64)
			reg.MustRegister("rec", func(_ context.Context, r Run) error {
				starts <- start{r, time.Now()}
				return nil
			})
			s := New(reg, WithPrecision(tt.precision))
			if err := s.Add(JobDef{Name: "j", Spec: "every 5ms", Handler: "rec", Tags: []string{"t"}}); err != nil {
				t.Fatal(err)
			}
			done := make(chan error, 1)
			go func() { done <- s.Run(context.Background()) }()
			for i := range 10 {
				if _, ok := s.Job("j"); !ok { // a request, often during a wait
					t.Fatal("job j vanished")
				}
				var st start
				select {
				case st = <-starts:
				case <-time.After(guard):
					t.Fatalf("run %d did not start", i)
				}
				if st.at.Before(st.run.Fire) || st.run.Started.Before(st.run.Fire) {
					t.Fatalf("run %d started at %v (engine %v), before its due time %v", i, st.at, st.run.Started, st.run.Fire)
				}
			}
			if err := s.Close(); err != nil {
				t.Fatal(err)
			}
			<-done
		})
	}
}
