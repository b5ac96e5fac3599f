package e2e

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

const waitFor = 30 * time.Second

func freePort(t testing.TB) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

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

// mosquitto is a broker on its own port and config file.
type mosquitto struct {
	t    testing.TB
	port int
	conf string
	p    *proc
}

func startMosquitto(t testing.TB) *mosquitto {
	t.Helper()
	port := freePort(t)
	return startMosquittoWith(t, port, fmt.Sprintf("listener %d 127.0.0.1\nallow_anonymous true\npersistence false\n", port))
}

// startMosquittoWith starts Mosquitto with conf, whose first listener is
// port. Settings every test wants are added (no Nagle, a deep queue, and
// as root: stay root so the broker can read the test's files).
func startMosquittoWith(t testing.TB, port int, conf string) *mosquitto {
	t.Helper()
	m := &mosquitto{t: t, port: port, conf: filepath.Join(t.TempDir(), "mosquitto.conf")}
	conf = "set_tcp_nodelay true\nmax_queued_messages 10000\n" + conf
	if os.Geteuid() == 0 {
		conf = "user root\n" + conf
	}
	if err := os.WriteFile(m.conf, []byte(conf), 0o600); err != nil {
		t.Fatal(err)
	}
	m.start()
	return m
}

func (m *mosquitto) url() string { return fmt.Sprintf("tcp://127.0.0.1:%d", m.port) }

func (m *mosquitto) start() {
	m.t.Helper()
	m.p = start(m.t, "mosquitto", need(m.t, "mosquitto", "/usr/sbin/mosquitto"), "-c", m.conf)
	waitDial(m.t, fmt.Sprintf("127.0.0.1:%d", m.port))
}

// waitDial polls until addr accepts TCP connections.
func waitDial(t testing.TB, addr string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), waitFor)
	defer cancel()
	for {
		c, err := (&net.Dialer{}).DialContext(ctx, "tcp", addr)
		if err == nil {
			c.Close()
			return
		}
		if ctx.Err() != nil {
			t.Fatalf("%s not reachable: %v", addr, err)
		}
		time.Sleep(20 * time.Millisecond) // polling a condition with a deadline
	}
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
