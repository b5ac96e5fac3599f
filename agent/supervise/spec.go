package supervise

import (
	"context"
	"time"

	"github.com/drover-iot/drover/agent/supervise/restart"
	"github.com/drover-iot/drover/fleet"
)

// Func is a supervised unit's body. It runs until it returns or ctx is
// cancelled (the unit was stopped, restarted, deleted, missed its watchdog
// heartbeat, or the supervisor is shutting down) and should then return
// promptly. A panic is recovered and recorded with its stack.
type Func func(ctx context.Context, c *Ctl) (result any, err error)

// KindFactory builds the Func of a service of one kind (exec, sensor, ...)
// from its spec. An error means the service is not loaded.
type KindFactory func(spec ServiceSpec) (Func, error)

// StopHook is called, outside the supervisor's lock, each time a run of
// a unit ends for any reason, with the unit's status at that moment.
type StopHook func(u fleet.Unit)

// ErrorHook is called, outside the supervisor's lock, each time a run of
// a unit fails (error, panic or watchdog timeout), before the StopHook.
type ErrorHook func(u fleet.Unit, err error)

// TaskSpec describes a task: a registered Go function run under a name.
type TaskSpec struct {
	// Name of the task. If a unit of that name exists, the task is named
	// Name@1, Name@2, ... instead.
	Name string
	// Func is the name the function was registered under with Register.
	Func string
	// Args are handed to the function through Ctl.Args; see SetArgs.
	Args map[string]any
	// Restart is the restart policy. Default: no restart.
	Restart restart.Policy
	// Watchdog, if positive, is the longest time the function may go
	// without calling Ctl.Beat before it is restarted.
	Watchdog time.Duration
	// OnStop and OnError are optional hooks.
	OnStop  StopHook
	OnError ErrorHook
}

// ServiceSpec describes a service: a unit with a kind, requirements and an
// enabled flag, started by Boot in dependency order.
type ServiceSpec struct {
	// Name of the service; unique among all units.
	Name string
	// Type is the kind ("exec", "sensor", ...) registered with
	// RegisterKind, used to build Run when Run is nil.
	Type string
	// Requires lists services that must be running (or done) first.
	Requires []string
	// Enabled services are started by Boot. A value persisted by
	// Enable/Disable overrides it.
	Enabled bool
	// Restart is the restart policy. Default: no restart.
	Restart restart.Policy
	// Watchdog, if positive, is the longest time without Ctl.Beat.
	Watchdog time.Duration
	// Args are handed to the function through Ctl.Args.
	Args map[string]any
	// Run, when set, is used as the service's body instead of the kind
	// factory.
	Run Func
	// OnStop and OnError are optional hooks.
	OnStop  StopHook
	OnError ErrorHook
}
