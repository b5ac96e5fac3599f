package e2e

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"testing"
)

// BenchmarkFleetctlStatusFanOut200 times the built fleetctl binary asking
// 200 real agents for their status through one Mosquitto
// (`fleetctl status -l site=bench -o json`: process start, connect, the
// retained listing, 200 requests at most 64 in flight, 200 replies decoded).
func BenchmarkFleetctlStatusFanOut200(b *testing.B) {
	const n = 200
	m := startMosquitto(b)
	for i := range n {
		id := fmt.Sprintf("bench-%03d", i)
		conf := writeFile(b, id+".yaml", fmt.Sprintf("id: %s\ndata_dir: %s\nlabels: {site: bench}\nbroker:\n  url: %s\nmetrics:\n  enabled: false\n",
			id, b.TempDir(), m.url()))
		startAgentConfig(b, "agent-"+id, conf)
	}
	home := b.TempDir()
	status := func() ([]map[string]any, error) {
		cmd := exec.Command(bins["fleetctl"], "--broker", m.url(), "--timeout", "60s", "-o", "json", "status", "-l", "site=bench")
		cmd.Env = append(os.Environ(), "HOME="+home)
		out, err := cmd.Output()
		var rows []map[string]any
		if jerr := json.Unmarshal(out, &rows); err == nil {
			err = jerr
		}
		return rows, err
	}
	eventually(b, 4*waitFor, "200 agents answer", func() (bool, string) {
		rows, err := status()
		return err == nil && len(rows) == n, fmt.Sprintf("%d rows, %v", len(rows), err)
	})
	for b.Loop() {
		if rows, err := status(); err != nil || len(rows) != n {
			b.Fatalf("status -l: %d rows, %v", len(rows), err)
		}
	}
}
