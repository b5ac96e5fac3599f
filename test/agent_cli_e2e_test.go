package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/drover-iot/drover/fleet"
)

// runAgentCmd runs the agent binary to completion and returns its output
// and exit code.
func runAgentCmd(t *testing.T, args ...string) (string, int) {
	t.Helper()
	cmd := exec.Command(bins["agent"], args...)
	cmd.Env = append(os.Environ(), "DROVER_BROKER=", "DROVER_ID=")
	out, _ := cmd.CombinedOutput()
	return string(out), cmd.ProcessState.ExitCode()
}

// TestAgentSubcommandFlags: flags after a subcommand apply to it, unknown
// ones are usage errors, and help exits 0.
func TestAgentSubcommandFlags(t *testing.T) {
	dir := t.TempDir()
	deadBroker := "tcp://" + metricsAddr(t) // a free port: nobody listens
	tests := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"selftest", "--data-dir", dir, "--id", "st1", "--broker", deadBroker}, 1, "selftest: broker"},
		{[]string{"selftest", "--data-dir", dir, "--id", "st1"}, 0, "broker: embedded (not probed"},
		{[]string{"selftest", "--bogus"}, 2, "flag provided but not defined"},
		{[]string{"check-config", "--config", "../examples/agent.yaml"}, 0, "ok"},
		{[]string{"check-config", "../examples/agent.yaml", "--id", "Bad/ID"}, 1, "device id"},
		{[]string{"--help"}, 0, "usage"},
		{[]string{"help"}, 0, "selftest"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, "_"), func(t *testing.T) {
			out, code := runAgentCmd(t, tt.args...)
			if code != tt.code || !strings.Contains(out, tt.want) {
				t.Errorf("agent %v: exit %d, want %d; output lacks %q:\n%s", tt.args, code, tt.code, tt.want, out)
			}
		})
	}
}

// TestDataDirLockAndJournalDir: the first agent creates its journal file's
// directory; a second agent on the same data dir refuses to start (exit
// 2) naming the dir and the first one's pid.
func TestDataDirLockAndJournalDir(t *testing.T) {
	m := startMosquitto(t)
	dataDir, logDir := t.TempDir(), filepath.Join(t.TempDir(), "log", "drover")
	conf := writeFile(t, "agent.yaml", "journal:\n  file: "+filepath.Join(logDir, "journal.log")+"\n")
	w := watch(t, m.url(), "drover/lock1/state")
	first := startAgentConfig(t, "agent-lock1", conf, "--broker", m.url(), "--id", "lock1",
		"--data-dir", dataDir, "--metrics-listen", metricsAddr(t))
	w.expect("drover/lock1/state", "online")
	if _, err := os.Stat(filepath.Join(logDir, "journal.log")); err != nil {
		t.Errorf("journal file not created in a missing directory: %v", err)
	}
	out, code := runAgentCmd(t, "--broker", m.url(), "--id", "lock2", "--data-dir", dataDir, "--metrics-listen", metricsAddr(t))
	pid := first.cmd.Process.Pid
	if code != 2 || !strings.Contains(out, dataDir) || !strings.Contains(out, "pid "+strconv.Itoa(pid)) || strings.Contains(out, "agent: agent:") {
		t.Errorf("second agent: exit %d, output %q; want exit 2 naming %s and pid %d", code, out, dataDir, pid)
	}
	if code := first.stop(t, syscall.SIGTERM); code != 0 {
		t.Errorf("first agent exit %d after SIGTERM", code)
	}
	if log, err := os.ReadFile(first.log); err == nil && strings.Contains(string(log), "use of closed network connection") {
		t.Errorf("a clean stop logs closed-connection errors:\n%s", log)
	}
}

// TestExampleConfigStarts runs the agent binary with examples/agent.yaml
// (on the test's broker): it starts, and every job of the example is
// present and healthy.
func TestExampleConfigStarts(t *testing.T) {
	m := startMosquitto(t)
	w := watch(t, m.url(), "drover/example1/state")
	startAgentConfig(t, "agent-example1", "../examples/agent.yaml", "--broker", m.url(), "--id", "example1",
		"--data-dir", t.TempDir(), "--metrics-listen", metricsAddr(t))
	w.expect("drover/example1/state", "online")
	var r fleet.JobsResult
	fleetctlJSON(t, m.url(), &r, "schedule", "ls", "example1")
	want := map[string]bool{"daily-note": true, "nightly-restart": true, "disk-report": true}
	for _, j := range r.Jobs {
		if j.Broken != "" || j.NextRun == nil {
			t.Errorf("job %s is not healthy: %s", j.Name, dump(j))
		}
		delete(want, j.Name)
	}
	if len(want) > 0 {
		t.Errorf("jobs missing: %v; got %s", want, dump(r.Jobs))
	}
	fleetctlOK(t, m.url(), "schedule", "run", "example1", "disk-report")
	eventually(t, waitFor, "disk-report ran", func() (bool, string) {
		var st fleet.Snapshot
		fleetctlJSON(t, m.url(), &st, "status", "example1")
		for _, j := range st.Jobs {
			if j.Name == "disk-report" {
				return j.Runs == 1 && j.Failures == 0, dump(j)
			}
		}
		return false, dump(st.Jobs)
	})
}

// TestTaskLogSource: a task's records carry the source task:<name>, so
// `fleetctl logs --source 'task:*'` finds the demo heartbeat.
func TestTaskLogSource(t *testing.T) {
	m := startMosquitto(t)
	w := watch(t, m.url(), "drover/src1/state")
	startAgentConfig(t, "agent-src1", writeFile(t, "agent.yaml", "id: src1\n"), "--demo", "--broker", m.url(),
		"--data-dir", t.TempDir(), "--metrics-listen", metricsAddr(t))
	w.expect("drover/src1/state", "online")
	eventually(t, waitFor, "a heartbeat record with source task:heartbeat", func() (bool, string) {
		out := fleetctlOK(t, m.url(), "logs", "src1", "--source", "task:*")
		return strings.Contains(out, "task:heartbeat") && strings.Contains(out, "heartbeat"), out
	})
}
