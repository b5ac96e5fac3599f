package e2e

import (
	"encoding/json"
	"fmt"
	"strings"
	"syscall"
	"testing"
)

// fanoutAgent starts an agent with labels role=<role>.
func fanoutAgent(t *testing.T, broker, id, role string) *proc {
	t.Helper()
	conf := writeFile(t, id+".yaml", fmt.Sprintf(`id: %s
data_dir: %s
labels: {role: %s, site: greenhouse}
broker:
  url: %s
metrics:
  enabled: false
`, id, t.TempDir(), role, broker))
	return startAgentConfig(t, "agent-"+id, conf)
}

// TestFanOutSelector: real agents with labels, one stopped cleanly. A
// selector targets the matching devices; the offline one is listed as
// skipped without waiting; failures give exit 1 and no reachable device 3.
func TestFanOutSelector(t *testing.T) {
	m := startMosquitto(t)
	broker := m.url()
	pumpA := fanoutAgent(t, broker, "pump-a", "pump")
	pumpB := fanoutAgent(t, broker, "pump-b", "pump")
	fanoutAgent(t, broker, "gw-1", "gateway")
	waitOnline(t, broker, "pump-a", "pump-b", "gw-1")
	pumpB.stop(t, syscall.SIGTERM)
	eventually(t, waitFor, "pump-b offline", func() (bool, string) {
		out, _ := fleetctl(t, broker, "devices", "-l", "role=pump")
		return strings.Contains(out, "offline"), out
	})

	out := fleetctlOK(t, broker, "schedule", "add", "-l", "role=pump", "beat", "--spec", "every 1s", "--handler", "log", "--arg", "msg=fan")
	for _, want := range []string{"DEVICE", "pump-a", "beat", "pump-b", "skipped: offline"} {
		if !strings.Contains(out, want) {
			t.Fatalf("schedule add -l lacks %q:\n%s", want, out)
		}
	}
	var rows []struct {
		Device  string `json:"device"`
		Skipped bool   `json:"skipped"`
		Jobs    []struct {
			Name string `json:"name"`
		} `json:"jobs"`
	}
	fleetctlJSON(t, broker, &rows, "schedule", "ls", "-l", "site=greenhouse,role in (pump)")
	if len(rows) != 2 || rows[0].Device != "pump-a" || !strings.Contains(dump(rows[0].Jobs), `"beat"`) ||
		rows[1].Device != "pump-b" || !rows[1].Skipped {
		t.Fatalf("schedule ls -l: %s", dump(rows))
	}
	eventually(t, waitFor, "the job ran on pump-a", func() (bool, string) {
		out, _ := fleetctl(t, broker, "logs", "-l", "role=pump", "--source", "job:beat")
		return strings.Contains(out, "=== pump-a ===") && strings.Contains(out, "fan"), out
	})

	out = fleetctlOK(t, broker, "status", "--all")
	if !strings.Contains(out, "=== gw-1 ===") || !strings.Contains(out, "=== pump-a ===") || !strings.Contains(out, "pump-b  skipped: offline") {
		t.Fatalf("status --all:\n%s", out)
	}
	if out, code := fleetctl(t, broker, "task", "stop", "--all", "nosuch"); code != 1 || !strings.Contains(out, "failed: not_found") {
		t.Fatalf("task stop --all nosuch: exit %d, want 1\n%s", code, out)
	}
	pumpA.stop(t, syscall.SIGTERM)
	eventually(t, waitFor, "pump-a offline", func() (bool, string) {
		out, code := fleetctl(t, broker, "status", "-l", "role=pump", "-o", "json")
		var rows []map[string]any
		_ = json.Unmarshal([]byte(out[:strings.LastIndex(out, "]")+1]), &rows)
		return code == 3 && len(rows) == 2 && rows[0]["skipped"] == true && rows[1]["skipped"] == true, out
	})
}

// waitOnline waits until every id's retained state is online.
func waitOnline(t *testing.T, broker string, ids ...string) {
	t.Helper()
	eventually(t, waitFor, "devices online", func() (bool, string) {
		var devs []struct {
			ID    string `json:"id"`
			State string `json:"state"`
		}
		out, code := fleetctl(t, broker, "devices", "-o", "json")
		if code != 0 || json.Unmarshal([]byte(out), &devs) != nil {
			return false, out
		}
		online := 0
		for _, d := range devs {
			if d.State == "online" && strings.Contains(" "+strings.Join(ids, " ")+" ", " "+d.ID+" ") {
				online++
			}
		}
		return online == len(ids), out
	})
}
