package e2e

import (
	"fmt"
	"strings"
	"syscall"
	"testing"

	"github.com/drover-iot/drover/fleet"
)

const (
	svcDev = "e2e2"
	// brokerSecret is the broker password of svcConfig; config must hide it.
	brokerSecret = "hunter2-e2e-secret"
)

// svcConfig is an agent config with two exec services (web requires
// ticker) and a command job.
func svcConfig(t testing.TB, id, broker, dataDir string) string {
	return writeFile(t, "agent.yaml", fmt.Sprintf(`id: %s
data_dir: %s
broker:
  url: %s
  username: op
  password: %s
metrics:
  listen: %s
services:
  - name: ticker
    command: [/bin/sh, -c, 'while true; do echo "tick $(date +%%s%%N)"; sleep 0.3; done']
  - name: web
    requires: [ticker]
    command: [/bin/sh, -c, 'echo web-up; exec sleep 3600']
jobs:
  - name: hello
    schedule: every 1h
    command: [/bin/echo, hello-from-job]
`, id, dataDir, broker, brokerSecret, metricsAddr(t)))
}

// services returns the device's services by name.
func services(t testing.TB, broker string) map[string]fleet.Unit {
	t.Helper()
	var res fleet.UnitsResult
	fleetctlJSON(t, broker, &res, "service", "ls", svcDev)
	return byName(res.Units, func(u fleet.Unit) string { return u.Name })
}

// jobs returns the device's scheduled jobs by name.
func jobs(t testing.TB, broker string) map[string]fleet.Job {
	t.Helper()
	var res fleet.JobsResult
	fleetctlJSON(t, broker, &res, "schedule", "ls", svcDev)
	return byName(res.Jobs, func(j fleet.Job) string { return j.Name })
}

func byName[T any](items []T, name func(T) string) map[string]T {
	out := make(map[string]T, len(items))
	for _, it := range items {
		out[name(it)] = it
	}
	return out
}

// waitService waits until service name satisfies ok.
func waitService(t testing.TB, broker, name, what string, ok func(fleet.Unit) bool) fleet.Unit {
	t.Helper()
	var u fleet.Unit
	eventually(t, waitFor, "service "+name+" "+what, func() (bool, string) {
		u = services(t, broker)[name]
		return ok(u), dump(u)
	})
	return u
}

func running(u fleet.Unit) bool { return u.State == fleet.UnitRunning && u.PID > 0 }

func disabled(u fleet.Unit) bool {
	return u.State == fleet.UnitStopped && u.Enabled != nil && !*u.Enabled
}

// TestServicesAndSchedulesE2E drives service and schedule commands through
// fleetctl, restarts the agent and checks what persisted.
func TestServicesAndSchedulesE2E(t *testing.T) {
	m := startMosquitto(t)
	w := watch(t, m.url(), "drover/"+svcDev+"/state")
	conf := svcConfig(t, svcDev, m.url(), t.TempDir())
	a := startAgentConfig(t, "agent-svc", conf)
	w.expect("drover/"+svcDev+"/state", "online")

	ticker := waitService(t, m.url(), "ticker", "running", running)
	waitService(t, m.url(), "web", "running", running)
	eventually(t, waitFor, "ticker's stdout in its journal source", func() (bool, string) {
		out := fleetctlOK(t, m.url(), "logs", svcDev, "--source", "svc:ticker", "-n", "3")
		return strings.Contains(out, "tick "), out
	})
	fleetctlOK(t, m.url(), "service", "restart", svcDev, "ticker")
	waitService(t, m.url(), "ticker", "running in a new process", func(u fleet.Unit) bool {
		return running(u) && u.PID != ticker.PID
	})
	fleetctlOK(t, m.url(), "service", "disable", svcDev, "web")
	waitService(t, m.url(), "web", "disabled and stopped", disabled)

	if out := fleetctlOK(t, m.url(), "config", svcDev); strings.Contains(out, brokerSecret) || !strings.Contains(out, "***") {
		t.Errorf("config shows the broker password or no redaction:\n%s", out)
	}
	checkScheduleCommands(t, m.url())

	if code := a.stop(t, syscall.SIGTERM); code != 0 {
		t.Fatalf("agent exit %d after SIGTERM", code)
	}
	w.expect("drover/"+svcDev+"/state", "offline")
	startAgentConfig(t, "agent-svc2", conf)
	w.expect("drover/"+svcDev+"/state", "online")

	waitService(t, m.url(), "ticker", "running after the restart", running)
	if u := services(t, m.url())["web"]; !disabled(u) {
		t.Errorf("disable did not persist across the restart: %s", dump(u))
	}
	if _, ok := jobs(t, m.url())["extra"]; !ok {
		t.Errorf("schedule add did not persist across the restart: %s", dump(jobs(t, m.url())))
	}
	fleetctlOK(t, m.url(), "schedule", "rm", svcDev, "extra")
	if _, ok := jobs(t, m.url())["extra"]; ok {
		t.Error("schedule rm left the job")
	}
	fleetctlOK(t, m.url(), "service", "enable", svcDev, "web")
	waitService(t, m.url(), "web", "running after enable", running)
}

// checkScheduleCommands adds, pauses, resumes and runs jobs.
func checkScheduleCommands(t *testing.T, broker string) {
	t.Helper()
	fleetctlOK(t, broker, "schedule", "add", svcDev, "extra", "--spec", "every 1h", "--job", "hello")
	fleetctlOK(t, broker, "schedule", "pause", svcDev, "extra")
	if j := jobs(t, broker)["extra"]; !j.Paused {
		t.Errorf("pause: %s", dump(j))
	}
	fleetctlOK(t, broker, "schedule", "resume", svcDev, "extra")
	if j := jobs(t, broker)["extra"]; j.Paused || j.NextRun == nil {
		t.Errorf("resume: %s", dump(j))
	}
	if j := jobs(t, broker)["hello"]; j.Runs != 0 || j.LastRun != nil {
		t.Fatalf("hello ran before schedule run: %s", dump(j))
	}
	fleetctlOK(t, broker, "schedule", "run", svcDev, "hello")
	eventually(t, waitFor, "hello's run in its status", func() (bool, string) {
		j := jobs(t, broker)["hello"]
		return j.Runs == 1 && j.LastRun != nil && j.LastError == "", dump(j)
	})
	eventually(t, waitFor, "hello's output in its journal source", func() (bool, string) {
		out := fleetctlOK(t, broker, "logs", svcDev, "--source", "job:hello")
		return strings.Contains(out, "hello-from-job"), out
	})
}
