package fleet

import "time"

// This file is the status model: the one shape that the supervisor, the
// scheduler adapter, the MQTT status topic, the JSON output and the
// aioctl-style text rendering (fleet/statustext) all share.

// UnitState is the lifecycle state of a task or service. States are stable
// strings because they are persisted and sent over the wire.
type UnitState string

// Unit states, as in DESIGN.md "What runs on a device".
const (
	UnitPending UnitState = "pending"
	UnitRunning UnitState = "running"
	UnitStopped UnitState = "stopped"
	UnitDone    UnitState = "done"
	UnitFailed  UnitState = "failed"
	UnitBackoff UnitState = "backoff"
)

// Kinds of units.
const (
	KindTask    = "task"
	KindService = "service"
)

// Unit is the status of one supervised task or service.
type Unit struct {
	Name  string    `json:"name"`
	Kind  string    `json:"kind"`           // KindTask or KindService
	Type  string    `json:"type,omitempty"` // service kind ("exec", "sensor") or task function name
	State UnitState `json:"state"`
	// Since is when the unit entered State.
	Since     time.Time  `json:"since"`
	StartedAt *time.Time `json:"started_at,omitempty"`
	// Enabled is set for services only.
	Enabled  *bool          `json:"enabled,omitempty"`
	Requires []string       `json:"requires,omitempty"`
	Args     map[string]any `json:"args,omitempty"`
	Result   any            `json:"result,omitempty"`
	Error    string         `json:"error,omitempty"`
	// Stack is the goroutine stack of a panic, when the unit panicked.
	Stack string `json:"stack,omitempty"`
	// Reason explains a failed or backoff state (burst limit, watchdog, ...).
	Reason string `json:"reason,omitempty"`
	// ExitCode and Signal describe how an exec service's process ended.
	ExitCode *int   `json:"exit_code,omitempty"`
	Signal   string `json:"signal,omitempty"`
	PID      int    `json:"pid,omitempty"`
	// NextStart is when a unit in backoff will be started again.
	NextStart *time.Time `json:"next_start,omitempty"`
	Profile   Profile    `json:"profile"`
}

// Profile holds the run-time accounting of a unit (micropython-async's aioprof).
type Profile struct {
	Starts          uint64        `json:"starts"`
	Restarts        uint64        `json:"restarts"`
	WatchdogMisses  uint64        `json:"watchdog_misses,omitempty"`
	RunTime         time.Duration `json:"run_time_ns"`
	LastRunDuration time.Duration `json:"last_run_duration_ns,omitempty"`
}

// Job is the status of one scheduled job.
type Job struct {
	Name    string   `json:"name"`
	Spec    string   `json:"spec"`
	Handler string   `json:"handler"`
	Tags    []string `json:"tags,omitempty"`
	Paused  bool     `json:"paused,omitempty"`
	// Broken is set, with the reason, when the job cannot run (for example
	// a restored job whose handler is not registered).
	Broken       string        `json:"broken,omitempty"`
	NextRun      *time.Time    `json:"next_run,omitempty"`
	LastRun      *time.Time    `json:"last_run,omitempty"`
	LastDuration time.Duration `json:"last_duration_ns,omitempty"`
	LastError    string        `json:"last_error,omitempty"`
	Lateness     time.Duration `json:"lateness_ns,omitempty"`
	Running      int           `json:"running,omitempty"`
	Runs         uint64        `json:"runs"`
	Skips        uint64        `json:"skips"`
	Failures     uint64        `json:"failures"`
}

// Reading is one sensor value.
type Reading struct {
	Sensor string    `json:"sensor"`
	Metric string    `json:"metric"`
	Value  float64   `json:"value"`
	Unit   string    `json:"unit"`
	Time   time.Time `json:"ts"`
	// Labels tell apart readings of one metric of one sensor (the system
	// sensor's interface, mount, zone); they become Prometheus labels.
	Labels map[string]string `json:"labels,omitempty"`
}

// SensorError is a sensor whose last read failed.
type SensorError struct {
	Sensor string `json:"sensor"`
	Error  string `json:"error"`
	// Failures counts failed reads since start; Consecutive those in a row.
	Failures    uint64     `json:"failures"`
	Consecutive int        `json:"consecutive_failures"`
	LastRead    *time.Time `json:"last_read,omitempty"`
}

// Snapshot is the whole status of a device at one instant, as published on
// drover/<dev>/status and returned by the status command.
type Snapshot struct {
	Device  string    `json:"device"`
	Time    time.Time `json:"ts"`
	Version string    `json:"version,omitempty"`
	Uptime  float64   `json:"uptime_s"`
	// Broker is the URL of the broker the device is connected to.
	Broker   string    `json:"broker,omitempty"`
	Tasks    []Unit    `json:"tasks"`
	Services []Unit    `json:"services"`
	Jobs     []Job     `json:"jobs"`
	Sensors  []Reading `json:"sensors,omitempty"`
	// SensorErrors lists the sensors whose last read failed, with the
	// error, so a failing sensor shows in status rather than missing.
	SensorErrors []SensorError `json:"sensor_errors,omitempty"`
	// OTA is the OTA state machine's status, owned by the ota package.
	OTA any `json:"ota,omitempty"`
	// Outbox is the depth of the device's outbox of QoS 1 messages not yet
	// acknowledged; omitted by agents without one.
	Outbox *OutboxStatus `json:"outbox,omitempty"`
}

// OutboxStatus is the depth of a device's on-disk outbox.
type OutboxStatus struct {
	Records int   `json:"records"`
	Bytes   int64 `json:"bytes"`
	// OldestAge is the age in seconds of the oldest record; 0 when empty.
	OldestAge float64 `json:"oldest_age_s"`
	// Dropped counts the records dropped since the agent started (bounds,
	// expiry, corruption).
	Dropped uint64 `json:"dropped"`
}
