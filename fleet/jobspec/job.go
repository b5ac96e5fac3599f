package jobspec

import "time"

// Job overlap policies and catch-up policies.
const (
	OverlapSkip       = "skip"
	OverlapQueue      = "queue"
	OverlapConcurrent = "concurrent"
	CatchUpSkip       = "skip"
	CatchUpOnce       = "once"
)

// Defaults of a job's optional keys.
const (
	// DefaultCommandTimeout bounds one run of a command job.
	DefaultCommandTimeout = time.Hour
	// DefaultMaxConcurrent is max_concurrent with overlap concurrent.
	DefaultMaxConcurrent = 4
)

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

// ApplyDefaults fills the keys left out (see each field's Default).
func (j *Job) ApplyDefaults() {
	setDefault(&j.Overlap, OverlapSkip)
	setDefault(&j.CatchUp, CatchUpSkip)
	if len(j.Command) > 0 {
		setDefault(&j.Timeout, Duration(DefaultCommandTimeout))
	}
	if j.Overlap == OverlapConcurrent {
		setDefault(&j.MaxConcurrent, DefaultMaxConcurrent)
	}
	setDefault(&j.MaxConcurrent, 1)
}

func setDefault[T comparable](v *T, def T) {
	var zero T
	if *v == zero {
		*v = def
	}
}
