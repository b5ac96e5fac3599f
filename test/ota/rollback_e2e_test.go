package otae2e

import (
	"context"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/drover-iot/drover/fleet"
	fleetclient "github.com/drover-iot/drover/fleet/client"
	"github.com/drover-iot/drover/ota/state"
)

// TestCrashAfterStartRollsBack installs a build that exits 1 s after it
// starts serving (so it passes the selftest): the old version, which runs
// it on trial, sees it exit and rolls back; the binary was never replaced.
func TestCrashAfterStartRollsBack(t *testing.T) {
	e := newEnv(t)
	d := e.device("dev1")
	v1 := d.binarySHA()
	e.publish("v3crash", "v3crash", "3")
	fleetctlOK(t, e.mq.url(), "ota", "push", "dev1")
	_, rec := settled(t, e.client, "dev1", "v1")
	if rec.State != state.RolledBack || !strings.Contains(rec.Reason, "exited during the trial") {
		t.Errorf("ota record %s %q, want rolled_back with the crash-loop reason", rec.State, rec.Reason)
	}
	if d.binarySHA() != v1 {
		t.Error("the binary at the device's path is not v1 after the rollback")
	}
	waitState(t, e.client, "dev1", fleet.StateOnline)
}

// TestKillDuringUpdate SIGKILLs the agent at a random moment of an update
// (download, verification, selftest or the supervised trial),
// 20 times: the device always ends running v1 or v2, online, with no
// update under way, and its binary is one of the two.
func TestKillDuringUpdate(t *testing.T) {
	e := newEnv(t)
	e.publish("v2", "v2", "2", "--chunk-size", "8192") // ~2,100 chunks: a download long enough to be hit
	v1, v2 := fileSHA(t, bins["v1"]), fileSHA(t, bins["v2"])
	seen := map[string]int{}
	for i := range 20 {
		id := "kill" + string(rune('a'+i))
		d := e.device(id)
		pushed := push(e.client, id)
		if i%2 == 1 { // every other kill lands after the download: selftest, restart or trial
			eventually(t, waitFor, id+" past its download", func() (bool, string) {
				var rec state.Record
				if err := query(e.client, id, fleet.CmdOTAStatus, &rec); err != nil {
					return false, err.Error()
				}
				return rec.State != state.Idle && rec.State != state.Downloading, string(rec.State)
			})
		}
		delay := time.Duration(rand.IntN(3000)) * time.Millisecond
		time.Sleep(delay) // the random moment of the kill, not a synchronisation
		var rec state.Record
		_ = query(e.client, id, fleet.CmdOTAStatus, &rec)
		d.kill()
		version, after := settled(t, e.client, id, "v1", "v2")
		if sha := d.binarySHA(); sha != v1 && sha != v2 {
			t.Fatalf("%s: binary is neither v1 nor v2 after a kill at %v (%s)", id, delay, rec.State)
		}
		waitState(t, e.client, id, fleet.StateOnline)
		seen[string(rec.State)+"->"+version]++
		t.Logf("kill %d at %v in %s: %s, ota %s %s", i, delay, rec.State, version, after.State, after.Reason)
		d.stop()
		<-pushed
	}
	t.Logf("kills by state seen just before -> version after: %v", seen)
}

// push sends ota.apply in the background; the channel closes when the
// request ended (reply or timeout).
func push(c *fleetclient.Client, dev string) <-chan struct{} {
	done := make(chan struct{})
	go func() {
		defer close(done)
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_, _ = c.Request(ctx, dev, fleet.CmdOTAApply, fleet.OTAApplyArgs{Artifact: "agent"})
	}()
	return done
}
