package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestEnrollTLSE2E: a broker certificate, a device certificate and an
// operator certificate from `fleetctl enroll` (one fleet CA, made on first
// use); Mosquitto requires client certificates and takes the CN as user
// name for the generated ACL. The agent, configured with the stanza enroll
// printed, comes online and answers the operator.
func TestEnrollTLSE2E(t *testing.T) {
	ca := filepath.Join(t.TempDir(), "ca")
	port := freePort(t)
	url := fmt.Sprintf("ssl://127.0.0.1:%d", port)
	listener := fleetctlOK(t, "", "enroll", "broker", "--ca-dir", ca, "--server", "127.0.0.1,localhost")
	if i := strings.Index(listener, "# Mosquitto listener:"); i >= 0 {
		listener = listener[i:] // after stderr's "created the fleet CA"
	}
	agentConf := fleetctlOK(t, url, "enroll", "enr1", "--ca-dir", ca)
	fleetctlOK(t, "", "enroll", "op", "--ca-dir", ca)
	if !strings.Contains(agentConf, "id: enr1\nbroker:\n  url: "+url+"\n  tls:\n") {
		t.Fatalf("enroll printed:\n%s", agentConf)
	}
	aclFile := writeFile(t, "acl", fleetctlOK(t, "", "acl", "mosquitto", "--operators", "op")+"\n")
	startMosquittoWith(t, port, fmt.Sprintf("listener %d 127.0.0.1\n%s\nallow_anonymous false\nacl_file %s\npersistence false\n",
		port, listener, aclFile))
	startAgentConfig(t, "agent-enr1", writeFile(t, "agent.yaml", agentConf), "--data-dir", t.TempDir(), "--metrics-listen", metricsAddr(t))
	op := []string{"--ca", filepath.Join(ca, "ca.pem"), "--cert", filepath.Join(ca, "op.pem"), "--key", filepath.Join(ca, "op.key")}
	eventually(t, waitFor, "enr1 answers a ping over TLS", func() (bool, string) {
		out, code := fleetctl(t, url, append(op, "ping", "enr1")...)
		return code == 0, out
	})
	if _, err := os.Stat(filepath.Join(ca, "ca.key")); err != nil {
		t.Fatalf("CA key not kept: %v", err)
	}
	// The device's certificate is no operator: its CN is enr1.
	dev := []string{"--ca", filepath.Join(ca, "ca.pem"), "--cert", filepath.Join(ca, "enr1.pem"), "--key", filepath.Join(ca, "enr1.key")}
	if out, code := fleetctl(t, url, append(dev, "--timeout", "3s", "status", "enr1")...); code == 0 {
		t.Fatalf("a device certificate commanded a device:\n%s", out)
	}
}
