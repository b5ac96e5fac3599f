package cli_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/drover-iot/drover/fleet"
	"github.com/drover-iot/drover/fleet/fleettest"
)

// TestFanOut: device commands take several ids, -l or --all; devices that
// are not online are listed as skipped, never asked; the exit code is 0 when
// every asked device succeeded, 1 when some failed, 3 when none was reached.
func TestFanOut(t *testing.T) {
	url := fleettest.StartBroker(t)
	pi := fleettest.NewDevice(t, url, "pi", map[string]string{"room": "lab", "role": "pump"}, deviceHandlers())
	fleettest.NewDevice(t, url, "gw", map[string]string{"room": "hall", "role": "gateway"}, deviceHandlers())
	seed := fleettest.Connect(t, url, "seed")
	topics := fleet.Topics{Prefix: "drover"}
	fleettest.Wait(t, seed.Publish(topics.State("gone"), 1, true, string(fleet.StateLost)))
	fleettest.Wait(t, seed.Publish(topics.Info("gone"), 1, true, `{"v":1,"id":"gone","labels":{"room":"lab","role":"pump"}}`))
	env := map[string]string{"DROVER_BROKER": url}
	tests := []struct {
		name     string
		args     []string
		wantCode int
		wantOut  []string
		wantErr  string
	}{
		{"ids", []string{"task", "ls", "pi", "gw"}, 0, []string{"DEVICE  NAME", "pi      blink", "gw      blink"}, ""},
		{"selector with offline device", []string{"task", "ls", "-l", "room=lab"}, 0,
			[]string{"pi      blink", "gone    skipped: lost"}, ""},
		{"set selector", []string{"task", "ls", "-l", "room in (lab,hall),role!=pump"}, 0, []string{"gw      blink"}, ""},
		{"all json", []string{"task", "ls", "--all", "-o", "json"}, 0,
			[]string{`"device": "gone"`, `"skipped": true`, `"device": "gw"`, `"units": [`}, ""},
		{"status blocks", []string{"status", "--all"}, 0, []string{"=== gw ===", "=== pi ===", "● blink"}, ""},
		{"status yaml keeps one device field", []string{"status", "-l", "role=pump", "-o", "yaml"}, 0, []string{"- device: pi"}, ""},
		{"schedule add by selector", []string{"schedule", "add", "-l", "role", "beat", "--spec", "every 10s", "--handler", "log"}, 0,
			[]string{"DEVICE  NAME", "gw      beat", "pi      beat"}, ""},
		{"every device fails", []string{"task", "stop", "--all", "ghost"}, 1,
			[]string{"gw      failed: not_found: no task named ghost", "pi      failed: not_found"}, "2 of 3 devices failed, 1 skipped"},
		{"parallel 1", []string{"sensors", "-l", "room=lab,role=pump,!x", "--parallel", "1"}, 0,
			[]string{"DEVICE  SENSOR", "pi      system", "gone    skipped: lost"}, ""},
		{"none matches", []string{"info", "-l", "room=attic"}, 3, nil, `no device matches the selector "room=attic"`},
		{"ids and selector", []string{"status", "pi", "-l", "room=lab"}, 2, nil, "status takes 0 argument(s)"},
		{"selector and all", []string{"status", "-l", "room=lab", "--all"}, 2, nil, "not both"},
		{"bad parallel", []string{"status", "--all", "--parallel", "0"}, 2, nil, "--parallel 0"},
		{"bad selector", []string{"status", "-l", "room in (a"}, 2, nil, "bad selector"},
		{"ping selector", []string{"ping", "-l", "room=lab"}, 0, []string{"gone    -      lost", " ok"}, ""},
		{"follow many", []string{"logs", "--all", "-f"}, 2, nil, "-f follows one device"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := fleetctl(t, env, tt.args...)
			if code != tt.wantCode || !strings.Contains(errOut, tt.wantErr) {
				t.Fatalf("exit %d, want %d; stderr %q, want %q\nstdout:\n%s", code, tt.wantCode, errOut, tt.wantErr, out)
			}
			for _, w := range tt.wantOut {
				if !strings.Contains(out, w) {
					t.Errorf("stdout lacks %q:\n%s", w, out)
				}
			}
		})
	}
	if n := len(pi.Requests()); n == 0 {
		t.Error("pi got no request")
	}
}

// TestFanOutUnreachable: when no asked device answers, the exit code is 3.
func TestFanOutUnreachable(t *testing.T) {
	url := fleettest.StartBroker(t)
	seed := fleettest.Connect(t, url, "seed")
	topics := fleet.Topics{Prefix: "drover"}
	for _, id := range []string{"a", "b"} { // retained online, but no agent answers
		fleettest.Wait(t, seed.Publish(topics.State(id), 1, true, string(fleet.StateOnline)))
	}
	fleettest.Wait(t, seed.Publish(topics.State("c"), 1, true, string(fleet.StateOffline)))
	code, out, errOut := fleetctl(t, map[string]string{"DROVER_BROKER": url}, "task", "ls", "--all", "--timeout", "2s", "-o", "json")
	if code != 3 || !strings.Contains(errOut, "none could be reached") {
		t.Fatalf("exit %d, want 3; stderr %s", code, errOut)
	}
	var rows []map[string]any
	if err := json.Unmarshal([]byte(out), &rows); err != nil || len(rows) != 3 {
		t.Fatalf("json %v: %s", err, out)
	}
	if rows[2]["device"] != "c" || rows[2]["skipped"] != true || !strings.Contains(rows[0]["error"].(string), "timed out") {
		t.Fatalf("rows %v", rows)
	}
}
