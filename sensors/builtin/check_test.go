package builtin

import (
	"strings"
	"testing"
)

// TestCheck: every problem of a sensors: section is reported with its
// line, a GPIO or BME280 config is checked without hardware, and a good
// section gives no problem.
func TestCheck(t *testing.T) {
	tests := []struct {
		name string
		yaml string
		want []Problem // Message holds a fragment
	}{
		{"good, hardware drivers without hardware", `
- name: button
  driver: gpio
  pin: GPIO17
  mode: edges
- name: air
  driver: bme280
  bus: "1"
`, nil},
		{"every problem with its line", `
- name: a
  driver: gpio
  pin: GPIO17
  mode: edgy
- name: b
  driver: system
  bogus: 1
- name: c
  driver: simulated
  schedule: every banana
- name: d
  driver: nosuch
`, []Problem{{2, `mode "edgy"`}, {8, `unknown key "bogus"`}, {9, `schedule "every banana"`}, {12, `driver "nosuch"`}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			items, err := ParseItems([]byte(tt.yaml))
			if err != nil {
				t.Fatal(err)
			}
			got := Check(items)
			if len(got) != len(tt.want) {
				t.Fatalf("got %d problems, want %d: %+v", len(got), len(tt.want), got)
			}
			for i, w := range tt.want {
				if got[i].Line != w.Line || !strings.Contains(got[i].Message, w.Message) || strings.Contains(got[i].Message, "line ") {
					t.Errorf("problem %d = %+v, want line %d with %q", i, got[i], w.Line, w.Message)
				}
			}
		})
	}
}

func TestProblemOf(t *testing.T) {
	p := problemOf(`sensors: invalid config: line 4: sensor "x": line 7: unknown key "y"`)
	if p.Line != 7 || p.Message != `sensors: invalid config: sensor "x": unknown key "y"` {
		t.Errorf("%+v", p)
	}
}
