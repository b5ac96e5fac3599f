package supervise

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/drover-iot/drover/agent/supervise/restart"
	"github.com/drover-iot/drover/fleet"
)

func TestTaskEnds(t *testing.T) {
	tests := []struct {
		fn        string
		want      fleet.UnitState
		result    any
		errSub    string
		withStack bool
	}{
		{fn: "ok", want: fleet.UnitDone, result: 42},
		{fn: "fail", want: fleet.UnitFailed, errSub: "boom"},
		{fn: "panic", want: fleet.UnitFailed, errSub: "supervise: task panicked: kaboom", withStack: true},
	}
	for _, tt := range tests {
		t.Run(tt.fn, func(t *testing.T) {
			s, clock := newSup(t)
			name := mustAdd(t, s, TaskSpec{Name: "t", Func: tt.fn, Args: map[string]any{"v": 42}})
			u := waitState(t, s, name, tt.want)
			if u.Result != tt.result || !strings.Contains(u.Error, tt.errSub) {
				t.Fatalf("result %v error %q, want %v %q", u.Result, u.Error, tt.result, tt.errSub)
			}
			if tt.withStack != strings.Contains(u.Stack, "callFunc") {
				t.Fatalf("stack = %q, want stack: %v", u.Stack, tt.withStack)
			}
			if u.Since != clock.Now() || u.StartedAt == nil || u.Profile.Starts != 1 || u.Type != tt.fn {
				t.Fatalf("bad bookkeeping: %+v", u)
			}
		})
	}
}

func TestStopAndStartAgain(t *testing.T) {
	s, clock := newSup(t)
	name := mustAdd(t, s, TaskSpec{Name: "blink", Func: "block"})
	waitState(t, s, name, fleet.UnitRunning)
	clock.Advance(3e9)
	if got, err := s.Stop("blink"); err != nil || !slices.Equal(got, []string{"blink"}) {
		t.Fatalf("Stop = %v, %v", got, err)
	}
	u := waitState(t, s, name, fleet.UnitStopped)
	if u.Reason != "stopped on request" || u.Error != "" || u.Profile.RunTime != 3e9 {
		t.Fatalf("stopped unit: %+v", u)
	}
	if _, err := s.Start("blink"); err != nil {
		t.Fatal(err)
	}
	u = waitState(t, s, name, fleet.UnitRunning)
	if u.Profile.Starts != 2 || u.Reason != "" {
		t.Fatalf("restarted unit: %+v", u)
	}
}

func TestPanicDoesNotDisturbOthers(t *testing.T) {
	s, _ := newSup(t)
	other := mustAdd(t, s, TaskSpec{Name: "other", Func: "block"})
	waitState(t, s, other, fleet.UnitRunning)
	p := mustAdd(t, s, TaskSpec{Name: "bad", Func: "panic"})
	waitState(t, s, p, fleet.UnitFailed)
	if u, _ := s.Unit(other); u.State != fleet.UnitRunning || u.Profile.Starts != 1 {
		t.Fatalf("other task disturbed: %+v", u)
	}
	if _, err := s.Add(TaskSpec{Name: "after", Func: "ok"}); err != nil {
		t.Fatalf("supervisor unusable after panic: %v", err)
	}
}

func TestNameSuffix(t *testing.T) {
	s, _ := newSup(t)
	var got []string
	for range 3 {
		got = append(got, mustAdd(t, s, TaskSpec{Name: "blink", Func: "block"}))
	}
	if want := []string{"blink", "blink@1", "blink@2"}; !slices.Equal(got, want) {
		t.Fatalf("names %v, want %v", got, want)
	}
}

func TestAddErrors(t *testing.T) {
	s, _ := newSup(t)
	tests := []struct {
		spec TaskSpec
		want error
	}{
		{TaskSpec{Name: "x", Func: "nope"}, ErrUnknownFunc},
		{TaskSpec{Name: "", Func: "ok"}, ErrBadName},
		{TaskSpec{Name: "a*b", Func: "ok"}, ErrBadName},
		{TaskSpec{Name: "a/b", Func: "ok"}, ErrBadName},
		{TaskSpec{Name: "x", Func: "ok", Restart: restart.Policy{Mode: "sometimes"}}, restart.ErrBadMode},
	}
	for _, tt := range tests {
		if _, err := s.Add(tt.spec); !errors.Is(err, tt.want) {
			t.Errorf("Add(%+v) = %v, want %v", tt.spec, err, tt.want)
		}
	}
	fn := func(context.Context, *Ctl) (any, error) { return nil, nil }
	if err := s.Register("ok", fn); !errors.Is(err, ErrExists) {
		t.Errorf("duplicate Register = %v", err)
	}
}

func TestWildcards(t *testing.T) {
	s, _ := newSup(t)
	for _, n := range []string{"blink", "blink@1", "sensor-a", "sensor-b", "web"} {
		mustAdd(t, s, TaskSpec{Name: n, Func: "block"})
	}
	tests := []struct {
		pattern string
		want    []string
		err     error
	}{
		{"*", []string{"blink", "blink@1", "sensor-a", "sensor-b", "web"}, nil},
		{"blink*", []string{"blink", "blink@1"}, nil},
		{"sensor-?", []string{"sensor-a", "sensor-b"}, nil},
		{"web", []string{"web"}, nil},
		{"*@1", []string{"blink@1"}, nil},
		{"nothing*", nil, ErrNotFound},
		{"nope", nil, ErrNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.pattern, func(t *testing.T) {
			got, err := s.Stop(tt.pattern)
			if !errors.Is(err, tt.err) || !slices.Equal(got, tt.want) {
				t.Fatalf("Stop(%q) = %v, %v; want %v, %v", tt.pattern, got, err, tt.want, tt.err)
			}
			for _, n := range got {
				waitState(t, s, n, fleet.UnitStopped)
			}
		})
	}
	if _, err := s.Stop("[x"); err == nil {
		t.Fatal("bad pattern accepted")
	}
}

func TestDelete(t *testing.T) {
	s, _ := newSup(t)
	stopped := make(chan string, 2)
	for _, n := range []string{"a1", "a2", "b"} {
		mustAdd(t, s, TaskSpec{Name: n, Func: "block", OnStop: func(u fleet.Unit) { stopped <- u.Name }})
		waitState(t, s, n, fleet.UnitRunning)
	}
	got, err := s.Delete("a*")
	if err != nil || !slices.Equal(got, []string{"a1", "a2"}) {
		t.Fatalf("Delete = %v, %v", got, err)
	}
	ends := []string{<-stopped, <-stopped}
	slices.Sort(ends)
	if !slices.Equal(ends, []string{"a1", "a2"}) {
		t.Fatalf("on-stop calls %v", ends)
	}
	if _, err := s.Unit("a1"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("deleted unit still there: %v", err)
	}
	if us := s.Units(); len(us) != 1 || us[0].Name != "b" {
		t.Fatalf("Units after delete: %+v", us)
	}
}

func TestHooks(t *testing.T) {
	s, _ := newSup(t)
	var mu sync.Mutex
	var calls []string
	record := func(what string) { mu.Lock(); calls = append(calls, what); mu.Unlock() }
	done := make(chan struct{})
	spec := TaskSpec{Name: "h", Func: "fail",
		OnError: func(u fleet.Unit, err error) {
			record("error:" + string(u.State) + ":" + err.Error())
			panic("hook panics too")
		},
		OnStop: func(u fleet.Unit) { record("stop:" + u.Error); close(done) },
	}
	mustAdd(t, s, spec)
	<-done
	mu.Lock()
	defer mu.Unlock()
	if want := []string{"error:failed:boom", "stop:boom"}; !slices.Equal(calls, want) {
		t.Fatalf("hook calls %v, want %v", calls, want)
	}
}

func TestSetArgsBeforeRestart(t *testing.T) {
	s, _ := newSup(t)
	g := newGate()
	if err := s.Register("gate", g.fn); err != nil {
		t.Fatal(err)
	}
	name := mustAdd(t, s, TaskSpec{Name: "g", Func: "gate", Args: map[string]any{"n": 1}})
	if c := <-g.runs; c.Args()["n"] != 1 || c.Name() != "g" {
		t.Fatalf("first run args %v", c.Args())
	}
	if err := s.SetArgs(name, map[string]any{"n": 2}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Restart(name); err != nil {
		t.Fatal(err)
	}
	if c := <-g.runs; c.Args()["n"] != 2 {
		t.Fatalf("second run args %v", c.Args())
	}
	u := waitFor(t, s, name, func(u fleet.Unit) bool { return u.Profile.Restarts == 1 })
	if u.Args["n"] != 2 || u.State != fleet.UnitRunning {
		t.Fatalf("after restart: %+v", u)
	}
}

func TestStartWhileStopping(t *testing.T) {
	s, _ := newSup(t)
	release := make(chan struct{}, 1)
	slow := func(context.Context, *Ctl) (any, error) { <-release; return nil, nil }
	if err := s.Register("slow", slow); err != nil {
		t.Fatal(err)
	}
	name := mustAdd(t, s, TaskSpec{Name: "slow", Func: "slow"})
	waitState(t, s, name, fleet.UnitRunning)
	if _, err := s.Stop(name); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Start(name); err != nil { // the first run has not ended yet
		t.Fatal(err)
	}
	release <- struct{}{}
	u := waitFor(t, s, name, func(u fleet.Unit) bool { return u.Profile.Starts == 2 })
	if u.State != fleet.UnitRunning {
		t.Fatalf("start during stop lost: %+v", u)
	}
	if _, err := s.Stop(name); err != nil {
		t.Fatal(err)
	}
	release <- struct{}{}
	waitState(t, s, name, fleet.UnitStopped)
}

// TestNilOptionsKeepDefaults: a nil logger or clock must not panic later.
func TestNilOptionsKeepDefaults(t *testing.T) {
	s := New(WithLogger(nil), WithClock(nil))
	if err := s.Register("ok", func(context.Context, *Ctl) (any, error) { return nil, nil }); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Add(TaskSpec{Name: "t", Func: "ok"}); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), deadlock)
	defer cancel()
	if _, err := s.WaitFor(ctx, "t", InState(fleet.UnitDone)); err != nil {
		t.Fatal(err)
	}
	if err := s.Shutdown(ctx); err != nil {
		t.Fatal(err)
	}
}

// TestNamedActionsTakeExactNames: StopNamed, StartNamed and RestartNamed
// treat names as names, never as patterns, and act on all or none.
func TestNamedActionsTakeExactNames(t *testing.T) {
	s, _ := newSup(t)
	for _, n := range []string{"blink", "blink@1"} {
		waitState(t, s, mustAdd(t, s, TaskSpec{Name: n, Func: "block"}), fleet.UnitRunning)
	}
	if err := s.StopNamed("blink*"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("StopNamed(blink*) = %v, want ErrNotFound (a pattern is not a name)", err)
	}
	if err := s.StopNamed("blink", "nope"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("StopNamed(blink, nope) = %v, want ErrNotFound", err)
	}
	if err := s.StopNamed("blink"); err != nil {
		t.Fatal(err)
	}
	waitState(t, s, "blink", fleet.UnitStopped)
	if u, err := s.Unit("blink@1"); err != nil || u.State != fleet.UnitRunning {
		t.Fatalf("blink@1 is %s (%v); stopping blink touched it", u.State, err)
	}
	if err := s.StartNamed("blink"); err != nil {
		t.Fatal(err)
	}
	if u := waitState(t, s, "blink", fleet.UnitRunning); u.Profile.Starts != 2 {
		t.Fatalf("blink after StartNamed: %+v", u)
	}
	if err := s.RestartNamed("blink@1"); err != nil {
		t.Fatal(err)
	}
	waitFor(t, s, "blink@1", func(u fleet.Unit) bool { return u.State == fleet.UnitRunning && u.Profile.Starts == 2 })
}
