// Package restart holds the pure maths of a unit's restart policy: whether
// an ended run is restarted, the exponential backoff with jitter before the
// next start, and the burst limit of starts within a window (systemd's
// start limit). Nothing here reads a clock or starts a goroutine.
package restart

import (
	"fmt"
	"math"
	"time"
)

// Mode says which ended runs are restarted. Modes are stable strings
// because they appear in config files and on the wire.
type Mode string

// Restart modes, as in systemd's Restart= setting.
const (
	// No never restarts.
	No Mode = "no"
	// OnFailure restarts a run that ended with an error, a panic or a
	// watchdog timeout.
	OnFailure Mode = "on-failure"
	// Always restarts every run that ended by itself, even successfully.
	Always Mode = "always"
)

// Defaults applied by Policy.WithDefaults to zero fields.
const (
	DefaultInitial    = 100 * time.Millisecond
	DefaultMax        = 30 * time.Second
	DefaultMultiplier = 2.0
	DefaultJitter     = 0.1
	DefaultBurst      = 5
	DefaultWindow     = 10 * time.Second
)

// Policy is a unit's restart policy. The zero value means "no" with the
// default backoff and burst limit.
type Policy struct {
	// Mode is no, on-failure or always. Default: no.
	Mode Mode `yaml:"mode" json:"mode"`
	// Initial is the delay before the first restart. Default: 100ms.
	Initial time.Duration `yaml:"initial" json:"initial_ns"`
	// Max caps the delay. Default: 30s.
	Max time.Duration `yaml:"max" json:"max_ns"`
	// Multiplier grows the delay after each restart. Default: 2.
	Multiplier float64 `yaml:"multiplier" json:"multiplier"`
	// Jitter is the fraction (0..1) by which a delay is randomly moved up
	// or down. Default: 0.1. A negative value disables jitter.
	Jitter float64 `yaml:"jitter" json:"jitter"`
	// Burst is how many starts are allowed within Window; one more makes
	// the unit failed. Default: 5. A negative value disables the limit.
	Burst int `yaml:"burst" json:"burst"`
	// Window is the burst limit's sliding window. Default: 10s.
	Window time.Duration `yaml:"window" json:"window_ns"`
}

// WithDefaults returns p with every zero field set to its default.
func (p Policy) WithDefaults() Policy {
	if p.Mode == "" {
		p.Mode = No
	}
	p.Initial = orDefault(p.Initial, DefaultInitial)
	p.Max = orDefault(p.Max, DefaultMax)
	p.Window = orDefault(p.Window, DefaultWindow)
	if p.Multiplier == 0 {
		p.Multiplier = DefaultMultiplier
	}
	if p.Jitter == 0 {
		p.Jitter = DefaultJitter
	}
	if p.Burst == 0 {
		p.Burst = DefaultBurst
	}
	return p
}

func orDefault(d, def time.Duration) time.Duration {
	if d == 0 {
		return def
	}
	return d
}

// Validate reports the first problem of p, after defaults.
func (p Policy) Validate() error {
	p = p.WithDefaults()
	switch {
	case p.Mode != No && p.Mode != OnFailure && p.Mode != Always:
		return fmt.Errorf("%w: %q (want no, on-failure or always)", ErrBadMode, p.Mode)
	case p.Initial < 0 || p.Max < 0 || p.Window < 0:
		return fmt.Errorf("%w: negative duration", ErrBadPolicy)
	case p.Max < p.Initial:
		return fmt.Errorf("%w: max %v below initial %v", ErrBadPolicy, p.Max, p.Initial)
	case p.Multiplier < 1:
		return fmt.Errorf("%w: multiplier %v below 1", ErrBadPolicy, p.Multiplier)
	case p.Jitter > 1:
		return fmt.Errorf("%w: jitter %v above 1", ErrBadPolicy, p.Jitter)
	}
	return nil
}

// ShouldRestart reports whether a run that ended by itself is restarted;
// failed says whether it ended with an error, panic or watchdog timeout.
func (p Policy) ShouldRestart(failed bool) bool {
	switch p.Mode {
	case Always:
		return true
	case OnFailure:
		return failed
	default:
		return false
	}
}

// Backoff is the delay before restart number attempt (0 for the first),
// Initial*Multiplier^attempt capped at Max, then moved by up to ±Jitter
// of itself; r in [0,1) is the random draw (0.5 means no move).
func (p Policy) Backoff(attempt int, r float64) time.Duration {
	p = p.WithDefaults()
	d := float64(p.Initial) * math.Pow(p.Multiplier, float64(max(attempt, 0)))
	d = math.Min(d, float64(p.Max))
	if p.Jitter > 0 {
		d *= 1 + p.Jitter*(2*r-1)
	}
	return time.Duration(d)
}
