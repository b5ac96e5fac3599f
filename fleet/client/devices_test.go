package client_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"

	"github.com/drover-iot/drover/fleet"
	"github.com/drover-iot/drover/fleet/client"
	"github.com/drover-iot/drover/fleet/fleettest"
)

func TestDevicesThousandRetained(t *testing.T) {
	url := fleettest.StartBroker(t)
	fleettest.SeedRetained(t, url, "dev", 1000)
	c := dial(t, url)
	// A settle window longer than the test timeout: only the end marker
	// can finish the listing, so a complete result proves it works.
	devs, err := c.Devices(testCtx(t), time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if len(devs) != 1000 {
		t.Fatalf("Devices returned %d devices, want 1000", len(devs))
	}
	for i, d := range devs {
		if d.ID != fmt.Sprintf("dev%04d", i) || d.State != fleet.StateOnline || d.Version() != "v1.0.0" {
			t.Fatalf("device %d = %+v", i, d)
		}
	}
}

func TestDevicesStatusAndSelector(t *testing.T) {
	url := fleettest.StartBroker(t)
	fleettest.NewDevice(t, url, "kitchen", map[string]string{"room": "kitchen"}, nil)
	fleettest.NewDevice(t, url, "garage", map[string]string{"room": "garage"}, nil)
	pub := fleettest.Connect(t, url, "pub")
	seen := time.Date(2026, 11, 21, 10, 0, 0, 0, time.UTC)
	snap, _ := json.Marshal(fleet.Snapshot{Device: "garage", Time: seen, Uptime: 42})
	fleettest.Wait(t, pub.Publish("drover/garage/status", 1, true, snap))
	fleettest.Wait(t, pub.Publish("drover/gone/state", 1, true, "lost"))

	devs, err := dial(t, url).Devices(testCtx(t), time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if len(devs) != 3 || devs[0].ID != "garage" || devs[1].ID != "gone" || devs[2].ID != "kitchen" {
		t.Fatalf("devices = %+v", devs)
	}
	if devs[0].LastSeen == nil || !devs[0].LastSeen.Equal(seen) || devs[0].UptimeS != 42 {
		t.Fatalf("garage last seen/uptime = %v %v", devs[0].LastSeen, devs[0].UptimeS)
	}
	if devs[1].State != fleet.StateLost || devs[1].Info != nil {
		t.Fatalf("gone = %+v", devs[1])
	}
	sel, err := fleet.ParseSelector("room=kitchen")
	if err != nil {
		t.Fatal(err)
	}
	if got := client.FilterDevices(devs, sel); len(got) != 1 || got[0].ID != "kitchen" {
		t.Fatalf("selector room=kitchen = %+v", got)
	}
}

// TestDevicesWithReadsOnlyWhatItIsAsked lists the same devices reading
// the state only, and the state and info: what was not asked for stays
// empty, and a device with no retained state is not listed.
func TestDevicesWithReadsOnlyWhatItIsAsked(t *testing.T) {
	url := fleettest.StartBroker(t)
	fleettest.NewDevice(t, url, "kitchen", map[string]string{"room": "kitchen"}, nil)
	pub := fleettest.Connect(t, url, "pub")
	snap, _ := json.Marshal(fleet.Snapshot{Device: "kitchen", Time: time.Now().UTC(), Uptime: 42})
	fleettest.Wait(t, pub.Publish("drover/kitchen/status", 1, true, snap))
	fleettest.Wait(t, pub.Publish("drover/nostate/info", 1, true, `{"v":1,"id":"nostate","labels":{"room":"attic"}}`))
	c := dial(t, url)

	states, err := c.DevicesWith(testCtx(t), time.Hour, client.Reads{})
	if err != nil {
		t.Fatal(err)
	}
	if len(states) != 1 || states[0].ID != "kitchen" || states[0].State != fleet.StateOnline ||
		states[0].Info != nil || states[0].LastSeen != nil {
		t.Fatalf("state-only listing = %+v", states)
	}
	withInfo, err := c.DevicesWith(testCtx(t), time.Hour, client.Reads{Info: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(withInfo) != 2 || withInfo[0].Labels()["room"] != "kitchen" || withInfo[0].LastSeen != nil ||
		withInfo[1].ID != "nostate" || withInfo[1].Labels()["room"] != "attic" {
		t.Fatalf("state and info listing = %+v", withInfo)
	}
}

func TestParseSelector(t *testing.T) {
	tests := []struct {
		in      string
		labels  map[string]string
		want    bool
		wantErr bool
	}{
		{"", nil, true, false},
		{"a=1", map[string]string{"a": "1"}, true, false},
		{"a=1, b=2", map[string]string{"a": "1", "b": "2"}, true, false},
		{"a=1,b=2", map[string]string{"a": "1"}, false, false},
		{"a=", map[string]string{"a": ""}, true, false},
		{"a=1", map[string]string{"a": "2"}, false, false},
		{"a", nil, false, false},
		{"=1", nil, false, true},
	}
	for _, tt := range tests {
		sel, err := fleet.ParseSelector(tt.in)
		if tt.wantErr {
			if !errors.Is(err, fleet.ErrBadSelector) {
				t.Errorf("ParseSelector(%q) = %v, want ErrBadSelector", tt.in, err)
			}
			continue
		}
		if err != nil || sel.Matches(tt.labels) != tt.want {
			t.Errorf("ParseSelector(%q).Matches(%v) = %v, %v; want %v", tt.in, tt.labels, sel.Matches(tt.labels), err, tt.want)
		}
	}
}

func TestFollow(t *testing.T) {
	url := fleettest.StartBroker(t)
	var dev *fleettest.Device
	dev = fleettest.NewDevice(t, url, "pi", nil, map[string]fleettest.Handler{
		fleet.CmdLogFollow: func(fleet.Request, func(any)) (any, error) {
			for i := range 3 {
				rec, _ := json.Marshal(fleet.LogRecord{Seq: uint64(i + 1), Level: "INFO", Msg: fmt.Sprint("line ", i)})
				dev.Publish("drover/pi/log", rec)
			}
			return fleet.FollowResult{Topic: "drover/pi/log"}, nil
		},
	})
	c := dial(t, url)
	ctx, cancel := context.WithCancel(testCtx(t))
	var got []string
	err := c.Follow(ctx, "pi", fleet.FollowArgs{TTLSeconds: 60, Level: "info"}, func(r fleet.LogRecord) {
		got = append(got, r.Msg)
		if len(got) == 3 {
			cancel()
		}
	})
	if err != nil || fmt.Sprint(got) != "[line 0 line 1 line 2]" {
		t.Fatalf("Follow = %v, records %v", err, got)
	}
	var args fleet.FollowArgs
	reqs := dev.Requests()
	if len(reqs) != 1 || json.Unmarshal(reqs[0].Args, &args) != nil || args.TTLSeconds != 60 || args.Level != "info" {
		t.Fatalf("follow requests = %+v", reqs)
	}
}

func TestFollowFailsWhenDeviceRefuses(t *testing.T) {
	url := fleettest.StartBroker(t)
	fleettest.NewDevice(t, url, "pi", nil, nil) // no log.follow handler
	err := dial(t, url).Follow(testCtx(t), "pi", fleet.FollowArgs{}, func(fleet.LogRecord) {})
	var fe *fleet.Error
	if !errors.As(err, &fe) || fe.Code != fleet.CodeUnknownCommand {
		t.Fatalf("Follow = %v, want unknown_command", err)
	}
}

func BenchmarkDevices(b *testing.B) {
	for _, n := range []int{1000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			url := fleettest.StartBroker(b)
			fleettest.SeedRetained(b, url, "dev", n)
			c := dial(b, url)
			ctx := context.Background()
			for b.Loop() {
				devs, err := c.Devices(ctx, time.Minute)
				if err != nil || len(devs) != n {
					b.Fatalf("Devices = %d, %v", len(devs), err)
				}
			}
		})
	}
}

func TestFollowRenewsLease(t *testing.T) {
	url := fleettest.StartBroker(t)
	requests := make(chan struct{}, 8)
	fleettest.NewDevice(t, url, "pi", nil, map[string]fleettest.Handler{
		fleet.CmdLogFollow: func(fleet.Request, func(any)) (any, error) {
			requests <- struct{}{}
			return fleet.FollowResult{}, nil
		},
	})
	clock := clockwork.NewFakeClock()
	c, err := client.Dial(testCtx(t), client.Options{Brokers: []string{url}, ClientID: "ctl", Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	ctx, cancel := context.WithCancel(testCtx(t))
	done := make(chan error, 1)
	go func() { done <- c.Follow(ctx, "pi", fleet.FollowArgs{TTLSeconds: 10}, func(fleet.LogRecord) {}) }()
	<-requests // the initial lease
	for range 2 {
		if err := clock.BlockUntilContext(ctx, 1); err != nil { // the renewal ticker
			t.Fatal(err)
		}
		clock.Advance(5 * time.Second)
		select {
		case <-requests:
		case <-ctx.Done():
			t.Fatal("lease not renewed after half its TTL")
		}
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("Follow = %v", err)
	}
}
