package client_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/drover-iot/drover/fleet"
	"github.com/drover-iot/drover/fleet/client"
	"github.com/drover-iot/drover/fleet/fleettest"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// testTimeout bounds each test's waits; it is a hang guard, not a threshold.
const testTimeout = 20 * time.Second

func dial(t testing.TB, url string) *client.Client {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	defer cancel()
	c, err := client.Dial(ctx, client.Options{Brokers: []string{url}, ClientID: "ctl"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return c
}

func testCtx(t testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	t.Cleanup(cancel)
	return ctx
}

func pingHandlers() map[string]fleettest.Handler {
	return map[string]fleettest.Handler{
		fleet.CmdPing: func(fleet.Request, func(any)) (any, error) {
			return fleet.PingResult{Version: "v1.2.3"}, nil
		},
		fleet.CmdTaskStop: func(req fleet.Request, _ func(any)) (any, error) {
			var a fleet.TaskArgs
			_ = json.Unmarshal(req.Args, &a)
			return nil, fleet.Errorf(fleet.CodeNotFound, "no task named %s", a.Name)
		},
		fleet.CmdOTAApply: func(_ fleet.Request, progress func(any)) (any, error) {
			for pct := 25; pct < 100; pct += 25 {
				progress(map[string]int{"pct": pct})
			}
			return fleet.AckResult{Message: "applied"}, nil
		},
	}
}

func TestRequest(t *testing.T) {
	url := fleettest.StartBroker(t)
	dev := fleettest.NewDevice(t, url, "pi", nil, pingHandlers())
	c := dial(t, url)
	tests := []struct {
		name     string
		cmd      string
		args     any
		wantCode fleet.Code
	}{
		{"ok", fleet.CmdPing, nil, ""},
		{"device error", fleet.CmdTaskStop, fleet.TaskArgs{Name: "blink"}, fleet.CodeNotFound},
		{"unknown command", "no.such", nil, fleet.CodeUnknownCommand},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := c.Request(testCtx(t), "pi", tt.cmd, tt.args)
			if tt.wantCode == "" {
				var res fleet.PingResult
				if err != nil || r.Decode(&res) != nil || res.Version != "v1.2.3" {
					t.Fatalf("Request = %+v, %v", r, err)
				}
				return
			}
			var fe *fleet.Error
			if !errors.As(err, &fe) || fe.Code != tt.wantCode {
				t.Fatalf("Request error = %v, want code %s", err, tt.wantCode)
			}
		})
	}
	for _, req := range dev.Requests() {
		if req.From != "ctl" || req.Exp == nil {
			t.Errorf("request %+v lacks from or exp", req)
		}
	}
}

func TestRequestProgress(t *testing.T) {
	url := fleettest.StartBroker(t)
	fleettest.NewDevice(t, url, "pi", nil, pingHandlers())
	c := dial(t, url)
	var seen []string
	r, err := c.RequestProgress(testCtx(t), "pi", fleet.CmdOTAApply, fleet.OTAApplyArgs{Artifact: "a"},
		func(p fleet.Reply) { seen = append(seen, string(p.Progress)) })
	if err != nil || !r.IsFinal() {
		t.Fatalf("RequestProgress = %+v, %v", r, err)
	}
	want := []string{`{"pct":25}`, `{"pct":50}`, `{"pct":75}`}
	if fmt.Sprint(seen) != fmt.Sprint(want) {
		t.Fatalf("progress = %v, want %v", seen, want)
	}
}

func TestRequestTimeout(t *testing.T) {
	url := fleettest.StartBroker(t)
	c := dial(t, url) // no device: nobody answers
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	_, err := c.Request(ctx, "ghost", fleet.CmdPing, nil)
	if !errors.Is(err, client.ErrTimeout) {
		t.Fatalf("Request to absent device = %v, want ErrTimeout", err)
	}
}

func TestRequestRejectsBadDeviceID(t *testing.T) {
	c := dial(t, fleettest.StartBroker(t))
	if _, err := c.Request(testCtx(t), "a/#", fleet.CmdPing, nil); !errors.Is(err, fleet.ErrInvalidDeviceID) {
		t.Fatalf("Request = %v, want ErrInvalidDeviceID", err)
	}
}

func TestDialUnreachable(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	_, err := client.Dial(ctx, client.Options{Brokers: []string{"tcp://127.0.0.1:1"}})
	if !errors.Is(err, client.ErrUnreachable) {
		t.Fatalf("Dial = %v, want ErrUnreachable", err)
	}
}

func TestFanOut(t *testing.T) {
	url := fleettest.StartBroker(t)
	for _, id := range []string{"a", "b", "c"} {
		fleettest.NewDevice(t, url, id, nil, pingHandlers())
	}
	c := dial(t, url)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	res := c.FanOut(ctx, []string{"a", "b", "ghost", "c"}, fleet.CmdPing, nil)
	for i, want := range []string{"a", "b", "ghost", "c"} {
		if res[i].Device != want {
			t.Fatalf("result %d is %s, want %s", i, res[i].Device, want)
		}
		gotTimeout := errors.Is(res[i].Err, client.ErrTimeout)
		if (want == "ghost") != gotTimeout {
			t.Fatalf("%s: err = %v", want, res[i].Err)
		}
	}
}

// TestReplyFromOtherDeviceIgnored: a reply carrying a pending request's id
// but published on another device's reply topic must not answer it.
func TestReplyFromOtherDeviceIgnored(t *testing.T) {
	url := fleettest.StartBroker(t)
	forger := fleettest.NewDevice(t, url, "evil", nil, nil)
	forged := make(chan struct{})
	fleettest.NewDevice(t, url, "pi", nil, map[string]fleettest.Handler{
		fleet.CmdPing: func(req fleet.Request, _ func(any)) (any, error) {
			raw := fleet.EncodeResult(req.ID, fleet.PingResult{Version: "forged"})
			err := forger.PublishWait(fleet.Topics{}.Reply("evil", req.From), raw)
			close(forged)
			if err != nil {
				return nil, err
			}
			return fleet.PingResult{Version: "genuine"}, nil
		},
	})
	c := dial(t, url)
	r, err := c.Request(testCtx(t), "pi", fleet.CmdPing, nil)
	<-forged
	var res fleet.PingResult
	if err != nil || r.Decode(&res) != nil || res.Version != "genuine" {
		t.Fatalf("Request = %+v (%+v), %v; want the genuine reply", r, res, err)
	}
}
