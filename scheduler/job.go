package scheduler

import (
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/drover-iot/drover/internal/names"
	"github.com/drover-iot/drover/scheduler/schedule"
)

// Overlap says what happens when a job is due while a run of it is still
// going. Values are stable strings: they are persisted and sent on the wire.
type Overlap string

// Overlap policies.
const (
	// OverlapSkip drops the due run and counts it as a skip. The default.
	OverlapSkip Overlap = "skip"
	// OverlapQueue keeps at most one pending run, started when the running
	// one ends; further due runs are skipped.
	OverlapQueue Overlap = "queue"
	// OverlapConcurrent starts the run alongside the running ones, up to
	// JobDef.MaxConcurrent runs at once; beyond that runs are skipped.
	OverlapConcurrent Overlap = "concurrent"
)

// CatchUp says what a restored job does with a next run that was missed
// while the program was not running.
type CatchUp string

// Catch-up policies.
const (
	// CatchUpSkip schedules the next slot after now. The default.
	CatchUpSkip CatchUp = "skip"
	// CatchUpOnce runs the job once at start, then continues on its grid.
	CatchUpOnce CatchUp = "once"
)

// DefaultMaxConcurrent bounds OverlapConcurrent when JobDef.MaxConcurrent
// is not set.
const DefaultMaxConcurrent = 4

// Duration is a time.Duration written as text ("30s", "1m30s") in JSON and
// YAML.
type Duration time.Duration

// MarshalText writes the duration in time.Duration.String form.
func (d Duration) MarshalText() ([]byte, error) {
	return []byte(time.Duration(d).String()), nil
}

// UnmarshalText parses the time.ParseDuration form.
func (d *Duration) UnmarshalText(b []byte) error {
	v, err := time.ParseDuration(string(b))
	if err != nil {
		return fmt.Errorf("duration %q: %w", b, err)
	}
	*d = Duration(v)
	return nil
}

// JobDef defines a job: a schedule and the name of a registered handler. It
// is what configuration files, fleet requests and the store carry.
type JobDef struct {
	// Name identifies the job; it matches ^[A-Za-z0-9][A-Za-z0-9._:@-]{0,127}$.
	Name string `json:"name" yaml:"name"`
	// Spec is the schedule in the text form of Parse, e.g. "every 10s".
	Spec string `json:"spec" yaml:"spec"`
	// Handler names a handler in the scheduler's Registry.
	Handler string `json:"handler" yaml:"handler"`
	// Args are passed to the handler in Run.Args. Treat them as read-only.
	Args map[string]any `json:"args,omitempty" yaml:"args,omitempty"`
	// Tags group jobs for Tagged and RemoveTag.
	Tags []string `json:"tags,omitempty" yaml:"tags,omitempty"`
	// Overlap is the policy for a due run while one is running. Default skip.
	Overlap Overlap `json:"overlap,omitempty" yaml:"overlap,omitempty"`
	// MaxConcurrent bounds OverlapConcurrent. Default DefaultMaxConcurrent.
	MaxConcurrent int `json:"max_concurrent,omitempty" yaml:"max_concurrent,omitempty"`
	// Timeout is the deadline of each run's context; zero means none.
	Timeout Duration `json:"timeout,omitempty" yaml:"timeout,omitempty"`
	// CatchUp is the policy for a run missed while the program was down.
	// Default skip.
	CatchUp CatchUp `json:"catch_up,omitempty" yaml:"catch_up,omitempty"`
	// Paused jobs keep their schedule but do not run until resumed.
	Paused bool `json:"paused,omitempty" yaml:"paused,omitempty"`
}

// jobName is the charset of job names, [A-Za-z0-9][A-Za-z0-9._:@-]*, at
// most maxJobNameLen bytes.
var jobName = names.Charset{Upper: true, Extra: "._:@-"}

const maxJobNameLen = 128

// withDefaults returns d with empty policies filled in.
func (d JobDef) withDefaults() JobDef {
	if d.Overlap == "" {
		d.Overlap = OverlapSkip
	}
	if d.CatchUp == "" {
		d.CatchUp = CatchUpSkip
	}
	if d.Overlap == OverlapConcurrent && d.MaxConcurrent <= 0 {
		d.MaxConcurrent = DefaultMaxConcurrent
	}
	return d
}

// Validate reports every problem of d at once, each wrapping ErrInvalidJob.
// It checks the spec text with Parse but not whether the handler exists.
func (d JobDef) Validate() error {
	var errs []error
	bad := func(format string, a ...any) {
		errs = append(errs, fmt.Errorf("job %q: %w: "+format, append([]any{d.Name, ErrInvalidJob}, a...)...))
	}
	if !jobName.Valid(d.Name, maxJobNameLen) {
		bad("name must be 1 to %d of A-Z a-z 0-9 . _ : @ -, starting with a letter or digit", maxJobNameLen)
	}
	if d.Handler == "" {
		bad("handler is empty")
	}
	if _, err := schedule.Parse(d.Spec); err != nil {
		bad("spec: %v", err)
	}
	switch d.Overlap {
	case "", OverlapSkip, OverlapQueue, OverlapConcurrent:
	default:
		bad("overlap %q is not skip, queue or concurrent", d.Overlap)
	}
	switch d.CatchUp {
	case "", CatchUpSkip, CatchUpOnce:
	default:
		bad("catch_up %q is not skip or once", d.CatchUp)
	}
	if d.MaxConcurrent < 0 || d.Timeout < 0 {
		bad("max_concurrent and timeout must not be negative")
	}
	return errors.Join(errs...)
}

// hasTag reports whether d carries tag.
func (d JobDef) hasTag(tag string) bool {
	return slices.Contains(d.Tags, tag)
}
