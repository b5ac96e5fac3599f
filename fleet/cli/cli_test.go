package cli_test

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"
	"go.uber.org/goleak"

	"github.com/drover-iot/drover/fleet"
	"github.com/drover-iot/drover/fleet/cli"
	"github.com/drover-iot/drover/fleet/fleettest"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

var now = time.Date(2026, 11, 21, 10, 0, 0, 0, time.UTC)

// fleetctl runs the CLI in-process and returns its exit code and output.
func fleetctl(t *testing.T, env map[string]string, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	code := cli.Execute(ctx, args, cli.Options{
		Stdout: &stdout, Stderr: &stderr, Clock: clockwork.NewFakeClockAt(now),
		Getenv:     func(k string) string { return env[k] },
		ConfigPath: filepath.Join(t.TempDir(), "absent.yaml"),
	})
	return code, stdout.String(), stderr.String()
}

func deviceHandlers() map[string]fleettest.Handler {
	blink := fleet.Unit{Name: "blink", Kind: fleet.KindTask, State: fleet.UnitRunning, Since: now.Add(-time.Minute)}
	return map[string]fleettest.Handler{
		fleet.CmdPing: func(fleet.Request, func(any)) (any, error) { return fleet.PingResult{}, nil },
		fleet.CmdTaskList: func(fleet.Request, func(any)) (any, error) {
			return fleet.UnitsResult{Units: []fleet.Unit{unit("t10"), blink, unit("t2")}}, nil
		},
		fleet.CmdScheduleList: func(fleet.Request, func(any)) (any, error) {
			return fleet.JobsResult{Jobs: []fleet.Job{{Name: "t10"}, {Name: "t1"}, {Name: "t2"}}}, nil
		},
		fleet.CmdStatus: func(fleet.Request, func(any)) (any, error) {
			return fleet.StatusResult{Device: "pi", Time: now, Tasks: []fleet.Unit{blink}}, nil
		},
		fleet.CmdAgentRestart: func(fleet.Request, func(any)) (any, error) {
			return fleet.AckResult{Message: "restarting"}, nil
		},
		fleet.CmdSensorsRead: func(fleet.Request, func(any)) (any, error) {
			return fleet.SensorsResult{Readings: []fleet.Reading{{Sensor: "system", Metric: "network_receive_bytes",
				Value: 1024, Unit: "bytes", Time: now, Labels: map[string]string{"interface": "eth0", "b": "2"}},
				{Sensor: "system", Metric: "filesystem_free_bytes", Value: 25276502016, Unit: "bytes", Time: now}}}, nil
		},
		fleet.CmdTaskStop: func(fleet.Request, func(any)) (any, error) {
			return nil, fleet.Errorf(fleet.CodeNotFound, "no task named ghost")
		},
		fleet.CmdScheduleAdd: func(req fleet.Request, _ func(any)) (any, error) {
			var a fleet.ScheduleAddArgs
			if err := json.Unmarshal(req.Args, &a); err != nil {
				return nil, fleet.Errorf(fleet.CodeBadRequest, "%v", err)
			}
			return fleet.JobsResult{Jobs: []fleet.Job{{Name: a.Name, Spec: a.Spec, Handler: a.Job}}}, nil
		},
		fleet.CmdLogs: func(fleet.Request, func(any)) (any, error) {
			return fleet.LogsResult{Records: []fleet.LogRecord{{Seq: 1, TS: now, Level: "info", Source: "blink", Msg: "on",
				Attrs: map[string]any{"pin": 17}}}}, nil
		},
	}
}

func unit(name string) fleet.Unit {
	return fleet.Unit{Name: name, Kind: fleet.KindTask, State: fleet.UnitStopped, Since: now.Add(-time.Hour)}
}

func TestCommands(t *testing.T) {
	url := fleettest.StartBroker(t)
	dev := fleettest.NewDevice(t, url, "pi", map[string]string{"room": "lab"}, deviceHandlers())
	fleettest.NewDevice(t, url, "gw", map[string]string{"room": "hall"}, deviceHandlers())
	env := map[string]string{"DROVER_BROKER": url}
	tests := []struct {
		name     string
		args     []string
		wantCode int
		wantOut  []string // substrings of stdout
		wantErr  string   // substring of stderr
		inOrder  bool     // wantOut must appear in this order
	}{
		{"devices", []string{"devices"}, 0, []string{"ID", "LAST SEEN", "gw", "pi", "online", "v1.2.3", "1h0m"}, "", false},
		{"devices selector", []string{"devices", "-l", "room=lab", "-o", "json"}, 0, []string{`"id": "pi"`}, "", false},
		{"ping", []string{"ping", "pi", "gw"}, 0, []string{"DEVICE", "pi", "gw", "ms", " ok\n"}, "", false},
		{"ping all", []string{"ping", "--all", "-o", "json"}, 0, []string{`"device": "gw"`, `"ok": true`}, "", false},
		{"status", []string{"status", "pi"}, 0, []string{"● blink: status: running since", "1 min ago"}, "", false},
		{"status json", []string{"status", "pi", "-o", "json"}, 0, []string{`"device": "pi"`, `"name": "blink"`}, "", false},
		{"agent restart", []string{"agent", "restart", "pi"}, 0, []string{"DEVICE", "pi", "restarting"}, "", false},
		{"sensors", []string{"sensors", "pi"}, 0, []string{"LABELS", "network_receive_bytes", "b=2,interface=eth0", "1024"}, "", false},
		{"sensors without exponents", []string{"sensors", "pi"}, 0, []string{"filesystem_free_bytes", " 25276502016 "}, "", false},
		{"task ls", []string{"task", "ls", "pi"}, 0, []string{"blink", "running", "1m ago"}, "", false},
		{"task ls natural order", []string{"task", "ls", "pi"}, 0, []string{"blink", "t2", "t10"}, "", true},
		{"schedule ls natural order", []string{"schedule", "ls", "pi"}, 0, []string{"t1 ", "t2 ", "t10 "}, "", true},
		{"schedule ls json natural order", []string{"schedule", "ls", "pi", "-o", "json"}, 0,
			[]string{`"t1"`, `"t2"`, `"t10"`}, "", true},
		{"task ls yaml", []string{"task", "ls", "pi", "-o", "yaml"}, 0, []string{"units:", "name: blink"}, "", false},
		{"device error exits 1", []string{"task", "stop", "pi", "ghost"}, 1, nil, "not_found: no task named ghost", false},
		{"unknown command on device", []string{"config", "pi"}, 1, nil, "unknown_command", false},
		{"schedule add", []string{"schedule", "add", "pi", "beat", "--spec", "every 10s", "--handler", "heartbeat", "--arg", "x=1"}, 0,
			[]string{"beat", "every 10s", "heartbeat"}, "", false},
		{"schedule add --job is deprecated", []string{"schedule", "add", "pi", "beat", "--spec", "every 10s", "--job", "log"}, 0,
			[]string{"beat", "log"}, "--job is deprecated: use --handler", false},
		{"schedule add bad spec", []string{"schedule", "add", "pi", "beat", "--spec", "every banana", "--handler", "h"}, 2, nil, "--spec", false},
		{"schedule add past at", []string{"schedule", "add", "pi", "once", "--spec", "at 2026-01-01T00:00:00Z", "--handler", "log"}, 2,
			nil, `--spec "at 2026-01-01T00:00:00Z" has no future run`, false},
		{"schedule add past until", []string{"schedule", "add", "pi", "x", "--spec", "every 1h until 2026-11-01T00:00:00Z", "--handler", "log"},
			2, nil, "no future run", false},
		{"schedule add future at", []string{"schedule", "add", "pi", "once", "--spec", "at 2026-12-01T10:00:00Z", "--handler", "log"}, 0,
			[]string{"once", "at 2026-12-01T10:00:00Z"}, "", false},
		{"schedule add no handler", []string{"schedule", "add", "pi", "beat", "--spec", "every 10s"}, 2, nil, "--handler", false},
		{"logs", []string{"logs", "pi", "-n", "5"}, 0, []string{"INFO  blink on pin=17"}, "", false},
		{"logs bad grep", []string{"logs", "pi", "--grep", "("}, 2, nil, "--grep", false},
		{"logs bad level", []string{"logs", "pi", "--level", "bogus"}, 2, nil, `--level "bogus"`, false},
		{"logs negative n", []string{"logs", "pi", "-n", "-1"}, 2, nil, "-n -1", false},
		{"version", []string{"version"}, 0, []string{"fleetctl dev (commit ", "go1."}, "", false},
		{"--version", []string{"--version"}, 0, []string{"fleetctl dev (commit ", "go1."}, "", false},
		{"bad flag", []string{"devices", "--nope"}, 2, nil, "unknown flag", false},
		{"missing arg", []string{"status"}, 2, nil, "status needs a device id: fleetctl status DEV", false},
		{"missing name", []string{"task", "stop", "pi"}, 2, nil, "task stop needs a name: fleetctl task stop DEV NAME", false},
		{"missing both", []string{"schedule", "rm"}, 2, nil, "schedule rm needs a device id and a name", false},
		{"extra arg", []string{"task", "stop", "-l", "room=lab", "a", "b"}, 2, nil, "task stop takes 1 argument(s), got 2 (b)", false},
		{"bad device id", []string{"status", "Pi/#"}, 2, nil, "invalid device id", false},
		{"bad output", []string{"devices", "-o", "xml"}, 2, nil, "--output", false},
		{"bad selector", []string{"devices", "-l", "room in"}, 2, nil, "selector", false},
		{"ping needs targets", []string{"ping"}, 2, nil, "--all", false},
		{"timeout exits 3", []string{"ping", "ghost", "--timeout", "300ms"}, 3, []string{"ghost", "timed out"}, "1 of 1 devices failed", false},
		{"unreachable exits 3", []string{"devices", "--broker", "tcp://127.0.0.1:1", "--timeout", "2s"}, 3, nil, "unreachable", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := fleetctl(t, env, tt.args...)
			if code != tt.wantCode {
				t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tt.wantCode, out, errOut)
			}
			rest := out
			for _, want := range tt.wantOut {
				i := strings.Index(rest, want)
				if i < 0 {
					t.Errorf("stdout lacks %q (in order: %v):\n%s", want, tt.inOrder, out)
					continue
				}
				if tt.inOrder {
					rest = rest[i+len(want):]
				}
			}
			if !strings.Contains(errOut, tt.wantErr) {
				t.Errorf("stderr lacks %q:\n%s", tt.wantErr, errOut)
			}
		})
	}
	assertScheduleArgs(t, dev.Requests())
}

func assertScheduleArgs(t *testing.T, reqs []fleet.Request) {
	t.Helper()
	for _, r := range reqs {
		if r.Cmd != fleet.CmdScheduleAdd {
			continue
		}
		var a fleet.ScheduleAddArgs
		if err := json.Unmarshal(r.Args, &a); err != nil || a.Args["x"] != "1" || a.Job != "heartbeat" {
			t.Fatalf("schedule.add args = %s", r.Args)
		}
		return
	}
	t.Fatal("device received no schedule.add")
}

// TestHostileDeviceTextEscaped: terminal control sequences that a device
// puts in its log messages or errors reach the operator's terminal only as
// visible escapes.
func TestHostileDeviceTextEscaped(t *testing.T) {
	url := fleettest.StartBroker(t)
	fleettest.NewDevice(t, url, "evil", nil, map[string]fleettest.Handler{
		fleet.CmdLogs: func(fleet.Request, func(any)) (any, error) {
			return fleet.LogsResult{Records: []fleet.LogRecord{{Seq: 1, TS: now, Level: "info", Msg: "hi\x1b[2J\x1b]0;owned\x07"}}}, nil
		},
		fleet.CmdTaskStop: func(fleet.Request, func(any)) (any, error) {
			return nil, fleet.Errorf(fleet.CodeNotFound, "no\rFAKE OK\x1b[1A")
		},
	})
	env := map[string]string{"DROVER_BROKER": url}
	tests := []struct {
		name string
		args []string
		want string // the visible escape expected in stdout+stderr
	}{
		{"log message", []string{"logs", "evil"}, `hi\x1b[2J\x1b]0;owned\x07`},
		{"device error", []string{"task", "stop", "evil", "x"}, `no\x0dFAKE OK\x1b[1A`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, out, errOut := fleetctl(t, env, tt.args...)
			all := out + errOut
			if strings.ContainsAny(all, "\x1b\r\x07") {
				t.Errorf("raw control characters reached the terminal: %q", all)
			}
			if !strings.Contains(all, tt.want) {
				t.Errorf("output lacks %q: %q", tt.want, all)
			}
		})
	}
}
