package agent

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/drover-iot/drover/agent/config"
	"github.com/drover-iot/drover/agent/journal"
	"github.com/drover-iot/drover/agent/supervise"
	"github.com/drover-iot/drover/fleet"
	"github.com/drover-iot/drover/scheduler"
)

// jobsConfig is a config on url and dir with the given jobs section.
func jobsConfig(t *testing.T, url, dir, jobs string) *config.Config {
	t.Helper()
	yml := "id: dev1\ndata_dir: " + dir + "\nbroker:\n  url: " + url + "\nmetrics:\n  enabled: false\n" + jobs
	cfg, err := config.Parse([]byte(yml), "test.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// runAgent runs an agent built from cfg after prep; stop ends it.
func runAgent(t *testing.T, cfg *config.Config, prep func(*Agent)) (*Agent, func() error) {
	t.Helper()
	a, err := New(cfg, WithStopTimeout(5*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	if prep != nil {
		prep(a)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- a.Run(ctx) }()
	waitOnline(t, a)
	<-a.sched.Started()
	return a, func() error { cancel(); return <-done }
}

func jobsByName(a *Agent) map[string]fleet.Job {
	out := map[string]fleet.Job{}
	for _, j := range (schedAdapter{a.sched, a.reg}).Jobs() {
		out[j.Name] = j
	}
	return out
}

const twoJobs = `jobs:
  - name: keep
    schedule: every 1h
    handler: log
    args: {msg: kept}
  - name: gone
    schedule: every 1h
    handler: log
    args: {msg: gone}
  - name: alien
    schedule: every 1h
    handler: not-in-this-binary
`

// TestConfigJobsFollowConfig: config and demo jobs of an earlier run that
// the current config no longer defines are dropped, a config job still
// defined keeps its saved timing, jobs added with schedule.add persist,
// and a config job with an unknown handler shows as broken.
func TestConfigJobsFollowConfig(t *testing.T) {
	url, dir := startBroker(t), t.TempDir()
	c := dial(t, url)
	a, stop := runAgent(t, jobsConfig(t, url, dir, twoJobs), func(a *Agent) {
		if err := a.AddDemo(); err != nil {
			t.Fatal(err)
		}
	})
	request(t, c, fleet.CmdScheduleAdd, fleet.ScheduleAddArgs{Name: "remote-log", Spec: "every 2h", Job: HandlerLog, Args: map[string]any{"msg": "hi"}})
	first := jobsByName(a)
	if b := first["alien"].Broken; !strings.Contains(b, `unknown handler "not-in-this-binary"`) {
		t.Errorf("alien: broken = %q, want the unknown handler named", b)
	}
	if r := request(t, c, fleet.CmdScheduleList, nil); !strings.Contains(string(r.Result), `"alien"`) {
		t.Errorf("schedule.list lacks the broken config job: %s", r.Result)
	}
	if err := stop(); err != nil {
		t.Fatalf("Run: %v", err)
	}

	onlyKeep := strings.Split(twoJobs, "  - name: gone")[0]
	a, stop = runAgent(t, jobsConfig(t, url, dir, onlyKeep), nil)
	defer func() {
		if err := stop(); err != nil {
			t.Errorf("Run: %v", err)
		}
	}()
	second := jobsByName(a)
	for _, name := range []string{"gone", "alien", "demo-hello"} {
		if j, ok := second[name]; ok {
			t.Errorf("%s lingers after it left the config: %+v", name, j)
		}
	}
	if _, ok := second["remote-log"]; !ok {
		t.Error("the job added with schedule.add was not restored")
	}
	if k := second["keep"]; k.NextRun == nil || !k.NextRun.Equal(*first["keep"].NextRun) {
		t.Errorf("keep: next run %v, want the saved %v", k.NextRun, first["keep"].NextRun)
	}
}

// TestLegacyScheduleFile loads a schedules.json written before jobs had
// an origin tag: untagged (config or demo) jobs are dropped, jobs added
// with schedule.add (tagged remote) stay.
func TestLegacyScheduleFile(t *testing.T) {
	url, dir := startBroker(t), t.TempDir()
	legacy := `{"version": 1, "jobs": [
  {"def": {"name": "demo-hello", "spec": "every 1m", "handler": "hello"}, "runs": 4},
  {"def": {"name": "r1", "spec": "every 1h", "handler": "log", "args": {"msg": "x"}, "tags": ["remote"]}, "runs": 2}
]}`
	if err := os.WriteFile(filepath.Join(dir, scheduleFile), []byte(legacy), 0o600); err != nil {
		t.Fatal(err)
	}
	a, stop := runAgent(t, jobsConfig(t, url, dir, ""), nil)
	defer func() {
		if err := stop(); err != nil {
			t.Errorf("Run: %v", err)
		}
	}()
	jobs := jobsByName(a)
	if _, ok := jobs["demo-hello"]; ok {
		t.Error("the legacy demo job lingers")
	}
	if r1, ok := jobs["r1"]; !ok || r1.Broken != "" || r1.Runs != 2 {
		t.Errorf("r1 = %+v (present %v), want it restored, healthy, with its 2 runs", r1, ok)
	}
}

func TestScheduleAddWithoutFutureRun(t *testing.T) {
	url := startBroker(t)
	c := dial(t, url)
	_, stop := runAgent(t, jobsConfig(t, url, t.TempDir(), ""), nil)
	defer func() {
		if err := stop(); err != nil {
			t.Errorf("Run: %v", err)
		}
	}()
	ctx, cancel := context.WithTimeout(context.Background(), waitFor)
	defer cancel()
	_, err := c.Request(ctx, "dev1", fleet.CmdScheduleAdd, fleet.ScheduleAddArgs{Name: "past", Spec: "at 2020-01-01T00:00:00Z", Job: HandlerLog})
	if fe := fleet.AsError(err); fe == nil || fe.Code != fleet.CodeBadRequest || !strings.Contains(fe.Message, "no future run") {
		t.Errorf("schedule.add of a past one-shot: %v, want bad_request saying no future run", err)
	}
}

// TestBuiltinHandlers calls the built-in handlers as the scheduler would.
func TestBuiltinHandlers(t *testing.T) {
	a, err := New(testConfig(t, "tcp://127.0.0.1:1", t.TempDir()))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		handler string
		args    map[string]any
		wantErr string
	}{
		{HandlerLog, map[string]any{"msg": "backup done", "level": "warn"}, ""},
		{HandlerLog, map[string]any{"level": "warn"}, "args.msg is required"},
		{HandlerLog, map[string]any{"msg": "x", "level": "loud"}, "args.level"},
		{HandlerUnitStop, map[string]any{"name": "nope"}, `no task or service named "nope"`},
		{HandlerUnitRestart, map[string]any{}, "args.name is required"},
		{HandlerUnitStart, map[string]any{"name": 3}, "args.name must be"},
	}
	for _, tt := range tests {
		t.Run(tt.handler+" "+tt.wantErr, func(t *testing.T) {
			h, ok := a.reg.Lookup(tt.handler)
			if !ok {
				t.Fatalf("handler %s not registered", tt.handler)
			}
			err := h(context.Background(), scheduler.Run{Job: "nightly", Args: tt.args})
			if (err == nil) != (tt.wantErr == "") || err != nil && !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("err = %v, want %q", err, tt.wantErr)
			}
		})
	}
	recs := a.journal.Cat(journal.Query{Source: "job:nightly"})
	if len(recs) != 1 || recs[0].Msg != "backup done" || recs[0].Level.String() != "WARN" {
		t.Errorf("journal records of job:nightly = %+v, want one WARN \"backup done\"", recs)
	}
	if err := a.journal.Close(); err != nil {
		t.Fatal(err)
	}
}

// TestUnitRestartHandler restarts a task the device defines.
func TestUnitRestartHandler(t *testing.T) {
	a, err := New(testConfig(t, "tcp://127.0.0.1:1", t.TempDir()))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), waitFor)
	defer cancel()
	if err := a.sup.Register("idle", func(ctx context.Context, _ *supervise.Ctl) (any, error) {
		<-ctx.Done()
		return nil, nil
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := a.sup.Add(supervise.TaskSpec{Name: "idle", Func: "idle"}); err != nil {
		t.Fatal(err)
	}
	if _, err := a.sup.WaitFor(ctx, "idle", supervise.InState(fleet.UnitRunning)); err != nil {
		t.Fatal(err)
	}
	h, _ := a.reg.Lookup(HandlerUnitRestart)
	if err := h(ctx, scheduler.Run{Job: "kick", Args: map[string]any{"name": "idle"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := a.sup.WaitFor(ctx, "idle", func(u fleet.Unit) bool { return u.Profile.Starts == 2 && u.State == fleet.UnitRunning }); err != nil {
		t.Errorf("task not restarted: %v", err)
	}
	if err := errors.Join(a.sup.Shutdown(ctx), a.journal.Close()); err != nil {
		t.Fatal(err)
	}
}
