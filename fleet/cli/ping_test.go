package cli_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/drover-iot/drover/fleet"
	"github.com/drover-iot/drover/fleet/fleettest"
)

// pingFleet starts a broker with "pi" (online, answers), "zombie" (answers,
// but its retained state says offline), "old" (retained state lost, no
// device) and, retained online without a device, each of silent.
func pingFleet(t *testing.T, silent []string) (url string, zombie *fleettest.Device) {
	t.Helper()
	url = fleettest.StartBroker(t)
	ping := map[string]fleettest.Handler{
		fleet.CmdPing: func(fleet.Request, func(any)) (any, error) { return fleet.PingResult{}, nil },
	}
	fleettest.NewDevice(t, url, "pi", nil, ping)
	zombie = fleettest.NewDevice(t, url, "zombie", nil, ping)
	ctl := fleettest.Connect(t, url, "ctl")
	retain := map[string]fleet.DeviceState{"zombie": fleet.StateOffline, "old": fleet.StateLost}
	for _, id := range silent {
		retain[id] = fleet.StateOnline
	}
	for id, state := range retain {
		fleettest.Wait(t, ctl.Publish(fleet.Topics{}.State(id), 1, true, string(state)))
	}
	return url, zombie
}

// TestPingAll: --all pings only online devices and lists the others with
// their state without waiting for them; --include-offline pings them too;
// only online devices that do not answer fail the command.
func TestPingAll(t *testing.T) {
	tests := []struct {
		name       string
		args       []string
		silent     []string
		wantCode   int
		wantRows   map[string][]string // device -> substrings of its table row
		wantOut    []string            // substrings of stdout
		wantErr    string
		zombiePing bool // zombie received a ping
	}{
		{"online only, offline listed without waiting", []string{"--timeout", "1h"}, nil, 0,
			map[string][]string{"pi": {"ms", " ok"}, "zombie": {" -", " offline"}, "old": {" -", " lost"}}, nil, "", false},
		{"json marks skipped devices", []string{"--timeout", "1h", "-o", "json"}, nil, 0, nil,
			[]string{`"state": "lost"`, `"skipped": true`, `"device": "pi"`, `"ok": true`}, "", false},
		{"--include-offline pings them; their silence is no failure", []string{"--include-offline", "--timeout", "1s"}, nil, 0,
			map[string][]string{"pi": {" ok"}, "zombie": {"ms", " ok"}, "old": {"lost: ", "timed out"}}, nil, "", true},
		{"a silent online device fails", []string{"--timeout", "1s"}, []string{"dead"}, 3,
			map[string][]string{"dead": {"timed out"}, "old": {" lost"}}, nil, "1 of 2 devices failed", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			url, zombie := pingFleet(t, tt.silent)
			code, out, errOut := fleetctl(t, map[string]string{"DROVER_BROKER": url}, append([]string{"ping", "--all"}, tt.args...)...)
			if code != tt.wantCode || !strings.Contains(errOut, tt.wantErr) {
				t.Fatalf("exit %d, stderr %q; want %d and %q\nstdout:\n%s", code, errOut, tt.wantCode, tt.wantErr, out)
			}
			for dev, wants := range tt.wantRows {
				row := rowOf(out, dev)
				for _, want := range wants {
					if !strings.Contains(row, want) {
						t.Errorf("row of %s lacks %q: %q\n%s", dev, want, row, out)
					}
				}
			}
			for _, want := range tt.wantOut {
				if !strings.Contains(out, want) {
					t.Errorf("stdout lacks %q:\n%s", want, out)
				}
			}
			pinged := slices.ContainsFunc(zombie.Requests(), func(r fleet.Request) bool { return r.Cmd == fleet.CmdPing })
			if pinged != tt.zombiePing {
				t.Errorf("offline zombie pinged = %v, want %v", pinged, tt.zombiePing)
			}
		})
	}
}

func TestPingUsage(t *testing.T) {
	code, _, errOut := fleetctl(t, nil, "ping", "pi", "--include-offline")
	if code != 2 || !strings.Contains(errOut, "--include-offline goes with --all") {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
}

// rowOf returns the table line whose first column is dev.
func rowOf(out, dev string) string {
	for line := range strings.Lines(out) {
		if f := strings.Fields(line); len(f) > 0 && f[0] == dev {
			return line
		}
	}
	return ""
}
