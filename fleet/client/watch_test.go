package client_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/drover-iot/drover/fleet"
	"github.com/drover-iot/drover/fleet/client"
	"github.com/drover-iot/drover/fleet/fleettest"
)

// watchEvents runs Watch in the background and returns its events.
func watchEvents(t *testing.T, c *client.Client) <-chan fleet.Event {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	out := make(chan fleet.Event, 4096)
	done := make(chan error, 1)
	go func() {
		done <- c.Watch(ctx, func(evs []fleet.Event) {
			for _, ev := range evs {
				out <- ev
			}
		})
	}()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Watch = %v", err)
		}
	})
	return out
}

// next returns the next event, failing the test after 30 s.
func next(t *testing.T, evs <-chan fleet.Event) fleet.Event {
	t.Helper()
	select {
	case ev := <-evs:
		return ev
	case <-time.After(30 * time.Second):
		t.Fatal("no event within 30 s")
		return fleet.Event{}
	}
}

func TestWatchRetainedThenSynced(t *testing.T) {
	url := fleettest.StartBroker(t)
	fleettest.SeedRetained(t, url, "dev", 3)
	evs := watchEvents(t, dial(t, url))
	states, infos := 0, 0
	for ev := next(t, evs); !ev.Synced; ev = next(t, evs) {
		switch {
		case ev.Kind == fleet.KindState && ev.State == fleet.StateOnline:
			states++
		case ev.Kind == fleet.KindInfo && ev.Info != nil && ev.Info.Version == "v1.0.0":
			infos++
		default:
			t.Fatalf("unexpected event %+v", ev)
		}
	}
	if states != 3 || infos != 3 {
		t.Fatalf("before Synced: %d states, %d infos; want 3 and 3", states, infos)
	}
}

func TestWatchLiveMessages(t *testing.T) {
	url := fleettest.StartBroker(t)
	evs := watchEvents(t, dial(t, url))
	if ev := next(t, evs); !ev.Synced {
		t.Fatalf("first event = %+v, want Synced", ev)
	}
	pub := fleettest.Connect(t, url, "pub")
	fleettest.Wait(t, pub.Publish("drover/pi/status", 1, true, `{"device":"pi","uptime_s":`))
	fleettest.Wait(t, pub.Publish("drover/pi/state", 1, true, "sideways"))
	fleettest.Wait(t, pub.Publish("drover/pi/telemetry", 0, false,
		`{"ts":"2026-11-21T10:00:00Z","readings":[{"sensor":"sys","metric":"load1","value":0.5}]}`))
	fleettest.Wait(t, pub.Publish("drover/pi/state", 1, true, "lost"))
	fleettest.Wait(t, pub.Publish("drover/pi/state", 1, true, ""))

	for _, kind := range []string{fleet.KindStatus, fleet.KindState} {
		if ev := next(t, evs); ev.Kind != kind || !errors.Is(ev.Err, fleet.ErrBadPayload) {
			t.Fatalf("malformed %s gave %+v, want ErrBadPayload", kind, ev)
		}
	}
	if ev := next(t, evs); ev.Telemetry == nil || len(ev.Telemetry.Readings) != 1 || ev.Telemetry.Readings[0].Value != 0.5 {
		t.Fatalf("telemetry event = %+v", ev)
	}
	if ev := next(t, evs); ev.Device != "pi" || ev.State != fleet.StateLost {
		t.Fatalf("state event = %+v, want pi lost", ev)
	}
	if ev := next(t, evs); !ev.Cleared || ev.Kind != fleet.KindState {
		t.Fatalf("cleared state gave %+v", ev)
	}
}
