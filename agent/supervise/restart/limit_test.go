package restart

import (
	"testing"
	"time"
)

func TestLimiter(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	at := func(s float64) time.Time { return t0.Add(time.Duration(s * float64(time.Second))) }
	type step struct {
		at    float64
		reset bool
		want  bool
	}
	tests := []struct {
		name  string
		p     Policy
		steps []step
	}{
		{"burst 3 in 10s", Policy{Burst: 3, Window: 10 * time.Second}, []step{
			{at: 0, want: true}, {at: 1, want: true}, {at: 2, want: true},
			{at: 3, want: false}, {at: 9.9, want: false},
			{at: 10, want: true}, // the start at 0 left the window
			{at: 10.5, want: false}, {at: 11, want: true}, {at: 11.5, want: false}, {at: 12, want: true},
		}},
		{"reset allows again", Policy{Burst: 2, Window: time.Minute}, []step{
			{at: 0, want: true}, {at: 1, want: true}, {at: 2, want: false},
			{at: 3, reset: true, want: true}, {at: 4, want: true}, {at: 5, want: false},
		}},
		{"unlimited", Policy{Burst: -1}, []step{
			{at: 0, want: true}, {at: 0, want: true}, {at: 0, want: true}, {at: 0, want: true},
			{at: 0, want: true}, {at: 0, want: true}, {at: 0, want: true},
		}},
		{"defaults: 5 within 10s", Policy{}, []step{
			{at: 0, want: true}, {at: 0.1, want: true}, {at: 0.2, want: true},
			{at: 0.3, want: true}, {at: 0.4, want: true}, {at: 0.5, want: false},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := NewLimiter(tt.p)
			for i, s := range tt.steps {
				if s.reset {
					l.Reset()
				}
				if got := l.Allow(at(s.at)); got != s.want {
					t.Fatalf("step %d at %vs: Allow = %v, want %v", i, s.at, got, s.want)
				}
			}
		})
	}
}

func TestLimiterReason(t *testing.T) {
	got := NewLimiter(Policy{Burst: 3, Window: 10 * time.Second}).Reason()
	if want := "start-limit-hit: 3 starts within 10s"; got != want {
		t.Fatalf("Reason() = %q, want %q", got, want)
	}
}
