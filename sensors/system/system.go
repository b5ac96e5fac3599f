// Package system is the "system" sensor driver: Linux machine health read
// from sysfs and procfs under a configurable root, in the spirit of
// node_exporter's collectors: thermal-zone and hwmon temperatures, load
// average, memory, filesystem usage of configured mounts, network bytes per
// interface and uptime.
package system

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/jonboulle/clockwork"

	"github.com/drover-iot/drover/sensors"
)

// Driver is the driver name used in configs.
const Driver = "system"

// Sources a system sensor can read.
const (
	Thermal    = "thermal"
	Hwmon      = "hwmon"
	Load       = "load"
	Memory     = "memory"
	Filesystem = "filesystem"
	Network    = "network"
	Uptime     = "uptime"
)

// AllSources lists every source, in reading order.
var AllSources = []string{Thermal, Hwmon, Load, Memory, Filesystem, Network, Uptime}

// Sentinel errors of the system driver.
var (
	// ErrSource means the config names an unknown source.
	ErrSource = errors.New("system: unknown source")
	// ErrParse means a sysfs or procfs file has unexpected content.
	ErrParse = fmt.Errorf("system: %w", sensors.ErrParse)
)

// Config is the YAML form of a system sensor.
type Config struct {
	// Root is where sys/ and proc/ are found. Default: the Env's Root ("/").
	Root string `yaml:"root"`
	// Include selects sources. Default: AllSources.
	Include []string `yaml:"include"`
	// Mounts are the filesystems whose usage is reported. Default: ["/"].
	Mounts []string `yaml:"mounts"`
	// Interfaces limits network interfaces. Default: all but "lo".
	Interfaces []string `yaml:"interfaces"`
}

// Sensor reads the system sources. Its Read returns the readings of every
// source that worked, with an error naming the sources that failed.
type Sensor struct {
	name   string
	cfg    Config
	clock  clockwork.Clock
	statfs func(string) (sensors.FSUsage, error)

	mu  sync.Mutex
	buf []byte // reused file buffer
	out []sensors.Reading
}

// New returns a system sensor. A nil statfs selects statfs(2).
func New(name string, cfg Config, clock clockwork.Clock, statfs func(string) (sensors.FSUsage, error)) (*Sensor, error) {
	if cfg.Root == "" {
		cfg.Root = "/"
	}
	if len(cfg.Include) == 0 {
		cfg.Include = AllSources
	}
	for _, src := range cfg.Include {
		if !slices.Contains(AllSources, src) {
			return nil, fmt.Errorf("%w: %q (known: %v)", ErrSource, src, AllSources)
		}
	}
	if len(cfg.Mounts) == 0 {
		cfg.Mounts = []string{"/"}
	}
	if statfs == nil {
		statfs = Statfs
	}
	return &Sensor{name: name, cfg: cfg, clock: clock, statfs: statfs, buf: make([]byte, 0, 4096)}, nil
}

// Factory builds a system sensor from its config item; its root defaults
// to env.Root and its statfs to env.Statfs.
var Factory = sensors.FactoryOf(func(name string, cfg Config, env sensors.Env) (*Sensor, error) {
	if cfg.Root == "" {
		cfg.Root = env.Root
	}
	return New(name, cfg, env.Clock, env.Statfs)
})

// Name implements sensors.Sensor.
func (s *Sensor) Name() string { return s.name }

// Read implements sensors.Sensor.
func (s *Sensor) Read(ctx context.Context) ([]sensors.Reading, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.clock.Now()
	s.out = s.out[:0]
	var errs []error
	for _, src := range s.cfg.Include {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if err := s.readSource(src, now); err != nil {
			errs = append(errs, err)
		}
	}
	return slices.Clone(s.out), errors.Join(errs...)
}

func (s *Sensor) readSource(src string, now time.Time) error {
	switch src {
	case Thermal:
		return s.readThermal(now)
	case Hwmon:
		return s.readHwmon(now)
	case Load:
		return s.readLoad(now)
	case Memory:
		return s.readMemory(now)
	case Filesystem:
		return s.readFilesystems(now)
	case Network:
		return s.readNetwork(now)
	}
	return s.readUptime(now)
}

// add appends one reading.
func (s *Sensor) add(metric string, v float64, unit string, now time.Time) {
	s.out = append(s.out, sensors.Reading{Sensor: s.name, Metric: metric, Value: v, Unit: unit, Time: now})
}

// addLabelled appends one reading of a subject (an interface, a mount, a
// zone) told apart by labels, given as key, value pairs: the metric name is
// the same for every subject, as Prometheus wants.
func (s *Sensor) addLabelled(metric string, v float64, unit string, now time.Time, kv ...string) {
	labels := make(map[string]string, len(kv)/2)
	for i := 0; i+1 < len(kv); i += 2 {
		labels[kv[i]] = kv[i+1]
	}
	s.out = append(s.out, sensors.Reading{Sensor: s.name, Metric: metric, Value: v, Unit: unit, Time: now, Labels: labels})
}

// Metric names of the sources with one reading per subject; the subject is
// in the labels below.
const (
	MetricThermal     = "thermal_zone_temperature"
	MetricHwmon       = "hwmon_temperature"
	MetricFSSize      = "filesystem_size_bytes"
	MetricFSAvail     = "filesystem_avail_bytes"
	MetricNetReceive  = "network_receive_bytes"
	MetricNetTransmit = "network_transmit_bytes"
)

// Label names of the system sensor's readings.
const (
	LabelZone      = "zone"
	LabelType      = "type"
	LabelChip      = "chip"
	LabelInput     = "input"
	LabelMount     = "mount"
	LabelInterface = "interface"
)
