// Package e2e holds the end-to-end tests: the built agent and fleetctl
// binaries against a real Mosquitto started on a free port, and a real
// Prometheus scraping the agent. They fail, not skip, when Mosquitto or
// Prometheus is missing: `make test` installs them.
package e2e

import (
	"testing"

	"github.com/drover-iot/drover/test/internal/harness"
)

// bins are the built binaries, by name.
var bins = map[string]string{}

func TestMain(m *testing.M) {
	harness.Main(m, "drover-e2e-", bins, []harness.Binary{
		{Name: "agent", Pkg: "github.com/drover-iot/drover/cmd/agent"},
		{Name: "fleetctl", Pkg: "github.com/drover-iot/drover/cmd/fleetctl"},
		{Name: "fleetsim", Pkg: "github.com/drover-iot/drover/test/fleetsim"},
	})
}

// need returns the path of a required tool, failing the test without it.
func need(t testing.TB, names ...string) string {
	t.Helper()
	return harness.Need(t, names...)
}
