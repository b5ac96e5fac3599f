package otae2e

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/drover-iot/drover/test/internal/harness"
)

// waitFor bounds every wait on a condition.
const waitFor = 60 * time.Second

// eventually checks cond until it holds, failing the test after within
// (harness.Eventually).
func eventually(t testing.TB, within time.Duration, what string, cond func() (bool, string)) {
	t.Helper()
	harness.Eventually(t, within, what, cond)
}

func freePort(t testing.TB) int { return harness.FreePort(t) }

// mosquitto is a broker on its own port, persisting retained messages in
// its own directory so that a restart keeps the artifacts.
type mosquitto struct{ *harness.Mosquitto }

func startMosquitto(t testing.TB) *mosquitto {
	t.Helper()
	port, dir := freePort(t), t.TempDir()
	conf := fmt.Sprintf("listener %d 127.0.0.1\nallow_anonymous true\npersistence true\npersistence_location %s/\n"+
		"log_dest file %s/mosquitto.log\n", port, dir, dir)
	return &mosquitto{harness.StartMosquitto(t, port, conf)}
}

func (m *mosquitto) url() string { return m.URL() }

// restart stops and starts the broker on the same port and store.
func (m *mosquitto) restart() { m.Restart() }

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
