// Package command is the "command" sensor driver: it runs a configured argv
// (never a shell string) with a timeout and parses its output, either one
// number or "key=value" lines. A non-zero exit is a read error.
package command

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jonboulle/clockwork"

	"github.com/drover-iot/drover/internal/execproc"
	"github.com/drover-iot/drover/sensors"
)

// Driver is the driver name used in configs.
const Driver = "command"

// MaxOutput is the most output read from one run.
const MaxOutput = 64 << 10

// ErrNoCommand means the config has an empty argv.
var ErrNoCommand = errors.New("command: empty command")

// Config is the YAML form of a command sensor.
type Config struct {
	// Command is the program and its arguments, e.g. ["vcgencmd", "measure_volts"].
	Command []string `yaml:"command"`
	// Metric names the value when the output is one number. Default: "value".
	Metric string `yaml:"metric"`
	// Unit is the unit of a single value. Default: "".
	Unit string `yaml:"unit"`
	// Units gives the unit of each key of key=value output. Default: none.
	Units map[string]string `yaml:"units"`
	// Env holds KEY=VALUE entries for the process. Default: none.
	Env []string `yaml:"env"`
}

// Sensor runs its command on each Read.
type Sensor struct {
	name  string
	cfg   Config
	clock clockwork.Clock
}

// New returns a command sensor.
func New(name string, cfg Config, clock clockwork.Clock) (*Sensor, error) {
	if len(cfg.Command) == 0 || cfg.Command[0] == "" {
		return nil, ErrNoCommand
	}
	if cfg.Metric == "" {
		cfg.Metric = "value"
	}
	return &Sensor{name: name, cfg: cfg, clock: clock}, nil
}

// Factory builds a command sensor from its config item.
var Factory = sensors.FactoryOf(func(name string, cfg Config, env sensors.Env) (*Sensor, error) {
	return New(name, cfg, env.Clock)
})

// Name implements sensors.Sensor.
func (s *Sensor) Name() string { return s.name }

// Read implements sensors.Sensor. The sampler's per-read timeout is the
// command's timeout: when ctx ends the process group gets SIGTERM, then
// SIGKILL.
func (s *Sensor) Read(ctx context.Context) ([]sensors.Reading, error) {
	cmd := execproc.Cmd{Path: s.cfg.Command[0], Args: s.cfg.Command[1:], Env: s.cfg.Env,
		StopTimeout: time.Second}
	out, err := execproc.Output(ctx, cmd, MaxOutput)
	if err != nil {
		return nil, fmt.Errorf("command %s: %w", s.cfg.Command[0], err)
	}
	values, err := Parse(out, s.cfg.Metric)
	if err != nil {
		return nil, err
	}
	now := s.clock.Now()
	rs := make([]sensors.Reading, len(values))
	for i, v := range values {
		unit := s.cfg.Units[v.Key]
		if v.Key == s.cfg.Metric && unit == "" {
			unit = s.cfg.Unit
		}
		rs[i] = sensors.NewReading(s.name, v.Key, v.Value, unit, now)
	}
	return rs, nil
}
