// Package otae2e holds the end-to-end tests of OTA updates: real agent
// binaries built at two versions (and a crashing and a failing variant),
// the fleetctl binary, and a real Mosquitto per test. They fail, not
// skip, when Mosquitto or minisign is missing: `make test-deps` installs them.
package otae2e

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

const versionPkg = "github.com/drover-iot/drover/internal/version"

// bins are the built binaries: fleetctl, v1 and v2 (agents at builds 1
// and 2), v3crash (build 3, exits 1 s after it started serving, through
// the CrashAfter test hook) and exit1 (a "binary" that always exits 1).
var bins = map[string]string{}

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "drover-ota-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	code := buildAll(dir)
	if code == 0 {
		code = m.Run()
	}
	os.RemoveAll(dir)
	os.Exit(code)
}

func buildAll(dir string) int {
	builds := []struct{ name, pkg, ldflags string }{
		{"fleetctl", "github.com/drover-iot/drover/cmd/fleetctl", ""},
		{"v1", "github.com/drover-iot/drover/cmd/agent", agentFlags("v1", 1, "")},
		{"v2", "github.com/drover-iot/drover/cmd/agent", agentFlags("v2", 2, "")},
		{"v3crash", "github.com/drover-iot/drover/cmd/agent", agentFlags("v3crash", 3, "1s")},
		{"exit1", "./testdata/exit1", ""},
	}
	for _, b := range builds {
		out := filepath.Join(dir, b.name)
		cmd := exec.Command("go", "build", "-ldflags", b.ldflags, "-o", out, b.pkg)
		cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
		if err := cmd.Run(); err != nil {
			fmt.Fprintf(os.Stderr, "ota e2e: build %s: %v\n", b.name, err)
			return 1
		}
		bins[b.name] = out
	}
	return 0
}

func agentFlags(v string, build int, crashAfter string) string {
	f := fmt.Sprintf("-X %s.Version=%s -X %s.Build=%d", versionPkg, v, versionPkg, build)
	if crashAfter != "" {
		f += fmt.Sprintf(" -X %s.CrashAfter=%s", versionPkg, crashAfter)
	}
	return f
}

// need returns the path of a required tool, failing the test without it.
func need(t testing.TB, names ...string) string {
	t.Helper()
	for _, n := range names {
		if p, err := exec.LookPath(n); err == nil {
			return p
		}
	}
	t.Fatalf("%v not found: run `make test-deps` (installs mosquitto, mosquitto-clients, minisign)", names)
	return ""
}
