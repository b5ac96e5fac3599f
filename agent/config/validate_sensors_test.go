package config

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
)

// parseLax decodes and completes a document without validating it: the
// redaction tests use sensor items of made-up drivers.
func parseLax(data []byte, name string) (*Config, error) {
	c, problems, err := decode(data, name)
	if err != nil {
		return nil, err
	}
	c.applyDefaults(realSystem())
	return c, problems.Err()
}

// TestSensorProblems: the drivers' own checks (keys, values, schedules)
// reach Validate with their lines, without hardware; sensor services must
// name known sensors, each sampled by one service; the Home Assistant
// prefix must be a topic prefix.
func TestSensorProblems(t *testing.T) {
	tests := []struct {
		name, yaml string
		want       []string // "line: fragment"; none for a good config
	}{
		{"good", `sensors:
  - {name: button, driver: gpio, pin: GPIO17}
  - {name: sim, driver: simulated, schedule: rate 5hz}
services:
  - {name: sampling, kind: sensor, args: {sensors: [sim]}}
homeassistant: {discovery: true}
`, nil},
		{"driver problems with lines", `sensors:
  - name: a
    driver: system
    include: [gpu]
  - name: b
    driver: simulated
    wave: sine
  - name: c
    driver: simulated
    schedule: every fortnight
`, []string{`2: sensors[0]: sensor "a" (system): system: unknown source: "gpu"`,
			`7: sensors[1]: sensor "b" (simulated): invalid config: unknown key "wave"`,
			`8: sensors[2]: sensor "c": invalid config: schedule "every fortnight"`}},
		{"sensor services", `sensors:
  - {name: sim, driver: simulated}
services:
  - {name: s1, kind: sensor, args: {sensors: [sim, nope]}}
  - {name: s2, kind: sensor, args: {sensors: [sim]}}
  - {name: s3, kind: sensor, args: {sensors: sim}}
`, []string{`4: services[0].args.sensors: no sensor named "nope"`, `5: services[1].args.sensors: sensor "sim" is already sampled by service "s1"`,
			`6: services[2].args.sensors: must be a list`}},
		{"home assistant prefix", "homeassistant: {prefix: /ha/}\n", []string{`1: homeassistant.prefix: "/ha/" is not a topic prefix`}},
		{"unknown homeassistant key", "homeassistant: {discover: true}\n", []string{`1: unknown key "discover" in homeassistant`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Parse([]byte("id: dev\n"+tt.yaml), "t.yaml")
			if len(tt.want) == 0 {
				if err != nil {
					t.Fatal(err)
				}
				if c.HomeAssistant.Prefix != DefaultHAPrefix {
					t.Errorf("prefix %q, want the default", c.HomeAssistant.Prefix)
				}
				return
			}
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range tt.want {
				line, frag, _ := strings.Cut(w, ": ")
				n, _ := strconv.Atoi(line)
				if want := fmt.Sprintf("t.yaml:%d: %s", n+1, frag); !strings.Contains(err.Error(), want) { // +1: the id line
					t.Errorf("error lacks %q:\n%v", want, err)
				}
			}
		})
	}
}
