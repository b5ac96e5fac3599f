package e2e

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// fleetAgentConfig is a device with its local metrics listener off, that
// publishes its registry every second, with a site label, OTA on, a
// running and a failed service, a simulated sensor and a job.
func fleetAgentConfig(t *testing.T, id, broker, site, otaKey string) string {
	t.Helper()
	return writeFile(t, "agent.yaml", fmt.Sprintf(`id: %s
data_dir: %s
broker: {url: %q, keepalive: 2s}
labels: {site: %s, role: gateway}
metrics: {enabled: false, publish_interval: 1s}
ota: {trusted_keys: [%q]}
services:
  - {name: web, command: [/bin/sleep, "3600"]}
  - {name: broken, command: [/bin/false], restart: {policy: "no"}}
sensors:
  - {name: sim, driver: simulated, schedule: every 500ms, waveform: sawtooth, metric: temperature, unit: celsius}
jobs:
  - name: hello
    schedule: every 1s
    command: [/bin/true]
`, id, t.TempDir(), broker, site, otaKey))
}

// fleetStack is three agents, fleetctl exporter and a Prometheus that
// scrapes only the exporter.
type fleetStack struct {
	broker, web string
	agents      map[string]*proc
}

func startFleetStack(t *testing.T) *fleetStack {
	t.Helper()
	m := startMosquitto(t)
	s := &fleetStack{broker: m.url(), agents: map[string]*proc{}}
	key := otaPublicKey(t, m.url())
	for i, id := range []string{"gw-1", "gw-2", "gw-3"} {
		s.agents[id] = startAgentConfig(t, "agent-"+id, fleetAgentConfig(t, id, m.url(), fmt.Sprintf("site%d", i%2), key))
	}
	listen := fmt.Sprintf("127.0.0.1:%d", freePort(t))
	start(t, "exporter", bins["fleetctl"], "--broker", m.url(), "exporter", "--listen", listen,
		"--device-labels", "site,role", "--stale", "10s")
	waitDial(t, listen)
	s.web = startPrometheusWith(t, listen, true)
	return s
}

// TestExporterFleetInPrometheus: every device is up with its labels and
// has sensor and job series, all through the broker; SIGKILL one agent and
// its drover_device_up goes 0, then its series go after --stale.
func TestExporterFleetInPrometheus(t *testing.T) {
	s := startFleetStack(t)
	for id := range s.agents {
		promEventually(t, s.web, fmt.Sprintf(`drover_device_up{device=%q,role="gateway",site=~"site[01]"}`, id), isOne)
		promEventually(t, s.web, fmt.Sprintf(`drover_device_info{device=%q,os="linux"}`, id), isOne)
		promEventually(t, s.web, fmt.Sprintf(`drover_sensor_temperature_celsius{device=%q,sensor="sim"}`, id), anyValue)
		promEventually(t, s.web, fmt.Sprintf(`drover_job_runs_total{device=%q,job="hello"}`, id), positive)
		promEventually(t, s.web, fmt.Sprintf(`drover_job_duration_seconds_count{device=%q,job="hello"}`, id), positive)
	}
	checkDashboards(t, s.web, "gw-1")
	s.agents["gw-2"].stop(t, syscall.SIGKILL)
	promEventually(t, s.web, `drover_device_up{device="gw-2"}`, func(v float64) bool { return v == 0 })
	eventually(t, waitFor*2, "gw-2's series dropped after --stale", func() (bool, string) {
		n := promCount(t, s.web, `drover_job_runs_total{device="gw-2"}`)
		return n == 0, fmt.Sprintf("%d series", n)
	})
	promEventually(t, s.web, `drover_job_runs_total{device="gw-1"}`, positive)
	promEventually(t, s.web, `drover_device_up{device="gw-2"}`, func(v float64) bool { return v == 0 })
}

func isOne(v float64) bool    { return v == 1 }
func positive(v float64) bool { return v > 0 }
func anyValue(float64) bool   { return true }

// promCount is the number of series an instant query returns now.
func promCount(t *testing.T, web, query string) int {
	t.Helper()
	res, err := promQuery(web, query)
	if err != nil {
		t.Logf("query %s: %v", query, err)
		return -1
	}
	return res
}

// promQuery runs an instant query and returns how many series it gave.
func promQuery(web, query string) (int, error) {
	resp, err := http.Get("http://" + web + "/api/v1/query?query=" + url.QueryEscape(query))
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	var body struct {
		Status string `json:"status"`
		Error  string `json:"error"`
		Data   struct {
			Result []json.RawMessage `json:"result"`
		} `json:"data"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		return 0, err
	}
	if body.Status != "success" {
		return 0, fmt.Errorf("%s", body.Error)
	}
	return len(body.Data.Result), nil
}

// otaPublicKey makes a key pair with fleetctl and returns the public key
// line for trusted_keys (so the agents run OTA and export its state).
func otaPublicKey(t *testing.T, broker string) string {
	t.Helper()
	dir := t.TempDir()
	fleetctlOK(t, broker, "ota", "keygen", "--out", dir)
	pub, err := os.ReadFile(filepath.Join(dir, "ota.pub"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(pub)), "\n")
	return lines[len(lines)-1]
}
