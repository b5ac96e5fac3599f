// Package e2e holds the end-to-end tests: the built agent and fleetctl
// binaries against a real Mosquitto started on a free port, and a real
// Prometheus scraping the agent. They fail, not skip, when Mosquitto or
// Prometheus is missing: `make test` installs them.
package e2e

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// bins are the built binaries, by name.
var bins = map[string]string{}

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "drover-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	code := build(dir)
	if code == 0 {
		code = m.Run()
	}
	os.RemoveAll(dir)
	os.Exit(code)
}

func build(dir string) int {
	for _, name := range []string{"agent", "fleetctl"} {
		out := filepath.Join(dir, name)
		cmd := exec.Command("go", "build", "-o", out, "github.com/drover-iot/drover/cmd/"+name)
		cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
		if err := cmd.Run(); err != nil {
			fmt.Fprintf(os.Stderr, "e2e: build %s: %v\n", name, err)
			return 1
		}
		bins[name] = out
	}
	return 0
}

// need returns the path of a required tool, failing the test without it.
func need(t testing.TB, names ...string) string {
	t.Helper()
	for _, n := range names {
		if p, err := exec.LookPath(n); err == nil {
			return p
		}
	}
	t.Fatalf("%v not found: run `make test-deps` (installs mosquitto, mosquitto-clients, prometheus)", names)
	return ""
}
