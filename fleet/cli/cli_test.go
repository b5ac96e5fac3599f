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

	"github.com/drover-iot/drover/agent/status"
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
	blink := status.Unit{Name: "blink", Kind: status.KindTask, State: status.Running, Since: now.Add(-time.Minute)}
	return map[string]fleettest.Handler{
		fleet.CmdPing: func(fleet.Request, func(any)) (any, error) { return fleet.PingResult{}, nil },
		fleet.CmdTaskList: func(fleet.Request, func(any)) (any, error) {
			return fleet.UnitsResult{Units: []status.Unit{blink}}, nil
		},
		fleet.CmdStatus: func(fleet.Request, func(any)) (any, error) {
			return fleet.StatusResult{Device: "pi", Time: now, Tasks: []status.Unit{blink}}, nil
		},
		fleet.CmdAgentRestart: func(fleet.Request, func(any)) (any, error) {
			return fleet.AckResult{Message: "restarting"}, nil
		},
		fleet.CmdSensorsRead: func(fleet.Request, func(any)) (any, error) {
			return fleet.SensorsResult{Readings: []status.Reading{{Sensor: "system", Metric: "network_receive_bytes",
				Value: 1024, Unit: "bytes", Time: now, Labels: map[string]string{"interface": "eth0", "b": "2"}}}}, nil
		},
		fleet.CmdTaskStop: func(fleet.Request, func(any)) (any, error) {
			return nil, fleet.Errorf(fleet.CodeNotFound, "no task named ghost")
		},
		fleet.CmdScheduleAdd: func(req fleet.Request, _ func(any)) (any, error) {
			var a fleet.ScheduleAddArgs
			if err := json.Unmarshal(req.Args, &a); err != nil {
				return nil, fleet.Errorf(fleet.CodeBadRequest, "%v", err)
			}
			return fleet.JobsResult{Jobs: []status.Job{{Name: a.Name, Spec: a.Spec, Handler: a.Job}}}, nil
		},
		fleet.CmdLogs: func(fleet.Request, func(any)) (any, error) {
			return fleet.LogsResult{Records: []fleet.LogRecord{{Seq: 1, TS: now, Level: "info", Source: "blink", Msg: "on",
				Attrs: map[string]any{"pin": 17}}}}, nil
		},
	}
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
	}{
		{"devices", []string{"devices"}, 0, []string{"ID", "LAST SEEN", "gw", "pi", "online", "v1.2.3", "1h0m"}, ""},
		{"devices selector", []string{"devices", "-l", "room=lab", "-o", "json"}, 0, []string{`"id": "pi"`}, ""},
		{"ping", []string{"ping", "pi", "gw"}, 0, []string{"DEVICE", "pi", "gw", "ms"}, ""},
		{"ping all", []string{"ping", "--all", "-o", "json"}, 0, []string{`"device": "gw"`, `"ok": true`}, ""},
		{"status", []string{"status", "pi"}, 0, []string{"● blink: status: running since", "1 min ago"}, ""},
		{"status json", []string{"status", "pi", "-o", "json"}, 0, []string{`"device": "pi"`, `"name": "blink"`}, ""},
		{"agent restart", []string{"agent", "restart", "pi"}, 0, []string{"DEVICE", "pi", "restarting"}, ""},
		{"sensors", []string{"sensors", "pi"}, 0, []string{"LABELS", "network_receive_bytes", "b=2,interface=eth0", "1024"}, ""},
		{"task ls", []string{"task", "ls", "pi"}, 0, []string{"blink", "running", "1m ago"}, ""},
		{"task ls yaml", []string{"task", "ls", "pi", "-o", "yaml"}, 0, []string{"units:", "name: blink"}, ""},
		{"device error exits 1", []string{"task", "stop", "pi", "ghost"}, 1, nil, "not_found: no task named ghost"},
		{"unknown command on device", []string{"config", "pi"}, 1, nil, "unknown_command"},
		{"schedule add", []string{"schedule", "add", "pi", "beat", "--spec", "every 10s", "--job", "heartbeat", "--arg", "x=1"}, 0,
			[]string{"beat", "every 10s", "heartbeat"}, ""},
		{"schedule add bad spec", []string{"schedule", "add", "pi", "beat", "--spec", "every banana", "--job", "h"}, 2, nil, "--spec"},
		{"schedule add no job", []string{"schedule", "add", "pi", "beat", "--spec", "every 10s"}, 2, nil, "--job"},
		{"logs", []string{"logs", "pi", "-n", "5"}, 0, []string{"INFO  blink on pin=17"}, ""},
		{"logs bad grep", []string{"logs", "pi", "--grep", "("}, 2, nil, "--grep"},
		{"bad flag", []string{"devices", "--nope"}, 2, nil, "unknown flag"},
		{"missing arg", []string{"status"}, 2, nil, "accepts 1 arg"},
		{"bad device id", []string{"status", "Pi/#"}, 2, nil, "invalid device id"},
		{"bad output", []string{"devices", "-o", "xml"}, 2, nil, "--output"},
		{"bad selector", []string{"devices", "-l", "room"}, 2, nil, "selector"},
		{"ping needs targets", []string{"ping"}, 2, nil, "--all"},
		{"timeout exits 3", []string{"ping", "ghost", "--timeout", "300ms"}, 3, []string{"ghost"}, "timed out"},
		{"unreachable exits 3", []string{"devices", "--broker", "tcp://127.0.0.1:1", "--timeout", "2s"}, 3, nil, "unreachable"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := fleetctl(t, env, tt.args...)
			if code != tt.wantCode {
				t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tt.wantCode, out, errOut)
			}
			for _, want := range tt.wantOut {
				if !strings.Contains(out, want) {
					t.Errorf("stdout lacks %q:\n%s", want, out)
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
