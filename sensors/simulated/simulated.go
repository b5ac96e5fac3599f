// Package simulated is the "simulated" sensor driver: a deterministic
// waveform (sine, square, sawtooth or random walk) with seeded noise,
// driven by the injected clock, for demos and tests.
package simulated

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/jonboulle/clockwork"

	"github.com/drover-iot/drover/sensors"
)

// Driver is the driver name used in configs.
const Driver = "simulated"

// Waveforms.
const (
	Sine       = "sine"
	Square     = "square"
	Sawtooth   = "sawtooth"
	RandomWalk = "randomwalk"
)

// ErrWaveform means the config names an unknown waveform.
var ErrWaveform = errors.New("simulated: unknown waveform")

// Config is the YAML form of a simulated sensor.
type Config struct {
	Metric    string        `yaml:"metric"`    // Default: "value".
	Unit      string        `yaml:"unit"`      // Default: "".
	Waveform  string        `yaml:"waveform"`  // Default: Sine.
	Amplitude float64       `yaml:"amplitude"` // Default: 1.
	Offset    float64       `yaml:"offset"`    // Default: 0.
	Period    time.Duration `yaml:"period"`    // Default: 1m.
	Noise     float64       `yaml:"noise"`     // standard deviation; Default: 0.
	Seed      uint64        `yaml:"seed"`      // Default: 1.
}

// Sensor is a simulated sensor.
type Sensor struct {
	name  string
	cfg   Config
	clock clockwork.Clock
	start time.Time

	mu   sync.Mutex
	rng  *rand.Rand
	walk float64
}

// New returns a simulated sensor; zero fields of cfg take their defaults.
func New(name string, cfg Config, clock clockwork.Clock) (*Sensor, error) {
	if cfg.Metric == "" {
		cfg.Metric = "value"
	}
	if cfg.Waveform == "" {
		cfg.Waveform = Sine
	}
	if cfg.Amplitude == 0 {
		cfg.Amplitude = 1
	}
	if cfg.Period <= 0 {
		cfg.Period = time.Minute
	}
	if cfg.Seed == 0 {
		cfg.Seed = 1
	}
	switch cfg.Waveform {
	case Sine, Square, Sawtooth, RandomWalk:
	default:
		return nil, fmt.Errorf("%w: %q (want sine, square, sawtooth or randomwalk)", ErrWaveform, cfg.Waveform)
	}
	return &Sensor{name: name, cfg: cfg, clock: clock, start: clock.Now(),
		rng: rand.New(rand.NewPCG(cfg.Seed, cfg.Seed^0x9e3779b97f4a7c15))}, nil
}

// Factory builds a simulated sensor from its config item.
var Factory = sensors.FactoryOf(func(name string, cfg Config, env sensors.Env) (*Sensor, error) {
	return New(name, cfg, env.Clock)
})

// Name implements sensors.Sensor.
func (s *Sensor) Name() string { return s.name }

// Read implements sensors.Sensor: the waveform at the clock's time, plus noise.
func (s *Sensor) Read(ctx context.Context) ([]sensors.Reading, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	now := s.clock.Now()
	s.mu.Lock()
	v := s.value(now) + s.cfg.Noise*s.rng.NormFloat64()
	s.mu.Unlock()
	return []sensors.Reading{sensors.NewReading(s.name, s.cfg.Metric, v, s.cfg.Unit, now)}, nil
}

// value is the noiseless waveform at now; the caller holds s.mu.
func (s *Sensor) value(now time.Time) float64 {
	phase := math.Mod(float64(now.Sub(s.start))/float64(s.cfg.Period), 1)
	if phase < 0 {
		phase++
	}
	a, o := s.cfg.Amplitude, s.cfg.Offset
	switch s.cfg.Waveform {
	case Square:
		if phase < 0.5 {
			return o + a
		}
		return o - a
	case Sawtooth:
		return o + a*(2*phase-1)
	case RandomWalk:
		s.walk = math.Max(-a, math.Min(a, s.walk+a*0.1*s.rng.NormFloat64()))
		return o + s.walk
	}
	return o + a*math.Sin(2*math.Pi*phase)
}
