package sensors

import "errors"

// Sentinel errors of the sensors package. Compare with errors.Is.
var (
	// ErrConfig means a sensor configuration is invalid.
	ErrConfig = errors.New("sensors: invalid config")
	// ErrUnknownDriver means a config names a driver that is not registered.
	ErrUnknownDriver = errors.New("sensors: unknown driver")
	// ErrDuplicate means a driver or sensor name is used twice.
	ErrDuplicate = errors.New("sensors: duplicate name")
	// ErrReadTimeout means a sensor read did not finish within its timeout.
	ErrReadTimeout = errors.New("sensors: read timed out")
	// ErrBusy means the previous read of a sensor is still running.
	ErrBusy = errors.New("sensors: previous read still running")
	// ErrHoldTimeout means a sensor held a shared bus longer than allowed;
	// the bus was given to the next waiter and the read was discarded.
	ErrHoldTimeout = errors.New("sensors: bus hold timeout")
	// ErrHook means a bus acquire hook failed.
	ErrHook = errors.New("sensors: bus acquire hook failed")
	// ErrStopTimeout means the sampler's reads did not end within the stop bound.
	ErrStopTimeout = errors.New("sensors: stop timed out")
	// ErrNotFound means no sensor has the given name.
	ErrNotFound = errors.New("sensors: no such sensor")
	// ErrPanic means a driver panicked during a read; the agent keeps running.
	ErrPanic = errors.New("sensors: driver panicked")
	// ErrParse means a sensor's raw output could not be parsed.
	ErrParse = errors.New("sensors: cannot parse")
)
