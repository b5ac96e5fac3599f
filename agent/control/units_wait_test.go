package control

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/drover-iot/drover/agent/status"
	"github.com/drover-iot/drover/fleet"
)

// TestUnitRepliesShowStateAfterAction uses units that change only after
// the action call returns (as the supervisor's do): the reply must carry
// the state after the action, not before.
func TestUnitRepliesShowStateAfterAction(t *testing.T) {
	tests := []struct {
		cmd, name  string
		want       status.State
		wantStarts uint64
	}{
		{"task.stop", "blink", status.Stopped, 0},
		{"task.start", "blink", status.Running, 1},
		{"task.restart", "blink@1", status.Running, 1},
		{"service.disable", "blinkd", status.Stopped, 0},
		{"service.enable", "blinkd", status.Running, 1},
	}
	f := newFixture(t)
	f.units.lazy = true
	for i, tt := range tests {
		t.Run(tt.cmd, func(t *testing.T) {
			r, _ := f.d.Handle(context.Background(), request(fmt.Sprint("w", i), tt.cmd, map[string]any{"name": tt.name}))
			checkReply(t, r, "", tt.name)
			var res fleet.UnitsResult
			if err := json.Unmarshal(r.Result, &res); err != nil {
				t.Fatal(err)
			}
			if len(res.Units) != 1 || res.Units[0].State != tt.want || res.Units[0].Profile.Starts != tt.wantStarts {
				t.Errorf("reply units %+v, want %s in state %s with %d starts", res.Units, tt.name, tt.want, tt.wantStarts)
			}
		})
	}
}

func TestSettledConditions(t *testing.T) {
	before := status.Unit{State: status.Running, Profile: status.Profile{Starts: 2}}
	tests := []struct {
		name    string
		settled settledFunc
		now     status.Unit
		want    bool
	}{
		{"restart, same run", isRestarted, before, false},
		{"restart, new run", isRestarted, status.Unit{State: status.Running, Profile: status.Profile{Starts: 3}}, true},
		{"restart, new run in backoff", isRestarted, status.Unit{State: status.Backoff, Profile: status.Profile{Starts: 3}}, true},
		{"restart, pending", isRestarted, status.Unit{State: status.Pending, Profile: status.Profile{Starts: 3}}, false},
		{"start, pending", isStarted, status.Unit{State: status.Pending}, false},
		{"start, old done", isStarted, status.Unit{State: status.Done, Profile: status.Profile{Starts: 2}}, false},
		{"start, new done", isStarted, status.Unit{State: status.Done, Profile: status.Profile{Starts: 3}}, true},
		{"start, exec running without pid", isStarted, status.Unit{Type: execType, State: status.Running}, false},
		{"start, exec running with pid", isStarted, status.Unit{Type: execType, State: status.Running, PID: 7}, true},
		{"start, sensor running", isStarted, status.Unit{Type: "sensor", State: status.Running}, true},
		{"restart, exec new run without pid", isRestarted, status.Unit{Type: execType, State: status.Running, Profile: status.Profile{Starts: 3}}, false},
		{"restart, exec new run with pid", isRestarted, status.Unit{Type: execType, State: status.Running, PID: 7, Profile: status.Profile{Starts: 3}}, true},
		{"stop, running", isStopped, before, false},
		{"stop, failed", isStopped, status.Unit{State: status.Failed}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.settled(before)(tt.now); got != tt.want {
				t.Errorf("settled = %v, want %v", got, tt.want)
			}
		})
	}
}

// TestExecServiceReplyHasPID uses an exec service whose process records
// its PID only after the unit is running (as SetPID does): the replies to
// service.restart and service.enable must wait for the PID.
func TestExecServiceReplyHasPID(t *testing.T) {
	f := newFixture(t)
	f.units.lazy = true
	f.units.units = append(f.units.units, status.Unit{Name: "pumpd", Kind: status.KindService, Type: execType, State: status.Stopped})
	for i, cmd := range []string{"service.restart", "service.enable"} {
		t.Run(cmd, func(t *testing.T) {
			r, _ := f.d.Handle(context.Background(), request(fmt.Sprint("pid", i), cmd, map[string]any{"name": "pumpd"}))
			checkReply(t, r, "", "pumpd")
			var res fleet.UnitsResult
			if err := json.Unmarshal(r.Result, &res); err != nil {
				t.Fatal(err)
			}
			if len(res.Units) != 1 || res.Units[0].State != status.Running || res.Units[0].PID != fakePID {
				t.Errorf("reply units %+v, want pumpd running with pid %d", res.Units, fakePID)
			}
		})
	}
}
