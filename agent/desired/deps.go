package desired

import (
	"context"

	"github.com/drover-iot/drover/fleet"
	"github.com/drover-iot/drover/scheduler"
)

// Jobs is the scheduler as the converger uses it.
type Jobs interface {
	// Define adds a job (scheduler.Scheduler.Define).
	Define(def scheduler.JobDef) error
	// Remove removes a job by name.
	Remove(name string) error
	// Taken reports whether a job that no group manages (config, demo,
	// schedule add) has this name.
	Taken(name string) bool
	// HasHandler reports whether the handler is registered.
	HasHandler(name string) bool
}

// Services is the supervisor as the converger uses it.
type Services interface {
	Units() []fleet.Unit
	Enable(name string) error
	Disable(name string) error
	// WaitFor blocks until the unit named name satisfies cond or ctx ends.
	WaitFor(ctx context.Context, name string, cond func(fleet.Unit) bool) (fleet.Unit, error)
}

// Publisher publishes the device's reported state (retained).
type Publisher func(fleet.Reported)
