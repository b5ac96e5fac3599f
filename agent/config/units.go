package config

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

// Job overlap policies and catch-up policies.
const (
	OverlapSkip       = "skip"
	OverlapQueue      = "queue"
	OverlapConcurrent = "concurrent"
	CatchUpSkip       = "skip"
	CatchUpOnce       = "once"
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

// Job is a named schedule running a registered handler or a command.
type Job struct {
	Name string `yaml:"name" json:"name"`
	// Schedule is in the scheduler's text form, e.g. "every 5m".
	Schedule string `yaml:"schedule" json:"schedule"`
	// Handler names a registered handler; exclusive with Command.
	Handler string `yaml:"handler,omitempty" json:"handler,omitempty"`
	// Command is an argv run as a one-shot process; exclusive with Handler.
	Command []string       `yaml:"command,omitempty" json:"command,omitempty"`
	Args    map[string]any `yaml:"args,omitempty" json:"args,omitempty"`
	// Timeout bounds one run; 0 means none. Default: 0 for handlers, 1h for commands.
	Timeout Duration `yaml:"timeout" json:"timeout"`
	// Overlap is "skip", "queue" or "concurrent". Default: "skip".
	Overlap string `yaml:"overlap" json:"overlap"`
	// MaxConcurrent bounds concurrent runs. Default: 1, or 4 with overlap concurrent.
	MaxConcurrent int `yaml:"max_concurrent" json:"max_concurrent"`
	// CatchUp is "skip" or "once". Default: "skip".
	CatchUp string   `yaml:"catch_up" json:"catch_up"`
	Tags    []string `yaml:"tags,omitempty" json:"tags,omitempty"`
}
