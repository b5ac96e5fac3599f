package bme280

import (
	"errors"
	"math"
	"syscall"
	"testing"

	"github.com/jonboulle/clockwork"
	"go.uber.org/goleak"
	"gopkg.in/yaml.v3"
	"periph.io/x/conn/v3/i2c"
	"periph.io/x/conn/v3/i2c/i2ctest"

	"github.com/drover-iot/drover/sensors"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// The register traffic of a real BME280 at 0x76 with bmxx80.DefaultOpts
// (O4x everywhere), as recorded in periph's bmx280_test.go: chip id,
// calibration, configuration, then one forced measurement.
var initOps = []i2ctest.IO{
	{Addr: 0x76, W: []byte{0xd0}, R: []byte{0x60}}, // chip id: BME280
	{Addr: 0x76, W: []byte{0x88}, R: []byte{0x10, 0x6e, 0x6c, 0x66, 0x32, 0x0, 0x5d, 0x95, 0xb8, 0xd5, 0xd0, 0xb,
		0x77, 0x1e, 0x9d, 0xff, 0xf9, 0xff, 0xac, 0x26, 0xa, 0xd8, 0xbd, 0x10, 0x0, 0x4b}}, // calibration t/p
	{Addr: 0x76, W: []byte{0xe1}, R: []byte{0x6e, 0x1, 0x0, 0x13, 0x5, 0x0, 0x1e}}, // calibration h
	{Addr: 0x76, W: []byte{0xf4, 0x6c, 0xf2, 0x3, 0xf5, 0xa0, 0xf4, 0x6c}},         // ctrl_meas, ctrl_hum, config
}

var senseOps = []i2ctest.IO{
	{Addr: 0x76, W: []byte{0xf4, 0x6d}},                                                      // forced mode
	{Addr: 0x76, W: []byte{0xf3}, R: []byte{8}},                                              // status: measuring
	{Addr: 0x76, W: []byte{0xf3}, R: []byte{0}},                                              // status: idle
	{Addr: 0x76, W: []byte{0xf7}, R: []byte{0x4a, 0x52, 0xc0, 0x80, 0x96, 0xc0, 0x7a, 0x76}}, // data
}

func ops(parts ...[]i2ctest.IO) []i2ctest.IO {
	var out []i2ctest.IO
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

// eioBus fails every transaction like a disconnected bus.
type eioBus struct{ i2ctest.Record }

func (*eioBus) Tx(uint16, []byte, []byte) error { return syscall.EIO }
func (*eioBus) Close() error                    { return nil }

func newSensor(t *testing.T, bus i2c.BusCloser) *Sensor {
	t.Helper()
	env := sensors.Env{Clock: clockwork.NewFakeClock(), OpenI2C: func(name string) (i2c.BusCloser, error) {
		if name != "1" {
			t.Errorf("opened bus %q, want 1", name)
		}
		return bus, nil
	}}
	s, err := New("env", Config{Bus: "1", Address: 0x76}, env)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestReadReplaysRealTraffic(t *testing.T) {
	bus := &i2ctest.Playback{Ops: ops(initOps, senseOps, senseOps)}
	s := newSensor(t, bus)
	want := map[string]struct {
		v    float64
		unit string
	}{
		"temperature": {23.72, sensors.UnitCelsius},
		"pressure":    {100942.6953125, sensors.UnitPascals},
		"humidity":    {0.653056, sensors.UnitRatio},
	}
	for round := range 2 { // the second read reuses the initialised device
		rs, err := s.Read(t.Context())
		if err != nil {
			t.Fatalf("round %d: %v", round, err)
		}
		if len(rs) != len(want) {
			t.Fatalf("readings %v", rs)
		}
		for _, r := range rs {
			w := want[r.Metric]
			if math.Abs(r.Value-w.v) > 1e-9 || r.Unit != w.unit || r.Sensor != "env" {
				t.Errorf("%s = %v %s, want %v %s", r.Metric, r.Value, r.Unit, w.v, w.unit)
			}
		}
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if bus.Count != len(bus.Ops) {
		t.Fatalf("%d of %d bus operations replayed", bus.Count, len(bus.Ops))
	}
}

func TestFailingBusIsAReadError(t *testing.T) {
	tests := []struct {
		name string
		bus  i2c.BusCloser
	}{
		{"I/O error from the start", &eioBus{}},
		{"bus dies during the measurement", &i2ctest.Playback{Ops: ops(initOps, senseOps[:1]), DontPanic: true}},
		{"wrong chip id", &i2ctest.Playback{Ops: []i2ctest.IO{{Addr: 0x76, W: []byte{0xd0}, R: []byte{0x42}}}, DontPanic: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newSensor(t, tt.bus)
			rs, err := s.Read(t.Context())
			if err == nil || rs != nil {
				t.Fatalf("Read = %v, %v; want an error", rs, err)
			}
			if s.dev != nil {
				t.Fatal("a failed device stays open; the next read would not re-initialise")
			}
			if err := s.Close(); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestFactory(t *testing.T) {
	tests := []struct {
		name, yaml string
		wantErr    error
	}{
		{"hex address", "name: env\ndriver: bme280\nbus: \"1\"\naddress: 0x77\n", nil},
		{"default address", "name: env\ndriver: bme280\n", nil},
		{"bad address", "name: env\ndriver: bme280\naddress: 0x40\n", sensors.ErrConfig},
		{"unknown key", "name: env\ndriver: bme280\nadress: 0x76\n", sensors.ErrConfig},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var n yaml.Node
			if err := yaml.Unmarshal([]byte(tt.yaml), &n); err != nil {
				t.Fatal(err)
			}
			_, err := Factory("env", &n, sensors.Env{})
			if !errors.Is(err, tt.wantErr) || (tt.wantErr == nil) != (err == nil) {
				t.Fatalf("err = %v, want %v", err, tt.wantErr)
			}
		})
	}
}

func TestSharedBusArbiter(t *testing.T) {
	buses := sensors.NewBuses(sensors.ArbiterOptions{})
	a, _ := New("a", Config{Bus: "/dev/i2c-1"}, sensors.Env{Buses: buses})
	b, _ := New("b", Config{Bus: "1", Address: 0x77}, sensors.Env{Buses: buses})
	if a.arbiter != b.arbiter || a.arbiter.Name() != "i2c:1" {
		t.Fatal("sensors on one bus must share its arbiter")
	}
}
