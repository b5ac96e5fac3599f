package execproc

import (
	"context"
	"errors"
	"strconv"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"
)

// runUntilReady runs cmd in the background, cancels it once the line
// "ready" was printed, and returns the result and the pid.
func runUntilReady(t *testing.T, cmd Cmd, afterCancel func()) (Exit, int, error) {
	t.Helper()
	c := newCollector("ready")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var pid atomic.Int64
	type result struct {
		exit Exit
		err  error
	}
	done := make(chan result, 1)
	go func() {
		exit, err := cmd.Run(ctx, c.add, func(p int) { pid.Store(int64(p)) })
		done <- result{exit, err}
	}()
	select {
	case <-c.seen:
	case r := <-done:
		t.Fatalf("process ended before ready: %+v %v", r.exit, r.err)
	}
	cancel()
	if afterCancel != nil {
		afterCancel()
	}
	r := <-done
	return r.exit, int(pid.Load()), r.err
}

func TestStopNeverEndingProcess(t *testing.T) {
	exit, pid, err := runUntilReady(t, sh("echo ready; exec sleep 1000"), nil)
	if exit.Signal != "SIGTERM" || !exit.Stopped {
		t.Errorf("exit = %+v, want stopped by SIGTERM", exit)
	}
	if !errors.Is(err, ErrStopped) {
		t.Errorf("err = %v, want ErrStopped", err)
	}
	assertGroupGone(t, pid)
}

func TestStopIgnoringSIGTERMGetsSIGKILL(t *testing.T) {
	clock := clockwork.NewFakeClock()
	cmd := sh("trap '' TERM; echo ready; while :; do sleep 1; done")
	cmd.Clock = clock
	advance := func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		if err := clock.BlockUntilContext(ctx, 1); err != nil {
			t.Errorf("stop timer never armed: %v", err)
		}
		clock.Advance(cmd.StopTimeout)
	}
	exit, pid, err := runUntilReady(t, cmd, advance)
	if exit.Signal != "SIGKILL" || !exit.Stopped {
		t.Errorf("exit = %+v, want stopped by SIGKILL", exit)
	}
	var ee *ExitError
	if !errors.As(err, &ee) || !errors.Is(err, ErrStopped) {
		t.Errorf("err = %v, want a stopped ExitError", err)
	}
	assertGroupGone(t, pid)
}

func TestStopKillsForkedChildren(t *testing.T) {
	cmd := sh("sleep 1000 & sleep 1000 & echo ready; wait")
	_, pid, err := runUntilReady(t, cmd, nil)
	if !errors.Is(err, ErrStopped) {
		t.Errorf("err = %v, want ErrStopped", err)
	}
	assertGroupGone(t, pid)
}

func TestLeftoverGroupKilledAfterMainExit(t *testing.T) {
	c := newCollector("")
	exit, err := sh("sleep 1000 & echo $!").Run(context.Background(), c.add, nil)
	child := echoedPID(t, exit, err, c)
	if processAlive(t, child) {
		t.Errorf("background child %d survived its group", child)
	}
}

// echoedPID checks that Run ended well and returns the pid its script echoed.
func echoedPID(t *testing.T, exit Exit, err error, c *collector) int {
	t.Helper()
	if err != nil || exit.Code != 0 {
		t.Fatalf("Run = %+v, %v", exit, err)
	}
	lines := c.get(Stdout)
	if len(lines) != 1 {
		t.Fatalf("lines = %q", lines)
	}
	child, err := strconv.Atoi(lines[0])
	if err != nil {
		t.Fatal(err)
	}
	return child
}

// TestLeftoverIgnoringSIGTERMGetsSIGKILL: a grandchild that ignores SIGTERM
// and does not hold the output pipes must still be killed once the main
// process has exited, after the stop timeout on the fake clock.
func TestLeftoverIgnoringSIGTERMGetsSIGKILL(t *testing.T) {
	clock := clockwork.NewFakeClock()
	cmd := sh("(trap '' TERM; exec sleep 1000) >/dev/null 2>&1 </dev/null & echo $!")
	cmd.Clock = clock
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	advanced := make(chan struct{})
	go func() { // advance every stop deadline until Run returns
		defer close(advanced)
		for clock.BlockUntilContext(ctx, 1) == nil {
			clock.Advance(cmd.StopTimeout)
		}
	}()
	c := newCollector("")
	exit, err := cmd.Run(context.Background(), c.add, nil)
	cancel()
	<-advanced
	child := echoedPID(t, exit, err, c)
	if processAlive(t, child) {
		_ = syscall.Kill(child, syscall.SIGKILL)
		t.Errorf("grandchild %d ignoring SIGTERM survived its group", child)
	}
}

func TestStatGroup(t *testing.T) {
	tests := []struct {
		name  string
		data  string
		pgrp  int
		state byte
		ok    bool
	}{
		{"plain", "42 (sleep) S 1 40 40 0", 40, 'S', true},
		{"comm with spaces and parens", "42 (a) b (c)) Z 1 41 41", 41, 'Z', true},
		{"no comm", "42 sleep S 1 40", 0, 0, false},
		{"short", "42 (x) R 1", 0, 0, false},
		{"bad pgrp", "42 (x) R 1 x", 0, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pgrp, state, ok := statGroup([]byte(tt.data))
			if ok != tt.ok || (ok && (pgrp != tt.pgrp || state != tt.state)) {
				t.Errorf("statGroup(%q) = %d %c %v, want %d %c %v", tt.data, pgrp, state, ok, tt.pgrp, tt.state, tt.ok)
			}
		})
	}
}
