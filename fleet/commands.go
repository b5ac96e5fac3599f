package fleet

import "time"

// DeviceState is the plain-text payload of drover/<dev>/state.
type DeviceState string

// Device states published on drover/<dev>/state.
const (
	StateOnline   DeviceState = "online"
	StateOffline  DeviceState = "offline" // clean stop
	StateLost     DeviceState = "lost"    // the last will
	StateUpdating DeviceState = "updating"
)

// InfoDoc is the birth document, retained on drover/<dev>/info and the
// result of the info command.
type InfoDoc struct {
	V       int    `json:"v"`
	ID      string `json:"id"`
	Version string `json:"version"`
	Commit  string `json:"commit,omitempty"`
	// Build is the monotonic build number OTA compares (0: unnumbered).
	Build        uint64            `json:"build,omitempty"`
	Go           string            `json:"go"`
	OS           string            `json:"os"`
	Arch         string            `json:"arch"`
	StartedAt    time.Time         `json:"started_at"`
	BootID       string            `json:"boot_id,omitempty"`
	Labels       map[string]string `json:"labels,omitempty"`
	Capabilities []string          `json:"capabilities,omitempty"`
	// OTAKeys are the ids of the minisign keys the device trusts.
	OTAKeys []string `json:"ota_keys,omitempty"`
	// Broker is the URL (without credentials) of the broker the device
	// is connected to, one of its configured brokers.
	Broker string `json:"broker,omitempty"`
}

// PingResult is the result of ping.
type PingResult struct {
	TS      time.Time `json:"ts"`
	UptimeS float64   `json:"uptime_s"`
	Version string    `json:"version,omitempty"`
}

// StatusResult is the result of status and the payload of drover/<dev>/status.
type StatusResult = Snapshot

// NameArgs names one unit or job; task.*, service.* and schedule.* actions
// take it. Task and service names may use '*' wildcards.
type NameArgs struct {
	Name string `json:"name"`
}

// TaskArgs are the args of task.start, task.stop and task.restart.
type TaskArgs = NameArgs

// ServiceArgs are the args of service.enable, service.disable and service.restart.
type ServiceArgs = NameArgs

// UnitsResult is the result of task.* and service.* commands: the listed or
// affected units.
type UnitsResult struct {
	Units []Unit `json:"units"`
}

// LogsArgs are the args of logs. Zero values mean no filter; N 0 means the
// device's default count.
type LogsArgs struct {
	N      int    `json:"n,omitempty"`
	Grep   string `json:"grep,omitempty"`
	Level  string `json:"level,omitempty"`
	Source string `json:"source,omitempty"`
}

// LogRecord is one journal record, in logs results and on drover/<dev>/log.
type LogRecord struct {
	Seq    uint64         `json:"seq,omitempty"`
	TS     time.Time      `json:"ts"`
	Level  string         `json:"level"`
	Source string         `json:"source,omitempty"`
	Msg    string         `json:"msg"`
	Attrs  map[string]any `json:"attrs,omitempty"`
	// Dropped counts records lost just before this one by a slow follower.
	Dropped uint64 `json:"dropped,omitempty"`
}

// LogsResult is the result of logs, oldest record first.
type LogsResult struct {
	Records []LogRecord `json:"records"`
}

// Follow leases: the lease when FollowArgs.TTLSeconds is 0, and the bounds
// a device applies to the lease it grants.
const (
	DefaultFollowTTL = 30 * time.Second
	MinFollowTTL     = time.Second
	MaxFollowTTL     = 10 * time.Minute
)

// FollowArgs are the args of log.follow: forward matching records to
// drover/<dev>/log until TTLSeconds pass without a renewal.
type FollowArgs struct {
	TTLSeconds int    `json:"ttl_s"`
	Grep       string `json:"grep,omitempty"`
	Level      string `json:"level,omitempty"`
}

// FollowResult is the result of log.follow.
type FollowResult struct {
	Topic   string    `json:"topic"`
	Expires time.Time `json:"expires"`
}

// ScheduleAddArgs are the args of schedule.add. Job names a handler that the
// device registered; it is never evaluated as code.
type ScheduleAddArgs struct {
	Name string         `json:"name"`
	Spec string         `json:"spec"`
	Job  string         `json:"job"`
	Args map[string]any `json:"args,omitempty"`
}

// JobsResult is the result of schedule.* commands: the listed or affected jobs.
type JobsResult struct {
	Jobs []Job `json:"jobs"`
}

// SensorsArgs are the args of sensors.read; an empty Sensor reads all.
type SensorsArgs struct {
	Sensor string `json:"sensor,omitempty"`
}

// SensorsResult is the result of sensors.read.
type SensorsResult struct {
	Readings []Reading `json:"readings"`
}

// ConfigResult is the result of config.get: the effective configuration
// with secrets replaced by "<redacted>".
type ConfigResult struct {
	Config map[string]any `json:"config"`
}

// OTAApplyArgs are the args of ota.apply.
type OTAApplyArgs struct {
	Artifact string `json:"artifact"`
}

// AckResult is the result of commands that only acknowledge (agent.restart).
type AckResult struct {
	Message string `json:"message,omitempty"`
}

// Telemetry is the payload of drover/<dev>/telemetry.
type Telemetry struct {
	// Seq is the device's telemetry sequence number: 1, 2, 3… per device,
	// persisted across restarts, never reused. A consumer drops a seq it
	// has seen (QoS 1 may deliver twice). Omitted (0) by older agents.
	Seq      uint64             `json:"seq,omitempty"`
	TS       time.Time          `json:"ts"`
	Readings []TelemetryReading `json:"readings"`
}

// TelemetryReading is one value in a Telemetry document.
type TelemetryReading struct {
	Sensor string  `json:"sensor"`
	Metric string  `json:"metric"`
	Value  float64 `json:"value"`
	Unit   string  `json:"unit"`
	// Labels tell apart readings of one metric of one sensor (interface,
	// mount, zone); omitted when empty.
	Labels map[string]string `json:"labels,omitempty"`
}
