package cli_test

import (
	"path/filepath"
	"strings"
	"testing"
)

func TestEnrollCLI(t *testing.T) {
	dir := t.TempDir()
	ca := filepath.Join(dir, "ca")
	if code, out, errOut := fleetctl(t, nil, "keygen", "--out", dir, "--name", "op"); code != 0 {
		t.Fatalf("keygen: %d %s%s", code, out, errOut)
	}
	pub := filepath.Join(dir, "op.pub")
	code, out, errOut := fleetctl(t, nil, "--broker", "ssl://mqtt:8883", "enroll", "pi-1", "--ca-dir", ca,
		"--ota-key", pub, "--control-key", pub+"=admin")
	if code != 0 || !strings.Contains(out, "id: pi-1\nbroker:\n  url: ssl://mqtt:8883\n  tls:\n    ca: "+ca+"/ca.pem\n") ||
		!strings.Contains(out, "ota:\n  trusted_keys:\n    - RW") || !strings.Contains(out, ", role: admin}") ||
		!strings.Contains(errOut, "created the fleet CA") {
		t.Fatalf("enroll: exit %d\n%s%s", code, out, errOut)
	}
	code, out, _ = fleetctl(t, nil, "enroll", "pi-2", "--password")
	if code != 0 || !strings.Contains(out, "pi-2:$7$101$") || !strings.Contains(out, "username: pi-2\n  password: ") {
		t.Fatalf("enroll --password: exit %d\n%s", code, out)
	}
	for _, bad := range [][]string{
		{"enroll", "pi-3"},
		{"enroll", "pi-3", "--password", "--ca-dir", ca},
		{"enroll", "Bad/Id", "--password"},
		{"enroll", "pi-3", "--password", "--control-key", pub + "=root"},
		{"enroll", "pi-3", "--password", "--ota-key", filepath.Join(dir, "absent.pub")},
		{"enroll", "pi-1", "--ca-dir", ca}, // exists: never overwritten
	} {
		if code, out, errOut := fleetctl(t, nil, bad...); code == 0 {
			t.Errorf("%v: exit 0\n%s%s", bad, out, errOut)
		}
	}
}

func TestACLCLI(t *testing.T) {
	code, out, _ := fleetctl(t, nil, "--prefix", "site", "acl", "mosquitto", "--operators", "op1,op2", "--viewers", "graf")
	if code != 0 || !strings.Contains(out, "pattern read site/%u/cmd\n") || !strings.Contains(out, "user op2\ntopic readwrite site/#\n") {
		t.Fatalf("acl: exit %d\n%s", code, out)
	}
	if code, _, errOut := fleetctl(t, nil, "acl", "mosquitto", "--operators", "a b"); code != 2 || !strings.Contains(errOut, "bad user name") {
		t.Fatalf("bad user: exit %d %s", code, errOut)
	}
}
