package sensors

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"sync"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/drover-iot/drover/internal/names"
)

// Factory builds a sensor of one driver from its config item. cfg is the
// whole item (including the Common keys); decode it with DecodeStrict.
type Factory func(name string, cfg *yaml.Node, env Env) (Sensor, error)

// Scheduled is a built sensor with its sampling schedule and read timeout.
type Scheduled struct {
	Sensor   Sensor
	Driver   string
	Schedule Schedule
	// ScheduleText is the schedule as configured, for status output.
	ScheduleText string
	Timeout      time.Duration
}

// Registry maps driver names to factories. It is safe for concurrent use.
type Registry struct {
	mu        sync.RWMutex
	factories map[string]Factory
}

// NewRegistry returns an empty registry.
func NewRegistry() *Registry {
	return &Registry{factories: map[string]Factory{}}
}

// maxNameLen bounds sensor names: they appear in MQTT topics, Home
// Assistant ids and Prometheus labels, spelled like device ids
// ([a-z0-9][a-z0-9._-]*).
const maxNameLen = 63

// Register adds a driver. Registering a name twice is an error.
func (r *Registry) Register(driver string, f Factory) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, ok := r.factories[driver]; ok {
		return fmt.Errorf("%w: driver %q", ErrDuplicate, driver)
	}
	r.factories[driver] = f
	return nil
}

// Drivers lists the registered driver names, sorted.
func (r *Registry) Drivers() []string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return slices.Sorted(maps.Keys(r.factories))
}

// Build validates and builds every sensor item. Each item is a YAML mapping
// with the Common keys and its driver's keys. All problems are reported at
// once, each with its line; on error no sensor is left open.
func (r *Registry) Build(items []*yaml.Node, env Env) ([]Scheduled, error) {
	env = env.WithDefaults()
	var out []Scheduled
	var errs []error
	seen := map[string]int{}
	for _, item := range items {
		s, err := r.buildOne(item, env, seen)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		out = append(out, s)
	}
	if len(errs) > 0 {
		_ = CloseAll(Sensors(out))
		return nil, errors.Join(errs...)
	}
	return out, nil
}

func (r *Registry) buildOne(item *yaml.Node, env Env, seen map[string]int) (Scheduled, error) {
	c, line, err := decodeCommon(item)
	if err != nil {
		return Scheduled{}, err
	}
	if err := checkName(c.Name, line, seen); err != nil {
		return Scheduled{}, err
	}
	r.mu.RLock()
	f, ok := r.factories[c.Driver]
	r.mu.RUnlock()
	if !ok {
		return Scheduled{}, fmt.Errorf("%w: line %d: sensor %q: driver %q (known: %v)",
			ErrUnknownDriver, line, c.Name, c.Driver, r.Drivers())
	}
	spec, err := env.ParseSchedule(c.Schedule)
	if err != nil {
		return Scheduled{}, fmt.Errorf("line %d: sensor %q: %w", line, c.Name, err)
	}
	s, err := f(c.Name, item, env)
	if err != nil {
		return Scheduled{}, fmt.Errorf("line %d: sensor %q (%s): %w", line, c.Name, c.Driver, err)
	}
	return Scheduled{Sensor: s, Driver: c.Driver, Schedule: spec, ScheduleText: c.Schedule, Timeout: c.Timeout}, nil
}

// decodeCommon reads the Common keys of an item and applies their defaults.
func decodeCommon(item *yaml.Node) (Common, int, error) {
	m := mappingOf(item)
	if m == nil {
		return Common{}, 0, fmt.Errorf("%w: sensor item is not a mapping", ErrConfig)
	}
	var c Common
	if err := m.Decode(&c); err != nil {
		return c, m.Line, fmt.Errorf("%w: %w", ErrConfig, err)
	}
	if c.Schedule == "" {
		c.Schedule = DefaultSchedule
	}
	if c.Timeout <= 0 {
		c.Timeout = DefaultTimeout
	}
	return c, m.Line, nil
}

func checkName(name string, line int, seen map[string]int) error {
	if !names.Lower.Valid(name, maxNameLen) {
		return fmt.Errorf("%w: line %d: sensor name %q must be 1 to %d of a-z, 0-9, '.', '_', '-', starting with a letter or digit",
			ErrConfig, line, name, maxNameLen)
	}
	if prev, dup := seen[name]; dup {
		return fmt.Errorf("%w: line %d: sensor %q already defined at line %d", ErrDuplicate, line, name, prev)
	}
	seen[name] = line
	return nil
}

// Sensors returns the sensors of list, in order.
func Sensors(list []Scheduled) []Sensor {
	out := make([]Sensor, len(list))
	for i, s := range list {
		out[i] = s.Sensor
	}
	return out
}
