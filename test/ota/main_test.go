// Package otae2e holds the end-to-end tests of OTA updates: real agent
// binaries built at two versions (and a crashing and a failing variant),
// the fleetctl binary, and a real Mosquitto per test. They fail, not
// skip, when Mosquitto or minisign is missing: `make test-deps` installs them.
package otae2e

import (
	"fmt"
	"testing"

	"github.com/drover-iot/drover/test/internal/harness"
)

const versionPkg = "github.com/drover-iot/drover/internal/version"

// bins are the built binaries: fleetctl, v1 and v2 (agents at builds 1
// and 2), v3crash (build 3, exits 1 s after it started serving, through
// the CrashAfter test hook), v4panic (build 4, panics at start through the
// PanicAtStart test hook), exit1 (a "binary" that always exits 1), exit3
// and hang (pass selftest, then exit 3 or sleep forever); v1arm64 and
// v1riscv64 (v1 claiming another platform through the Platform test hook)
// and v2_linux_arm64 (v2 cross-compiled for arm64, which cannot run here).
var bins = map[string]string{}

func TestMain(m *testing.M) {
	harness.Main(m, "drover-ota-e2e-", bins, []harness.Binary{
		{Name: "fleetctl", Pkg: "github.com/drover-iot/drover/cmd/fleetctl"},
		{Name: "v1", Pkg: "github.com/drover-iot/drover/cmd/agent", LDFlags: agentFlags("v1", 1, "")},
		{Name: "v2", Pkg: "github.com/drover-iot/drover/cmd/agent", LDFlags: agentFlags("v2", 2, "")},
		{Name: "v3crash", Pkg: "github.com/drover-iot/drover/cmd/agent", LDFlags: agentFlags("v3crash", 3, "1s")},
		{Name: "v4panic", Pkg: "github.com/drover-iot/drover/cmd/agent", LDFlags: agentFlags("v4panic", 4, "") +
			" -X " + versionPkg + ".PanicAtStart=yes"},
		{Name: "v1arm64", Pkg: "github.com/drover-iot/drover/cmd/agent", LDFlags: agentFlags("v1", 1, "") + claim("linux/arm64")},
		{Name: "v1riscv64", Pkg: "github.com/drover-iot/drover/cmd/agent", LDFlags: agentFlags("v1", 1, "") + claim("linux/riscv64")},
		{Name: "v2_linux_arm64", Pkg: "github.com/drover-iot/drover/cmd/agent", LDFlags: agentFlags("v2", 2, ""),
			Env: []string{"GOOS=linux", "GOARCH=arm64", "CGO_ENABLED=0"}},
		{Name: "exit1", Pkg: "./testdata/exit1"},
		{Name: "exit3", Pkg: "./testdata/exit3"},
		{Name: "hang", Pkg: "./testdata/hang"},
	})
}

func agentFlags(v string, build int, crashAfter string) string {
	f := fmt.Sprintf("-X %s.Version=%s -X %s.Build=%d", versionPkg, v, versionPkg, build)
	if crashAfter != "" {
		f += fmt.Sprintf(" -X %s.CrashAfter=%s", versionPkg, crashAfter)
	}
	return f
}

// claim is the Platform test hook's flag: the agent reports and updates
// as platform.
func claim(platform string) string { return " -X " + versionPkg + ".Platform=" + platform }

// need returns the path of a required tool, failing the test without it.
func need(t testing.TB, names ...string) string {
	t.Helper()
	return harness.Need(t, names...)
}
