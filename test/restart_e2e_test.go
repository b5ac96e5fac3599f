package e2e

import (
	"context"
	"testing"

	"github.com/drover-iot/drover/fleet"
	"github.com/drover-iot/drover/fleet/client"
)

const demoDev = "e2e3"

// dialFleet connects a fleet client to broker with a fixed client id.
func dialFleet(t testing.TB, broker, clientID string) *client.Client {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), waitFor)
	defer cancel()
	c, err := client.Dial(ctx, client.Options{Brokers: []string{broker}, ClientID: clientID})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return c
}

func heartbeat(t testing.TB, broker string) fleet.Unit {
	t.Helper()
	var res fleet.UnitsResult
	fleetctlJSON(t, broker, &res, "task", "ls", demoDev)
	for _, u := range res.Units {
		if u.Name == "heartbeat" {
			return u
		}
	}
	t.Fatalf("no heartbeat task: %s", dump(res))
	return fleet.Unit{}
}

// TestTaskAndAgentRestartE2E restarts a task with fleetctl, then the whole
// agent with agent.restart: the process re-executes itself (same pid, new
// started_at) and comes back online.
func TestTaskAndAgentRestartE2E(t *testing.T) {
	m := startMosquitto(t)
	w := watch(t, m.url(), "drover/"+demoDev+"/state", "drover/"+demoDev+"/info")
	a := start(t, "agent-demo", bins["agent"], "--broker", m.url(), "--id", demoDev,
		"--data-dir", t.TempDir(), "--metrics-listen", metricsAddr(t), "--demo")
	w.expect("drover/"+demoDev+"/state", "online")

	eventually(t, waitFor, "heartbeat running", func() (bool, string) {
		u := heartbeat(t, m.url())
		return u.State == fleet.UnitRunning, dump(u)
	})
	fleetctlOK(t, m.url(), "task", "restart", demoDev, "heartbeat")
	eventually(t, waitFor, "heartbeat started a second time", func() (bool, string) {
		u := heartbeat(t, m.url())
		return u.State == fleet.UnitRunning && u.Profile.Starts == 2, dump(u)
	})

	var before fleet.InfoDoc
	fleetctlJSON(t, m.url(), &before, "info", demoDev)
	c := dialFleet(t, m.url(), "e2e-restarter")
	ctx, cancel := context.WithTimeout(context.Background(), waitFor)
	defer cancel()
	if _, err := c.Request(ctx, demoDev, fleet.CmdAgentRestart, nil); err != nil {
		t.Fatalf("agent.restart: %v", err)
	}
	w.expect("drover/"+demoDev+"/state", "offline")
	w.expect("drover/"+demoDev+"/state", "online")
	var after fleet.InfoDoc
	fleetctlJSON(t, m.url(), &after, "info", demoDev)
	if !after.StartedAt.After(before.StartedAt) || after.BootID != before.BootID {
		t.Errorf("info after agent.restart: started_at %v (before %v), boot %q (before %q)",
			after.StartedAt, before.StartedAt, after.BootID, before.BootID)
	}
	select {
	case <-a.exited:
		t.Fatal("the agent process exited instead of re-executing itself")
	default:
	}
	if u := heartbeat(t, m.url()); u.Profile.Starts > 1 {
		t.Errorf("task profile survived the re-exec: %s", dump(u))
	}
}
