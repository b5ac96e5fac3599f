package gpiosensor

import (
	"errors"
	"runtime"
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

func newPin() *gpiotest.Pin {
	return &gpiotest.Pin{N: "GPIO17", Num: 17, EdgesChan: make(chan gpio.Level, 16), Clock: clockwork.NewRealClock()}
}

func value(t *testing.T, s *Sensor) float64 {
	t.Helper()
	r, err := s.Read(t.Context())
	if err != nil || len(r) != 1 {
		t.Fatalf("Read = %v, %v", r, err)
	}
	return r[0].Value
}

func TestLevel(t *testing.T) {
	tests := []struct {
		pull string
		set  *gpio.Level
		want float64
	}{
		{"up", nil, 1},
		{"down", nil, 0},
		{"none", ptr(gpio.High), 1},
		{"none", ptr(gpio.Low), 0},
	}
	for _, tt := range tests {
		t.Run(tt.pull, func(t *testing.T) {
			pin := newPin()
			s, err := New("button", Config{Pull: tt.pull}, pin, clockwork.NewFakeClock())
			if err != nil {
				t.Fatal(err)
			}
			if tt.set != nil {
				_ = pin.Out(*tt.set)
			}
			if got := value(t, s); got != tt.want {
				t.Fatalf("level %v, want %v", got, tt.want)
			}
			if err := s.Close(); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func ptr(l gpio.Level) *gpio.Level { return &l }

func TestEdgeCount(t *testing.T) {
	pin := newPin()
	s, err := New("button", Config{Pull: "up", Mode: ModeEdges, Edge: "falling"}, pin, clockwork.NewFakeClock())
	if err != nil {
		t.Fatal(err)
	}
	if got := value(t, s); got != 0 {
		t.Fatalf("edges before any press: %v", got)
	}
	for range 3 {
		pin.EdgesChan <- gpio.Low
	}
	deadline := time.Now().Add(10 * time.Second) // failure bound only
	for value(t, s) != 3 {
		if time.Now().After(deadline) {
			t.Fatalf("edges = %v, want 3", value(t, s))
		}
		runtime.Gosched()
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
}

func TestFactory(t *testing.T) {
	tests := []struct {
		name, yaml string
		wantErr    error
	}{
		{"ok", "name: b\ndriver: gpio\npin: GPIO17\npull: up\n", nil},
		{"missing pin", "name: b\ndriver: gpio\n", sensors.ErrConfig},
		{"bad pull", "name: b\ndriver: gpio\npin: GPIO17\npull: sideways\n", sensors.ErrConfig},
		{"bad mode", "name: b\ndriver: gpio\npin: GPIO17\nmode: pwm\n", sensors.ErrConfig},
		{"unknown key", "name: b\ndriver: gpio\npin: GPIO17\npolarity: low\n", sensors.ErrConfig},
		{"unknown pin", "name: b\ndriver: gpio\npin: GPIO99\n", errNoPin},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var n yaml.Node
			if err := yaml.Unmarshal([]byte(tt.yaml), &n); err != nil {
				t.Fatal(err)
			}
			env := sensors.Env{OpenPin: func(name string) (gpio.PinIO, error) {
				if name != "GPIO17" {
					return nil, errNoPin
				}
				return newPin(), nil
			}}.WithDefaults()
			s, err := Factory("b", &n, env)
			if !errors.Is(err, tt.wantErr) || (tt.wantErr == nil) != (err == nil) {
				t.Fatalf("err = %v, want %v", err, tt.wantErr)
			}
			if s != nil {
				_ = s.(*Sensor).Close()
			}
		})
	}
}

var errNoPin = errors.New("no pin")
