package agent

import (
	"context"
	"errors"
	"runtime/debug"
	"strings"
	"testing"

	paho "github.com/eclipse/paho.mqtt.golang"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/drover-iot/drover/fleet"
	"github.com/drover-iot/drover/ota/otatest"
	"github.com/drover-iot/drover/ota/state"
	"github.com/drover-iot/drover/ota/transfer"
)

func service(name string, s fleet.UnitState, enabled bool) fleet.Unit {
	return fleet.Unit{Name: name, Kind: fleet.KindService, State: s, Enabled: &enabled, Reason: "burst limit"}
}

func TestTrialHealth(t *testing.T) {
	task := fleet.Unit{Name: "blink", Kind: fleet.KindTask, State: fleet.UnitFailed}
	tests := []struct {
		name      string
		connected bool
		units     []fleet.Unit
		want      string // "" = healthy, else a substring of the error
	}{
		{"healthy", true, []fleet.Unit{service("web", fleet.UnitRunning, true), service("once", fleet.UnitDone, true)}, ""},
		{"no broker", false, nil, "broker not connected"},
		{"failed service", true, []fleet.Unit{service("web", fleet.UnitFailed, true)}, "service web failed: burst limit"},
		{"service in backoff", true, []fleet.Unit{service("web", fleet.UnitBackoff, true)}, "service web backoff"},
		{"service not started", true, []fleet.Unit{service("web", fleet.UnitPending, true)}, "service web not started"},
		{"disabled failing service", true, []fleet.Unit{service("web", fleet.UnitFailed, false)}, ""},
		{"failed task", true, []fleet.Unit{task}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := trialHealth(tt.connected, tt.units)
			switch {
			case tt.want == "" && err != nil:
				t.Fatalf("unhealthy: %v", err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Fatalf("err = %v, want %q", err, tt.want)
			}
		})
	}
}

func TestRetainedState(t *testing.T) {
	tests := []struct {
		prev, next state.State
		want       fleet.DeviceState // "" = nothing published
	}{
		{state.Idle, state.Downloading, ""},
		{state.Downloading, state.Verifying, fleet.StateUpdating},
		{state.Verifying, state.Staged, fleet.StateUpdating},
		{state.Staged, state.Installing, fleet.StateUpdating},
		{state.Installing, state.Restarting, fleet.StateUpdating},
		{state.Staged, state.Failed, fleet.StateOnline},
		{state.Idle, state.Failed, ""},
		{state.Trial, state.Committed, ""},
	}
	for _, tt := range tests {
		got, ok := retainedState(tt.prev, tt.next)
		if ok != (tt.want != "") || got != tt.want {
			t.Errorf("%s -> %s: published %q (%v), want %q", tt.prev, tt.next, got, ok, tt.want)
		}
	}
}

func TestOTAMetrics(t *testing.T) {
	reg := prometheus.NewRegistry()
	// The record's life-long counts (a rollback by the trial supervisor)
	// seed the counters.
	m := newOTAMetrics(reg, state.Record{State: state.Idle, Ended: map[state.State]uint64{state.RolledBack: 2}})
	for _, s := range []state.State{state.Downloading, state.Verifying, state.Failed, state.Downloading, state.Committed} {
		prev := state.Idle
		if s != state.Downloading {
			prev = state.Downloading
		}
		m.transition(prev, s)
	}
	want := map[string]float64{
		"drover_ota_state/committed": 1, "drover_ota_state/downloading": 0, "drover_ota_state/idle": 0,
		"drover_ota_updates_total/failed": 1, "drover_ota_updates_total/committed": 1,
		"drover_ota_updates_total/rolled_back": 2,
	}
	got := gather(t, reg)
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %v, want %v", k, got[k], v)
		}
	}
}

// gather returns "name/label value" -> value of reg's one-label metrics.
func gather(t *testing.T, reg *prometheus.Registry) map[string]float64 {
	t.Helper()
	fams, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]float64{}
	for _, f := range fams {
		for _, m := range f.GetMetric() {
			v := m.GetGauge().GetValue() + m.GetCounter().GetValue()
			out[f.GetName()+"/"+m.GetLabel()[0].GetValue()] = v
		}
	}
	return out
}

func TestLimitMemoryRestores(t *testing.T) {
	gc := debug.SetGCPercent(77)
	limit := debug.SetMemoryLimit(1 << 40)
	defer func() { debug.SetGCPercent(gc); debug.SetMemoryLimit(limit) }()
	before := int64(runtimeMemory())
	restore := limitMemory(512 << 10)
	during := debug.SetMemoryLimit(-1) // reads without changing
	after := int64(runtimeMemory())
	if off := debug.SetGCPercent(-1); off != -1 {
		t.Errorf("GOGC during an update = %d, want off (-1)", off)
	}
	// Other tests of the package allocate meanwhile: the runtime's memory
	// moves, so the limit is checked against what it was around the call.
	if low, high := min(before, after), max(before, after)+4<<20; during < low || during > high {
		t.Errorf("memory limit during an update = %d, want the runtime's memory (%d..%d) plus the budget", during, low, high)
	}
	restore()
	if got := debug.SetGCPercent(77); got != 77 {
		t.Errorf("GOGC after = %d, want 77 restored", got)
	}
	if got := debug.SetMemoryLimit(-1); got != 1<<40 {
		t.Errorf("memory limit after = %d, want restored", got)
	}
}

// TestOTAConnSubscribes: the download connection dials on first use,
// delivers retained chunks to the handler of their topic, and dials again
// after Close.
func TestOTAConnSubscribes(t *testing.T) {
	url := startBroker(t)
	opts := func() (*paho.ClientOptions, error) {
		return paho.NewClientOptions().AddBroker(url).SetClientID("dev1-ota"), nil
	}
	conn := newOTAConn(opts, discardLogger())
	defer conn.Close()
	pub := transfer.Paho{Client: dialPaho(t, url, "pub")}
	for round := range 2 {
		topic := "drover/ota/a/" + string(rune('0'+round))
		if err := pub.Publish(topic, 1, true, []byte("chunk")); err != nil {
			t.Fatal(err)
		}
		got := make(chan string, 1)
		if err := conn.Subscribe(topic, 1, func(tp string, p []byte) { got <- tp + "=" + string(p) }); err != nil {
			t.Fatal(err)
		}
		if m := <-got; m != topic+"=chunk" {
			t.Fatalf("round %d: delivered %q", round, m)
		}
		if err := conn.Unsubscribe(topic); err != nil {
			t.Fatal(err)
		}
		conn.Close()
	}
}

func dialPaho(t *testing.T, url, id string) paho.Client {
	t.Helper()
	c := paho.NewClient(paho.NewClientOptions().AddBroker(url).SetClientID(id))
	if tok := c.Connect(); !tok.WaitTimeout(waitFor) || tok.Error() != nil {
		t.Fatalf("connect: %v", tok.Error())
	}
	t.Cleanup(func() { c.Disconnect(100) })
	return c
}

// TestAgentOTARefusesUnknownKey: with OTA on, ota.status answers, and
// ota.apply of a manifest signed by a key the device does not trust is
// refused with the reason, recorded as failed and counted.
func TestAgentOTARefusesUnknownKey(t *testing.T) {
	url := startBroker(t)
	trusted, _ := otatest.Key(t)
	_, untrusted := otatest.Key(t)
	cfg := testConfig(t, url, t.TempDir())
	cfg.OTA.TrustedKeys = []string{string(trusted.Public)}
	bin := otatest.WriteFile(t, t.TempDir(), "agent-v2", otatest.RandomBytes(3000, 5))
	if _, err := transfer.Publish(context.Background(), transfer.Paho{Client: dialPaho(t, url, "ctl")},
		transfer.PublishOptions{Topics: transfer.Topics{Artifact: "agent"}, BinaryPath: bin, Version: "v2",
			Build: 1 << 40, Key: &untrusted}); err != nil {
		t.Fatal(err)
	}
	stop := startAgent(t, cfg)
	defer func() { _ = stop() }()
	c := dial(t, url)
	if r := request(t, c, fleet.CmdOTAStatus, nil); r.Err() != nil || !strings.Contains(string(r.Result), `"state":"idle"`) {
		t.Fatalf("ota.status = %+v", r)
	}
	ctx, cancel := context.WithTimeout(context.Background(), waitFor)
	defer cancel()
	_, err := c.Request(ctx, "dev1", fleet.CmdOTAApply, fleet.OTAApplyArgs{Artifact: "agent"})
	var fe *fleet.Error
	if !errors.As(err, &fe) || fe.Code != fleet.CodeForbidden || !strings.HasPrefix(fe.Message, "unknown_key") {
		t.Fatalf("ota.apply: %v, want forbidden unknown_key", err)
	}
	if r := request(t, c, fleet.CmdOTAStatus, nil); !strings.Contains(string(r.Result), `"state":"failed"`) {
		t.Fatalf("ota.status after the refusal = %s", r.Result)
	}
}

// TestMemGuardOverlapping: two overlapping updates (ota.apply twice, the
// second refused as busy) end in either order with GOGC and the memory
// limit restored, exactly once.
func TestMemGuardOverlapping(t *testing.T) {
	gc := debug.SetGCPercent(77)
	limit := debug.SetMemoryLimit(1 << 40)
	defer func() { debug.SetGCPercent(gc); debug.SetMemoryLimit(limit) }()
	for _, firstEndsFirst := range []bool{true, false} {
		g := memGuard{budget: 512 << 10}
		a, b := g.acquire(), g.acquire()
		if off := debug.SetGCPercent(-1); off != -1 {
			t.Errorf("GOGC while updates run = %d, want off", off)
		}
		if firstEndsFirst {
			a()
		} else {
			b()
		}
		if off := debug.SetGCPercent(-1); off != -1 {
			t.Errorf("GOGC while one update still runs = %d, want off", off)
		}
		a()
		b()
		a() // a second call of the same release changes nothing
		if got := debug.SetGCPercent(77); got != 77 {
			t.Errorf("GOGC after both = %d, want 77 restored", got)
		}
		if got := debug.SetMemoryLimit(-1); got != 1<<40 {
			t.Errorf("memory limit after both = %d, want restored", got)
		}
	}
}
