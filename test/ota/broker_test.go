package otae2e

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// waitFor bounds every wait on a condition.
const waitFor = 60 * time.Second

// pollEvery is the pause between two checks of a condition with a deadline.
const pollEvery = 100 * time.Millisecond

// eventually checks cond until it holds, failing the test after within.
func eventually(t testing.TB, within time.Duration, what string, cond func() (bool, string)) {
	t.Helper()
	deadline := time.Now().Add(within)
	for {
		ok, saw := cond()
		if ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: not true within %v; last saw: %s", what, within, saw)
		}
		time.Sleep(pollEvery) // polling a condition with a deadline
	}
}

func freePort(t testing.TB) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// mosquitto is a broker on its own port, persisting retained messages in
// its own directory so that a restart keeps the artifacts.
type mosquitto struct {
	t      testing.TB
	port   int
	conf   string
	cmd    *exec.Cmd
	exited chan struct{}
}

func startMosquitto(t testing.TB) *mosquitto {
	t.Helper()
	dir := t.TempDir()
	m := &mosquitto{t: t, port: freePort(t), conf: filepath.Join(dir, "mosquitto.conf")}
	conf := fmt.Sprintf("listener %d 127.0.0.1\nallow_anonymous true\npersistence true\npersistence_location %s/\n"+
		"set_tcp_nodelay true\nmax_queued_messages 10000\nlog_dest file %s/mosquitto.log\n", m.port, dir, dir)
	if os.Geteuid() == 0 {
		conf = "user root\n" + conf
	}
	if err := os.WriteFile(m.conf, []byte(conf), 0o600); err != nil {
		t.Fatal(err)
	}
	m.start()
	t.Cleanup(m.stop)
	return m
}

func (m *mosquitto) url() string { return fmt.Sprintf("tcp://127.0.0.1:%d", m.port) }

func (m *mosquitto) start() {
	m.t.Helper()
	m.cmd = exec.Command(need(m.t, "mosquitto", "/usr/sbin/mosquitto"), "-c", m.conf)
	if err := m.cmd.Start(); err != nil {
		m.t.Fatal(err)
	}
	m.exited = make(chan struct{})
	go func(cmd *exec.Cmd, done chan struct{}) { _ = cmd.Wait(); close(done) }(m.cmd, m.exited)
	addr := fmt.Sprintf("127.0.0.1:%d", m.port)
	eventually(m.t, waitFor, "mosquitto listening on "+addr, func() (bool, string) {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			return false, err.Error()
		}
		c.Close()
		return true, ""
	})
}

// stop ends the broker with SIGTERM (it saves its retained messages).
func (m *mosquitto) stop() {
	if m.cmd == nil {
		return
	}
	_ = m.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-m.exited:
	case <-time.After(waitFor):
		_ = m.cmd.Process.Kill()
		<-m.exited
	}
	m.cmd = nil
}

// restart stops and starts the broker on the same port and store.
func (m *mosquitto) restart() {
	m.t.Helper()
	m.stop()
	m.start()
}

// fleetctl runs the fleetctl binary against the broker and returns its
// combined output and exit code.
func fleetctl(t testing.TB, broker string, args ...string) (string, int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bins["fleetctl"], append([]string{"--broker", broker, "--timeout", "20s"}, args...)...)
	cmd.Env = append(os.Environ(), "HOME="+t.TempDir(), "XDG_STATE_HOME="+stateHome(t))
	out, _ := cmd.CombinedOutput()
	return string(out), cmd.ProcessState.ExitCode()
}

// fleetctlOK runs fleetctl and fails the test unless it exits 0.
func fleetctlOK(t testing.TB, broker string, args ...string) string {
	t.Helper()
	out, code := fleetctl(t, broker, args...)
	if code != 0 {
		t.Fatalf("fleetctl %v: exit %d\n%s", args, code, out)
	}
	return out
}
