package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
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

// TestFleetsimOTAFetch: with -ota-artifact, 5 simulated devices fetch a
// published 1.1 MB artifact (the full binary; then the delta, with
// -ota-base) and the simulator reports the bytes they received from the
// broker, at least the payload for each device, and exits 0.
func TestFleetsimOTAFetch(t *testing.T) {
	t.Parallel()
	m := startMosquitto(t)
	dir := t.TempDir()
	fleetctlOK(t, m.url(), "ota", "keygen", "--out", dir)
	old := writeFile(t, "old.bin", strings.Repeat("drover artifact, old. ", 50_000))
	blob := writeFile(t, "new.bin", strings.Repeat("drover artifact, new! ", 50_000))
	fleetctlOK(t, m.url(), "ota", "publish", blob, "--artifact", "blob", "--version", "v2", "--build", "2",
		"--key", filepath.Join(dir, "ota.key"), "--delta-from", old)
	for _, kind := range []string{"full", "delta"} {
		args := []string{"-n", "5", "-broker", m.url(), "-telemetry", "", "-ota-artifact", "blob",
			"-ota-key", filepath.Join(dir, "ota.pub")}
		if kind == "delta" {
			args = append(args, "-ota-base", old)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 2*waitFor)
		out, err := exec.CommandContext(ctx, bins["fleetsim"], args...).CombinedOutput()
		cancel()
		var n, payload, wire int64
		_, line, _ := strings.Cut(string(out), "ota fetched")
		if _, serr := fmt.Sscanf(line, " %d "+kind+" x %d bytes: %d bytes", &n, &payload, &wire); err != nil || serr != nil ||
			n != 5 || wire < n*payload {
			t.Fatalf("fleetsim %s fetch: %v, %v; %d x %d bytes, %d received:\n%s", kind, err, serr, n, payload, wire, out)
		}
		t.Logf("%s: %d x %d bytes, %d received (%.4f x)", kind, n, payload, wire, float64(wire)/float64(n*payload))
	}
}
