package e2e

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/drover-iot/drover/fleet"
	"github.com/drover-iot/drover/ota/sign"
)

// signedAgent starts a demo agent that trusts an operator and a viewer
// key made by fleetctl keygen, and returns the keys' directory.
func signedAgent(t *testing.T, broker, dev string) string {
	t.Helper()
	dir := t.TempDir()
	keys := map[string]string{}
	for _, role := range []string{"operator", "viewer"} {
		out := fleetctlOK(t, "", "keygen", "--out", dir, "--name", role)
		m := regexp.MustCompile(`(?m)^    - \{key: (\S+), role: operator\}$`).FindStringSubmatch(out)
		if m == nil {
			t.Fatalf("keygen printed no control stanza:\n%s", out)
		}
		keys[role] = m[1]
	}
	conf := fmt.Sprintf("id: %s\ncontrol:\n  keys:\n    - {key: %q, role: operator}\n    - {key: %q, role: viewer}\n",
		dev, keys["operator"], keys["viewer"])
	w := watch(t, broker, "drover/"+dev+"/state")
	startAgentConfig(t, "agent-"+dev, writeFile(t, "agent.yaml", conf), "--demo", "--broker", broker,
		"--data-dir", t.TempDir(), "--metrics-listen", metricsAddr(t))
	w.expect("drover/"+dev+"/state", "online")
	return dir
}

// TestSignedCommandsE2E: a device with control.keys refuses unsigned
// requests and requests beyond the key's role, and serves those within it.
func TestSignedCommandsE2E(t *testing.T) {
	m := startMosquitto(t)
	dir := signedAgent(t, m.url(), "sig1")
	viewer, operator := filepath.Join(dir, "viewer.key"), filepath.Join(dir, "operator.key")
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"unsigned", []string{"status", "sig1"}, 1, "forbidden: unsigned request"},
		{"viewer status", []string{"--signing-key", viewer, "status", "sig1"}, 0, "heartbeat"},
		{"viewer task stop", []string{"--signing-key", viewer, "task", "stop", "sig1", "heartbeat"}, 1, "role viewer; task.stop needs operator"},
		{"operator task stop", []string{"--signing-key", operator, "task", "stop", "sig1", "heartbeat"}, 0, "stopped"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, code := fleetctl(t, m.url(), tt.args...)
			if code != tt.code || !strings.Contains(out, tt.want) {
				t.Fatalf("fleetctl %v: exit %d, want %d with %q:\n%s", tt.args, code, tt.code, tt.want, out)
			}
		})
	}
}

// TestSignedReplayE2E: a captured signed task.restart published again is
// answered but not run again (the restart count stays); a signed request
// whose exp has passed is refused as expired.
func TestSignedReplayE2E(t *testing.T) {
	m := startMosquitto(t)
	dir := signedAgent(t, m.url(), "sig2")
	operator := filepath.Join(dir, "operator.key")
	spy := watch(t, m.url(), "drover/sig2/cmd", "drover/sig2/reply/#")
	fleetctlOK(t, m.url(), "--signing-key", operator, "task", "restart", "sig2", "heartbeat")
	captured := spy.expect("drover/sig2/cmd", `"task.restart"`)
	var req fleet.Request
	if err := json.Unmarshal([]byte(captured), &req); err != nil || req.Sig == nil {
		t.Fatalf("captured request not signed: %v %s", err, captured)
	}
	before := signedRestarts(t, m.url(), operator)
	if before == 0 {
		t.Fatalf("the signed task.restart did not restart heartbeat")
	}
	spy.publish("drover/sig2/cmd", []byte(captured))
	spy.expect("drover/sig2/reply/"+req.From, `"id":"`+req.ID+`"`)
	if after := signedRestarts(t, m.url(), operator); after != before {
		t.Fatalf("replayed task.restart ran again: restarts %d -> %d", before, after)
	}

	key, err := sign.LoadPrivateKey(operator, "")
	if err != nil {
		t.Fatal(err)
	}
	exp := time.Now().Add(-time.Second).UTC()
	old := fleet.Request{V: fleet.Version, ID: "expired-1", Cmd: fleet.CmdPing, From: "e2e", Exp: &exp}
	fleet.SignRequest(key, "sig2", &old)
	payload, _ := json.Marshal(old)
	spy.publish("drover/sig2/cmd", payload)
	spy.expect("drover/sig2/reply/e2e", `"code":"expired"`)
}

// signedRestarts is the heartbeat task's restart count.
func signedRestarts(t *testing.T, broker, key string) uint64 {
	t.Helper()
	var res fleet.UnitsResult
	fleetctlJSON(t, broker, &res, "--signing-key", key, "task", "ls", "sig2")
	for _, u := range res.Units {
		if u.Name == "heartbeat" {
			return u.Profile.Restarts
		}
	}
	t.Fatalf("no heartbeat task: %s", dump(res))
	return 0
}
