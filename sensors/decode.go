package sensors

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// Common holds the keys every sensor item has, whatever its driver.
type Common struct {
	// Name is the sensor's unique name (required).
	Name string `yaml:"name"`
	// Driver names the registered driver (required).
	Driver string `yaml:"driver"`
	// Schedule is the sampling schedule in the scheduler's text form.
	// Default: DefaultSchedule.
	Schedule string `yaml:"schedule"`
	// Timeout bounds one read. Default: DefaultTimeout.
	Timeout time.Duration `yaml:"timeout"`
}

// Defaults for Common.
const (
	// DefaultSchedule is the schedule of a sensor that names none.
	DefaultSchedule = "every 10s"
	// DefaultTimeout bounds one read when the config sets no timeout.
	DefaultTimeout = 5 * time.Second
)

var commonKeys = yamlKeys(reflect.TypeFor[Common]())

// DecodeStrict decodes a sensor item into out, a pointer to the driver's
// config struct. Keys that are neither one of out's yaml fields nor a
// Common key are errors naming their line, like the rest of the config.
// All unknown keys are reported at once.
func DecodeStrict(node *yaml.Node, out any) error {
	node = mappingOf(node)
	if node == nil {
		return fmt.Errorf("%w: sensor item is not a mapping", ErrConfig)
	}
	allowed := append(yamlKeys(reflect.TypeOf(out).Elem()), commonKeys...)
	var errs []error
	for i := 0; i+1 < len(node.Content); i += 2 {
		k := node.Content[i]
		if !slices.Contains(allowed, k.Value) {
			errs = append(errs, fmt.Errorf("%w: line %d: unknown key %q (known: %s)",
				ErrConfig, k.Line, k.Value, strings.Join(allowed, ", ")))
		}
	}
	if err := node.Decode(out); err != nil {
		errs = append(errs, fmt.Errorf("%w: %w", ErrConfig, err))
	}
	return errors.Join(errs...)
}

// mappingOf returns the mapping node of n, unwrapping a document node.
func mappingOf(n *yaml.Node) *yaml.Node {
	if n != nil && n.Kind == yaml.DocumentNode && len(n.Content) == 1 {
		n = n.Content[0]
	}
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	return n
}

// yamlKeys lists the yaml keys of struct type t, following inline fields.
func yamlKeys(t reflect.Type) []string {
	if t.Kind() != reflect.Struct {
		return nil
	}
	var keys []string
	for f := range t.Fields() {
		tag := f.Tag.Get("yaml")
		name, opts, _ := strings.Cut(tag, ",")
		switch {
		case tag == "-" || !f.IsExported():
		case strings.Contains(opts, "inline"):
			keys = append(keys, yamlKeys(f.Type)...)
		case name != "":
			keys = append(keys, name)
		default:
			keys = append(keys, strings.ToLower(f.Name))
		}
	}
	return keys
}

// FactoryOf returns a Factory that decodes an item strictly into a C and
// builds the sensor with build. A failed build returns a nil Sensor.
func FactoryOf[C any, S Sensor](build func(name string, cfg C, env Env) (S, error)) Factory {
	return func(name string, node *yaml.Node, env Env) (Sensor, error) {
		var cfg C
		if err := DecodeStrict(node, &cfg); err != nil {
			return nil, err
		}
		s, err := build(name, cfg, env)
		if err != nil {
			return nil, err
		}
		return s, nil
	}
}
