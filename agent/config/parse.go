package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"

	"gopkg.in/yaml.v3"

	"github.com/drover-iot/drover/fleet/jobspec"
)

// Overrides are run-time options (flags, environment) that take precedence
// over the file. Empty fields leave the file's value. They are applied
// before the defaults, so derived defaults such as the client id follow.
type Overrides struct {
	ID            string
	BrokerURL     string
	DataDir       string
	MetricsListen string
}

func (o Overrides) apply(c *Config) {
	if o.BrokerURL != "" {
		c.Broker.URLs = nil // the flag replaces the file's list
	}
	for dst, v := range map[*string]string{
		&c.ID: o.ID, &c.Broker.URL: o.BrokerURL, &c.DataDir: o.DataDir, &c.Metrics.Listen: o.MetricsListen,
	} {
		if v != "" {
			*dst = v
		}
	}
}

// Load reads, checks and completes the configuration file at path; an
// empty path gives the defaults. The error is a *Problems listing every
// problem as "file:line: message", or a read error.
func Load(path string) (*Config, error) {
	return LoadWith(path, Overrides{})
}

// LoadWith is Load with run-time overrides.
func LoadWith(path string, ov Overrides) (*Config, error) {
	var data []byte
	if path != "" {
		var err error
		if data, err = os.ReadFile(path); err != nil {
			return nil, fmt.Errorf("config: read: %w", err)
		}
	}
	return ParseWith(data, path, ov)
}

// Parse is Load for a document already in memory; name is used in messages.
func Parse(data []byte, name string) (*Config, error) {
	return ParseWith(data, name, Overrides{})
}

// ParseWith is Parse with run-time overrides.
func ParseWith(data []byte, name string, ov Overrides) (*Config, error) {
	c, problems, err := decode(data, name)
	if err != nil {
		return nil, err
	}
	ov.apply(c)
	c.applyDefaults(realSystem())
	problems.List = append(problems.List, c.problems().List...)
	slices.SortStableFunc(problems.List, func(a, b Problem) int { return a.Line - b.Line })
	if err := problems.Err(); err != nil {
		return nil, err
	}
	return c, nil
}

// decode parses the YAML strictly. Type errors and unknown keys are
// returned as problems so validation can add its own; a syntax error ends
// the parse and is returned as the error.
func decode(data []byte, name string) (*Config, *Problems, error) {
	c := &Config{file: name}
	problems := &Problems{File: name}
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		problems.List = jobspec.SyntaxProblems(err)
		return nil, nil, problems
	}
	c.pos = jobspec.Index(&root)
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	err := dec.Decode(c)
	var te *yaml.TypeError
	switch {
	case err == nil, errors.Is(err, io.EOF):
	case errors.As(err, &te):
		problems.List = jobspec.TypeProblems(te, sections)
	default:
		problems.List = jobspec.SyntaxProblems(err)
		return nil, nil, problems
	}
	return c, problems, nil
}

var (
	sections = map[string]string{
		"Config": "at the top level", "Broker": "in broker", "TLS": "in broker.tls",
		"Metrics": "in metrics", "Journal": "in journal", "Service": "in a service",
		"Restart": "in restart", "Job": "in a job", "OTA": "in ota", "HomeAssistant": "in homeassistant",
		"Control": "in control", "ControlKey": "in a control key",
	}
)
