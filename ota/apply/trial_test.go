package apply_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/drover-iot/drover/ota/apply"
	"github.com/drover-iot/drover/ota/state"
)

// installed is an env whose update is installed and re-executed: the next
// start of the agent is the new binary's first boot.
func installed(t *testing.T) (*env, []byte) {
	e := newEnv(t)
	nw := script("2.0", 0, 3000)
	if err := e.machine.Install(context.Background(), e.candidate(nw, false)); err != nil {
		t.Fatal(err)
	}
	e.states, e.execs = nil, nil
	return e, nw
}

func (e *env) boot() *apply.Trial {
	e.t.Helper()
	e.machine = e.newMachine()
	tr, err := e.machine.Boot()
	if err != nil && !errors.Is(err, apply.ErrRolledBack) {
		e.t.Fatal(err)
	}
	return tr
}

// runTrial runs the trial on the fake clock, advancing it one health
// interval after each health check.
func (e *env) runTrial(tr *apply.Trial, health func() error) error {
	finished, finish := context.WithCancel(context.Background())
	checked := make(chan struct{})
	var err error
	go func() {
		defer finish()
		err = tr.Run(context.Background(), func() error {
			defer func() { checked <- struct{}{} }()
			return health()
		})
	}()
	for {
		select {
		case <-checked:
			e.clock.Advance(time.Second)
		case <-finished.Done():
			return err
		}
	}
}

func TestTrialCommits(t *testing.T) {
	e, nw := installed(t)
	tr := e.boot()
	if tr == nil || e.machine.Record().Boots != 1 {
		t.Fatalf("no trial after the restart: %+v", e.machine.Record())
	}
	checks := 0
	var badAt time.Time
	flaky := func() error {
		checks++
		if checks == 10 { // one bad check restarts the healthy window
			badAt = e.clock.Now()
			return errors.New("broker not connected")
		}
		return nil
	}
	if err := e.runTrial(tr, flaky); err != nil {
		t.Fatal(err)
	}
	if r := e.machine.Record(); r.State != state.Committed {
		t.Fatalf("state %s, want committed", r.State)
	}
	if since := e.machine.Record().Since; since.Sub(badAt) < time.Minute {
		t.Fatalf("committed %v after the unhealthy check: the window did not restart", since.Sub(badAt))
	}
	e.binaryIs(nw)
	if e.boot() != nil {
		t.Fatal("trial again after commit")
	}
}

func TestTrialUnhealthyRollsBack(t *testing.T) {
	e, _ := installed(t)
	tr := e.boot()
	err := e.runTrial(tr, func() error { return errors.New("broker not connected") })
	if !errors.Is(err, apply.ErrRolledBack) {
		t.Fatalf("Run = %v, want ErrRolledBack", err)
	}
	r := e.machine.Record()
	if r.State != state.RolledBack || !strings.Contains(r.Reason, "broker not connected") {
		t.Fatalf("record %s %q", r.State, r.Reason)
	}
	e.binaryIs(e.old)
	if len(e.execs) != 1 || e.execs[0] != e.binary {
		t.Fatalf("old binary not re-executed: %v", e.execs)
	}
}

func TestCrashLoopRollsBack(t *testing.T) {
	e, nw := installed(t)
	for boot := 1; boot <= 3; boot++ {
		if e.boot() == nil || e.machine.Record().Boots != boot {
			t.Fatalf("boot %d: %+v", boot, e.machine.Record())
		}
		e.binaryIs(nw)
	}
	if e.boot() != nil {
		t.Fatal("fourth boot still in trial")
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
		{"crash before the rename", state.Installing, false, state.Failed, false},
		{"crash after the rename", state.Installing, true, state.Trial, true},
		{"crash before the exec", state.Restarting, true, state.Trial, true},
		{"crash during restore", state.RolledBack, true, state.RolledBack, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, nw := installed(t)
			if !tt.binaryNew {
				writeBinary(t, e.binary, e.old)
			}
			if err := e.machine.Transition(tt.at, "", nil); err != nil {
				t.Fatal(err)
			}
			tr := e.boot()
			if r := e.machine.Record(); r.State != tt.want || (tr != nil) != tt.trial {
				t.Fatalf("after boot: %s (trial %v), want %s", r.State, tr != nil, tt.want)
			}
			if tt.want == state.Trial {
				e.binaryIs(nw)
			} else {
				e.binaryIs(e.old)
			}
		})
	}
}
