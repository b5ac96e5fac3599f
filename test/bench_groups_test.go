package e2e

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// BenchmarkGroupsApply200 times `fleetctl apply -f fleet.yaml --wait`
// against 200 real agents on one Mosquitto: process start, the retained
// groups and devices read for the plan, the signed-or-not group
// published, every agent verifying, checking and applying it (one job
// changed per round) and reporting, until every device reports the new
// generation in_sync.
func BenchmarkGroupsApply200(b *testing.B) {
	const n = 200
	m := startMosquitto(b)
	ids := make([]string, n)
	for i := range n {
		ids[i] = fmt.Sprintf("gbench-%03d", i)
		conf := writeFile(b, ids[i]+".yaml", fmt.Sprintf("id: %s\ndata_dir: %s\nlabels: {site: bench}\nbroker:\n  url: %s\nmetrics:\n  enabled: false\n",
			ids[i], b.TempDir(), m.url()))
		startAgentConfig(b, "agent-"+ids[i], conf)
	}
	home := b.TempDir()
	round := 0
	apply := func() ([]byte, error) {
		round++
		file := writeFile(b, "fleet.yaml", fmt.Sprintf(
			"groups:\n  - name: bench\n    selector: site=bench\n    jobs:\n      - {name: beat, schedule: every 1h, handler: log, args: {msg: round-%d}}\n", round))
		cmd := exec.Command(bins["fleetctl"], "--broker", m.url(), "--timeout", "120s", "apply", "-f", file, "--wait")
		cmd.Env = append(os.Environ(), "HOME="+home)
		return cmd.CombinedOutput()
	}
	eventually(b, 4*waitFor, "200 agents online", func() (bool, string) {
		out, code := fleetctl(b, m.url(), "ping", "-l", "site=bench")
		return code == 0 && strings.Count(out, "gbench-") == n, fmt.Sprintf("exit %d: %.300s", code, out)
	})
	if out, err := apply(); err != nil { // the first round creates the group
		b.Fatalf("apply: %v\n%s", err, out)
	}
	for b.Loop() {
		if out, err := apply(); err != nil || !bytes.Contains(out, []byte("200 devices in sync")) {
			b.Fatalf("apply: %v\n%s", err, out)
		}
	}
}
