package control

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/drover-iot/drover/fleet"
)

// TestUnitRepliesShowStateAfterAction uses units that change only after
// the action call returns (as the supervisor's do): the reply must carry
// the state after the action, not before.
func TestUnitRepliesShowStateAfterAction(t *testing.T) {
	tests := []struct {
		cmd, name  string
		want       fleet.UnitState
		wantStarts uint64
	}{
		{"task.stop", "blink", fleet.UnitStopped, 0},
		{"task.start", "blink", fleet.UnitRunning, 1},
		{"task.restart", "blink@1", fleet.UnitRunning, 1},
		{"service.disable", "blinkd", fleet.UnitStopped, 0},
		{"service.enable", "blinkd", fleet.UnitRunning, 1},
	}
	for i, tt := range tests {
		t.Run(tt.cmd, func(t *testing.T) {
			f := newFixture(t)
			f.units.lazy = true
			r, _ := handle(context.Background(), f.d, request(fmt.Sprint("w", i), tt.cmd, map[string]any{"name": tt.name}))
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
	before := fleet.Unit{State: fleet.UnitRunning, Profile: fleet.Profile{Starts: 2}}
	tests := []struct {
		name    string
		settled settledFunc
		now     fleet.Unit
		want    bool
	}{
		{"restart, same run", isRestarted, before, false},
		{"restart, new run", isRestarted, fleet.Unit{State: fleet.UnitRunning, Profile: fleet.Profile{Starts: 3}}, true},
		{"restart, new run in backoff", isRestarted, fleet.Unit{State: fleet.UnitBackoff, Profile: fleet.Profile{Starts: 3}}, true},
		{"restart, pending", isRestarted, fleet.Unit{State: fleet.UnitPending, Profile: fleet.Profile{Starts: 3}}, false},
		{"start, pending", isStarted, fleet.Unit{State: fleet.UnitPending}, false},
		{"start, old done", isStarted, fleet.Unit{State: fleet.UnitDone, Profile: fleet.Profile{Starts: 2}}, false},
		{"start, new done", isStarted, fleet.Unit{State: fleet.UnitDone, Profile: fleet.Profile{Starts: 3}}, true},
		{"start, exec running without pid", isStarted, fleet.Unit{Type: execType, State: fleet.UnitRunning}, false},
		{"start, exec running with pid", isStarted, fleet.Unit{Type: execType, State: fleet.UnitRunning, PID: 7}, true},
		{"start, sensor running", isStarted, fleet.Unit{Type: "sensor", State: fleet.UnitRunning}, true},
		{"restart, exec new run without pid", isRestarted, fleet.Unit{Type: execType, State: fleet.UnitRunning, Profile: fleet.Profile{Starts: 3}}, false},
		{"restart, exec new run with pid", isRestarted, fleet.Unit{Type: execType, State: fleet.UnitRunning, PID: 7, Profile: fleet.Profile{Starts: 3}}, true},
		{"stop, running", isStopped, before, false},
		{"stop, failed", isStopped, fleet.Unit{State: fleet.UnitFailed}, true},
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
	for i, cmd := range []string{"service.restart", "service.enable"} {
		t.Run(cmd, func(t *testing.T) {
			f := newFixture(t)
			f.units.lazy = true
			f.units.units = append(f.units.units, fleet.Unit{Name: "pumpd", Kind: fleet.KindService, Type: execType, State: fleet.UnitStopped})
			r, _ := handle(context.Background(), f.d, request(fmt.Sprint("pid", i), cmd, map[string]any{"name": "pumpd"}))
			checkReply(t, r, "", "pumpd")
			var res fleet.UnitsResult
			if err := json.Unmarshal(r.Result, &res); err != nil {
				t.Fatal(err)
			}
			if len(res.Units) != 1 || res.Units[0].State != fleet.UnitRunning || res.Units[0].PID != fakePID {
				t.Errorf("reply units %+v, want pumpd running with pid %d", res.Units, fakePID)
			}
		})
	}
}

// TestUnitActionsActOnExactNames: a pattern is resolved once, by Match,
// and the action gets the exact names of the matching units of the
// command's kind.
func TestUnitActionsActOnExactNames(t *testing.T) {
	tests := []struct {
		cmd, pattern string
		want         []string
	}{
		{"task.stop", "blink*", []string{"stop blink", "stop blink@1"}},
		{"task.restart", "blink@1", []string{"restart blink@1"}},
		{"service.restart", "blink*", []string{"restart blinkd"}},
		{"service.disable", "blink*", []string{"disable blinkd"}},
	}
	for _, tt := range tests {
		t.Run(tt.cmd+" "+tt.pattern, func(t *testing.T) {
			f := newFixture(t)
			r, _ := handle(context.Background(), f.d, request("x", tt.cmd, map[string]any{"name": tt.pattern}))
			if err := r.Err(); err != nil {
				t.Fatal(err)
			}
			if fmt.Sprint(f.units.calls) != fmt.Sprint(tt.want) {
				t.Errorf("calls = %v, want %v", f.units.calls, tt.want)
			}
		})
	}
}
