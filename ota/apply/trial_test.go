package apply_test

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/drover-iot/drover/ota/apply"
	"github.com/drover-iot/drover/ota/state"
)

// installed is an env whose candidate nw passed its selftest and awaits
// its trial; the trial window is real time.
func installed(t *testing.T, nw []byte, window time.Duration) *env {
	e := newEnv(t)
	e.trial = window
	e.machine = e.newMachine()
	if err := e.machine.Install(context.Background(), e.candidate(nw, false)); err != nil {
		t.Fatal(err)
	}
	e.states, e.execs = nil, nil
	return e
}

// boot is the next start of the (old) agent.
func (e *env) boot() *apply.Trial {
	e.t.Helper()
	e.machine = e.newMachine()
	tr, err := e.machine.Boot()
	if err != nil {
		e.t.Fatal(err)
	}
	return tr
}

// supervise boots and runs the due trial.
func (e *env) supervise() error {
	e.t.Helper()
	tr := e.boot()
	if tr == nil {
		e.t.Fatalf("no trial due: %+v", e.machine.Record())
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	return tr.Supervise(ctx, nil, os.Environ())
}

func TestTrialCommits(t *testing.T) {
	nw := script("2.0", 0, 3000)
	e := installed(t, nw, 3*time.Second)
	if err := e.supervise(); err != nil {
		t.Fatal(err)
	}
	if r := e.machine.Record(); r.State != state.Committed || r.Boots != 1 {
		t.Fatalf("record %s (%d trials), want committed after 1", r.State, r.Boots)
	}
	e.binaryIs(nw)
	if e.boot() != nil {
		t.Fatal("trial again after commit")
	}
}

func TestTrialRollsBack(t *testing.T) {
	tests := []struct{ name, run, reason string }{
		{"exits 3", "exit 3", "exit status 3"},
		{"hangs without a report", "exec sleep 600", "no health report"},
		{"stays unhealthy", "while :; do echo 'unhealthy: broker not connected' >&3; sleep 0.1; done", "broker not connected"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := installed(t, runScript("2.0", 0, 3000, tt.run), time.Second)
			if err := e.supervise(); !errors.Is(err, apply.ErrRolledBack) {
				t.Fatalf("Supervise = %v, want ErrRolledBack", err)
			}
			r := e.machine.Record()
			if r.State != state.RolledBack || !strings.Contains(r.Reason, tt.reason) {
				t.Fatalf("record %s %q, want rolled_back with %q", r.State, r.Reason, tt.reason)
			}
			e.binaryIs(e.old)
			if _, err := os.Stat(r.Candidate); err == nil {
				t.Fatal("candidate left behind")
			}
		})
	}
}

func TestInterruptedTrialsRollBack(t *testing.T) {
	e := installed(t, script("2.0", 0, 3000), time.Hour)
	for n := 1; n <= 3; n++ {
		tr := e.boot()
		if tr == nil {
			t.Fatalf("trial %d not due: %+v", n, e.machine.Record())
		}
		ctx, cancel := context.WithCancel(context.Background())
		cancel() // the supervisor is stopped (or killed) during the trial
		if err := tr.Supervise(ctx, nil, os.Environ()); !errors.Is(err, context.Canceled) {
			t.Fatalf("Supervise = %v", err)
		}
		if r := e.machine.Record(); r.State != state.Trial || r.Boots != n {
			t.Fatalf("after interruption %d: %s with %d trials", n, r.State, r.Boots)
		}
	}
	if e.boot() != nil {
		t.Fatal("fourth trial started")
	}
	r := e.machine.Record()
	if r.State != state.RolledBack || !strings.Contains(r.Reason, "3 times") {
		t.Fatalf("record %s %q", r.State, r.Reason)
	}
	e.binaryIs(e.old)
}

// TestBootRecovers: the state on disk after a crash at each step, and
// what the next start makes of it.
func TestBootRecovers(t *testing.T) {
	tests := []struct {
		name      string
		at        state.State
		binaryNew bool
		want      state.State
		trial     bool
	}{
		{"crash while verifying", state.Verifying, false, state.Failed, false},
		{"crash while staged", state.Staged, false, state.Failed, false},
		{"crash before the exec", state.Restarting, false, state.Restarting, true},
		{"crash during the trial", state.Trial, false, state.Trial, true},
		{"crash after the commit rename", state.Trial, true, state.Committed, false},
		{"older version, before its rename", state.Installing, false, state.Failed, false},
		{"older version, after its rename", state.Installing, true, state.Committed, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			nw := script("2.0", 0, 3000)
			e := installed(t, nw, time.Hour)
			if tt.binaryNew {
				writeBinary(t, e.binary, nw)
			}
			if err := e.machine.Transition(tt.at, "", nil); err != nil {
				t.Fatal(err)
			}
			tr := e.boot()
			if r := e.machine.Record(); r.State != tt.want || (tr != nil) != tt.trial {
				t.Fatalf("after boot: %s (trial %v), want %s", r.State, tr != nil, tt.want)
			}
			if tt.binaryNew {
				e.binaryIs(nw)
			} else {
				e.binaryIs(e.old)
			}
		})
	}
}
