package e2e

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/drover-iot/drover/test/internal/harness"
)

// eventually checks cond until it holds, failing the test after within
// (harness.Eventually).
func eventually(t testing.TB, within time.Duration, what string, cond func() (bool, string)) {
	t.Helper()
	harness.Eventually(t, within, what, cond)
}

// writeFile writes content to name in a new temporary directory.
func writeFile(t testing.TB, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// startAgentConfig runs the agent binary with a config file and extra flags.
func startAgentConfig(t testing.TB, logName, conf string, flags ...string) *proc {
	t.Helper()
	return start(t, logName, bins["agent"], append([]string{"--config", conf}, flags...)...)
}

// fleetctlOK runs fleetctl and fails the test unless it exits 0.
func fleetctlOK(t testing.TB, broker string, args ...string) string {
	t.Helper()
	out, code := fleetctl(t, broker, args...)
	if code != 0 {
		t.Fatalf("fleetctl %s: exit %d\n%s", strings.Join(args, " "), code, out)
	}
	return out
}

// fleetctlJSON runs fleetctl -o json and decodes its output into v.
func fleetctlJSON(t testing.TB, broker string, v any, args ...string) {
	t.Helper()
	out := fleetctlOK(t, broker, append([]string{"-o", "json"}, args...)...)
	if err := json.Unmarshal([]byte(out), v); err != nil {
		t.Fatalf("fleetctl %s: %v\n%s", strings.Join(args, " "), err, out)
	}
}

// dump is v as JSON, for failure messages.
func dump(v any) string {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}
