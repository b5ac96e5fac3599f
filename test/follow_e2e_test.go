package e2e

import (
	"bufio"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"
)

const followDev = "e2e4"

// leaseWait covers fleetctl's 30 s follow lease and its expiry.
const leaseWait = 75 * time.Second

// lines runs a command and sends its stdout lines to the returned channel,
// closed when the output ends.
func lines(t testing.TB, cmd *exec.Cmd) <-chan string {
	t.Helper()
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	c := make(chan string, 1024)
	go func() {
		defer close(c)
		s := bufio.NewScanner(out)
		for s.Scan() {
			c <- s.Text()
		}
	}()
	return c
}

// TestLogsFollowE2E follows an exec service's output with fleetctl logs -f,
// interrupts fleetctl and waits for the agent to end the lease by itself.
func TestLogsFollowE2E(t *testing.T) {
	t.Parallel()
	m := startMosquitto(t)
	w := watch(t, m.url(), "drover/"+followDev+"/state", "drover/"+followDev+"/log")
	startAgentConfig(t, "agent-follow", svcConfig(t, followDev, m.url(), t.TempDir()))
	w.expect("drover/"+followDev+"/state", "online")

	cmd := exec.Command(bins["fleetctl"], "--broker", m.url(), "logs", followDev, "-f", "-n", "1", "--source", "svc:ticker")
	cmd.Env = append(os.Environ(), "HOME="+t.TempDir())
	out := lines(t, cmd)
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	seen := map[string]bool{}
	deadline := time.After(waitFor)
	for len(seen) < 4 { // the last record, then new ones as they come
		select {
		case l, ok := <-out:
			if !ok {
				t.Fatalf("fleetctl logs -f ended early (%d lines)", len(seen))
			}
			if strings.Contains(l, "svc:ticker tick ") {
				seen[l] = true
			}
		case <-deadline:
			t.Fatalf("fleetctl logs -f printed %d ticker lines within %v, want 4", len(seen), waitFor)
		}
	}
	w.expect("drover/"+followDev+"/log", `"source":"svc:ticker"`)

	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	if err := cmd.Wait(); err != nil {
		t.Errorf("fleetctl logs -f after SIGINT: %v, want exit 0", err)
	}
	eventually(t, leaseWait, "the agent ended the follow lease by itself", func() (bool, string) {
		out := fleetctlOK(t, m.url(), "logs", followDev, "--grep", "log follow lease expired")
		return strings.Contains(out, "log follow lease expired"), out
	})
}
