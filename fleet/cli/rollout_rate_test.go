package cli_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/drover-iot/drover/fleet"
	"github.com/drover-iot/drover/ota/rollout"
)

// TestOTARolloutContinuousRateLimit: with --max-per-minute 1 only the
// first device is pushed, the others wait for the budget; a device that
// joins the selector is added to the continuous rollout; an interrupt
// stops it with exit 0, saying how to continue.
func TestOTARolloutContinuousRateLimit(t *testing.T) {
	e := newOTAEnv(t)
	e.publish("2")
	seen := e.rolloutDevices("d1", "d2", "d3")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan result, 1)
	go func() {
		code, out, errOut := e.run(ctx, "ota", "rollout", "--continuous", "--max-per-minute", "1", "--canary", "0",
			"--waves", "100", "--poll", "1s", "--selector", "fleet=lab")
		done <- result{code, out, errOut}
	}()
	waitFor(t, seen, "d1 "+fleet.CmdOTAApply)
	rec := e.waitRecord("the first step saved", func(rec rollout.Record) bool { return rec.Devices["d1"].State == rollout.Pushed })
	if d := rec.Devices["d2"]; d.State != rollout.Pending || d.Reason != "waiting for the rate limit" || !rec.Plan.Continuous {
		t.Fatalf("d2 %+v, continuous %v; want pending, waiting for the rate limit", d, rec.Plan.Continuous)
	}
	otaDevice(t, e.url, "d4", downloadingV2, seen)
	e.waitRecord("d4 joined", func(rec rollout.Record) bool {
		e.clock.Advance(time.Second) // the next step
		return rec.Devices["d4"] != nil
	})
	cancel()
	if r := <-done; r.code != 0 || !strings.Contains(r.stdout, "stopped; the same command continues") {
		t.Fatalf("interrupted rollout: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if n := len(pushed(e.record())); n != 1 {
		t.Fatalf("%d devices pushed within the first minute, want 1", n)
	}
}

// record reads the rollout's record with ota rollout status -o json.
func (e *otaEnv) record() rollout.Record {
	e.t.Helper()
	var rec rollout.Record
	if err := json.Unmarshal([]byte(e.ok("ota", "rollout", "status", "-o", "json")), &rec); err != nil {
		e.t.Fatal(err)
	}
	return rec
}

// waitRecord polls the record until cond holds, within 20 s.
func (e *otaEnv) waitRecord(what string, cond func(rollout.Record) bool) rollout.Record {
	e.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		if rec := e.record(); cond(rec) {
			return rec
		}
		if time.Now().After(deadline) {
			e.t.Fatalf("rollout record: %s: not within 20 s", what)
		}
		time.Sleep(20 * time.Millisecond) // polling, not synchronisation: the deadline decides
	}
}

func pushed(rec rollout.Record) []string {
	var ids []string
	for id, d := range rec.Devices {
		if !d.PushedAt.IsZero() {
			ids = append(ids, id)
		}
	}
	return ids
}
