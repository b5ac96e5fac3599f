package agent

import (
	"context"
	"fmt"
	"slices"

	"gopkg.in/yaml.v3"

	"github.com/drover-iot/drover/agent/config"
	"github.com/drover-iot/drover/agent/control"
	"github.com/drover-iot/drover/agent/metrics"
	"github.com/drover-iot/drover/agent/supervise"
	"github.com/drover-iot/drover/fleet"
	"github.com/drover-iot/drover/sensors"
	"github.com/drover-iot/drover/sensors/builtin"
)

// sensorPart owns the device's sensors. Each `kind: sensor` service owns a
// Sampler over the sensors it names (args.sensors; none named: every
// sensor no other sensor service names), so the service's enable, disable
// and restart start and stop their sampling. The sensors no service names
// are sampled by the agent itself, from start to stop.
type sensorPart struct {
	items    []sensors.Scheduled
	free     *sensors.Sampler            // sensors of no service; nil when none
	owned    map[string]*sensors.Sampler // by sensor service name
	bySensor map[string]*sensors.Sampler
	all      []*sensors.Sampler // free first, then services in config order
	out      *sensorOutput
}

var (
	_ control.Sensors      = (*sensorPart)(nil)
	_ metrics.SensorSource = (*sensorPart)(nil)
)

// buildSensors builds the configured sensors, or with no sensors: key the
// machine's system sensors (builtin.DefaultSensors), and registers the
// sensor service kind. A bad sensor is a config error.
func (a *Agent) buildSensors() error {
	env := sensors.Env{Clock: a.clock, Logger: a.log.With("component", "sensors"), OpenI2C: openI2C}
	var items []sensors.Scheduled
	var err error
	if a.cfg.Sensors == nil {
		items, err = builtin.DefaultSensors(env)
	} else {
		nodes := make([]*yaml.Node, len(a.cfg.Sensors))
		for i := range a.cfg.Sensors {
			nodes[i] = &a.cfg.Sensors[i].Node
		}
		items, err = builtin.Build(nodes, env)
	}
	if err != nil {
		return fmt.Errorf("%w: sensors: %w", ErrConfig, err)
	}
	a.sensors = a.newSensorPart(items)
	return a.sup.RegisterKind(config.KindSensor, a.sensors.serviceKind)
}

func (a *Agent) newSensorPart(items []sensors.Scheduled) *sensorPart {
	p := &sensorPart{items: items, owned: map[string]*sensors.Sampler{}, bySensor: map[string]*sensors.Sampler{}}
	p.out = a.newSensorOutput()
	opts := sensors.SamplerOptions{Clock: a.clock, Logger: a.log.With("component", "sensors"), StopTimeout: a.stopTimeout}
	groups := groupSensors(items, a.cfg.Services)
	if free := groups[""]; len(free) > 0 {
		p.free = p.add(free, opts)
	}
	for _, s := range a.cfg.Services {
		if s.Kind == config.KindSensor {
			p.owned[s.Name] = p.add(groups[s.Name], opts)
		}
	}
	return p
}

// groupSensors assigns each sensor to the sensor service that lists it,
// else to the first sensor service that lists none, else to "" (the agent).
func groupSensors(items []sensors.Scheduled, services []config.Service) map[string][]sensors.Scheduled {
	taken := map[string]bool{}
	groups := map[string][]sensors.Scheduled{}
	for _, listedPass := range []bool{true, false} {
		for _, s := range services {
			names, listed, _ := s.ServiceSensors()
			if s.Kind == config.KindSensor && listed == listedPass {
				groups[s.Name] = pick(items, taken, func(n string) bool { return !listed || slices.Contains(names, n) })
			}
		}
	}
	groups[""] = pick(items, taken, func(string) bool { return true })
	return groups
}

// pick returns the items not yet taken whose name want accepts, and marks
// them taken.
func pick(items []sensors.Scheduled, taken map[string]bool, want func(string) bool) []sensors.Scheduled {
	var out []sensors.Scheduled
	for _, it := range items {
		if n := it.Sensor.Name(); !taken[n] && want(n) {
			taken[n] = true
			out = append(out, it)
		}
	}
	return out
}

func (p *sensorPart) add(items []sensors.Scheduled, opts sensors.SamplerOptions) *sensors.Sampler {
	s := sensors.NewSampler(items, p.out.deliver, opts)
	for _, it := range items {
		p.bySensor[it.Sensor.Name()] = s
	}
	p.all = append(p.all, s)
	return s
}

// serviceKind builds the body of a sensor service: run its Sampler until
// the service is stopped.
func (p *sensorPart) serviceKind(spec supervise.ServiceSpec) (supervise.Func, error) {
	s, ok := p.owned[spec.Name]
	if !ok {
		return nil, fmt.Errorf("%w: sensor service %q is not in the config", ErrConfig, spec.Name)
	}
	return func(ctx context.Context, _ *supervise.Ctl) (any, error) {
		return nil, s.Run(ctx)
	}, nil
}

// run samples the sensors of no service until ctx ends.
func (p *sensorPart) run(ctx context.Context) error {
	if p.free == nil {
		<-ctx.Done()
		return nil
	}
	return p.free.Run(ctx)
}

// close closes every sensor (bus handles, edge watchers), once the
// samplers of the agent and of the sensor services have stopped.
func (p *sensorPart) close() error {
	if err := sensors.CloseAll(sensors.Sensors(p.items)); err != nil {
		return fmt.Errorf("agent: close sensors: %w", err)
	}
	return nil
}

// Read serves sensors.read: every latest reading, or a fresh read of one.
func (p *sensorPart) Read(ctx context.Context, name string) ([]fleet.Reading, error) {
	if name == "" {
		return p.Readings(), nil
	}
	s, ok := p.bySensor[name]
	if !ok {
		return nil, fmt.Errorf("%w: no sensor named %q", control.ErrNotFound, name)
	}
	return s.ReadNow(ctx, name)
}

// Readings returns the latest reading of every sensor (status, metrics).
func (p *sensorPart) Readings() []fleet.Reading {
	var out []fleet.Reading
	for _, s := range p.all {
		out = append(out, s.Latest()...)
	}
	return out
}

// Errors returns the sensors whose last read failed (status).
func (p *sensorPart) Errors() []fleet.SensorError {
	var out []fleet.SensorError
	for _, s := range p.all {
		for _, st := range s.Status() {
			if st.ConsecutiveFailures > 0 && st.LastError != "" {
				out = append(out, fleet.SensorError{Sensor: st.Name, Error: st.LastError,
					Failures: st.Failures, Consecutive: st.ConsecutiveFailures, LastRead: st.LastRead})
			}
		}
	}
	return out
}

// SensorCounts returns the read counters of every sensor (metrics).
func (p *sensorPart) SensorCounts() []metrics.SensorCount {
	var out []metrics.SensorCount
	for _, s := range p.all {
		for _, st := range s.Status() {
			out = append(out, metrics.SensorCount{Sensor: st.Name, Reads: st.Reads, Errors: st.Failures})
		}
	}
	return out
}
