package agent

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http/httptest"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	paho "github.com/eclipse/paho.mqtt.golang"

	"github.com/drover-iot/drover/agent/config"
	"github.com/drover-iot/drover/agent/journal"
	"github.com/drover-iot/drover/fleet"
	"github.com/drover-iot/drover/fleet/client"
)

// sensorConfig is testConfig with a sensors section and more.
func sensorConfig(t *testing.T, url, extra string) *config.Config {
	t.Helper()
	yml := "id: dev1\ndata_dir: " + t.TempDir() + "\nbroker:\n  url: " + url + "\nmetrics:\n  listen: 127.0.0.1:0\n" + extra
	cfg, err := config.Parse([]byte(yml), "test.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

const sensorsYAML = `sensors:
  - {name: sim, driver: simulated, schedule: every 50ms, waveform: sawtooth, unit: celsius, metric: temperature}
  - {name: bad, driver: command, schedule: every 50ms, command: ["false"]}
  - {name: owned, driver: simulated, schedule: every 50ms}
services:
  - {name: sampling, kind: sensor, enabled: false, args: {sensors: [owned]}}
homeassistant: {discovery: true}
`

// subscribe records the payloads of topic filter, as (topic, payload).
func subscribe(t *testing.T, url, filter string) <-chan [2]string {
	t.Helper()
	ch := make(chan [2]string, 1000)
	c := paho.NewClient(paho.NewClientOptions().AddBroker(url).SetClientID(fmt.Sprintf("sub-%p", ch)))
	if tok := c.Connect(); !tok.WaitTimeout(waitFor) || tok.Error() != nil {
		t.Fatalf("connect: %v", tok.Error())
	}
	t.Cleanup(func() { c.Disconnect(100) })
	tok := c.Subscribe(filter, 1, func(_ paho.Client, m paho.Message) {
		select {
		case ch <- [2]string{m.Topic(), string(m.Payload())}:
		default:
		}
	})
	if !tok.WaitTimeout(waitFor) || tok.Error() != nil {
		t.Fatalf("subscribe: %v", tok.Error())
	}
	return ch
}

// awaitMessage waits for a message on ch for which ok holds.
func awaitMessage(t *testing.T, ch <-chan [2]string, what string, ok func(topic, payload string) bool) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), waitFor)
	defer cancel()
	for {
		select {
		case m := <-ch:
			if ok(m[0], m[1]) {
				return m[1]
			}
		case <-ctx.Done():
			t.Fatalf("no message: %s", what)
		}
	}
}

func readSensors(t *testing.T, c *client.Client, sensor string) ([]fleet.Reading, *fleet.Error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), waitFor)
	defer cancel()
	r, err := c.Request(ctx, "dev1", fleet.CmdSensorsRead, fleet.SensorsArgs{Sensor: sensor})
	if fe := (*fleet.Error)(nil); errors.As(err, &fe) {
		return nil, fe
	} else if err != nil {
		t.Fatal(err)
	}
	var res fleet.SensorsResult
	if err := json.Unmarshal(r.Result, &res); err != nil {
		t.Fatal(err)
	}
	return res.Readings, nil
}

// TestSensorOutputs: a simulated sensor's readings reach the telemetry
// topic, sensors.read, the status and the metrics; a failing command
// sensor's errors are counted without disturbing it; Home Assistant
// discovery is retained per series.
func TestSensorOutputs(t *testing.T) {
	url := startBroker(t)
	tel := subscribe(t, url, "drover/dev1/telemetry")
	ha := subscribe(t, url, "homeassistant/#")
	a, stop := startSensorAgent(t, sensorConfig(t, url, sensorsYAML))
	defer func() {
		if err := stop(); err != nil {
			t.Error(err)
		}
	}()
	awaitMessage(t, tel, "sim telemetry", func(_, p string) bool {
		var doc fleet.Telemetry
		return json.Unmarshal([]byte(p), &doc) == nil && !doc.TS.IsZero() && len(doc.Readings) == 1 &&
			doc.Readings[0].Sensor == "sim" && doc.Readings[0].Unit == "celsius"
	})
	awaitMessage(t, ha, "discovery of sim", func(topic, p string) bool {
		return topic == "homeassistant/sensor/dev1_sim_temperature/config" && strings.Contains(p, `"unit_of_measurement":"°C"`)
	})
	c := dial(t, url)
	all, _ := readSensors(t, c, "")
	if !hasSensor(all, "sim") || hasSensor(all, "bad") || hasSensor(all, "owned") {
		t.Errorf("latest readings %+v: want sim only (bad fails, owned's service is disabled)", all)
	}
	if now, e := readSensors(t, c, "sim"); e != nil || !hasSensor(now, "sim") {
		t.Errorf("read sim now: %+v %v", now, e)
	}
	if _, e := readSensors(t, c, "nope"); e == nil || e.Code != fleet.CodeNotFound {
		t.Errorf("read of an unknown sensor: %v, want not_found", e)
	}
	if snap := a.snapshot(); !hasSensor(snap.Sensors, "sim") {
		t.Errorf("status sensors %+v lack sim", snap.Sensors)
	}
	// The sampler counts a failed read before it logs it: once the log
	// record is there, the count is too.
	awaitJournal(t, a, `sensor read failed sensor=bad`)
	out := scrapeAgent(t, a)
	for _, want := range []string{`drover_sensor_temperature_celsius{sensor="sim"}`, `drover_sensor_reads_total{sensor="sim"}`,
		`drover_sensor_read_errors_total{sensor="bad"}`} {
		if !strings.Contains(out, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
	if strings.Contains(out, `drover_sensor_read_errors_total{sensor="bad"} 0`) {
		t.Error("the failing sensor's errors are not counted")
	}
}

// awaitJournal waits until a record of the agent's journal matches re
// (replaying the held records, so one logged earlier counts).
func awaitJournal(t *testing.T, a *Agent, re string) {
	t.Helper()
	f := a.journal.Follow(journal.Query{Grep: regexp.MustCompile(re), AfterSeq: 1}, 16)
	defer f.Close()
	select {
	case <-f.C():
	case <-time.After(waitFor):
		t.Fatalf("no journal record matching %q", re)
	}
}

// TestSensorService: a sensor service owns the sampling of the sensors it
// lists: disabled, they are not read while the others are; enabled, they are.
func TestSensorService(t *testing.T) {
	url := startBroker(t)
	tel := subscribe(t, url, "drover/dev1/telemetry")
	_, stop := startSensorAgent(t, sensorConfig(t, url, sensorsYAML))
	defer func() { _ = stop() }()
	for range 3 { // three reads of sim, none of owned
		awaitMessage(t, tel, "sim telemetry", func(_, p string) bool {
			if strings.Contains(p, `"sensor":"owned"`) {
				t.Fatal("a sensor of a disabled service was read")
			}
			return strings.Contains(p, `"sensor":"sim"`)
		})
	}
	c := dial(t, url)
	if r := request(t, c, fleet.CmdServiceEnable, fleet.NameArgs{Name: "sampling"}); r.Err() != nil {
		t.Fatal(r.Err())
	}
	awaitMessage(t, tel, "owned telemetry", func(_, p string) bool { return strings.Contains(p, `"sensor":"owned"`) })
}

// TestZeroConfigSensors: with no sensors: key the agent reports the
// machine's system sensors.
func TestZeroConfigSensors(t *testing.T) {
	url := startBroker(t)
	_, stop := startSensorAgent(t, sensorConfig(t, url, ""))
	defer func() { _ = stop() }()
	rs, e := readSensors(t, dial(t, url), "system")
	if e != nil {
		t.Fatal(e)
	}
	metrics := map[string]bool{}
	for _, r := range rs {
		metrics[r.Metric] = true
	}
	for _, m := range []string{"load1", "memory_available", "uptime", "network_receive_bytes"} {
		if !metrics[m] {
			t.Errorf("system readings lack %s: %+v", m, rs)
		}
	}
}

// TestBadSensorIsConfigError: a sensor that cannot be built on this
// machine (no such GPIO pin) stops New with a config error naming it.
func TestBadSensorIsConfigError(t *testing.T) {
	cfg := sensorConfig(t, "tcp://127.0.0.1:1", "sensors:\n  - {name: button, driver: gpio, pin: NOPE99}\n")
	_, err := New(cfg)
	if !errors.Is(err, ErrConfig) || !strings.Contains(err.Error(), `"button"`) {
		t.Fatalf("New: %v, want ErrConfig naming the sensor", err)
	}
}

func startSensorAgent(t *testing.T, cfg *config.Config) (*Agent, func() error) {
	t.Helper()
	a, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- a.Run(ctx) }()
	waitOnline(t, a)
	return a, func() error { cancel(); return <-done }
}

func scrapeAgent(t *testing.T, a *Agent) string {
	t.Helper()
	rec := httptest.NewRecorder()
	a.metrics.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	b, _ := io.ReadAll(rec.Result().Body)
	return string(b)
}

func hasSensor(rs []fleet.Reading, name string) bool {
	return slices.ContainsFunc(rs, func(r fleet.Reading) bool { return r.Sensor == name })
}
