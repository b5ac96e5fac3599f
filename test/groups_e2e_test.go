package e2e

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"syscall"
	"testing"

	"github.com/drover-iot/drover/fleet"
)

// groupAgentConf is an agent config with labels and two services the
// groups may enable: idle (boots) and broken (exits at once).
func groupAgentConf(t *testing.T, broker, id, dataDir, labels, extra string) string {
	t.Helper()
	return writeFile(t, id+".yaml", fmt.Sprintf(`id: %s
data_dir: %s
labels: {%s}
broker:
  url: %s
metrics:
  enabled: false
services:
  - name: idle
    enabled: false
    command: [/bin/sh, -c, 'exec sleep 3600']
  - name: broken
    enabled: false
    command: [/bin/sh, -c, 'echo broken-start; exit 1']
    restart: {policy: "no"}
%s`, id, dataDir, labels, broker, extra))
}

func startGroupAgent(t *testing.T, broker, id, dataDir, labels string) *proc {
	t.Helper()
	return startAgentConfig(t, "agent-"+id, groupAgentConf(t, broker, id, dataDir, labels, ""))
}

const greenhouseFile = `groups:
  - name: greenhouse
    selector: site=greenhouse,role!=gateway
    jobs:
      - name: water
        schedule: every 1s
        handler: log
        args: {msg: watering}
`

// reported returns the devices' sync fields from devices -o json.
func deviceSync(t *testing.T, broker string) map[string]string {
	t.Helper()
	var devs []struct {
		ID   string `json:"id"`
		Sync string `json:"sync"`
	}
	fleetctlJSON(t, broker, &devs, "devices")
	out := map[string]string{}
	for _, d := range devs {
		out[d.ID] = d.Sync
	}
	return out
}

// waitSync waits until each device reports sync state want.
func waitSync(t *testing.T, broker, want string, ids ...string) {
	t.Helper()
	eventually(t, waitFor, strings.Join(ids, ",")+" "+want, func() (bool, string) {
		got := deviceSync(t, broker)
		for _, id := range ids {
			if got[id] != want {
				return false, dump(got)
			}
		}
		return true, ""
	})
}

// waitJobRan waits until the journal of dev shows job's message.
func waitJobRan(t *testing.T, broker, dev, job, msg string) {
	t.Helper()
	eventually(t, waitFor, job+" ran on "+dev, func() (bool, string) {
		out, _ := fleetctl(t, broker, "logs", dev, "--source", "job:"+job)
		return strings.Contains(out, msg), out
	})
}

func scheduleList(t *testing.T, broker, dev string) string {
	t.Helper()
	return fleetctlOK(t, broker, "schedule", "ls", dev)
}

// TestGroupsConverge: apply runs the job on the matching devices (not the
// gateway, not the office); a device offline during apply converges when
// it returns; a new device converges with no command; get groups, diff
// and SYNC show it; `schedule rm` leaves a group's job to its group;
// deleting the group removes its jobs.
func TestGroupsConverge(t *testing.T) {
	m := startMosquitto(t)
	broker := m.url()
	startGroupAgent(t, broker, "gh-1", t.TempDir(), "site: greenhouse, role: pump")
	startGroupAgent(t, broker, "gh-gw", t.TempDir(), "site: greenhouse, role: gateway")
	startGroupAgent(t, broker, "office-1", t.TempDir(), "site: office")
	lateDir := t.TempDir()
	late := startGroupAgent(t, broker, "gh-late", lateDir, "site: greenhouse, role: pump")
	waitOnline(t, broker, "gh-1", "gh-gw", "office-1", "gh-late")
	late.stop(t, syscall.SIGTERM)

	file := writeFile(t, "fleet.yaml", greenhouseFile)
	out := fleetctlOK(t, broker, "apply", "-f", file, "--wait", "--timeout", "60s")
	for _, want := range []string{"GROUP", "greenhouse", "create", "+job water", "1 devices in sync"} {
		if !strings.Contains(out, want) {
			t.Fatalf("apply lacks %q:\n%s", want, out)
		}
	}
	waitJobRan(t, broker, "gh-1", "water", "watering")
	for _, dev := range []string{"gh-gw", "office-1"} {
		if s := scheduleList(t, broker, dev); strings.Contains(s, "water") {
			t.Fatalf("%s got the greenhouse job:\n%s", dev, s)
		}
	}

	startGroupAgent(t, broker, "gh-late", lateDir, "site: greenhouse, role: pump")
	startGroupAgent(t, broker, "gh-new", t.TempDir(), "site: greenhouse")
	waitJobRan(t, broker, "gh-late", "water", "watering")
	waitJobRan(t, broker, "gh-new", "water", "watering")
	waitSync(t, broker, "in_sync", "gh-1", "gh-late", "gh-new", "gh-gw", "office-1")

	out = fleetctlOK(t, broker, "devices")
	if !strings.Contains(out, "SYNC") || !strings.Contains(out, "in_sync") {
		t.Fatalf("devices lacks the SYNC column:\n%s", out)
	}
	var rows []struct {
		Name    string   `json:"name"`
		Jobs    []string `json:"jobs"`
		Devices int      `json:"devices"`
		InSync  int      `json:"in_sync"`
	}
	fleetctlJSON(t, broker, &rows, "get", "groups")
	if len(rows) != 1 || rows[0].Name != "greenhouse" || rows[0].Devices != 3 || rows[0].InSync != 3 {
		t.Fatalf("get groups: %s", dump(rows))
	}
	if out := fleetctlOK(t, broker, "diff", "-f", file); strings.Contains(out, "gh-") {
		t.Fatalf("diff of the applied file shows drift:\n%s", out)
	}
	changed := writeFile(t, "fleet.yaml", strings.Replace(greenhouseFile, "every 1s", "every 2s", 1))
	out = fleetctlOK(t, broker, "diff", "-f", changed)
	for _, want := range []string{"gh-1", "gh-late", "gh-new", "differs"} {
		if !strings.Contains(out, want) || strings.Contains(out, "office-1") {
			t.Fatalf("diff of a changed file lacks %q (or shows office-1):\n%s", want, out)
		}
	}

	if out, code := fleetctl(t, broker, "schedule", "rm", "gh-1", "water"); code != 1 || !strings.Contains(out, "runs for a group") {
		t.Fatalf("schedule rm of a group's job: exit %d, want 1 naming the group:\n%s", code, out)
	}
	fleetctlOK(t, broker, "delete", "group", "greenhouse")
	eventually(t, waitFor, "the group's jobs gone", func() (bool, string) {
		for _, dev := range []string{"gh-1", "gh-late", "gh-new"} {
			if s := scheduleList(t, broker, dev); strings.Contains(s, "water") {
				return false, dev + ":\n" + s
			}
		}
		return true, ""
	})
	if _, code := fleetctl(t, broker, "delete", "group", "greenhouse"); code != 1 {
		t.Fatalf("deleting a missing group: exit %d, want 1", code)
	}
}

// TestGroupsRefused: a bad schedule is refused by apply (exit 2, naming
// file, line and problem, nothing published); published raw past the
// CLI, every device refuses it with the reason and keeps what it had.
func TestGroupsRefused(t *testing.T) {
	m := startMosquitto(t)
	broker := m.url()
	ids := []string{"r-1", "r-2", "r-3"}
	for _, id := range ids {
		startGroupAgent(t, broker, id, t.TempDir(), "site: greenhouse")
	}
	waitOnline(t, broker, ids...)
	fleetctlOK(t, broker, "apply", "-f", writeFile(t, "fleet.yaml", greenhouseFile), "--wait", "--timeout", "60s")

	bad := writeFile(t, "bad.yaml", strings.Replace(greenhouseFile, "every 1s", "every ten", 1))
	out, code := fleetctl(t, broker, "apply", "-f", bad)
	if code != 2 || !strings.Contains(out, bad+":6: groups[0].jobs[0].schedule: ") {
		t.Fatalf("apply of a bad schedule: exit %d, want 2 naming file:line:\n%s", code, out)
	}
	var rows []struct {
		Generation uint64 `json:"generation"`
	}
	fleetctlJSON(t, broker, &rows, "get", "groups")
	before := rows[0].Generation

	w := watch(t, broker, "drover/+/reported")
	raw := fmt.Sprintf(`{"v":1,"body":{"name":"greenhouse","selector":"","order":0,"generation":%d,`+
		`"jobs":[{"name":"water","schedule":"every ten","handler":"log"}]}}`, before+1)
	if tok := w.c.Publish("drover/groups/greenhouse", 1, true, []byte(raw)); !tok.WaitTimeout(waitFor) || tok.Error() != nil {
		t.Fatalf("raw publish: %v", tok.Error())
	}
	w.expectEach(`jobs[0].schedule: `, ids...)
	waitSync(t, broker, "failed", ids...)
	for _, id := range ids { // the last good generation still runs
		if s := scheduleList(t, broker, id); !strings.Contains(s, "every 1s") {
			t.Fatalf("%s lost its job after a refused generation:\n%s", id, s)
		}
	}
}

// TestGroupsServiceRollback: a group that enables a service that fails to
// boot is rolled back on the device (service off again, the group's job
// gone) and reported failed; apply --wait exits 1 with the reason.
func TestGroupsServiceRollback(t *testing.T) {
	m := startMosquitto(t)
	broker := m.url()
	startGroupAgent(t, broker, "svc-1", t.TempDir(), "role: pump")
	waitOnline(t, broker, "svc-1")
	file := writeFile(t, "fleet.yaml", `groups:
  - name: pumps
    selector: role=pump
    jobs:
      - {name: pumping, schedule: every 1s, handler: log, args: {msg: pumping}}
    services:
      broken: {enabled: true}
`)
	out, code := fleetctl(t, broker, "apply", "-f", file, "--wait", "--timeout", "60s")
	if code != 1 || !strings.Contains(out, "service broken failed to boot") || !strings.Contains(out, "rolled back") {
		t.Fatalf("apply of a failing service: exit %d, want 1 with the reason:\n%s", code, out)
	}
	waitSync(t, broker, "failed", "svc-1")
	if s := scheduleList(t, broker, "svc-1"); strings.Contains(s, "pumping") {
		t.Fatalf("the rolled-back group's job is still there:\n%s", s)
	}
	var res fleet.UnitsResult
	fleetctlJSON(t, broker, &res, "service", "ls", "svc-1")
	if u := byName(res.Units, func(u fleet.Unit) string { return u.Name })["broken"]; u.Enabled == nil || *u.Enabled {
		t.Fatalf("broken still enabled after the rollback: %s", dump(res))
	}
	// A group enabling the service that boots is applied and kept.
	good := writeFile(t, "fleet.yaml", `groups:
  - name: pumps
    selector: role=pump
    services:
      idle: {enabled: true}
`)
	fleetctlOK(t, broker, "apply", "-f", good, "--wait", "--timeout", "60s")
	waitSync(t, broker, "in_sync", "svc-1")
}

// TestGroupsRestartKeepsState: an agent restarted against a broker that
// holds no groups still runs the group jobs it applied (from its data
// dir) and reports them in sync.
func TestGroupsRestartKeepsState(t *testing.T) {
	m := startMosquitto(t)
	dataDir := t.TempDir()
	a := startGroupAgent(t, m.url(), "keep-1", dataDir, "site: greenhouse")
	waitOnline(t, m.url(), "keep-1")
	fleetctlOK(t, m.url(), "apply", "-f", writeFile(t, "fleet.yaml", greenhouseFile), "--wait", "--timeout", "60s")
	a.stop(t, syscall.SIGTERM)
	if _, err := os.Stat(dataDir + "/groups.json"); err != nil {
		t.Fatalf("no applied state on disk: %v", err)
	}

	fresh := startMosquitto(t)
	startGroupAgent(t, fresh.url(), "keep-1", dataDir, "site: greenhouse")
	waitOnline(t, fresh.url(), "keep-1")
	waitJobRan(t, fresh.url(), "keep-1", "water", "watering")
	eventually(t, waitFor, "reported in sync", func() (bool, string) {
		out, _ := fleetctl(t, fresh.url(), "devices", "-o", "json")
		var devs []map[string]any
		_ = json.Unmarshal([]byte(out), &devs)
		return len(devs) == 1 && devs[0]["sync"] == "in_sync", out
	})
}

// expectEach waits, in any order, for a reported message of each device
// whose payload contains want.
func (w *watcher) expectEach(want string, ids ...string) {
	w.t.Helper()
	topics := map[string]string{}
	for _, id := range ids {
		topics["drover/"+id+"/reported"] = want
	}
	w.expectAll(topics)
}

// TestGroupsSigned: a device with control.keys refuses an unsigned group
// and one signed by a viewer key, each with its reason, and applies the
// same group signed by an operator key; clearing its retained document
// deletes nothing (the device says why), the signed `delete group` does.
func TestGroupsSigned(t *testing.T) {
	m := startMosquitto(t)
	broker := m.url()
	dir := signedAgent(t, broker, "sig-g")
	file := writeFile(t, "fleet.yaml", strings.Replace(greenhouseFile, "site=greenhouse,role!=gateway", `""`, 1))
	for _, tc := range []struct {
		key, want string
		code      int
	}{
		{"", "unsigned group", 1},
		{"viewer.key", "a group needs operator", 1},
		{"operator.key", "1 devices in sync", 0},
	} {
		args := []string{"apply", "-f", file, "--wait", "--timeout", "60s"}
		if tc.key != "" {
			args = append([]string{"--signing-key", dir + "/" + tc.key}, args...)
		}
		if out, code := fleetctl(t, broker, args...); code != tc.code || !strings.Contains(out, tc.want) {
			t.Fatalf("apply signed by %q: exit %d, want %d with %q:\n%s", tc.key, code, tc.code, tc.want, out)
		}
	}
	op := []string{"--signing-key", dir + "/operator.key"}
	eventually(t, waitFor, "water ran on sig-g", func() (bool, string) {
		out, _ := fleetctl(t, broker, append(op, "logs", "sig-g", "--source", "job:water")...)
		return strings.Contains(out, "watering"), out
	})

	// Whoever can write to the broker can clear the retained document,
	// but that deletes nothing: the device keeps the job and says why.
	w := watch(t, broker, "drover/sig-g/reported")
	if tok := w.c.Publish("drover/groups/greenhouse", 1, true, []byte{}); !tok.WaitTimeout(waitFor) || tok.Error() != nil {
		t.Fatalf("clearing the group: %v", tok.Error())
	}
	w.expectEach("was cleared, unsigned", "sig-g")
	if s := fleetctlOK(t, broker, append(op, "schedule", "ls", "sig-g")...); !strings.Contains(s, "water") {
		t.Fatalf("an unsigned clear removed the group's job:\n%s", s)
	}
	// The operator's signed deletion does.
	fleetctlOK(t, broker, append(op, "apply", "-f", file, "--wait", "--timeout", "60s")...)
	fleetctlOK(t, broker, append(op, "delete", "group", "greenhouse")...)
	eventually(t, waitFor, "the group's job gone from sig-g", func() (bool, string) {
		s := fleetctlOK(t, broker, append(op, "schedule", "ls", "sig-g")...)
		return !strings.Contains(s, "water"), s
	})
}
