package config

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/drover-iot/drover/agent/supervise"
	"github.com/drover-iot/drover/sensors/builtin"
)

func (c *Config) checkServices(p *Problems) {
	seen := map[string]string{}
	requires := map[string][]string{}
	for i, s := range c.Services {
		path := fmt.Sprintf("services[%d]", i)
		c.checkName(p, path, "service", s.Name, seen)
		if seen[s.Name] == path {
			requires[s.Name] = s.Requires
		}
		c.checkService(p, path, s)
	}
	c.checkRequires(p, requires)
}

func (c *Config) checkService(p *Problems, path string, s Service) {
	c.oneOf(p, path+".kind", s.Kind, KindExec, KindSensor)
	if s.Kind == KindExec && len(s.Command) == 0 {
		p.Add(c.pos, path+".command", "an exec service needs a command (argv list)")
	}
	if s.Kind == KindSensor && len(s.Command) > 0 {
		p.Add(c.pos, path+".command", "a sensor service takes no command")
	}
	r := s.Restart
	c.oneOf(p, path+".restart.policy", r.Policy, RestartNo, RestartOnFailure, RestartAlways)
	c.positive(p, path+".restart.backoff", r.Backoff)
	if r.MaxBackoff < r.Backoff {
		p.Add(c.pos, path+".restart.max_backoff", "%s is below backoff %s", r.MaxBackoff, r.Backoff)
	}
	if r.Burst < 1 {
		p.Add(c.pos, path+".restart.burst", "must be at least 1, not %d", r.Burst)
	}
	c.positive(p, path+".restart.window", r.Window)
	c.nonNegative(p, path+".watchdog", s.Watchdog)
	c.positive(p, path+".stop_timeout", s.StopTimeout)
}

// checkRequires reports missing dependencies and cycles, as found by the
// supervisor's own ordering, at the line of the first service they name.
// Missing dependencies hide cycles in SortByRequires, so the graph is
// checked again without them.
func (c *Config) checkRequires(p *Problems, requires map[string][]string) {
	_, err := supervise.SortByRequires(requires)
	if errors.Is(err, supervise.ErrUnknownDependency) {
		c.addDepErrors(p, err)
		_, err = supervise.SortByRequires(knownOnly(requires))
	}
	c.addDepErrors(p, err)
}

func (c *Config) addDepErrors(p *Problems, err error) {
	if err == nil {
		return
	}
	errs := []error{err}
	if joined, ok := err.(interface{ Unwrap() []error }); ok {
		errs = joined.Unwrap()
	}
	for _, e := range errs {
		msg := strings.TrimPrefix(e.Error(), "supervise: ")
		p.Add(c.pos, c.firstServiceIn(msg)+".requires", "%s", msg)
	}
}

// knownOnly drops the requirements that name no service.
func knownOnly(requires map[string][]string) map[string][]string {
	out := make(map[string][]string, len(requires))
	for name, deps := range requires {
		out[name] = slices.DeleteFunc(slices.Clone(deps), func(d string) bool {
			_, ok := requires[d]
			return !ok
		})
	}
	return out
}

// firstServiceIn returns the path of the service named earliest in msg.
func (c *Config) firstServiceIn(msg string) string {
	best, at := "services", len(msg)+1
	for i, s := range c.Services {
		if k := wordIndex(msg, s.Name); k >= 0 && k < at {
			best, at = fmt.Sprintf("services[%d]", i), k
		}
	}
	return best
}

// wordIndex finds name in msg not as part of a longer name.
func wordIndex(msg, name string) int {
	isName := func(b byte) bool { return unitName.Valid(string(b), 1) }
	for off := 0; name != ""; {
		k := strings.Index(msg[off:], name)
		if k < 0 {
			return -1
		}
		k += off
		end := k + len(name)
		if (k == 0 || !isName(msg[k-1])) && (end == len(msg) || !isName(msg[end])) {
			return k
		}
		off = k + 1
	}
	return -1
}

func (c *Config) checkJobs(p *Problems) { c.check(p).Jobs("jobs", c.Jobs) }

func (c *Config) checkSensors(p *Problems) {
	seen := map[string]string{}
	var items []*yaml.Node
	for i, s := range c.Sensors {
		path := fmt.Sprintf("sensors[%d]", i)
		c.checkName(p, path, "sensor", s.Name, seen)
		if s.Driver == "" {
			p.Add(c.pos, path+".driver", "a sensor needs a driver")
		} else if seen[s.Name] == path {
			items = append(items, &c.Sensors[i].Node)
		}
	}
	// The drivers' own checks, without hardware: keys, values, schedules.
	for _, pr := range builtin.Check(items) {
		msg := strings.ReplaceAll(pr.Message, "sensors: ", "")
		p.List = append(p.List, Problem{Line: pr.Line, Message: c.sensorAt(pr.Line) + ": " + msg})
	}
	c.checkSensorServices(p)
	c.checkHomeAssistant(p)
}
