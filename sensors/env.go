package sensors

import (
	"log/slog"

	"github.com/jonboulle/clockwork"
	"periph.io/x/conn/v3/gpio"
	"periph.io/x/conn/v3/i2c"
)

// FSUsage is the size of one mounted filesystem, in bytes.
type FSUsage struct {
	Size  uint64
	Free  uint64
	Avail uint64
}

// Env carries what drivers need from their surroundings. The zero value is
// usable: WithDefaults fills what is missing.
type Env struct {
	// Clock stamps readings and drives time-based sensors. Default: real clock.
	Clock clockwork.Clock
	// Logger receives driver logs. Default: discard.
	Logger *slog.Logger
	// Root is the directory under which sysfs and procfs are found
	// (Root/sys, Root/proc). Default: "/".
	Root string
	// Buses holds one Arbiter per shared bus. Default: a new, empty set.
	Buses *Buses
	// Statfs reports a mount's usage. Default: statfs(2) (system driver).
	Statfs func(path string) (FSUsage, error)
	// OpenI2C opens a named I2C bus. Default: periph host.Init and i2creg.Open.
	OpenI2C func(bus string) (i2c.BusCloser, error)
	// OpenPin finds a named GPIO pin. Default: periph host.Init and gpioreg.ByName.
	OpenPin func(name string) (gpio.PinIO, error)
	// ParseSchedule parses sensors' schedules. Default: ParseSchedule.
	ParseSchedule ScheduleParser
}

// WithDefaults returns e with the generic defaults filled in. Driver
// specific defaults (Statfs, OpenI2C, OpenPin) are left to the drivers.
func (e Env) WithDefaults() Env {
	if e.Clock == nil {
		e.Clock = clockwork.NewRealClock()
	}
	if e.Logger == nil {
		e.Logger = slog.New(slog.DiscardHandler)
	}
	if e.Root == "" {
		e.Root = "/"
	}
	if e.Buses == nil {
		e.Buses = NewBuses(ArbiterOptions{Clock: e.Clock})
	}
	if e.ParseSchedule == nil {
		e.ParseSchedule = ParseSchedule
	}
	return e
}
