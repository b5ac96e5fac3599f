package sensors

import (
	"context"
	"errors"
	"io"
	"time"

	"github.com/drover-iot/drover/fleet"
)

// Reading is one sensor value: sensor name, metric, value, unit and time.
// It is the status model's type, so readings travel to the status topic,
// telemetry and Prometheus without conversion.
type Reading = fleet.Reading

// Sensor is one configured sensor.
type Sensor interface {
	// Name is the sensor's configured name, unique within a device.
	Name() string
	// Read takes one sample. It must honour ctx. A sensor made of several
	// sources (the system sensor) may return the readings it could take
	// together with an error describing the sources that failed.
	Read(ctx context.Context) ([]Reading, error)
}

// CloseAll closes every sensor that implements io.Closer (those holding a
// bus handle or an edge-watching goroutine) and returns the errors joined.
func CloseAll(list []Sensor) error {
	var errs []error
	for _, s := range list {
		if c, ok := s.(io.Closer); ok {
			if err := c.Close(); err != nil {
				errs = append(errs, err)
			}
		}
	}
	return errors.Join(errs...)
}

// NewReading returns a Reading of sensor at t.
func NewReading(sensor, metric string, value float64, unit string, t time.Time) Reading {
	return Reading{Sensor: sensor, Metric: metric, Value: value, Unit: unit, Time: t}
}
