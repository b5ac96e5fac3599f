// Package control is the agent's command dispatcher: it decodes requests
// received on drover/<dev>/cmd, answers malformed, oversized, expired,
// duplicate and unknown ones with the protocol's error replies, runs every
// v1 command through small interfaces it owns, and publishes
// one final reply per request on drover/<dev>/reply/<from>.
package control

import (
	"context"
	"time"

	"github.com/drover-iot/drover/fleet"
)

// Units is the supervisor of tasks and services. A request's pattern is
// resolved once, by Match; the actions then take the exact names it
// returned.
type Units interface {
	Units() []fleet.Unit
	// Match returns the names of units of kind matching pattern ('*'
	// wildcards, path.Match syntax). A pattern that matches nothing gives
	// an error wrapping ErrNotFound (or one the classifier maps to
	// not_found).
	Match(kind, pattern string) ([]string, error)
	// StartNamed, StopNamed and RestartNamed act on the units with
	// exactly these names.
	StartNamed(names ...string) error
	StopNamed(names ...string) error
	RestartNamed(names ...string) error
	// Enable and Disable act on the service with exactly this name.
	Enable(name string) error
	Disable(name string) error
	// WaitFor blocks until the unit named name satisfies cond or ctx ends.
	WaitFor(ctx context.Context, name string, cond func(fleet.Unit) bool) (fleet.Unit, error)
}

// Schedules is the scheduler as remote commands may use it.
type Schedules interface {
	Jobs() []fleet.Job
	// HasJob reports whether job names a registered handler or a job
	// defined in the device's config: the only things schedule.add may use.
	HasJob(job string) bool
	Add(args fleet.ScheduleAddArgs) error
	Remove(name string) error
	Pause(name string) error
	Resume(name string) error
	RunNow(name string) error
}

// Journal is the device's log.
type Journal interface {
	// Cat returns matching records, oldest first; a bad grep pattern or
	// level is an error wrapping ErrBadArgs.
	Cat(q fleet.LogsArgs) ([]fleet.LogRecord, error)
	// Follow subscribes to new matching records.
	Follow(q fleet.LogsArgs) (Follower, error)
}

// Follower is a journal subscription.
type Follower interface {
	C() <-chan fleet.LogRecord
	Close()
}

// Sensors reads sensors; an empty name reads every sensor.
type Sensors interface {
	Read(ctx context.Context, sensor string) ([]fleet.Reading, error)
}

// Publisher sends replies and log records.
type Publisher interface {
	// PublishReply sends a reply with QoS 1, kept while offline until
	// expires (the request's exp; zero: the outbox's own bounds), after
	// which nobody waits for it and it is dropped.
	PublishReply(topic string, payload []byte, expires time.Time) error
	// PublishLog sends a log record with QoS 0; dropped while offline.
	PublishLog(topic string, payload []byte) error
}

// Deps are what the commands act on. Publisher is required; a nil
// dependency makes its commands answer unavailable.
type Deps struct {
	Publisher Publisher
	Units     Units
	Schedules Schedules
	Journal   Journal
	Sensors   Sensors
	// Info returns the birth document.
	Info func() fleet.InfoDoc
	// Status returns the current snapshot.
	Status func() fleet.Snapshot
	// Config returns the effective configuration, secrets redacted.
	Config func() map[string]any
	// OTA runs ota.apply and ota.status; nil answers unavailable.
	OTA OTA
	// Restart asks the agent to stop cleanly and re-execute itself; it is
	// called after the reply has been queued and must not block.
	Restart func()
}
