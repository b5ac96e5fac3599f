package restart

import (
	"errors"
	"testing"
	"time"
)

func TestShouldRestart(t *testing.T) {
	tests := []struct {
		mode           Mode
		failed, expect bool
	}{
		{No, false, false}, {No, true, false},
		{OnFailure, false, false}, {OnFailure, true, true},
		{Always, false, true}, {Always, true, true},
		{"", true, false},
	}
	for _, tt := range tests {
		p := Policy{Mode: tt.mode}.WithDefaults()
		if got := p.ShouldRestart(tt.failed); got != tt.expect {
			t.Errorf("%q failed=%v: got %v, want %v", tt.mode, tt.failed, got, tt.expect)
		}
	}
}

func TestBackoff(t *testing.T) {
	base := Policy{Initial: time.Second, Max: 10 * time.Second, Multiplier: 2, Jitter: 0.5}
	tests := []struct {
		name    string
		p       Policy
		attempt int
		r       float64
		want    time.Duration
	}{
		{"first, no move", base, 0, 0.5, time.Second},
		{"second doubles", base, 1, 0.5, 2 * time.Second},
		{"third", base, 2, 0.5, 4 * time.Second},
		{"capped at max", base, 10, 0.5, 10 * time.Second},
		{"negative attempt is first", base, -3, 0.5, time.Second},
		{"jitter down", base, 1, 0, time.Second},
		{"jitter up", base, 1, 1, 3 * time.Second},
		{"jitter on capped", base, 20, 0.75, 12500 * time.Millisecond},
		{"jitter disabled", Policy{Initial: time.Second, Jitter: -1}, 0, 0.9, time.Second},
		{"defaults", Policy{Jitter: -1}, 3, 0.5, 800 * time.Millisecond},
		{"multiplier 1.5", Policy{Initial: time.Second, Multiplier: 1.5, Jitter: -1}, 2, 0, 2250 * time.Millisecond},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.p.Backoff(tt.attempt, tt.r); got != tt.want {
				t.Fatalf("Backoff(%d, %v) = %v, want %v", tt.attempt, tt.r, got, tt.want)
			}
		})
	}
}

func TestWithDefaults(t *testing.T) {
	got := Policy{}.WithDefaults()
	want := Policy{Mode: No, Initial: DefaultInitial, Max: DefaultMax, Multiplier: DefaultMultiplier,
		Jitter: DefaultJitter, Burst: DefaultBurst, Window: DefaultWindow}
	if got != want {
		t.Fatalf("got %+v, want %+v", got, want)
	}
	kept := Policy{Mode: Always, Burst: -1, Jitter: -1}.WithDefaults()
	if kept.Burst != -1 || kept.Jitter != -1 || kept.Mode != Always {
		t.Fatalf("explicit values changed: %+v", kept)
	}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name string
		p    Policy
		want error
	}{
		{"zero is fine", Policy{}, nil},
		{"always", Policy{Mode: Always}, nil},
		{"bad mode", Policy{Mode: "sometimes"}, ErrBadMode},
		{"negative initial", Policy{Initial: -time.Second}, ErrBadPolicy},
		{"max below initial", Policy{Initial: time.Minute, Max: time.Second}, ErrBadPolicy},
		{"multiplier below 1", Policy{Multiplier: 0.5}, ErrBadPolicy},
		{"jitter above 1", Policy{Jitter: 2}, ErrBadPolicy},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.p.Validate(); !errors.Is(err, tt.want) || (tt.want == nil) != (err == nil) {
				t.Fatalf("Validate() = %v, want %v", err, tt.want)
			}
		})
	}
}
