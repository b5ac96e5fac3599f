package sensors

import (
	"errors"
	"testing"
	"time"
)

func TestParseSchedule(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		text    string
		wantErr bool
		period  time.Duration
	}{
		{"every 30s", false, 30 * time.Second},
		{"rate 10hz", false, 100 * time.Millisecond},
		{"rate 0.5hz", false, 2 * time.Second},
		{"every -1s", true, 0},
		{"every", true, 0},
		{"rate 10", true, 0},
		{"sometimes", true, 0},
		{"", true, 0},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			s, err := ParseSchedule(tt.text)
			if tt.wantErr {
				if !errors.Is(err, ErrConfig) {
					t.Fatalf("err = %v, want ErrConfig", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := s.Next(time.Time{}, t0).Sub(t0); got != tt.period {
				t.Fatalf("first period %v, want %v", got, tt.period)
			}
		})
	}
}

func TestPeriodNext(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	p := Period(time.Second)
	tests := []struct {
		name      string
		prev, now time.Time
		want      time.Time
	}{
		{"first", time.Time{}, t0, t0.Add(time.Second)},
		{"on time keeps the grid", t0, t0.Add(10 * time.Millisecond), t0.Add(time.Second)},
		{"late skips missed slots", t0, t0.Add(3500 * time.Millisecond), t0.Add(4 * time.Second)},
		{"exactly on a slot moves past it", t0, t0.Add(2 * time.Second), t0.Add(3 * time.Second)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := p.Next(tt.prev, tt.now); !got.Equal(tt.want) {
				t.Fatalf("Next = %v, want %v", got, tt.want)
			}
		})
	}
}
