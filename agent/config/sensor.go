package config

import (
	"encoding/json"

	"gopkg.in/yaml.v3"
)

// UnmarshalYAML keeps the node and picks out name and driver. The item is
// checked by Validate and decoded by the sensors package.
func (s *Sensor) UnmarshalYAML(n *yaml.Node) error {
	s.Node = *n
	s.Name, s.Driver = scalarField(n, "name"), scalarField(n, "driver")
	return nil
}

// MarshalYAML writes the item back as it was.
func (s Sensor) MarshalYAML() (any, error) { return &s.Node, nil }

// MarshalJSON writes the item as a JSON object (for config.get).
func (s Sensor) MarshalJSON() ([]byte, error) {
	var v any
	if err := s.Node.Decode(&v); err != nil {
		return nil, err
	}
	return json.Marshal(v)
}

// Decode decodes the item into v, the sensors package's own struct.
func (s Sensor) Decode(v any) error { return s.Node.Decode(v) }

// scalarField returns the value of a scalar key of a mapping node, or "".
func scalarField(n *yaml.Node, key string) string {
	if n.Kind != yaml.MappingNode {
		return ""
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key && n.Content[i+1].Kind == yaml.ScalarNode {
			return n.Content[i+1].Value
		}
	}
	return ""
}
