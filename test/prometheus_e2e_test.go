package e2e

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"testing"
)

// TestPrometheusScrapesAgent runs a real Prometheus scraping the agent and
// queries an agent metric over its HTTP API.
func TestPrometheusScrapesAgent(t *testing.T) {
	m := startMosquitto(t)
	w := watch(t, m.url(), "drover/"+dev+"/state")
	target := metricsAddr(t)
	startAgent(t, m.url(), dev, t.TempDir(), target)
	w.expect("drover/"+dev+"/state", "online")

	web := startPrometheus(t, target)
	promEventually(t, web, `drover_mqtt_connected{job="drover"}`, func(v float64) bool { return v == 1 })
}

// startPrometheus runs Prometheus scraping target every second and
// returns its web address.
func startPrometheus(t *testing.T, target string) string {
	t.Helper()
	return startPrometheusWith(t, target, false)
}

// startPrometheusWith runs Prometheus scraping target every second, with
// honor_labels as given (true for fleetctl exporter, whose job and
// instance labels are the devices' own), and returns its web address.
func startPrometheusWith(t *testing.T, target string, honorLabels bool) string {
	t.Helper()
	prom := need(t, "prometheus")
	dir := t.TempDir()
	conf := filepath.Join(dir, "prometheus.yml")
	yml := fmt.Sprintf("global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: drover\n    honor_labels: %t\n    static_configs:\n      - targets: ['%s']\n", honorLabels, target)
	if err := os.WriteFile(conf, []byte(yml), 0o600); err != nil {
		t.Fatal(err)
	}
	web := fmt.Sprintf("127.0.0.1:%d", freePort(t))
	start(t, "prometheus", prom, "--config.file", conf, "--web.listen-address", web,
		"--storage.tsdb.path", filepath.Join(dir, "data"))
	waitDial(t, web)
	return web
}

// promEventually waits until the PromQL query returns a sample for which ok holds.
func promEventually(t *testing.T, web, query string, ok func(float64) bool) {
	t.Helper()
	u := "http://" + web + "/api/v1/query?query=" + url.QueryEscape(query)
	eventually(t, waitFor, "Prometheus: "+query, func() (bool, string) {
		s, found := promValue(t, u)
		if !found {
			return false, "no sample"
		}
		v, err := strconv.ParseFloat(s, 64)
		return err == nil && ok(v), s
	})
}

// promValue runs an instant query and returns the first sample's value.
func promValue(t *testing.T, query string) (string, bool) {
	t.Helper()
	resp, err := http.Get(query)
	if err != nil {
		return "", false
	}
	defer resp.Body.Close()
	var body struct {
		Data struct {
			Result []struct {
				Value [2]any `json:"value"`
			} `json:"result"`
		} `json:"data"`
	}
	if json.NewDecoder(resp.Body).Decode(&body) != nil || len(body.Data.Result) == 0 {
		return "", false
	}
	v, _ := body.Data.Result[0].Value[1].(string)
	return v, true
}
