package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"slices"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// loadFile reads the config file strictly; a missing file is fine unless
// it was named explicitly. Every problem is reported, each with its line.
func loadFile(s *Settings, path string, explicit bool) error {
	if path == "" {
		return nil
	}
	raw, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) && !explicit {
		return nil
	}
	if err != nil {
		return usageErrorf("config file: %v", err)
	}
	problems := parseSettings(s, raw)
	if len(problems) == 0 {
		return nil
	}
	prefix := "config file " + path + ": "
	return usageErrorf("%s%s", prefix, strings.Join(problems, "\n"+prefix))
}

// parseSettings decodes a YAML mapping of flag names to values into s and
// returns its problems as "line N: ..." texts, without Go type names.
func parseSettings(s *Settings, raw []byte) []string {
	var doc yaml.Node
	if err := yaml.Unmarshal(raw, &doc); err != nil {
		return []string{strings.TrimPrefix(err.Error(), "yaml: ")}
	}
	if doc.Kind == 0 || len(doc.Content) == 0 {
		return nil // empty file, or only comments
	}
	m := doc.Content[0]
	if m.Kind != yaml.MappingNode {
		return []string{fmt.Sprintf("line %d: want keys and values (broker: ..., timeout: ...)", m.Line)}
	}
	fields := s.fields()
	var problems []string
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		p, ok := fields[k.Value]
		if !ok {
			problems = append(problems, fmt.Sprintf("line %d: unknown key %q (known: %s)", k.Line, k.Value, knownKeys(fields)))
			continue
		}
		if err := setField(p, v); err != "" {
			problems = append(problems, fmt.Sprintf("line %d: %s: %s", v.Line, k.Value, err))
		}
	}
	return problems
}

// setField stores v into the field p, or says what was wanted: a scalar,
// or for a list (broker) a scalar or a sequence of scalars.
func setField(p any, v *yaml.Node) string {
	if d, ok := p.(*[]string); ok && v.Kind == yaml.SequenceNode {
		return setList(d, v)
	}
	if v.Kind != yaml.ScalarNode {
		return "want a single value"
	}
	switch d := p.(type) {
	case *string, *[]string:
		setText(d, v.Value)
	case *bool:
		var b bool
		if v.Decode(&b) != nil {
			return fmt.Sprintf("want true or false, got %q", v.Value)
		}
		*d = b
	case *time.Duration:
		dur, err := time.ParseDuration(v.Value)
		if err != nil {
			return fmt.Sprintf("want a duration such as 5s or 1m30s, got %q", v.Value)
		}
		*d = dur
	}
	return ""
}

func knownKeys(fields map[string]any) string {
	return strings.Join(slices.Sorted(maps.Keys(fields)), ", ")
}

// setList stores a sequence of scalars into d.
func setList(d *[]string, v *yaml.Node) string {
	var items []string
	for _, item := range v.Content {
		if item.Kind != yaml.ScalarNode {
			return "want a list of single values"
		}
		items = append(items, item.Value)
	}
	*d = items
	return ""
}
