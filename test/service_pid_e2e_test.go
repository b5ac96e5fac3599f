package e2e

import (
	"testing"

	"github.com/drover-iot/drover/fleet"
)

// TestServiceRestartReplyHasPID checks that the reply to service.restart
// of an exec service shows it running with its new process's PID, not the
// state reported before the process started.
func TestServiceRestartReplyHasPID(t *testing.T) {
	m := startMosquitto(t)
	w := watch(t, m.url(), "drover/"+svcDev+"/state")
	startAgentConfig(t, "agent-pid", svcConfig(t, svcDev, m.url(), t.TempDir()))
	w.expect("drover/"+svcDev+"/state", "online")
	prev := waitService(t, m.url(), "ticker", "running", running).PID
	for range 3 {
		var res fleet.UnitsResult
		fleetctlJSON(t, m.url(), &res, "service", "restart", svcDev, "ticker")
		if len(res.Units) != 1 || res.Units[0].State != fleet.UnitRunning || res.Units[0].PID == 0 || res.Units[0].PID == prev {
			t.Fatalf("restart reply %s, want ticker running with a new pid (old %d)", dump(res), prev)
		}
		prev = res.Units[0].PID
	}
}
