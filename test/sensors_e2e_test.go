package e2e

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/drover-iot/drover/fleet"
)

const sensorDev = "e2e-sens"

// sensorAgentConfig is an agent config for device id on broker with the
// given sensors: section, metrics on metrics.
func sensorAgentConfig(t *testing.T, id, broker, metrics, sensors string) string {
	t.Helper()
	return writeFile(t, "agent.yaml", fmt.Sprintf("id: %s\ndata_dir: %s\nbroker: {url: %q}\nmetrics: {listen: %q}\n%s",
		id, t.TempDir(), broker, metrics, sensors))
}

// TestSensorsEndToEnd: a simulated sensor's readings appear on the
// telemetry topic, in `fleetctl sensors` and in Prometheus; a failing
// command sensor does not disturb it and its errors are counted.
func TestSensorsEndToEnd(t *testing.T) {
	m := startMosquitto(t)
	tel := "drover/" + sensorDev + "/telemetry"
	w := watch(t, m.url(), tel)
	target := metricsAddr(t)
	startAgentConfig(t, "agent-"+sensorDev, sensorAgentConfig(t, sensorDev, m.url(), target, `sensors:
  - {name: sim, driver: simulated, schedule: every 200ms, waveform: sawtooth, metric: temperature, unit: celsius}
  - {name: broken, driver: command, schedule: every 200ms, command: ["false"]}
`))
	w.expect(tel, `"sensor":"sim","metric":"temperature"`)

	eventually(t, waitFor, "fleetctl sensors shows sim", func() (bool, string) {
		var res fleet.SensorsResult
		fleetctlJSON(t, m.url(), &res, "sensors", sensorDev)
		for _, r := range res.Readings {
			if r.Sensor == "broken" {
				t.Fatalf("a failing sensor has readings: %s", dump(res))
			}
		}
		return strings.Contains(dump(res), `"sensor": "sim"`), dump(res)
	})
	if out := fleetctlOK(t, m.url(), "sensors", sensorDev, "--sensor", "sim"); !strings.Contains(out, "temperature") {
		t.Errorf("fleetctl sensors --sensor sim:\n%s", out)
	}

	web := startPrometheus(t, target)
	promEventually(t, web, `drover_sensor_temperature_celsius{sensor="sim"}`, func(v float64) bool { return true })
	promEventually(t, web, `drover_sensor_read_errors_total{sensor="broken"}`, func(v float64) bool { return v > 0 })
	promEventually(t, web, `drover_sensor_read_errors_total{sensor="sim"}`, func(v float64) bool { return v == 0 })
}

// TestZeroConfigSystemSensors: an agent without a config reports the
// machine's system sensors.
func TestZeroConfigSystemSensors(t *testing.T) {
	const id = "e2e-zero"
	m := startMosquitto(t)
	w := watch(t, m.url(), "drover/"+id+"/state")
	startAgent(t, m.url(), id, t.TempDir(), metricsAddr(t))
	w.expect("drover/"+id+"/state", "online")
	out := fleetctlOK(t, m.url(), "sensors", id)
	for _, want := range []string{"system", "load1", "memory_available", "uptime"} {
		if !strings.Contains(out, want) {
			t.Errorf("fleetctl sensors lacks %s:\n%s", want, out)
		}
	}
}

// telemetryCollector returns collect, which appends the telemetry w
// receives on topic to *got until until() holds, and fails the test when
// until() does not hold within the given time.
func telemetryCollector(t *testing.T, w *watcher, topic string, within time.Duration, got *[]fleet.Telemetry) func(until func() bool) {
	return func(until func() bool) {
		t.Helper()
		deadline := time.After(within)
		for !until() {
			select {
			case msg := <-w.m:
				if msg.topic == topic {
					*got = append(*got, telemetryDoc(t, msg.payload))
				}
			case <-deadline:
				t.Fatalf("telemetry stalled after %d readings", len(*got))
			}
		}
	}
}

// telemetryDoc decodes a telemetry payload.
func telemetryDoc(t *testing.T, payload string) fleet.Telemetry {
	t.Helper()
	var doc fleet.Telemetry
	if err := json.Unmarshal([]byte(payload), &doc); err != nil {
		t.Fatalf("telemetry %q: %v", payload, err)
	}
	return doc
}
