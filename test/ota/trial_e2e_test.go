package otae2e

import (
	"strings"
	"testing"
	"time"

	"github.com/drover-iot/drover/fleet"
	"github.com/drover-iot/drover/ota/state"
)

// The trial is supervised by the old version: these updates pass their
// selftest and then fail to run, and the device must come back online on
// v1 by itself, with v1's bytes at its path. Each prints the time from the
// push to online-on-v1 (docs/PERFORMANCE.md; goal: trial + 30 s).

func TestTrialExit3RollsBack(t *testing.T) {
	badUpdateRollsBack(t, "exit3", "exited during the trial")
}

func TestTrialHangRollsBack(t *testing.T) {
	badUpdateRollsBack(t, "hang", "not healthy at the end")
}

func TestTrialEarlyPanicRollsBack(t *testing.T) {
	badUpdateRollsBack(t, "v4panic", "exited during the trial")
}

func badUpdateRollsBack(t *testing.T, binary, reason string) {
	e := newEnv(t)
	d := e.device("dev1")
	v1 := d.binarySHA()
	e.publish(binary, binary, "9")
	start := time.Now()
	fleetctlOK(t, e.mq.url(), "ota", "push", "dev1")
	_, rec := settled(t, e.client, "dev1", "v1")
	t.Logf("%s: push to online on v1 in %.1f s (ota.trial 3 s)", binary, time.Since(start).Seconds())
	if rec.State != state.RolledBack || !strings.Contains(rec.Reason, reason) {
		t.Errorf("ota record %s %q, want rolled_back with %q", rec.State, rec.Reason, reason)
	}
	if d.binarySHA() != v1 {
		t.Error("the binary at the device's path is not v1 after the rollback")
	}
	waitState(t, e.client, "dev1", fleet.StateOnline)
}

// TestTrialKilledThreeTimes SIGKILLs the old version (and so its child on
// trial) three times while a good v2 is on trial: each start counts the
// interrupted trial, and the device settles on v1 or v2, never in between.
func TestTrialKilledThreeTimes(t *testing.T) {
	e := newEnv(t)
	d := e.device("dev1")
	e.publish("v2", "v2", "2")
	fleetctlOK(t, e.mq.url(), "ota", "push", "dev1")
	for i := 1; i <= 3; i++ {
		eventually(t, waitFor, "trial number "+string(rune('0'+i)), func() (bool, string) {
			var rec state.Record
			if err := query(e.client, "dev1", fleet.CmdOTAStatus, &rec); err != nil {
				return false, err.Error()
			}
			return rec.State == state.Trial && rec.Boots >= i, string(rec.State)
		})
		d.kill()
	}
	version, rec := settled(t, e.client, "dev1", "v1", "v2")
	want := map[string]string{"v1": fileSHA(t, bins["v1"]), "v2": fileSHA(t, bins["v2"])}
	if d.binarySHA() != want[version] {
		t.Errorf("running %s but the binary at the path is not %s", version, version)
	}
	if rec.State != state.Committed && rec.State != state.RolledBack {
		t.Errorf("ota record %s %q, want committed or rolled_back", rec.State, rec.Reason)
	}
	t.Logf("after three kills in trial: %s, ota %s %s", version, rec.State, rec.Reason)
	waitState(t, e.client, "dev1", fleet.StateOnline)
}
