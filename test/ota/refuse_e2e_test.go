package otae2e

import (
	"encoding/base64"
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/drover-iot/drover/fleet"
	"github.com/drover-iot/drover/ota/state"
	"github.com/drover-iot/drover/ota/transfer"
)

// otherArch is an architecture this machine is not.
func otherArch() string {
	if runtime.GOARCH == "arm64" {
		return "amd64"
	}
	return "arm64"
}

// TestRefusals publishes bad artifacts to a v1 device: each is refused
// with its reason in the reply and in the status, and v1 keeps running.
func TestRefusals(t *testing.T) {
	e := newEnv(t)
	d := e.device("dev1")
	v1 := d.binarySHA()
	otherKey, _ := keys(t, e.mq.url())
	tests := []struct {
		name, reason string
		publish      func(artifact string)
	}{
		{"tampered chunk", "chunk_hash", func(a string) {
			e.publish("v2", "v2", "2", "--artifact", a)
			publishRaw(t, e.mq.url(), transfer.Topics{Artifact: a}.Chunk(transfer.KindFull, 3), []byte("not the chunk"))
		}},
		{"wrong signature", "bad_signature", func(a string) {
			e.publish("v2", "v2", "2", "--artifact", a)
			tamperManifest(t, e.mq.url(), a)
		}},
		{"unknown key", "unknown_key", func(a string) {
			fleetctlOK(t, e.mq.url(), "ota", "publish", bins["v2"], "--version", "v2", "--build", "2", "--key", otherKey, "--artifact", a)
		}},
		{"wrong arch", "wrong_platform", func(a string) { e.publishFile(script(t), "v2", "2", "--artifact", a, "--arch", otherArch()) }},
		{"downgrade", "downgrade", func(a string) { e.publish("v1", "v1", "1", "--artifact", a) }},
		{"expired", "expired", func(a string) { e.publish("v2", "v2", "2", "--artifact", a, "--expires", "1ms") }},
		{"selftest fails", "selftest", func(a string) { e.publish("exit1", "v3", "3", "--artifact", a) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			artifact := strings.ReplaceAll(tt.name, " ", "-")
			tt.publish(artifact)
			out, code := fleetctl(t, e.mq.url(), "ota", "push", "dev1", "--artifact", artifact)
			if code != 1 || !strings.Contains(out, tt.reason) {
				t.Errorf("push: exit %d, want 1 with the reason %q:\n%s", code, tt.reason, out)
			}
			if n := linesWith(out, tt.reason); n != 1 {
				t.Errorf("push printed the reason on %d lines, want once:\n%s", n, out)
			}
			_, rec := settled(t, e.client, "dev1", "v1")
			if rec.State != state.Failed || !strings.HasPrefix(rec.Reason, tt.reason+": ") {
				t.Errorf("ota record %s %q, want failed with reason %s", rec.State, rec.Reason, tt.reason)
			}
			var snap fleet.StatusResult
			if err := query(e.client, "dev1", fleet.CmdStatus, &snap); err != nil || !strings.Contains(toJSON(snap.OTA), tt.reason) {
				t.Errorf("status snapshot's ota %s (%v) lacks the reason", toJSON(snap.OTA), err)
			}
			if d.binarySHA() != v1 {
				t.Fatal("the binary at the device's path changed")
			}
		})
	}
	waitState(t, e.client, "dev1", fleet.StateOnline)
}

// tamperManifest changes the signed manifest bytes of artifact but keeps
// the signature.
func tamperManifest(t testing.TB, broker, artifact string) {
	t.Helper()
	topic := transfer.Topics{Artifact: artifact}.Manifest()
	var env map[string]any
	if err := json.Unmarshal(retained(t, broker, topic), &env); err != nil {
		t.Fatal(err)
	}
	raw, _ := base64.StdEncoding.DecodeString(env["manifest"].(string))
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	m["version"] = "v9" // the signed bytes change; the signature stays
	raw, _ = json.Marshal(m)
	env["manifest"] = base64.StdEncoding.EncodeToString(raw)
	b, _ := json.Marshal(env)
	publishRaw(t, broker, topic, b)
}

func toJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// linesWith counts the lines of out that contain s.
func linesWith(out, s string) int {
	n := 0
	for _, l := range strings.Split(out, "\n") {
		if strings.Contains(l, s) {
			n++
		}
	}
	return n
}

// script is a non-ELF "binary" (publish takes its platform from the flags:
// an ELF binary's header would contradict --arch).
func script(t *testing.T) string {
	path := filepath.Join(t.TempDir(), "agent.sh")
	if err := os.WriteFile(path, []byte("#!/bin/sh\nexit 0\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	return path
}
