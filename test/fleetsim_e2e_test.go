package e2e

import (
	"encoding/json"
	"os"
	"strings"
	"syscall"
	"testing"

	"github.com/drover-iot/drover/fleet"
	"github.com/drover-iot/drover/fleet/client"
)

// TestFleetsim runs 50 simulated devices (real agents in one process)
// against Mosquitto: all online with their labels, every one answers a
// ping, and a clean stop leaves them offline.
func TestFleetsim(t *testing.T) {
	t.Parallel()
	m := startMosquitto(t)
	sim := start(t, "fleetsim", bins["fleetsim"], "-n", "50", "-broker", m.url(), "-labels", "site=lab,role=sim",
		"-telemetry", "every 1s")
	eventually(t, waitFor, "fleetsim reports every device online", func() (bool, string) {
		out, _ := os.ReadFile(sim.log)
		return strings.HasPrefix(string(out), "online 50 after"), string(out)
	})
	var devs []client.Device
	fleetctlJSON(t, m.url(), &devs, "devices", "-l", "role=sim")
	if len(devs) != 50 || devs[0].Labels()["site"] != "lab" {
		t.Fatalf("devices -l role=sim: %d devices, first %+v; want 50 with site=lab", len(devs), devs[0])
	}
	out := fleetctlOK(t, m.url(), "ping", "--all")
	if n := strings.Count(out, " ok"); n != 50 {
		t.Errorf("ping --all: %d answered, want 50:\n%s", n, out)
	}
	eventually(t, waitFor, "a simulated reading in status", func() (bool, string) {
		var r fleet.SensorsResult
		out, _ := fleetctl(t, m.url(), "-o", "json", "sensors", "sim-00007")
		return json.Unmarshal([]byte(out), &r) == nil && len(r.Readings) == 1 && r.Readings[0].Sensor == "sim", out
	})
	if code := sim.stop(t, syscall.SIGTERM); code != 0 {
		t.Fatalf("fleetsim exit %d after SIGTERM", code)
	}
	fleetctlJSON(t, m.url(), &devs, "devices", "-l", "role=sim")
	for _, d := range devs {
		if d.State != "offline" {
			t.Errorf("%s is %s after fleetsim stopped, want offline", d.ID, d.State)
		}
	}
}
