package e2e

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/drover-iot/drover/test/internal/harness"
)

const waitFor = 30 * time.Second

func freePort(t testing.TB) int { return harness.FreePort(t) }

// proc is a started child process.
type proc struct {
	cmd    *exec.Cmd
	exited chan struct{} // closed once Wait returned
	log    string        // file of its stdout and stderr
}

func start(t testing.TB, logName string, name string, args ...string) *proc {
	t.Helper()
	cmd := exec.Command(name, args...)
	logf, err := os.Create(filepath.Join(t.TempDir(), logName+".log"))
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &proc{cmd: cmd, exited: make(chan struct{}), log: logf.Name()}
	go func() { _ = cmd.Wait(); logf.Close(); close(p.exited) }()
	t.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGKILL)
		<-p.exited
		if t.Failed() {
			p.dumpLog(t)
		}
	})
	return p
}

// dumpLog prints the end of the process's output, for a failed test.
func (p *proc) dumpLog(t testing.TB) {
	const tail = 6 << 10
	b, err := os.ReadFile(p.log)
	if err != nil {
		return
	}
	t.Logf("--- last output of %s:\n%s", filepath.Base(p.log), b[max(0, len(b)-tail):])
}

// stop sends sig and waits for the exit code.
func (p *proc) stop(t testing.TB, sig syscall.Signal) int {
	t.Helper()
	_ = p.cmd.Process.Signal(sig)
	select {
	case <-p.exited:
	case <-time.After(waitFor):
		t.Fatalf("%s did not exit after %v", p.cmd.Path, sig)
	}
	return p.cmd.ProcessState.ExitCode()
}

// mosquitto is a broker on its own port and config file (see harness).
type mosquitto struct{ *harness.Mosquitto }

func startMosquitto(t testing.TB) *mosquitto {
	t.Helper()
	port := freePort(t)
	return startMosquittoWith(t, port, fmt.Sprintf("listener %d 127.0.0.1\nallow_anonymous true\npersistence false\n", port))
}

// startMosquittoWith starts Mosquitto with conf, whose first listener is port.
func startMosquittoWith(t testing.TB, port int, conf string) *mosquitto {
	t.Helper()
	return &mosquitto{harness.StartMosquitto(t, port, conf)}
}

func (m *mosquitto) url() string { return m.URL() }

// waitDial polls until addr accepts TCP connections.
func waitDial(t testing.TB, addr string) {
	t.Helper()
	harness.WaitDial(t, addr, waitFor)
}

// startAgent runs the agent binary for device id against broker.
func startAgent(t testing.TB, broker, id, dataDir, metrics string) *proc {
	t.Helper()
	return start(t, "agent-"+id, bins["agent"], "--broker", broker, "--id", id,
		"--data-dir", dataDir, "--metrics-listen", metrics)
}

// fleetctl runs fleetctl and returns its output and exit code; an empty
// broker leaves --broker to args.
func fleetctl(t testing.TB, broker string, args ...string) (string, int) {
	t.Helper()
	if broker != "" {
		args = append([]string{"--broker", broker}, args...)
	}
	cmd := exec.Command(bins["fleetctl"], append([]string{"--timeout", "10s"}, args...)...)
	cmd.Env = append(os.Environ(), "HOME="+t.TempDir())
	out, _ := cmd.CombinedOutput()
	return strings.TrimSpace(string(out)), cmd.ProcessState.ExitCode()
}
