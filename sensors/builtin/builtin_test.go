package builtin

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"
	"go.uber.org/goleak"
	"gopkg.in/yaml.v3"
	"periph.io/x/conn/v3/gpio"
	"periph.io/x/conn/v3/gpio/gpiotest"

	"github.com/drover-iot/drover/sensors"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func TestBuild(t *testing.T) {
	tests := []struct {
		name     string
		src      string
		wantErrs []string // substrings, each must appear
		wantIs   error
		count    int
	}{
		{"two sensors", `
- name: wave
  driver: simulated
  schedule: rate 10hz
  timeout: 1s
  waveform: square
- name: sys
  driver: system
  include: [load]
`, nil, nil, 2},
		{"all problems at once, with lines", `
- name: wave
  driver: simulated
  wavefrom: sine
- name: wave
  driver: simulated
- name: BAD NAME
  driver: simulated
- name: x
  driver: lidar
- name: y
  driver: simulated
  schedule: sometimes
`, []string{"line 4: unknown key \"wavefrom\"", "line 5: sensor \"wave\" already defined at line 2",
			"line 7: sensor name \"BAD NAME\"", "line 9: sensor \"x\": driver \"lidar\"", "line 11: sensor \"y\""},
			sensors.ErrConfig, 0},
		{"not a list", "name: x\n", []string{"must be a list"}, sensors.ErrConfig, 0},
		{"item not a mapping", "- just a string\n", []string{"not a mapping"}, sensors.ErrConfig, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			items, err := ParseItems([]byte(tt.src))
			var got []sensors.Scheduled
			if err == nil {
				got, err = Build(items, sensors.Env{Clock: clockwork.NewFakeClock()})
			}
			if len(tt.wantErrs) == 0 {
				if err != nil || len(got) != tt.count {
					t.Fatalf("Build = %d sensors, %v", len(got), err)
				}
				return
			}
			if !errors.Is(err, tt.wantIs) {
				t.Fatalf("err = %v, want %v", err, tt.wantIs)
			}
			for _, w := range tt.wantErrs {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error lacks %q:\n%v", w, err)
				}
			}
		})
	}
}

func FuzzBuild(f *testing.F) {
	f.Add([]byte("- name: a\n  driver: simulated\n  schedule: rate 5hz\n"))
	f.Add([]byte("- name: s\n  driver: system\n  include: [load, uptime]\n  mounts: [/]\n"))
	f.Add([]byte("- name: c\n  driver: command\n  command: [echo, 1]\n  units: {a: bytes}\n"))
	f.Add([]byte("- {name: e, driver: bme280, address: 0x77, bus: \"1\"}\n"))
	f.Fuzz(func(t *testing.T, src []byte) {
		items, err := ParseItems(src)
		if err != nil {
			return
		}
		env := sensors.Env{Clock: clockwork.NewFakeClock(), Root: t.TempDir()}
		for _, it := range items { // no hardware is touched by the fuzzer
			if m := mappingDriver(it); m == "gpio" {
				return
			}
		}
		got, err := Build(items, env)
		if err == nil {
			_ = sensors.CloseAll(sensors.Sensors(got))
		}
	})
}

func TestDefaultSensorsOnThisMachine(t *testing.T) {
	if _, err := os.Stat("/proc/loadavg"); err != nil {
		t.Skip("no procfs")
	}
	clock := clockwork.NewFakeClock()
	items, err := DefaultSensors(sensors.Env{Clock: clock})
	if err != nil || len(items) != 1 || items[0].ScheduleText != "every 10s" {
		t.Fatalf("DefaultSensors = %+v, %v", items, err)
	}
	batches := make(chan []sensors.Reading, 1)
	s := sensors.NewSampler(items, func(b []sensors.Reading) { batches <- b }, sensors.SamplerOptions{Clock: clock})
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx) }()
	var b []sensors.Reading
	select {
	case b = <-batches:
	case <-time.After(10 * time.Second):
		t.Fatal("no readings")
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	metrics := map[string]bool{}
	for _, r := range b {
		metrics[r.Metric] = true
	}
	for _, m := range []string{"load1", "memory_available", "uptime", "filesystem_size_bytes"} {
		if !metrics[m] {
			t.Errorf("zero-config readings lack %s: %v", m, b)
		}
	}
}

// mappingDriver returns the driver key of an item, if any.
func mappingDriver(n *yaml.Node) string {
	var c sensors.Common
	_ = n.Decode(&c)
	return c.Driver
}

func TestExampleRaspberryPiConfigBuilds(t *testing.T) {
	src, err := os.ReadFile("../../examples/raspberry-pi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Sensors yaml.Node `yaml:"sensors"`
	}
	if err := yaml.Unmarshal(src, &doc); err != nil {
		t.Fatal(err)
	}
	env := sensors.Env{Clock: clockwork.NewFakeClock(), OpenPin: func(name string) (gpio.PinIO, error) {
		return &gpiotest.Pin{N: name, EdgesChan: make(chan gpio.Level, 1), Clock: clockwork.NewRealClock()}, nil
	}}
	got, err := Build(doc.Sensors.Content, env)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 {
		t.Fatalf("built %d sensors, want 3", len(got))
	}
	if err := sensors.CloseAll(sensors.Sensors(got)); err != nil {
		t.Fatal(err)
	}
}
