// Package harness holds the helpers shared by the end-to-end suites
// (test/ and test/ota): waiting on a condition with a deadline, free
// ports, required tools, and a real Mosquitto started on its own port.
package harness

import (
	"context"
	"net"
	"os/exec"
	"testing"
	"time"
)

// PollEvery is the pause between two checks of a condition with a deadline.
const PollEvery = 100 * time.Millisecond

// Eventually checks cond until it holds, failing the test after within;
// cond returns whether it holds and what it saw (for the failure message).
func Eventually(t testing.TB, within time.Duration, what string, cond func() (bool, string)) {
	t.Helper()
	deadline := time.Now().Add(within)
	for {
		ok, saw := cond()
		if ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: not true within %v; last saw:\n%s", what, within, saw)
		}
		time.Sleep(PollEvery) // polling a condition with a deadline
	}
}

// FreePort returns a TCP port of 127.0.0.1 that nobody listens on.
func FreePort(t testing.TB) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// Need returns the path of the first of names found, failing the test
// when none is installed.
func Need(t testing.TB, names ...string) string {
	t.Helper()
	for _, n := range names {
		if p, err := exec.LookPath(n); err == nil {
			return p
		}
	}
	t.Fatalf("%v not found: run `make test-deps` (installs mosquitto, mosquitto-clients, prometheus, minisign)", names)
	return ""
}

// WaitDial waits, at most within, until addr accepts TCP connections.
func WaitDial(t testing.TB, addr string, within time.Duration) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), within)
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
