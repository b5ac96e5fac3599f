package jobspec

import (
	"fmt"
	"slices"
	"strings"

	"github.com/drover-iot/drover/internal/names"
	"github.com/drover-iot/drover/scheduler/schedule"
)

// MaxNameLen bounds service, job and sensor names.
const MaxNameLen = 64

// UnitName is the charset of service, job and sensor names:
// [A-Za-z0-9][A-Za-z0-9._-]*, at most MaxNameLen bytes.
var UnitName = names.Charset{Upper: true, Extra: "._-"}

// Checker adds the problems it finds to P, located by Pos.
type Checker struct {
	Pos Positions
	P   *Problems
}

// Add records a problem at path.
func (c Checker) Add(path, format string, args ...any) { c.P.Add(c.Pos, path, format, args...) }

// Jobs checks each job of list, written under path (such as "jobs"):
// names (valid, not twice) and each job's keys. Defaults must be applied.
func (c Checker) Jobs(path string, list []Job) {
	seen := map[string]string{}
	for i, j := range list {
		at := fmt.Sprintf("%s[%d]", path, i)
		c.Name(at, "job", j.Name, seen)
		c.Job(at, j)
	}
}

// Job checks one job written at path.
func (c Checker) Job(path string, j Job) {
	if j.Schedule == "" {
		c.Add(path+".schedule", "a job needs a schedule, such as \"every 5m\"")
	} else if _, err := schedule.Parse(j.Schedule); err != nil {
		c.Add(path+".schedule", "%v", err)
	}
	switch {
	case j.Handler != "" && len(j.Command) > 0:
		c.Add(path, "set handler or command, not both")
	case j.Handler == "" && len(j.Command) == 0:
		c.Add(path, "set a handler or a command")
	}
	c.OneOf(path+".overlap", j.Overlap, OverlapSkip, OverlapQueue, OverlapConcurrent)
	c.OneOf(path+".catch_up", j.CatchUp, CatchUpSkip, CatchUpOnce)
	c.NonNegative(path+".timeout", j.Timeout)
	if j.MaxConcurrent < 1 {
		c.Add(path+".max_concurrent", "must be at least 1, not %d", j.MaxConcurrent)
	}
}

// Positive reports a duration that is zero or negative.
func (c Checker) Positive(path string, d Duration) {
	if d <= 0 {
		c.Add(path, "must be a positive duration, not %s", d)
	}
}

// NonNegative reports a negative duration.
func (c Checker) NonNegative(path string, d Duration) {
	if d < 0 {
		c.Add(path, "must not be negative, not %s", d)
	}
}

// OneOf reports a value outside the allowed set.
func (c Checker) OneOf(path, v string, allowed ...string) {
	if !slices.Contains(allowed, v) {
		c.Add(path, "%q is not one of %s", v, strings.Join(allowed, ", "))
	}
}

// Name reports a bad or duplicate unit name (what is "job", "service",
// ...); seen collects the names and their paths.
func (c Checker) Name(path, what, name string, seen map[string]string) {
	switch prev, dup := seen[name]; {
	case name == "":
		c.Add(path, "%s needs a name", what)
	case !UnitName.Valid(name, MaxNameLen):
		c.Add(path+".name", "%s name %q must be 1 to %d of A-Z a-z 0-9 . _ -, starting with a letter or digit",
			what, name, MaxNameLen)
	case dup:
		c.Add(path+".name", "duplicate %s name %q (first at line %d)", what, name, c.Pos.Line(prev))
	default:
		seen[name] = path
	}
}
