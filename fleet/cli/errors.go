package cli

import (
	"context"
	"errors"
	"fmt"

	"github.com/drover-iot/drover/fleet"
	"github.com/drover-iot/drover/fleet/client"
)

// Exit codes of fleetctl.
const (
	// ExitOK: the command succeeded.
	ExitOK = 0
	// ExitDeviceError: a device answered with an error (or another runtime failure).
	ExitDeviceError = 1
	// ExitUsage: bad flags, arguments or config.
	ExitUsage = 2
	// ExitUnreachable: timeout, or the broker or device could not be reached.
	ExitUnreachable = 3
)

// ErrUsage marks usage errors (exit code 2).
var ErrUsage = errors.New("usage")

// ErrUnknownDevice means a device has no retained state on the broker
// (exit code 3, like an unreachable device).
var ErrUnknownDevice = errors.New("cli: unknown device")

// unknownDeviceError names the device that is unknown; it is ErrUnknownDevice.
type unknownDeviceError struct{ dev string }

func (e unknownDeviceError) Error() string {
	return fmt.Sprintf("device %q is unknown (no retained state on the broker)", e.dev)
}

func (e unknownDeviceError) Is(target error) bool { return target == ErrUnknownDevice }

// usageErrorf returns an error wrapping ErrUsage.
func usageErrorf(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrUsage, fmt.Sprintf(format, args...))
}

// runError marks an error returned while a command ran (as opposed to
// cobra's own flag and argument errors, which are usage errors).
type runError struct{ err error }

func (e runError) Error() string { return e.err.Error() }
func (e runError) Unwrap() error { return e.err }

// ExitCode classifies err into a fleetctl exit code.
func ExitCode(err error) int {
	var fe *fleet.Error
	var re runError
	var fo fanOutError
	switch {
	case err == nil:
		return ExitOK
	case errors.As(err, &fo):
		return fo.exitCode()
	case errors.Is(err, ErrUsage):
		return ExitUsage
	case errors.Is(err, client.ErrTimeout), errors.Is(err, client.ErrUnreachable), errors.Is(err, ErrUnknownDevice),
		errors.Is(err, ErrNoDevices), errors.Is(err, context.DeadlineExceeded):
		return ExitUnreachable
	case errors.As(err, &fe):
		return ExitDeviceError
	case errors.As(err, &re):
		return ExitDeviceError
	default:
		return ExitUsage // cobra's flag, argument and unknown-command errors
	}
}

// deviceFailures summarises the failures of a multi-device command whose
// rows already show each error: its message only counts them, while
// errors.Is/As (and so ExitCode) see the most serious one.
type deviceFailures struct {
	failed, total int
	worst         error
}

func (e *deviceFailures) add(err error) {
	e.failed++
	if e.worst == nil || ExitCode(runError{err}) > ExitCode(runError{e.worst}) {
		e.worst = err
	}
}

func (e *deviceFailures) Error() string {
	return fmt.Sprintf("%d of %d devices failed", e.failed, e.total)
}

func (e *deviceFailures) Unwrap() []error { return []error{errDeviceFailures, e.worst} }

// ErrUnknownGroup means a group has no retained document (exit code 1).
var ErrUnknownGroup = errors.New("cli: unknown group")

// ErrNoDevices means a selector (or --all) matched no device with retained
// state (exit code 3: none could be reached).
var ErrNoDevices = errors.New("cli: no device matches")

type noDevicesError struct{ selector string }

func (e noDevicesError) Error() string {
	if e.selector == "" {
		return "no device has retained state on the broker"
	}
	return fmt.Sprintf("no device matches the selector %q", e.selector)
}

func (e noDevicesError) Is(target error) bool { return target == ErrNoDevices }

// fanOutError summarises a fan-out whose rows already list each failed and
// skipped device; its exit code is 1 when some device was reached and 3
// when none was.
type fanOutError struct {
	failed, skipped, total int
	reached                bool
}

func (e fanOutError) Error() string {
	msg := fmt.Sprintf("%d of %d devices failed", e.failed, e.total)
	if e.skipped > 0 {
		msg += fmt.Sprintf(", %d skipped (not online)", e.skipped)
	}
	if !e.reached {
		msg += ": none could be reached"
	}
	return msg
}

// exitCode is 1 when some device was reached, else 3.
func (e fanOutError) exitCode() int {
	if e.reached {
		return ExitDeviceError
	}
	return ExitUnreachable
}
