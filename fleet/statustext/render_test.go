package statustext

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/drover-iot/drover/fleet"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

var t0 = time.Date(2026, 11, 21, 10, 0, 4, 0, time.UTC)

func at(d time.Duration) *time.Time { t := t0.Add(d); return &t }
func ptr[T any](v T) *T             { return &v }

// sample is a snapshot with every state and detail the renderer knows.
func sample() fleet.Snapshot {
	return fleet.Snapshot{
		Device: "pi-weather-01", Time: t0, Version: "v1.4.2", Uptime: 3*3600 + 300,
		Tasks: []fleet.Unit{
			{Name: "blink", Kind: fleet.KindTask, Type: "blink", State: fleet.UnitRunning, Since: t0.Add(-4 * time.Second),
				StartedAt: at(-4 * time.Second), Args: map[string]any{"pin": 17, "hz": 2},
				Profile: fleet.Profile{Starts: 3, Restarts: 2, RunTime: 2*time.Hour + 5*time.Minute}},
			{Name: "fetch", Kind: fleet.KindTask, Type: "fetch", State: fleet.UnitDone, Since: t0.Add(-3*time.Minute - 2*time.Second),
				Result: map[string]any{"rows": 42}, Profile: fleet.Profile{Starts: 1, RunTime: 1500 * time.Millisecond, LastRunDuration: 1500 * time.Millisecond}},
			{Name: "crashy", Kind: fleet.KindTask, Type: "crashy", State: fleet.UnitFailed, Since: t0.Add(-26 * time.Hour),
				Error:  "supervise: task panicked: runtime error: index out of range [3] with length 3",
				Stack:  "goroutine 7 [running]:\nmain.crashy(...)\n\t/src/main.go:42 +0x1d\n",
				Reason: "start-limit-hit: 5 starts within 1m", Profile: fleet.Profile{Starts: 5, Restarts: 4, WatchdogMisses: 1}},
			{Name: "idle", Kind: fleet.KindTask, State: fleet.UnitPending},
		},
		Services: []fleet.Unit{
			{Name: "serial-bridge", Kind: fleet.KindService, Type: "exec", State: fleet.UnitRunning, Since: t0.Add(-3 * time.Hour),
				Enabled: ptr(true), PID: 812, Profile: fleet.Profile{Starts: 1, RunTime: 3 * time.Hour}},
			{Name: "collector", Kind: fleet.KindService, Type: "exec", State: fleet.UnitBackoff, Since: t0.Add(-2 * time.Second),
				Enabled: ptr(true), Requires: []string{"serial-bridge"}, ExitCode: ptr(1),
				Error: "exit status 1", NextStart: at(3 * time.Second), Profile: fleet.Profile{Starts: 2, Restarts: 1}},
			{Name: "legacy", Kind: fleet.KindService, Type: "exec", State: fleet.UnitStopped, Since: t0.Add(-5 * 24 * time.Hour),
				Enabled: ptr(false), Signal: "SIGKILL"},
		},
		Jobs: []fleet.Job{
			{Name: "upload", Spec: "every 10m jitter 30s", Tags: []string{"network"}, NextRun: at(6 * time.Minute),
				LastRun: at(-4 * time.Minute), LastDuration: 2 * time.Second, Lateness: 3 * time.Millisecond, Runs: 18, Skips: 1},
			{Name: "rotate", Spec: "every day at 03:30", Handler: "rotate", Paused: true, Runs: 2},
			{Name: "restored", Spec: "every 1h", Handler: "gone", Broken: "handler \"gone\" is not registered"},
			{Name: "once", Spec: "in 30s", Handler: "hello", LastRun: at(-time.Minute), LastError: "boom\nsecond line", Runs: 1, Failures: 1},
			{Name: "busy", Spec: "rate 10hz", Handler: "poll", Running: 1, NextRun: at(100 * time.Millisecond), Runs: 36000},
		},
		Sensors: []fleet.Reading{{Sensor: "air", Metric: "temperature", Value: 21.5, Unit: "celsius", Time: t0.Add(-4 * time.Second)},
			{Sensor: "system", Metric: "network_receive_bytes", Value: 1024, Unit: "bytes", Time: t0.Add(-4 * time.Second),
				Labels: map[string]string{"interface": "eth0", "a": "b"}}},
		OTA: map[string]any{"state": "idle", "version": "v1.4.2"},
	}
}

func TestRenderGolden(t *testing.T) {
	tests := []struct {
		name string
		opt  TextOptions
	}{
		{"status", TextOptions{Location: time.UTC}},
		{"status-debug", TextOptions{Debug: true, Location: time.UTC}},
		{"status-color", TextOptions{Color: true, Now: t0.Add(time.Minute), Location: time.UTC}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := RenderText(&buf, sample(), tt.opt); err != nil {
				t.Fatal(err)
			}
			golden(t, tt.name+".golden", buf.Bytes())
		})
	}
}

func TestRenderJSONIsTheModel(t *testing.T) {
	var buf bytes.Buffer
	if err := RenderJSON(&buf, sample()); err != nil {
		t.Fatal(err)
	}
	golden(t, "status.json.golden", buf.Bytes())
	var back fleet.Snapshot
	if err := json.Unmarshal(buf.Bytes(), &back); err != nil {
		t.Fatal(err)
	}
	if back.Device != "pi-weather-01" || len(back.Jobs) != 5 || *back.Services[1].ExitCode != 1 {
		t.Errorf("round trip lost data: %+v", back)
	}
}

func TestUnitAndJobText(t *testing.T) {
	s := sample()
	opt := TextOptions{Now: t0, Location: time.UTC}
	if got, want := UnitText(s.Tasks[0], opt), "● blink: status: running since 2026-11-21 10:00:00; 4 s ago\n"; got != want {
		t.Errorf("UnitText = %q, want %q", got, want)
	}
	if got := JobText(s.Jobs[0], opt); !strings.HasPrefix(got, "◷ upload: status: scheduled; every 10m jitter 30s; next run 2026-11-21 10:06:04 (in 6 min)") {
		t.Errorf("JobText = %q", got)
	}
}

func TestHumanize(t *testing.T) {
	tests := []struct {
		d    time.Duration
		want string
	}{
		{250 * time.Millisecond, "250 ms"},
		{4 * time.Second, "4 s"},
		{4*time.Second + 900*time.Millisecond, "4 s"},
		{3 * time.Minute, "3 min"},
		{3*time.Minute + 2*time.Second, "3 min 2 s"},
		{2*time.Hour + 5*time.Minute, "2 h 5 min"},
		{2 * time.Hour, "2 h"},
		{27 * time.Hour, "1 day 3 h"},
		{24 * time.Hour, "1 day"},
		{3*24*time.Hour + 5*time.Hour, "3 days"},
		{-4 * time.Second, "4 s"},
		{0, "0 s"},
	}
	for _, tt := range tests {
		if got := Humanize(tt.d); got != tt.want {
			t.Errorf("Humanize(%v) = %q, want %q", tt.d, got, tt.want)
		}
	}
}

func TestGlyphs(t *testing.T) {
	seen := map[string]fleet.UnitState{}
	for _, s := range []fleet.UnitState{fleet.UnitRunning, fleet.UnitPending, fleet.UnitBackoff, fleet.UnitStopped, fleet.UnitDone, fleet.UnitFailed} {
		g := Glyph(s)
		if prev, dup := seen[g]; dup || g == "?" {
			t.Errorf("state %s has glyph %q (also %s)", s, g, prev)
		}
		seen[g] = s
	}
	if Glyph("weird") != "?" {
		t.Error("unknown state needs a visible glyph")
	}
}

// golden compares got with testdata/name, or rewrites it under -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file:\n--- got\n%s\n--- want\n%s", name, got, want)
	}
}

func TestRenderOutbox(t *testing.T) {
	s := fleet.Snapshot{Device: "pi", Time: time.Date(2026, 12, 5, 10, 0, 0, 0, time.UTC),
		Outbox: &fleet.OutboxStatus{Records: 42, Bytes: 6300, OldestAge: 90, Dropped: 3}}
	var b strings.Builder
	if err := RenderText(&b, s, TextOptions{}); err != nil {
		t.Fatal(err)
	}
	if want := "Outbox: 42 messages, 6300 bytes, oldest 1 min 30 s, 3 dropped\n"; !strings.Contains(b.String(), want) {
		t.Fatalf("no %q in\n%s", want, b.String())
	}
}

func TestHeaderNamesBroker(t *testing.T) {
	var b strings.Builder
	s := fleet.Snapshot{Device: "gw", Version: "v1", Broker: "tcp://n2:1883", Time: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)}
	if err := RenderText(&b, s, TextOptions{}); err != nil {
		t.Fatal(err)
	}
	if first, _, _ := strings.Cut(b.String(), "\n"); !strings.Contains(first, ", via tcp://n2:1883") {
		t.Errorf("header %q does not name the broker", first)
	}
}
