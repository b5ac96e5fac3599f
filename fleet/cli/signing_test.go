package cli_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/drover-iot/drover/fleet"
	"github.com/drover-iot/drover/fleet/fleettest"
	"github.com/drover-iot/drover/ota/sign"
)

// TestSigningKey: keygen makes a key pair and prints the agent stanza;
// with --signing-key (or signing_key in the config file) every request
// carries a signature the device's keyring accepts.
func TestSigningKey(t *testing.T) {
	url := fleettest.StartBroker(t)
	dev := fleettest.NewDevice(t, url, "pi", nil, deviceHandlers())
	env := map[string]string{"DROVER_BROKER": url}
	dir := t.TempDir()
	code, out, errOut := fleetctl(t, env, "keygen", "--out", dir, "--name", "op")
	if code != 0 || !strings.Contains(out, "control:\n  keys:\n    - {key: RW") {
		t.Fatalf("keygen: exit %d\n%s%s", code, out, errOut)
	}
	keyPath := filepath.Join(dir, "op.key")
	conf := filepath.Join(dir, "fleetctl.yaml")
	if err := os.WriteFile(conf, []byte("signing_key: "+keyPath+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"--signing-key", keyPath, "ping", "pi"}, {"--config", conf, "ping", "pi"}} {
		if code, out, errOut := fleetctl(t, env, args...); code != 0 {
			t.Fatalf("%v: exit %d\n%s%s", args, code, out, errOut)
		}
	}
	pub, err := sign.LoadPublicKey(filepath.Join(dir, "op.pub"))
	if err != nil {
		t.Fatal(err)
	}
	kr, _ := fleet.NewKeyring(fleet.TrustedKey{ID: pub.ID(), Public: pub.Ed25519(), Role: fleet.RoleViewer})
	reqs := dev.Requests()
	if len(reqs) != 2 {
		t.Fatalf("device got %d requests, want 2", len(reqs))
	}
	for _, req := range reqs {
		if e := kr.Authorize("pi", req, time.Now()); e != nil {
			t.Errorf("request %s refused: %v", req.ID, e)
		}
	}
}

func TestSigningKeyUnreadable(t *testing.T) {
	env := map[string]string{"DROVER_BROKER": fleettest.StartBroker(t)}
	bad := filepath.Join(t.TempDir(), "bad.key")
	_ = os.WriteFile(bad, []byte("not a key\n"), 0o600)
	for _, path := range []string{bad, filepath.Join(t.TempDir(), "absent.key")} {
		code, _, errOut := fleetctl(t, env, "--signing-key", path, "ping", "pi")
		if code == 0 || !strings.Contains(errOut, "--signing-key") {
			t.Errorf("%s: exit %d, stderr %q", path, code, errOut)
		}
	}
}
