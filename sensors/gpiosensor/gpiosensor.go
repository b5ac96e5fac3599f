// Package gpiosensor is the "gpio" sensor driver: the level of an input pin,
// or the number of edges seen on it (a button's presses), through periph.io.
package gpiosensor

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jonboulle/clockwork"
	"gopkg.in/yaml.v3"
	"periph.io/x/conn/v3/gpio"

	"github.com/drover-iot/drover/sensors"
	"github.com/drover-iot/drover/sensors/internal/periphhost"
)

// Driver is the driver name used in configs.
const Driver = "gpio"

// Modes.
const (
	ModeLevel = "level"
	ModeEdges = "edges"
)

// PollInterval bounds each WaitForEdge call, and so how long Close waits.
const PollInterval = 500 * time.Millisecond

// Sentinel errors of the gpio driver.
var (
	// ErrConfig means a gpio config value is invalid.
	ErrConfig = fmt.Errorf("gpio: %w", sensors.ErrConfig)
	// ErrCloseTimeout means the edge watcher did not stop in time.
	ErrCloseTimeout = errors.New("gpio: edge watcher did not stop")
)

// Config is the YAML form of a gpio sensor.
type Config struct {
	// Pin is the pin name, e.g. "GPIO17" (required).
	Pin string `yaml:"pin"`
	// Pull is "up", "down" or "none". Default: "none".
	Pull string `yaml:"pull"`
	// Mode is ModeLevel or ModeEdges. Default: ModeLevel.
	Mode string `yaml:"mode"`
	// Edge is "rising", "falling" or "both" (edges mode). Default: "falling".
	Edge string `yaml:"edge"`
}

var pulls = map[string]gpio.Pull{"": gpio.Float, "none": gpio.Float, "up": gpio.PullUp, "down": gpio.PullDown}
var edges = map[string]gpio.Edge{"": gpio.FallingEdge, "falling": gpio.FallingEdge, "rising": gpio.RisingEdge, "both": gpio.BothEdges}

// Sensor reads one GPIO pin.
type Sensor struct {
	name  string
	mode  string
	pin   gpio.PinIn
	clock clockwork.Clock

	count atomic.Uint64
	stop  atomic.Bool
	done  chan struct{} // closed when the edge watcher ends; nil in level mode
	once  sync.Once
}

// New configures pin as an input and, in edges mode, starts counting edges.
func New(name string, cfg Config, pin gpio.PinIn, clock clockwork.Clock) (*Sensor, error) {
	pull, okPull := pulls[cfg.Pull]
	edge, okEdge := edges[cfg.Edge]
	if cfg.Mode == "" {
		cfg.Mode = ModeLevel
	}
	if !okPull || !okEdge || (cfg.Mode != ModeLevel && cfg.Mode != ModeEdges) {
		return nil, fmt.Errorf("%w: pull %q, mode %q, edge %q (want pull up|down|none, mode level|edges, edge rising|falling|both)",
			ErrConfig, cfg.Pull, cfg.Mode, cfg.Edge)
	}
	if cfg.Mode == ModeLevel {
		edge = gpio.NoEdge
	}
	if err := pin.In(pull, edge); err != nil {
		return nil, fmt.Errorf("gpio %s: set input: %w", pin, err)
	}
	s := &Sensor{name: name, mode: cfg.Mode, pin: pin, clock: clock}
	if cfg.Mode == ModeEdges {
		s.done = make(chan struct{})
		go s.watch()
	}
	return s, nil
}

// Factory builds a gpio sensor from its config item, opening the pin with
// env.OpenPin (default: periph's host and gpioreg).
func Factory(name string, node *yaml.Node, env sensors.Env) (sensors.Sensor, error) {
	var cfg Config
	if err := sensors.DecodeStrict(node, &cfg); err != nil {
		return nil, err
	}
	if cfg.Pin == "" {
		return nil, fmt.Errorf("%w: pin is required", ErrConfig)
	}
	open := env.OpenPin
	if open == nil {
		open = periphhost.OpenPin
	}
	pin, err := open(cfg.Pin)
	if err != nil {
		return nil, err
	}
	s, err := New(name, cfg, pin, env.Clock)
	if err != nil {
		return nil, err
	}
	return s, nil
}

// watch counts edges until Close.
func (s *Sensor) watch() {
	defer close(s.done)
	for !s.stop.Load() {
		if s.pin.WaitForEdge(PollInterval) && !s.stop.Load() {
			s.count.Add(1)
		}
	}
}

// Name implements sensors.Sensor.
func (s *Sensor) Name() string { return s.name }

// Read implements sensors.Sensor: metric "level" (0 or 1) or "edges" (the
// count since start).
func (s *Sensor) Read(ctx context.Context) ([]sensors.Reading, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	now := s.clock.Now()
	if s.mode == ModeEdges {
		return []sensors.Reading{sensors.NewReading(s.name, "edges", float64(s.count.Load()), "", now)}, nil
	}
	v := 0.0
	if s.pin.Read() == gpio.High {
		v = 1
	}
	return []sensors.Reading{sensors.NewReading(s.name, "level", v, "", now)}, nil
}

// Close stops the edge watcher, waiting at most a few poll intervals.
func (s *Sensor) Close() error {
	if s.done == nil {
		return nil
	}
	s.once.Do(func() {
		s.stop.Store(true)
		_ = s.pin.Halt() // unblocks WaitForEdge on real hardware
	})
	select {
	case <-s.done:
		return nil
	case <-time.After(4 * PollInterval):
		return fmt.Errorf("%w: pin %s", ErrCloseTimeout, s.pin)
	}
}
