// Package bme280 is the "bme280" sensor driver: temperature, humidity and
// pressure from a Bosch BME280 (or BMP280, without humidity) on a named I2C
// bus, through periph.io's bmxx80 driver. Reads go through the bus's
// Arbiter, so sensors sharing the bus take turns.
package bme280

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/jonboulle/clockwork"
	"periph.io/x/conn/v3/i2c"
	"periph.io/x/conn/v3/physic"
	"periph.io/x/devices/v3/bmxx80"

	"github.com/drover-iot/drover/sensors"
	"github.com/drover-iot/drover/sensors/internal/periphhost"
)

// Driver is the driver name used in configs.
const Driver = "bme280"

// ErrAddress means the configured I2C address is not 0x76 or 0x77.
var ErrAddress = fmt.Errorf("bme280: %w: address must be 0x76 or 0x77", sensors.ErrConfig)

// Config is the YAML form of a bme280 sensor.
type Config struct {
	// Bus is the I2C bus name as periph knows it ("1", "/dev/i2c-1").
	// Default: "" (periph's first bus).
	Bus string `yaml:"bus"`
	// Address is the chip's I2C address, 0x76 or 0x77. Default: 0x76.
	Address uint16 `yaml:"address"`
}

// Sensor is one BME280. The device is opened on the first read, and again
// after a failed read, so a sensor plugged in late or a glitching bus
// recovers by itself.
type Sensor struct {
	name    string
	cfg     Config
	clock   clockwork.Clock
	arbiter *sensors.Arbiter
	open    func(bus string) (i2c.BusCloser, error)

	mu  sync.Mutex
	bus i2c.BusCloser
	dev *bmxx80.Dev
}

// New returns a bme280 sensor. env.OpenI2C opens the bus (default: periph's
// host and i2creg); env.Buses gives the bus arbiter.
func New(name string, cfg Config, env sensors.Env) (*Sensor, error) {
	env = env.WithDefaults()
	if cfg.Address == 0 {
		cfg.Address = 0x76
	}
	if cfg.Address != 0x76 && cfg.Address != 0x77 {
		return nil, fmt.Errorf("%w (got %#x)", ErrAddress, cfg.Address)
	}
	open := env.OpenI2C
	if open == nil {
		open = periphhost.OpenI2C
	}
	return &Sensor{name: name, cfg: cfg, clock: env.Clock, open: open,
		arbiter: env.Buses.Get(BusID(cfg.Bus))}, nil
}

// BusID names the arbiter of an I2C bus: "i2c:<bus>" (the default bus is "i2c:").
func BusID(bus string) string { return "i2c:" + strings.TrimPrefix(bus, "/dev/i2c-") }

// Factory builds a bme280 sensor from its config item.
var Factory = sensors.FactoryOf(New)

// Name implements sensors.Sensor.
func (s *Sensor) Name() string { return s.name }

// Read implements sensors.Sensor: temperature (celsius), pressure
// (pascals) and, on a BME280, humidity (ratio 0..1).
func (s *Sensor) Read(ctx context.Context) ([]sensors.Reading, error) {
	var e physic.Env
	var isBME bool
	err := s.arbiter.Do(ctx, func(context.Context) error {
		var err error
		isBME, err = s.sense(&e)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("bme280 %s: %w", s.name, err)
	}
	now := s.clock.Now()
	rs := []sensors.Reading{
		sensors.NewReading(s.name, "temperature", Celsius(e.Temperature), sensors.UnitCelsius, now),
		sensors.NewReading(s.name, "pressure", float64(e.Pressure)/float64(physic.Pascal), sensors.UnitPascals, now),
	}
	if isBME {
		rs = append(rs, sensors.NewReading(s.name, "humidity", float64(e.Humidity)/float64(100*physic.PercentRH), sensors.UnitRatio, now))
	}
	return rs, nil
}

// Celsius converts a periph temperature to degrees Celsius.
func Celsius(t physic.Temperature) float64 {
	return float64(t-physic.ZeroCelsius) / float64(physic.Celsius)
}

// sense opens the device when needed and takes one forced measurement.
// A failure closes the device so the next read starts afresh.
func (s *Sensor) sense(e *physic.Env) (isBME bool, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.dev == nil {
		if err := s.openLocked(); err != nil {
			return false, err
		}
	}
	if err := s.dev.Sense(e); err != nil {
		s.closeLocked()
		return false, err
	}
	return strings.HasPrefix(s.dev.String(), "BME280"), nil
}

func (s *Sensor) openLocked() error {
	bus, err := s.open(s.cfg.Bus)
	if err != nil {
		return err
	}
	dev, err := bmxx80.NewI2C(bus, s.cfg.Address, &bmxx80.DefaultOpts)
	if err != nil {
		return errors.Join(err, bus.Close())
	}
	s.bus, s.dev = bus, dev
	return nil
}

func (s *Sensor) closeLocked() error {
	if s.bus == nil {
		return nil
	}
	err := errors.Join(s.dev.Halt(), s.bus.Close())
	s.bus, s.dev = nil, nil
	return err
}

// Close halts the device and closes the bus.
func (s *Sensor) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.closeLocked()
}
