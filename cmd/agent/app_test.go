package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
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
		{"unknown flag", []string{"--nope"}, nil, exitConfig, "usage"},
		{"unknown command", []string{"dance"}, nil, exitConfig, "unknown command"},
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
