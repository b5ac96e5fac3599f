package config

import "github.com/drover-iot/drover/fleet/jobspec"

// Service kinds.
const (
	KindExec   = "exec"
	KindSensor = "sensor"
)

// Restart policies, as in DESIGN.md.
const (
	RestartNo        = "no"
	RestartOnFailure = "on-failure"
	RestartAlways    = "always"
)

// Job overlap policies and catch-up policies (jobspec's).
const (
	OverlapSkip       = jobspec.OverlapSkip
	OverlapQueue      = jobspec.OverlapQueue
	OverlapConcurrent = jobspec.OverlapConcurrent
	CatchUpSkip       = jobspec.CatchUpSkip
	CatchUpOnce       = jobspec.CatchUpOnce
)

// Service is a supervised unit started at boot.
type Service struct {
	Name string `yaml:"name" json:"name"`
	// Kind is "exec" or "sensor". Default: "exec".
	Kind string `yaml:"kind" json:"kind"`
	// Enabled services start at boot. Default: true.
	Enabled *bool `yaml:"enabled" json:"enabled"`
	// Command is the argv of an exec service (no shell).
	Command []string `yaml:"command,omitempty" json:"command,omitempty"`
	// Args are free arguments for the service kind.
	Args map[string]any `yaml:"args,omitempty" json:"args,omitempty"`
	// Env is added to the process's minimal environment.
	Env map[string]string `yaml:"env,omitempty" json:"env,omitempty"`
	// Dir is the working directory. Default: the agent's.
	Dir string `yaml:"dir,omitempty" json:"dir,omitempty"`
	// Requires names services started before this one.
	Requires []string `yaml:"requires,omitempty" json:"requires,omitempty"`
	Restart  Restart  `yaml:"restart" json:"restart"`
	// Watchdog is the heartbeat interval; 0 turns it off. Default: 0.
	Watchdog Duration `yaml:"watchdog" json:"watchdog"`
	// StopTimeout is the time between SIGTERM and SIGKILL. Default: 10s.
	StopTimeout Duration `yaml:"stop_timeout" json:"stop_timeout"`
}

// IsEnabled reports whether the service starts at boot (nil means true).
func (s Service) IsEnabled() bool { return s.Enabled == nil || *s.Enabled }

// Restart is a unit's restart policy.
type Restart struct {
	// Policy is "no", "on-failure" or "always". Default: "on-failure".
	Policy string `yaml:"policy" json:"policy"`
	// Backoff is the first delay, doubled up to MaxBackoff. Default: 1s.
	Backoff Duration `yaml:"backoff" json:"backoff"`
	// MaxBackoff caps the delay. Default: 1m.
	MaxBackoff Duration `yaml:"max_backoff" json:"max_backoff"`
	// Burst starts within Window make the unit failed. Default: 5.
	Burst int `yaml:"burst" json:"burst"`
	// Window is the burst window. Default: 1m.
	Window Duration `yaml:"window" json:"window"`
}

// Job is a named schedule running a registered handler or a command
// (jobspec.Job, shared with the fleet's group documents).
type Job = jobspec.Job
