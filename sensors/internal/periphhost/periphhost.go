// Package periphhost initialises periph.io's host drivers once per process
// and opens I2C buses and GPIO pins by name.
package periphhost

import (
	"errors"
	"fmt"
	"sync"

	"periph.io/x/conn/v3/gpio"
	"periph.io/x/conn/v3/gpio/gpioreg"
	"periph.io/x/conn/v3/i2c"
	"periph.io/x/conn/v3/i2c/i2creg"
	"periph.io/x/host/v3"
)

// ErrNoPin means no GPIO pin has the given name.
var ErrNoPin = errors.New("periphhost: no such GPIO pin")

// Init runs host.Init once; later calls return the first result.
var Init = sync.OnceValue(func() error {
	if _, err := host.Init(); err != nil {
		return fmt.Errorf("periph host init: %w", err)
	}
	return nil
})

// OpenI2C initialises the host and opens the named I2C bus ("1", "/dev/i2c-1", "" for the first).
func OpenI2C(bus string) (i2c.BusCloser, error) {
	if err := Init(); err != nil {
		return nil, err
	}
	b, err := i2creg.Open(bus)
	if err != nil {
		return nil, fmt.Errorf("open I2C bus %q: %w", bus, err)
	}
	return b, nil
}

// OpenPin initialises the host and finds the named pin ("GPIO17", "17").
func OpenPin(name string) (gpio.PinIO, error) {
	if err := Init(); err != nil {
		return nil, err
	}
	p := gpioreg.ByName(name)
	if p == nil {
		return nil, fmt.Errorf("%w: %q", ErrNoPin, name)
	}
	return p, nil
}
