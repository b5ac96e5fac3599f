// Package builtin assembles Drover's sensor drivers into a Registry and
// provides the zero-config sensor set.
package builtin

import (
	"fmt"

	"gopkg.in/yaml.v3"

	"github.com/drover-iot/drover/sensors"
	"github.com/drover-iot/drover/sensors/bme280"
	"github.com/drover-iot/drover/sensors/command"
	"github.com/drover-iot/drover/sensors/gpiosensor"
	"github.com/drover-iot/drover/sensors/simulated"
	"github.com/drover-iot/drover/sensors/system"
)

// DefaultConfig is the sensors: section used when the agent has no config:
// the machine's own system sensors every 10 seconds.
const DefaultConfig = `
- name: system
  driver: system
  schedule: every 10s
`

// Registry returns a registry holding every built-in driver: system,
// simulated, command, gpio and bme280.
func Registry() *sensors.Registry {
	r := sensors.NewRegistry()
	for name, f := range map[string]sensors.Factory{
		system.Driver:     system.Factory,
		simulated.Driver:  simulated.Factory,
		command.Driver:    command.Factory,
		gpiosensor.Driver: gpiosensor.Factory,
		bme280.Driver:     bme280.Factory,
	} {
		if err := r.Register(name, f); err != nil {
			panic(err) // the names above are distinct constants
		}
	}
	return r
}

// Build builds items with the built-in registry.
func Build(items []*yaml.Node, env sensors.Env) ([]sensors.Scheduled, error) {
	return Registry().Build(items, env)
}

// DefaultSensors builds DefaultConfig: the zero-config agent's sensors.
func DefaultSensors(env sensors.Env) ([]sensors.Scheduled, error) {
	items, err := ParseItems([]byte(DefaultConfig))
	if err != nil {
		return nil, err
	}
	return Build(items, env)
}

// ParseItems parses a YAML sequence of sensor items (a sensors: section on
// its own) into the nodes Build takes, keeping their line numbers.
func ParseItems(src []byte) ([]*yaml.Node, error) {
	var seq yaml.Node
	if err := yaml.Unmarshal(src, &seq); err != nil {
		return nil, fmt.Errorf("%w: %w", sensors.ErrConfig, err)
	}
	if len(seq.Content) == 0 {
		return nil, nil
	}
	list := seq.Content[0]
	if list.Kind != yaml.SequenceNode {
		return nil, fmt.Errorf("%w: line %d: sensors must be a list", sensors.ErrConfig, list.Line)
	}
	return list.Content, nil
}
