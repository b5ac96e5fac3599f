package e2e

import (
	"net"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestSystemdNotify runs the agent as systemd would run the shipped unit
// (Type=notify, WatchdogSec): on a NOTIFY_SOCKET it must say READY=1 once
// booted, WATCHDOG=1 repeatedly while alive, and STOPPING=1 on SIGTERM.
func TestSystemdNotify(t *testing.T) {
	sock := filepath.Join(t.TempDir(), "notify.sock")
	conn, err := net.ListenUnixgram("unixgram", &net.UnixAddr{Name: sock, Net: "unixgram"})
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	t.Setenv("NOTIFY_SOCKET", sock)
	t.Setenv("WATCHDOG_USEC", "200000") // a heartbeat every 100 ms

	m := startMosquitto(t)
	agent := startAgent(t, m.url(), "sd1", t.TempDir(), metricsAddr(t))
	expectNotify(t, conn, "READY=1")
	for range 3 {
		expectNotify(t, conn, "WATCHDOG=1")
	}
	if code := agent.stop(t, syscall.SIGTERM); code != 0 {
		t.Fatalf("agent exit code %d after SIGTERM, want 0", code)
	}
	expectNotify(t, conn, "STOPPING=1")
}

// expectNotify reads datagrams until one carries want, failing after waitFor.
func expectNotify(t *testing.T, conn *net.UnixConn, want string) {
	t.Helper()
	buf := make([]byte, 4096)
	var seen []string
	for deadline := time.Now().Add(waitFor); ; {
		if err := conn.SetReadDeadline(deadline); err != nil {
			t.Fatal(err)
		}
		n, err := conn.Read(buf)
		if err != nil {
			t.Fatalf("no %q from the agent (saw %q): %v", want, seen, err)
		}
		msg := string(buf[:n])
		if strings.Contains(msg, want) {
			return
		}
		seen = append(seen, msg)
	}
}
