package simulated

import (
	"errors"
	"math"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"
	"gopkg.in/yaml.v3"

	"github.com/drover-iot/drover/sensors"
)

func TestWaveforms(t *testing.T) {
	q := time.Second // quarter of the 4s period
	tests := []struct {
		wave string
		at   time.Duration
		want float64
	}{
		{Sine, 0, 10}, {Sine, q, 12}, {Sine, 3 * q, 8},
		{Square, 0, 12}, {Square, 3 * q, 8},
		{Sawtooth, 0, 8}, {Sawtooth, 2 * q, 10}, {Sawtooth, 5 * q, 9},
	}
	for _, tt := range tests {
		t.Run(tt.wave, func(t *testing.T) {
			clock := clockwork.NewFakeClock()
			s, err := New("sim", Config{Waveform: tt.wave, Amplitude: 2, Offset: 10, Period: 4 * q}, clock)
			if err != nil {
				t.Fatal(err)
			}
			clock.Advance(tt.at)
			r, err := s.Read(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			if math.Abs(r[0].Value-tt.want) > 1e-9 || !r[0].Time.Equal(clock.Now()) || r[0].Metric != "value" {
				t.Fatalf("at %v: %+v, want %v", tt.at, r[0], tt.want)
			}
		})
	}
}

func TestSeededNoiseIsDeterministic(t *testing.T) {
	series := func(seed uint64, wave string) []float64 {
		clock := clockwork.NewFakeClock()
		s, _ := New("sim", Config{Waveform: wave, Noise: 0.5, Seed: seed}, clock)
		var out []float64
		for range 5 {
			r, _ := s.Read(t.Context())
			out = append(out, r[0].Value)
			clock.Advance(time.Second)
		}
		return out
	}
	for _, wave := range []string{Sine, RandomWalk} {
		a, b, c := series(7, wave), series(7, wave), series(8, wave)
		for i := range a {
			if a[i] != b[i] {
				t.Fatalf("%s: same seed differs: %v vs %v", wave, a, b)
			}
		}
		if a[0] == c[0] && a[1] == c[1] {
			t.Fatalf("%s: different seeds give the same series", wave)
		}
	}
}

func TestFactory(t *testing.T) {
	tests := []struct {
		name, yaml string
		wantErr    error
	}{
		{"ok", "name: s\ndriver: simulated\nschedule: rate 10hz\nwaveform: square\nunit: celsius\n", nil},
		{"unknown key", "name: s\ndriver: simulated\nwavefrom: sine\n", sensors.ErrConfig},
		{"bad waveform", "name: s\ndriver: simulated\nwaveform: triangle\n", ErrWaveform},
		{"bad type", "name: s\ndriver: simulated\namplitude: loud\n", sensors.ErrConfig},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var n yaml.Node
			if err := yaml.Unmarshal([]byte(tt.yaml), &n); err != nil {
				t.Fatal(err)
			}
			_, err := Factory("s", &n, sensors.Env{}.WithDefaults())
			if !errors.Is(err, tt.wantErr) || (tt.wantErr == nil) != (err == nil) {
				t.Fatalf("err = %v, want %v", err, tt.wantErr)
			}
		})
	}
}
