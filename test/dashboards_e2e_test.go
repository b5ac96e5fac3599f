package e2e

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// dashboardDir holds the provisioned Grafana dashboards.
const dashboardDir = "../docker/grafana/provisioning/dashboards"

// panelQuery is one target of one panel of a dashboard.
type panelQuery struct{ dashboard, panel, expr string }

// dashboardQueries parses every dashboard JSON and returns its queries
// with the variables substituted: $device by device, Grafana's interval
// variables by fixed ranges.
func dashboardQueries(t *testing.T, device string) []panelQuery {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dashboardDir, "*.json"))
	if err != nil || len(files) != 2 {
		t.Fatalf("dashboards: %v, %v; want drover-fleet.json and drover-device.json", files, err)
	}
	r := strings.NewReplacer("$device", device, "$__rate_interval", "1m", "$__interval", "15s", "$__range", "5m")
	var out []panelQuery
	for _, f := range files {
		var d struct {
			Title  string `json:"title"`
			Panels []struct {
				Title   string `json:"title"`
				Targets []struct {
					Expr string `json:"expr"`
				} `json:"targets"`
			} `json:"panels"`
		}
		b, err := os.ReadFile(f)
		if err != nil || json.Unmarshal(b, &d) != nil {
			t.Fatalf("%s: not a dashboard JSON (%v)", f, err)
		}
		for _, p := range d.Panels {
			if len(p.Targets) == 0 {
				t.Errorf("%s: panel %q has no query", d.Title, p.Title)
			}
			for _, tg := range p.Targets {
				out = append(out, panelQuery{d.Title, p.Title, r.Replace(tg.Expr)})
			}
		}
	}
	return out
}

// checkDashboards: every panel query of both dashboards returns at least
// one series from the real Prometheus that scrapes the exporter.
func checkDashboards(t *testing.T, web, device string) {
	t.Helper()
	for _, q := range dashboardQueries(t, device) {
		eventually(t, waitFor, fmt.Sprintf("%s / %s: %s", q.dashboard, q.panel, q.expr), func() (bool, string) {
			n, err := promQuery(web, q.expr)
			if err != nil {
				return false, err.Error()
			}
			return n > 0, fmt.Sprintf("%d series", n)
		})
	}
}
