package agent

import (
	"fmt"
	"strings"

	"periph.io/x/conn/v3/i2c"
	"periph.io/x/conn/v3/i2c/i2creg"
	"periph.io/x/host/v3"
)

// openI2C opens the named I2C bus for the sensor drivers (sensors.Env's
// OpenI2C). When the bus is not found, the error names the bus asked for
// and lists the buses the machine has, instead of periph's bare "no bus
// found; did you forget to call Init()?".
func openI2C(bus string) (i2c.BusCloser, error) {
	if _, err := host.Init(); err != nil {
		return nil, fmt.Errorf("periph host init: %w", err)
	}
	b, err := i2creg.Open(bus)
	if err != nil {
		return nil, fmt.Errorf("I2C bus %s not found (%s): %w", busName(bus), busList(i2creg.All()), err)
	}
	return b, nil
}

func busName(bus string) string {
	if bus == "" {
		return "(default: the first bus)"
	}
	return fmt.Sprintf("%q", bus)
}

// busList describes the available buses, with their aliases.
func busList(refs []*i2creg.Ref) string {
	if len(refs) == 0 {
		return "this machine has no I2C bus; is I2C enabled (e.g. dtparam=i2c_arm=on on a Raspberry Pi)?"
	}
	names := make([]string, len(refs))
	for i, r := range refs {
		names[i] = r.Name
		if len(r.Aliases) > 0 {
			names[i] += " (" + strings.Join(r.Aliases, ", ") + ")"
		}
	}
	return "available: " + strings.Join(names, ", ")
}
