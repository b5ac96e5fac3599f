package main

import (
	"bytes"
	"context"
	"net"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/drover-iot/drover/agent"
	"github.com/drover-iot/drover/agent/config"
)

func noEnv(string) string { return "" }

func TestRunExitCodes(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.yaml")
	good := filepath.Join(dir, "good.yaml")
	if err := os.WriteFile(bad, []byte("id: dev1\nbogus: 1\nbroker:\n  keepalive: soon\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(good, []byte("id: dev1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		args   []string
		env    map[string]string
		code   int
		output string
	}{
		{"version", []string{"version"}, nil, exitOK, "agent "},
		{"check good", []string{"check-config", good}, nil, exitOK, "ok"},
		{"check bad: every problem with its line", []string{"check-config", bad}, nil, exitFail, "bad.yaml:2"},
		{"check bad: second problem", []string{"check-config", bad}, nil, exitFail, "bad.yaml:4"},
		{"invalid id flag", []string{"--id", "Bad/ID", "--data-dir", dir}, nil, exitConfig, "device id"},
		{"invalid id env", []string{"--data-dir", dir}, map[string]string{"DROVER_ID": "UPPER"}, exitConfig, "device id"},
		{"unknown flag", []string{"--nope"}, nil, exitConfig, "agent help"},
		{"unknown command", []string{"dance"}, nil, exitConfig, "unknown command"},
		{"help flag", []string{"--help"}, nil, exitOK, "usage"},
		{"help command", []string{"help"}, nil, exitOK, "selftest"},
		{"check --config after the command", []string{"check-config", "--config", good}, nil, exitOK, "ok"},
		{"check: flags after the file apply", []string{"check-config", good, "--id", "Bad/ID"}, nil, exitFail, "device id"},
		{"check without a file", []string{"check-config"}, nil, exitConfig, "usage"},
		{"selftest: unknown flag after the command", []string{"selftest", "--nope"}, nil, exitConfig, "agent help"},
		{"selftest: broker flag after the command", []string{"selftest", "--data-dir", dir, "--broker", closedPort(t)}, nil, exitFail, "selftest: broker"},
		{"selftest: embedded broker not probed", []string{"selftest", "--data-dir", dir}, nil, exitOK, "broker: embedded (not probed"},
		{"selftest: id after the command", []string{"selftest", "--data-dir", dir, "--id", "Bad/ID"}, nil, exitFail, "device id"},
		{"version takes no arguments", []string{"version", "extra"}, nil, exitConfig, "no arguments"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			getenv := func(k string) string { return tt.env[k] }
			code := run(context.Background(), tt.args, &out, &out, getenv)
			if code != tt.code {
				t.Errorf("exit %d, want %d; output:\n%s", code, tt.code, out.String())
			}
			if !strings.Contains(out.String(), tt.output) {
				t.Errorf("output lacks %q:\n%s", tt.output, out.String())
			}
		})
	}
}

// closedPort returns the URL of a local port nobody listens on.
func closedPort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	if err := ln.Close(); err != nil {
		t.Fatal(err)
	}
	return "tcp://" + addr
}

// TestLockedDataDir holds the data dir's lock the way a running agent does;
// a second agent on that dir must refuse to start (exit 2) naming the dir.
func TestLockedDataDir(t *testing.T) {
	dir := t.TempDir()
	f, err := os.OpenFile(filepath.Join(dir, "agent.lock"), os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteString("4242\n"); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	args := []string{"--data-dir", dir, "--id", "dev1", "--broker", closedPort(t), "--metrics-listen", "127.0.0.1:0"}
	code := run(context.Background(), args, &out, &out, noEnv)
	if code != exitConfig || !strings.Contains(out.String(), dir) || !strings.Contains(out.String(), "pid 4242") {
		t.Errorf("exit %d, output %q; want exit 2 naming %s and pid 4242", code, out.String(), dir)
	}
	if strings.Contains(out.String(), "agent: agent:") {
		t.Errorf("error stutters: %q", out.String())
	}
}

func TestFlagsOverrideEnv(t *testing.T) {
	env := map[string]string{"DROVER_BROKER": "tcp://env:1883", "DROVER_ID": "envid"}
	o, _, err := parseFlags([]string{"--id", "flagid"}, &bytes.Buffer{}, func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	if o.ov.ID != "flagid" || o.ov.BrokerURL != "tcp://env:1883" {
		t.Errorf("overrides %+v: want the flag's id and the env's broker", o.ov)
	}
}

// TestSelftestArgsRoundTrip: the args the agent gives the new binary's
// selftest (OTA) make it load the running agent's effective config.
func TestSelftestArgsRoundTrip(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "agent.yaml")
	if err := os.WriteFile(file, []byte("id: fileid\nmetrics:\n  enabled: false\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"DROVER_BROKER": "tcp://envbroker:1883"}
	o, _, err := parseFlags([]string{"--config", file, "--id", "flagid", "--data-dir", dir}, &bytes.Buffer{}, func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	running, err := config.LoadWith(o.config, o.ov)
	if err != nil {
		t.Fatal(err)
	}
	args := agent.SelftestArgs(running, absPath(o.config))
	o2, rest, err := parseFlags(args, &bytes.Buffer{}, noEnv) // the new binary may not see the env
	if err != nil || len(rest) != 1 || rest[0] != "selftest" {
		t.Fatalf("parse %q: rest %q, err %v", args, rest, err)
	}
	got, err := config.LoadWith(o2.config, o2.ov)
	if err != nil {
		t.Fatal(err)
	}
	if got.ID != "flagid" || got.DataDir != dir || got.Broker.URL != "tcp://envbroker:1883" || o2.config != file {
		t.Errorf("selftest sees id %q data dir %q broker %q config %q; want the running agent's", got.ID, got.DataDir, got.Broker.URL, o2.config)
	}
}

// TestHelpGoesToStdout checks that asked-for help can be paged (agent --help | less)
// and that a usage error leaves stdout alone.
func TestHelpGoesToStdout(t *testing.T) {
	for _, args := range [][]string{{"--help"}, {"-h"}, {"help"}} {
		var stdout, stderr bytes.Buffer
		if code := run(context.Background(), args, &stdout, &stderr, func(string) string { return "" }); code != exitOK {
			t.Errorf("%v: exit %d, want %d", args, code, exitOK)
		}
		if !strings.Contains(stdout.String(), "check-config") || stderr.Len() != 0 {
			t.Errorf("%v: stdout %q, stderr %q; want the help on stdout only", args, stdout.String(), stderr.String())
		}
	}
	var stdout, stderr bytes.Buffer
	if code := run(context.Background(), []string{"--nope"}, &stdout, &stderr, func(string) string { return "" }); code != exitConfig {
		t.Errorf("--nope: exit %d, want %d", code, exitConfig)
	}
	if stdout.Len() != 0 || !strings.Contains(stderr.String(), "agent help") {
		t.Errorf("--nope: stdout %q, stderr %q; want a hint on stderr only", stdout.String(), stderr.String())
	}
}
