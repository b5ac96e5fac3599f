package harness

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// StopTimeout bounds Mosquitto's stop after SIGTERM before it is killed.
const StopTimeout = 60 * time.Second

// Mosquitto is a real broker started by a test on its own port, with its
// configuration, log and (when the config asks for it) persistence in its
// own directory.
type Mosquitto struct {
	// Port is the port of its first listener; Dir its directory.
	Port int
	Dir  string

	t    testing.TB
	conf string
	d    *daemon
}

// StartMosquitto starts Mosquitto with conf, whose first listener is port.
// Settings every test wants are added (no Nagle, a deep queue, and as
// root: stay root so the broker can read the test's files). The broker is
// stopped when the test ends, and its log shown if the test failed.
func StartMosquitto(t testing.TB, port int, conf string) *Mosquitto {
	t.Helper()
	dir := t.TempDir()
	m := &Mosquitto{Port: port, Dir: dir, t: t, conf: filepath.Join(dir, "mosquitto.conf"), d: newDaemon(t, "mosquitto", dir)}
	conf = "set_tcp_nodelay true\nmax_queued_messages 10000\n" + conf
	if os.Geteuid() == 0 {
		conf = "user root\n" + conf
	}
	if err := os.WriteFile(m.conf, []byte(conf), 0o600); err != nil {
		t.Fatal(err)
	}
	m.Start()
	return m
}

// URL is the broker's tcp:// URL.
func (m *Mosquitto) URL() string { return fmt.Sprintf("tcp://127.0.0.1:%d", m.Port) }

// Start starts the broker (again, after Stop) and waits until it listens.
func (m *Mosquitto) Start() {
	m.t.Helper()
	m.d.start(Need(m.t, "mosquitto", "/usr/sbin/mosquitto"), "-c", m.conf)
	WaitDial(m.t, fmt.Sprintf("127.0.0.1:%d", m.Port), StopTimeout)
}

// Stop ends the broker with SIGTERM (it saves its persistent state), and
// kills it if it has not exited after StopTimeout.
func (m *Mosquitto) Stop() { m.d.stop() }

// Restart stops and starts the broker on the same port and directory.
func (m *Mosquitto) Restart() {
	m.t.Helper()
	m.Stop()
	m.Start()
}
