package cli_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/drover-iot/drover/fleet"
	"github.com/drover-iot/drover/fleet/fleettest"
)

// TestDevicesForget: --forget clears an offline or lost device's retained
// topics, refuses an online one unless --force, and reports unknown ids.
func TestDevicesForget(t *testing.T) {
	url := fleettest.StartBroker(t)
	fleettest.NewDevice(t, url, "pi", nil, nil)
	seed := fleettest.Connect(t, url, "seed")
	var topics fleet.Topics
	info, _ := json.Marshal(fleet.InfoDoc{V: fleet.Version, ID: "old-test-1", Version: "v0.1.0"})
	fleettest.Wait(t, seed.Publish(topics.State("old-test-1"), 1, true, string(fleet.StateLost)))
	fleettest.Wait(t, seed.Publish(topics.Info("old-test-1"), 1, true, info))
	fleettest.Wait(t, seed.Publish(topics.State("gone"), 1, true, string(fleet.StateOffline)))
	env := map[string]string{"DROVER_BROKER": url}
	// Steps run in order: each sees what the previous ones left on the broker.
	steps := []struct {
		name     string
		args     []string
		wantCode int
		wantOut  string
		wantErr  string
		listed   []string // devices expected in `devices` afterwards
		gone     []string // devices expected absent afterwards
	}{
		{"online refused", []string{"--forget", "pi"}, 1, `device "pi" is online: stop its agent first, or use --force`,
			"1 of 1 devices failed", []string{"pi", "old-test-1", "gone"}, nil},
		{"lost and offline", []string{"--forget", "old-test-1,gone"}, 0, "forgotten", "",
			[]string{"pi"}, []string{"old-test-1", "gone"}},
		{"unknown", []string{"--forget", "nosuch"}, 3, `device "nosuch" is unknown`, "1 of 1", []string{"pi"}, nil},
		{"online with force", []string{"--forget", "pi", "--force"}, 0, "forgotten", "", nil, []string{"pi"}},
		{"force alone", []string{"--force"}, 2, "", "--force goes with --forget", nil, nil},
		{"with selector", []string{"--forget", "pi", "-l", "a=b"}, 2, "", "not both", nil, nil},
	}
	for _, st := range steps {
		code, out, errOut := fleetctl(t, env, append([]string{"devices"}, st.args...)...)
		if code != st.wantCode || !strings.Contains(out, st.wantOut) || !strings.Contains(errOut, st.wantErr) {
			t.Fatalf("%s: exit %d, stdout %q, stderr %q", st.name, code, out, errOut)
		}
		_, list, _ := fleetctl(t, env, "devices")
		for _, id := range st.listed {
			if !strings.Contains(list, id+" ") {
				t.Errorf("%s: devices lacks %s:\n%s", st.name, id, list)
			}
		}
		for _, id := range st.gone {
			if strings.Contains(list, id+" ") {
				t.Errorf("%s: devices still lists %s:\n%s", st.name, id, list)
			}
		}
	}
}

// TestPingErrorOnce: a failed ping shows its error in its row only; the
// summary on stderr counts failures.
func TestPingErrorOnce(t *testing.T) {
	url := fleettest.StartBroker(t)
	code, out, errOut := fleetctl(t, map[string]string{"DROVER_BROKER": url}, "ping", "nosuch", "--timeout", "300ms")
	if code != 3 || strings.Count(out+errOut, "timed out") != 1 || !strings.Contains(errOut, "1 of 1 devices failed") {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, out, errOut)
	}
}

// TestConfigFileErrors: problems in the config file name the file, the
// line and the key, never a Go type.
func TestConfigFileErrors(t *testing.T) {
	tests := []struct {
		name, yaml string
		want       []string
	}{
		{"unknown key", "broker: tcp://x:1\nbogus: 1\n", []string{`: line 2: unknown key "bogus"`}},
		{"bad duration", "timeout: soon\n", []string{`line 1: timeout: want a duration such as 5s`}},
		{"bad bool", "insecure: maybe\n", []string{`line 1: insecure: want true or false, got "maybe"`}},
		{"all problems", "bogus: 1\ntimeout: x\n", []string{"line 1: unknown key", "line 2: timeout"}},
		{"not a mapping", "- broker\n", []string{"line 1: want keys and values"}},
		{"nested value", "broker:\n  url: x\n", []string{"line 2: broker: want a single value"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "fleetctl.yaml")
			if err := os.WriteFile(path, []byte(tt.yaml), 0o600); err != nil {
				t.Fatal(err)
			}
			code, _, errOut := fleetctl(t, nil, "devices", "--config", path)
			if code != 2 || strings.Contains(errOut, "cli.Settings") || strings.Contains(errOut, "time.Duration") {
				t.Fatalf("exit %d, stderr %q", code, errOut)
			}
			for _, w := range tt.want {
				if !strings.Contains(errOut, "config file "+path) || !strings.Contains(errOut, w) {
					t.Errorf("stderr lacks %q: %q", w, errOut)
				}
			}
			if code, out, _ := fleetctl(t, nil, "version", "--config", path); code != 0 || !strings.Contains(out, "fleetctl ") {
				t.Errorf("version with a bad config file: exit %d, %q", code, out)
			}
		})
	}
}
